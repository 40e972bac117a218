"""Directory, slip and home page as a tablet shows them (issue 14, items 6, 7 and 12)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from tests.resources.conftest import make_service

URL = reverse("resources:directory")


def test_it_folds_the_filters_behind_one_control_with_their_count(client, peer):
    make_service("Riverside Methadone Clinic", terms=["OTP"], access="walk-in")
    client.force_login(peer)
    body = client.get(URL).content.decode()
    assert '<details class="filters-fold">' in body and "Filters (0)" in body
    body = client.get(URL, {"walkin": "1", "open": "1", "kind": ["PC-MAT", "PC-SSP"]}).content.decode()
    assert "Filters (4)" in body
    # The htmx fragment brings the count along, out of band, after the results.
    fragment = client.get(URL, {"walkin": "1"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="results"')
    assert '<span id="filter-count" hx-swap-oob="true">Filters (1)</span>' in fragment


def test_it_prints_dates_and_who_referred_on_the_slip(client, peer, settings):
    settings.ORGANIZATION_NAME = "Eastside Harm Reduction"
    settings.ORGANIZATION_CONTACT = "503-555-0100, Mon–Fri 9–5"
    service = make_service("Riverside Methadone Clinic", verified_days_ago=None)
    service.last_verified_on = date(2026, 3, 4)
    service.save()
    client.force_login(peer)
    body = client.get(reverse("resources:service_slip", args=[service.pk])).content.decode()
    assert "Details verified on Mar 4, 2026." in body
    assert f"Printed on {timezone.localdate():%b %-d, %Y}." in body
    assert "Referred by Jordan, Outreach East, Eastside Harm Reduction." in body
    assert "How to reach us: 503-555-0100, Mon–Fri 9–5" in body


def test_it_says_when_a_slip_was_never_verified_and_leaves_out_an_unset_organization(client, peer):
    service = make_service("Riverside Methadone Clinic", verified_days_ago=None)
    client.force_login(peer)
    body = client.get(reverse("resources:service_slip", args=[service.pk])).content.decode()
    assert "These details have not been verified yet." in body
    assert "Referred by Jordan, Outreach East." in body and "How to reach us" not in body


def test_it_puts_new_checkin_first_on_a_peers_home_page(client, peer, content_admin):
    client.force_login(peer)
    body = client.get(reverse("home")).content.decode()
    main = body[body.index('<main'):]
    action = f'<a class="button button-big button-primary" href="{reverse("sessions_app:checkin_new")}">'
    assert action in main and main.index(action) < main.index('class="tiles"')
    client.force_login(content_admin)
    assert "button-primary" not in client.get(reverse("home")).content.decode()
