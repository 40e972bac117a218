"""The directory's offline copy (/directory/offline/, docs/offline.md): what goes in,
in what order, what each row shows, and a query count that does not grow with it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import Service
from sessions_app.models import CheckIn, ContactMethod, Referral
from tests.resources.conftest import make_service

URL = reverse("resources:directory_offline")


def names(response) -> list[str]:
    return re.findall(r'<li class="result"[^>]*>\s*<h2>([^<]+)</h2>', response.content.decode())


def refer(peer, service, times):
    method = ContactMethod.objects.first()
    for _ in range(times):
        checkin = CheckIn.objects.create(peer=peer, method=method, note="")
        Referral.objects.create(checkin=checkin, service=service)


@pytest.fixture
def directory(db, peer):
    services = {
        "exchange": make_service("Zed Street Syringe Exchange", terms=["PC-SYR", "NOE"], access="walk-in",
                                 hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")], languages=[("es", "Spanish")]),
        "otp": make_service("Yarrow Methadone Clinic", terms=["OTP", "MM"], city="Gresham"),
        "shelter": make_service("Alder Shelter", terms=["PC-SHELTER"]),
        "testing": make_service("Birch Testing", terms=["PC-TEST"]),
        "quiet": make_service("Aspen Food Pantry"),
        "closed": make_service("Cedar Syringe Services (closed)", terms=["PC-SYR"], status="defunct"),
    }
    refer(peer, services["testing"], 3)
    refer(peer, services["shelter"], 1)
    return services


def test_it_lists_syringe_and_mat_services_first_then_the_most_referred(client, peer, directory):
    client.force_login(peer)
    response = client.get(URL)
    assert response.status_code == 200
    # Core kinds first (by name), then by referrals, then the rest by name; never a closed service.
    assert names(response) == [
        "Yarrow Methadone Clinic", "Zed Street Syringe Exchange", "Birch Testing", "Alder Shelter",
        "Aspen Food Pantry",
    ]


def test_it_keeps_at_most_the_cap_core_kinds_first(client, peer, directory, settings):
    settings.OFFLINE_DIRECTORY_MAX = 3
    client.force_login(peer)
    assert names(client.get(URL)) == ["Yarrow Methadone Clinic", "Zed Street Syringe Exchange", "Birch Testing"]
    assert len(Service.objects.for_offline_copy(limit=1)) == 1


def test_it_shows_phone_address_hours_and_when_verified(client, peer, directory):
    service = directory["exchange"]
    Service.objects.filter(pk=service.pk).update(last_verified_on=timezone.localdate() - timedelta(days=3))
    client.force_login(peer)
    page = client.get(URL).content.decode()
    row = page[page.index("Zed Street Syringe Exchange"):]
    row = row[: row.index("</li>")]
    assert 'href="tel:5035550199"' in row or "503-555-0199" in row
    assert "100 SE Example St" in row
    assert "Mon: 9 am" in row or "Mon: 9" in row
    verified = (timezone.localdate() - timedelta(days=3)).strftime("%b %-d, %Y")
    assert f"Verified {verified}" in row
    assert re.search(r"Offline copy from \w{3} \d+, \d{4}, \d\d:\d\d", page)


def test_it_carries_what_the_offline_search_reads(client, peer, directory):
    client.force_login(peer)
    page = client.get(URL).content.decode()
    exchange = directory["exchange"]
    row = re.search(r'<li class="result" data-pk="\d+" data-search="([^"]*)" data-terms="([^"]*)" '
                    r'data-lang="([^"]*)" data-walkin>\s*<h2>Zed Street Syringe Exchange', page)
    assert row, "the exchange's row with its search data"
    assert row.group(1) == exchange.search_document
    assert " syring " in row.group(1)
    assert set(row.group(2).split()) >= {"PC-SSP", "PC-SYR", "NOE"}
    assert row.group(3) == "es"
    # The same chips as online, without Open now (the copy cannot tell).
    assert 'name="kind" value="PC-SSP"' in page and 'name="open"' not in page
    assert 'id="offline-search-words"' in page


def test_it_keeps_the_query_count_fixed(client, peer, db, django_assert_num_queries):
    def add(start, count):
        for i in range(start, start + count):
            make_service(f"Exchange {i:03d}", terms=["PC-SYR", "NP"], hours=[("MO,TU", "09:00", "17:00")],
                         languages=[("es", "Spanish")])

    add(0, 5)
    client.force_login(peer)
    client.get(URL)  # the chips and languages in the cache, like any page after the first
    # Rows drawn: session, user, permissions (two), the copy's choice, the services again with
    # their terms, schedules, phones, languages, places with their locations, addresses
    # (prefetched), the synonym list and the top bar's unread count: the same for 5 or 40.
    clear_offline_rows()
    with django_assert_num_queries(14):
        small = client.get(URL)
    # Drawn rows are shared: the next tablet's copy reads only the choice (pk, updated_at).
    with django_assert_num_queries(7):
        again = client.get(URL)
    assert names(again) == names(small)
    add(5, 35)
    client.get(URL)  # a new language empties the cached language chips: read again once
    clear_offline_rows()
    with django_assert_num_queries(14):
        large = client.get(URL)
    with django_assert_num_queries(7):
        client.get(URL)
    assert len(names(small)) == 5 and len(names(large)) == 40


def clear_offline_rows():
    """Every service changed: the drawn rows no longer match the copy's choice."""
    Service.objects.update(updated_at=timezone.now())


def test_it_draws_a_changed_service_again(client, peer, directory):
    def exchange_row() -> str:
        page = client.get(URL).content.decode()
        row = page[page.index("Zed Street Syringe Exchange"):]
        return row[: row.index("</li>")]

    client.force_login(peer)
    assert "503-555-0199" in exchange_row()
    phone = directory["exchange"].phones.get()
    phone.number = "503-555-0123"
    phone.save()  # moves the service's updated_at (resources/listing.py)
    row = exchange_row()
    assert "503-555-0123" in row and "503-555-0199" not in row
    # Dropped from the copy: gone at once, though its row was drawn before.
    Service.objects.filter(pk=directory["exchange"].pk).update(status="defunct")
    assert "Zed Street Syringe Exchange" not in names(client.get(URL))
