import pytest
from django.urls import reverse

from tests.resources.conftest import make_service


@pytest.fixture
def service(db):
    return make_service(
        "Division Street Syringe Exchange",
        terms=["PC-SYR", "NOE", "NP", "MD"],
        hours=[("MO,TU,WE,TH,FR", "10:00", "14:00"), ("MO,TU,WE,TH,FR", "16:00", "19:00")],
        languages=[("es", "Spanish")],
        access="walk-in",
        eligibility_description="Adults 18 and over.",
        peer_notes="The side door on 23rd is quieter.",
        what_to_bring="Photo ID if you have one\nOregon Health Plan card",
        description="Sterile syringes and naloxone.",
    )


def url(service):
    return reverse("resources:service_detail", args=[service.pk])


def test_it_shows_what_a_peer_needs(client, peer, service):
    client.force_login(peer)
    response = client.get(url(service))
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "Division Street Syringe Exchange",
        "Walk-in",
        "Adults 18 and over.",
        "The side door on 23rd is quieter.",
        "Spanish",
        "Oregon Health Plan (Medicaid)",
        "Photo ID if you have one",
        "100 SE Example St",
        'href="tel:5035550199"',
        "Verified today",
        "10 am – 2 pm, 4 pm – 7 pm",
    ]:
        assert text in content, text


def test_it_highlights_today_in_the_weeks_hours(client, peer, service):
    client.force_login(peer)
    content = client.get(url(service)).content.decode()
    assert content.count('aria-current="date"') == 1
    assert "(today)" in content


def test_it_links_to_a_map_without_loading_one(client, peer, service):
    client.force_login(peer)
    content = client.get(url(service)).content.decode()
    assert "https://www.openstreetmap.org/search?query=100+SE+Example+St" in content
    assert "<iframe" not in content and "<img" not in content


def test_it_offers_the_service_to_a_check_in(client, peer, service):
    client.force_login(peer)
    content = client.get(url(service)).content.decode()
    assert f'href="/checkins/new/?referral={service.pk}"' in content


def test_it_offers_no_check_in_link_to_those_who_log_none(client, content_admin, service):
    client.force_login(content_admin)
    assert "Add to check-in" not in client.get(url(service)).content.decode()


def test_it_is_404_for_peers_when_the_service_is_defunct(client, peer, content_admin, db):
    gone = make_service("Gone", status="defunct")
    client.force_login(peer)
    assert client.get(url(gone)).status_code == 404
    client.force_login(content_admin)
    response = client.get(url(gone))
    assert response.status_code == 200 and "hidden from peers" in response.content.decode()


def test_it_is_404_for_a_missing_service(client, peer, db):
    client.force_login(peer)
    assert client.get(reverse("resources:service_detail", args=[999])).status_code == 404


def test_it_shows_the_verify_button_only_to_content_admins(client, peer, content_admin, service):
    client.force_login(peer)
    assert "Verified today</button>" not in client.get(url(service)).content.decode()
    client.force_login(content_admin)
    assert "Verified today</button>" in client.get(url(service)).content.decode()


def test_it_keeps_the_query_count_fixed(client, peer, service, django_assert_num_queries):
    client.force_login(peer)
    # session, user, permissions, unread feedback (top bar), service, terms, schedules, phones,
    # languages, costs, service-at-locations with locations, addresses
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(13):
        client.get(url(service))
