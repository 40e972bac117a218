"""The directory's result rows are cached (resources/listing.py): every change to
what a row shows, and the clock, must draw it again."""

import hashlib
import re
import shutil
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from resources.listing import ROW_SOURCES, catalog_version, result_rows, row_key, row_version
from resources.models import Phone, Schedule, Service, TaxonomyTerm
from tests.resources.conftest import make_service

PORTLAND = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def exchange(db):
    return make_service("Eastside Exchange", terms=["PC-SYR"], hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")])


def shown(client) -> str:
    html = client.get(reverse("resources:directory")).content.decode()
    return html[html.index('<ul class="results">') : html.index("</section>")]


def test_it_draws_a_row_once_and_serves_it_from_the_cache(client, peer, exchange, django_assert_num_queries):
    client.force_login(peer)
    first = shown(client)
    assert "Eastside Exchange" in first and "Call 503-555-0199" in first
    # session, user, permissions, unread feedback, count, page: no services, terms,
    # schedules or phones, and no chips or languages (cached too).
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(7):
        assert shown(client) == first


def test_it_shows_a_new_phone_number_at_once(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    phone = exchange.phones.get()
    phone.number = "503-555-0111"
    phone.save()
    assert "Call 503-555-0111" in shown(client)


def test_it_forgets_a_deleted_phone(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    Phone.objects.filter(service=exchange).delete()
    assert "Call 503-555" not in shown(client)


def test_it_shows_new_hours_at_once(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    Schedule.objects.filter(service=exchange).delete()
    assert "Hours not listed" in shown(client)
    Schedule.objects.create(service=exchange, byday="", opens_at=time(0), closes_at=time(0))
    assert "Open 24 hours" in shown(client)


def test_it_shows_a_renamed_organization(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    organization = exchange.organization
    organization.name = "Outside In"
    organization.save()
    assert "Outside In" in shown(client)


def test_it_shows_what_a_service_now_offers(client, peer, exchange):
    client.force_login(peer)
    assert "Naloxone" not in shown(client)
    exchange.terms.add(TaxonomyTerm.objects.get(code="NOE"))
    assert "Naloxone" in shown(client)
    exchange.terms.clear()
    assert '<li class="badge">' not in shown(client)


def test_it_shows_a_renamed_kind(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    term = TaxonomyTerm.objects.get(code="PC-SYR")
    term.name = "Syringe services (renamed)"
    term.save()
    assert "Syringe services (renamed)" in shown(client)


def test_it_shows_a_service_saved_in_place(client, peer, exchange):
    client.force_login(peer)
    shown(client)
    exchange.access = Service.Access.WALK_IN
    exchange.save()
    assert "Eastside Exchange" in shown(client) and "· Walk-in" in shown(client)


def test_it_draws_the_row_again_when_the_service_closes(exchange):
    tuesday_4pm = datetime(2026, 12, 1, 16, 0, tzinfo=PORTLAND)
    services = list(Service.objects.all())
    assert "closes 5 pm" in result_rows(services, now=tuesday_4pm)[0]
    # Served from the cache until 5 pm...
    assert result_rows(services, now=tuesday_4pm + timedelta(minutes=59))[0] == result_rows(
        services, now=tuesday_4pm
    )[0]
    # ...and drawn again once it has closed.
    assert "Closed · opens tomorrow 9 am" in result_rows(services, now=tuesday_4pm + timedelta(hours=1))[0]


def test_it_draws_the_row_again_the_next_day(exchange):
    # Friday evening says "Mon 9 am"; the label is drawn again after midnight.
    friday_evening = datetime(2026, 12, 4, 20, 0, tzinfo=PORTLAND)
    services = list(Service.objects.all())
    assert "opens Mon 9 am" in result_rows(services, now=friday_evening)[0]
    sunday = datetime(2026, 12, 6, 10, 0, tzinfo=PORTLAND)
    assert "opens tomorrow 9 am" in result_rows(services, now=sunday)[0]


def test_it_leaves_out_a_service_deleted_meanwhile(exchange):
    services = list(Service.objects.all())
    Service.objects.all().delete()
    assert result_rows(services) == []


def test_it_keys_rows_by_a_digest_of_their_templates():
    digest = hashlib.sha256()
    for name in ROW_SOURCES:
        digest.update((django_settings.BASE_DIR / "templates" / name).read_bytes() + b"\0")
    assert row_version() == digest.hexdigest()[:12]


def test_it_knows_every_template_a_row_includes():
    page = (django_settings.BASE_DIR / "templates" / "resources" / "directory.html").read_text()
    start = page.index("{% partialdef result %}")
    row = page[start : page.index("{% endpartialdef %}", start)]
    included = set(re.findall(r"""{%\s*include\s+["']([^"']+)["']""", row))
    assert included and included <= set(ROW_SOURCES)
    assert "{% include" not in re.sub(r"""{%\s*include\s+["'][^"']+["']""", "", row)  # no include by variable


def test_it_draws_every_row_again_when_the_row_template_changes(client, peer, exchange, settings, tmp_path):
    client.force_login(peer)
    before = row_version()
    assert '<li class="result">' in shown(client)
    # The same templates, but a release changed the row's markup.
    edited = tmp_path / "resources" / "directory.html"
    edited.parent.mkdir()
    shutil.copy(django_settings.BASE_DIR / "templates" / "resources" / "directory.html", edited)
    edited.write_text(edited.read_text().replace('<li class="result">', '<li class="result result-new">'))
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert row_version() != before
    assert '<li class="result result-new">' in shown(client)


def test_it_keys_rows_by_the_catalog_the_process_translates_with(settings, tmp_path):
    # A release with new Spanish words starts new processes: their rows must not meet
    # the rows last release's wording left in a shared cache.
    when = timezone.now()
    catalog_version.cache_clear()
    try:
        spanish_before = row_key(1, when, "v", "es")
        assert row_key(1, when, "v", "en") != spanish_before
        compiled = tmp_path / "es" / "LC_MESSAGES" / "django.mo"
        compiled.parent.mkdir(parents=True)
        compiled.write_bytes((django_settings.BASE_DIR / "locale/es/LC_MESSAGES/django.mo").read_bytes() + b"\0")
        settings.LOCALE_PATHS = [tmp_path]
        assert row_key(1, when, "v", "es") == spanish_before  # the same process: the catalog it read
        catalog_version.cache_clear()  # a new process
        assert row_key(1, when, "v", "es") != spanish_before
    finally:
        catalog_version.cache_clear()
