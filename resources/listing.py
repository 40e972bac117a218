"""The directory's result rows, rendered once and kept until they can change.

A row shows the service's own details only (name, organization, what it
offers, phone, open or closed and until when, when it was verified): the
same for every reader. Rendering 20 of them through templates, with each
one's open status worked out from its schedule, was most of a directory
request's time (docs/performance.md). Each row is cached under the
service's primary key and `updated_at`, which every change to what a row
shows moves (`touch_services` and the signals at the end of
resources/models.py), and
only until the row's words can change with the clock: the next opening or
closing, or midnight ("tomorrow 9 am", "verified 3 days ago").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.template import loader
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from resources.models import Service

ROW_TEMPLATE = "resources/directory.html#result"
# Bump when the row's template or its inputs change, so that a shared cache
# (docs/deploy.md) holds no row drawn by the previous release.
ROW_VERSION = 1
# An upper bound only: a row is dropped sooner when its words would change.
ROW_SECONDS = 24 * 60 * 60


def row_key(pk: int, updated_at: datetime) -> str:
    return f"directory-row:{ROW_VERSION}:{pk}:{updated_at.timestamp():.6f}"


def result_rows(services: Iterable, now: datetime | None = None) -> list[SafeString]:
    """The rendered rows of these services (each with `pk` and `updated_at`), in order."""
    now = now or timezone.now()
    services = list(services)
    keys = {service.pk: row_key(service.pk, service.updated_at) for service in services}
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
            fresh[row_key(service.pk, service.updated_at)] = (html, _valid_until(service, status, now))
        cache.set_many(fresh, ROW_SECONDS)
    # A service deleted since the page was counted has no row: leave it out.
    return [mark_safe(rows[pk]) for pk in keys if pk in rows]


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
