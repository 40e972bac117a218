"""The directory's result rows, rendered once and kept until they can change.

A row shows the service's own details only (name, organization, what it
offers, phone, open or closed and until when, when it was verified): the
same for every reader of one language. Rendering 20 of them through templates, with each
one's open status worked out from its schedule, was most of a directory
request's time (docs/performance.md). Each row is cached under the
service's primary key and `updated_at`, which every change to what a row
shows moves (`touch_services` and the signal handlers below, connected in
`ResourcesConfig.ready()`), and only until the row's words can change with
the clock: the next opening or closing, or midnight ("tomorrow 9 am",
"verified 3 days ago"). The key also carries a digest of the row's template
sources, so that a release that redraws the row finds none of the old rows
in a shared cache (docs/deploy.md), and the interface language with a
digest of its compiled catalog: a row's words ("Open until 5 pm", "Verified
3 days ago", "Walk-in") are drawn in the reader's language, so a Spanish page
never finds an English row, nor a row worded by last release's translation.

Everything about the cache is in this module: the key, the lifetime, the
version and what invalidates it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import signals
from django.template import loader
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from resources import opening_hours
from resources.models import Organization, Phone, Schedule, Service, TaxonomyTerm, forget_directory_chips

ROW_TEMPLATE = "resources/directory.html#result"
# Every template a row is drawn from: the page holding the partial, and what the
# partial includes (a test checks the list against the partial's includes).
ROW_SOURCES = ("resources/directory.html", "resources/_verified.html")
# An upper bound only: a row is dropped sooner when its words would change.
ROW_SECONDS = 24 * 60 * 60


def row_version() -> str:
    """A short digest of the row's template sources: a changed template draws every row again.

    Read through the template loader, which keeps compiled templates (and their source)
    in memory, so this costs a hash of a few kilobytes per page (about 20 µs), not a
    file read. Not remembered beyond that: in development a template edit takes effect
    at once.
    """
    digest = hashlib.sha256()
    for name in ROW_SOURCES:
        digest.update(loader.get_template(name).template.source.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@functools.cache
def catalog_version(language: str) -> str:
    """A short digest of the compiled catalogs (`locale/<lang>/LC_MESSAGES/django.mo`) for `language`.

    Once per process, as Django reads its catalogs once per process: a release
    with new translations starts new processes, whose rows get new keys and
    so never meet the old wording left in a shared cache.
    """
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        compiled = Path(folder) / translation.to_locale(language) / "LC_MESSAGES" / "django.mo"
        if compiled.exists():
            digest.update(compiled.read_bytes())
    return digest.hexdigest()[:12]


def row_key(pk: int, updated_at: datetime, version: str, language: str) -> str:
    return f"directory-row:{version}:{language}.{catalog_version(language)}:{pk}:{updated_at.timestamp():.6f}"


def result_rows(services: Iterable, now: datetime | None = None) -> list[SafeString]:
    """The rendered rows of these services (each with `pk` and `updated_at`), in order."""
    now = now or timezone.now()
    services = list(services)
    version, language = row_version(), _language()
    keys = {service.pk: row_key(service.pk, service.updated_at, version, language) for service in services}
    cached = cache.get_many(keys.values()) if keys else {}
    rows: dict[int, str] = {}
    for pk, key in keys.items():
        hit = cached.get(key)
        if hit is not None and now < hit[1]:
            rows[pk] = hit[0]
    missing = [pk for pk in keys if pk not in rows]
    if missing:
        template = loader.get_template(ROW_TEMPLATE)
        fresh = {}
        full = (
            Service.objects.filter(pk__in=missing)
            .select_related("organization")
            .defer("search_document", "search_vector", "description", "peer_notes")
            .prefetch_related("terms", "schedules", "phones")
        )
        for service in full:
            status = service.status_at(now)
            html = template.render({"service": service, "status": status})
            rows[service.pk] = html
            # Keyed by the updated_at just read, not the page's: a row that changed in
            # between is drawn as it is now and found again on the next request.
            key = row_key(service.pk, service.updated_at, version, language)
            fresh[key] = (html, _valid_until(service, status, now))
        cache.set_many(fresh, ROW_SECONDS)
    # A service deleted since the page was counted has no row: leave it out.
    return [mark_safe(rows[pk]) for pk in keys if pk in rows]


OFFLINE_ROWS_TEMPLATE = "resources/directory_offline.html#offline-rows"
OFFLINE_ROWS_SOURCES = ("resources/directory_offline.html",)


def offline_rows(kept: list[tuple[int, datetime]], now: datetime | None = None) -> SafeString:
    """The rows of the directory's offline copy (docs/offline.md), drawn once and shared.

    `kept` is the copy's choice, in order: (pk, updated_at) of each service
    (`Service.objects.for_offline_copy()`, one query). A thousand rows with their
    phones, addresses and hours in words cost seconds to draw, and every
    tablet asks for the same copy: it is kept under a digest of that choice
    (so a changed, added or dropped service, or a new order, draws it again)
    and of the template, for the current hour at most (hours in words start
    from today), and in the reader's language and catalog.
    """
    now = now or timezone.now()
    digest = hashlib.sha256()
    for name in OFFLINE_ROWS_SOURCES:
        digest.update(loader.get_template(name).template.source.encode())
    for pk, updated_at in kept:
        digest.update(f"{pk}:{updated_at.timestamp():.6f};".encode())
    language = _language()
    key = f"directory-offline-rows:{language}.{catalog_version(language)}:{now:%Y%m%d%H}:{digest.hexdigest()[:16]}"
    html = cache.get(key)
    if html is None:
        order = {pk: i for i, (pk, _updated) in enumerate(kept)}
        services = sorted(Service.objects.filter(pk__in=order).with_row_details(), key=lambda s: order[s.pk])
        rows = [
            {
                "service": service,
                "terms": " ".join(t.code for t in service.terms.all() if t.code),
                "languages": " ".join(lang.code for lang in service.languages.all()),
                "hours": opening_hours.summary(service.hours(), service.tz, now.astimezone(service.tz).date()),
            }
            for service in services
        ]
        html = loader.get_template(OFFLINE_ROWS_TEMPLATE).render({"rows": rows})
        cache.set(key, html, 60 * 60)
    return mark_safe(html)


def _valid_until(service, status, now: datetime) -> datetime:
    """When the row's words may change: the next opening or closing, or a midnight
    (the service's, for "tomorrow"; the program's, for "verified N days ago")."""
    ends = [_next_midnight(now, service.tz), _next_midnight(now, ZoneInfo(settings.TIME_ZONE))]
    if status.changes_at is not None:
        ends.append(status.changes_at)
    return min(ends)


def _next_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=tz)


# What invalidates a row: everything it shows moves the service's updated_at, so
# that its key changes and the row is drawn again on the next request.


def touch_services(service_ids) -> None:
    """Mark services as changed: their directory rows are drawn again on the next request."""
    ids = {pk for pk in service_ids if pk is not None}
    if ids:
        Service.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _touch_service_of(sender, instance, **kwargs) -> None:
    touch_services([instance.service_id])


def _touch_services_of_organization(sender, instance, created=False, **kwargs) -> None:
    if not created:
        touch_services(instance.services.values_list("pk", flat=True))


def _touch_services_of_term(sender, instance, **kwargs) -> None:
    forget_directory_chips()
    touch_services(Service.terms.through.objects.filter(taxonomyterm=instance).values_list("service_id", flat=True))


def _touch_tagged_services(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # a service's tags changed
        if action in ("post_add", "post_remove", "post_clear"):
            touch_services([instance.pk])
    elif action == "pre_clear":  # a term taken off every service
        touch_services(instance.services.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        touch_services(pk_set)


def connect_signals() -> None:
    """Called once, from ResourcesConfig.ready(). A service's own save moves updated_at itself."""
    for model in (Phone, Schedule):
        signals.post_save.connect(_touch_service_of, sender=model)
        signals.post_delete.connect(_touch_service_of, sender=model)
    signals.post_save.connect(_touch_services_of_organization, sender=Organization)
    signals.post_save.connect(_touch_services_of_term, sender=TaxonomyTerm)
    signals.pre_delete.connect(_touch_services_of_term, sender=TaxonomyTerm)
    signals.m2m_changed.connect(_touch_tagged_services, sender=Service.terms.through)
