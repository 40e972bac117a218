"""The stale list and "verified today": content admins only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from resources.models import Service
from tests.resources.conftest import make_service

STALE_URL = reverse("resources:directory_stale")


@pytest.fixture
def services(db):
    return {
        "fresh": make_service("Fresh Exchange", verified_days_ago=10),
        "edge": make_service("Edge Exchange", verified_days_ago=90),
        "old": make_service("Old Exchange", verified_days_ago=91),
        "never": make_service("Never Checked Exchange", verified_days_ago=None),
        "gone": make_service("Gone Exchange", verified_days_ago=400, status="defunct"),
    }


def verify_url(service):
    return reverse("resources:service_verified", args=[service.pk])


def test_it_lists_listed_services_not_verified_within_the_window(client, content_admin, services):
    client.force_login(content_admin)
    response = client.get(STALE_URL)
    assert response.status_code == 200
    assert [s.name for s in response.context["page"]] == ["Never Checked Exchange", "Old Exchange"]


def test_it_reads_the_window_from_settings(client, content_admin, services, settings):
    settings.DIRECTORY_STALE_AFTER_DAYS = 5
    client.force_login(content_admin)
    names = {s.name for s in client.get(STALE_URL).context["page"]}
    assert names == {"Never Checked Exchange", "Old Exchange", "Edge Exchange", "Fresh Exchange"}


@pytest.mark.parametrize("user", ["peer", "supervisor"])
def test_it_refuses_the_stale_list_to_others(client, request, services, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(STALE_URL).status_code == 403


def test_it_keeps_the_stale_list_query_count_fixed(client, content_admin, db, django_assert_num_queries):
    for i in range(20):
        make_service(f"Old {i}", verified_days_ago=200)
    client.force_login(content_admin)
    # session, user, permissions, count, page
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(6):
        client.get(STALE_URL)


def test_it_pages_the_stale_list(client, content_admin, db):
    for i in range(51):
        make_service(f"Old {i:02d}", verified_days_ago=200, phone="")
    client.force_login(content_admin)
    body = client.get(STALE_URL).content.decode()
    assert 'href="?page=2">Next</a>' in body and "Page 1 of 2" in body
    assert [s.name for s in client.get(STALE_URL, {"page": 2}).context["page"]] == ["Old 50"]


def test_it_marks_a_service_verified_today_by_whom(client, content_admin, services):
    client.force_login(content_admin)
    old = services["old"]
    response = client.post(verify_url(old), {"next": STALE_URL})
    assert response.status_code == 302 and response["Location"] == STALE_URL
    old.refresh_from_db()
    assert old.last_verified_on == timezone.localdate()
    assert old.last_verified_by == content_admin
    assert AuditEvent.objects.filter(action="directory verified", object_id=str(old.pk)).exists()
    page = client.get(STALE_URL)
    assert "Old Exchange: marked as verified today." in page.content.decode()
    assert [s.name for s in page.context["page"]] == ["Never Checked Exchange"]


def test_it_refuses_a_next_url_on_another_host(client, content_admin, services):
    client.force_login(content_admin)
    response = client.post(verify_url(services["old"]), {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("resources:service_detail", args=[services["old"].pk])


def test_it_refuses_get_on_verified(client, content_admin, services):
    client.force_login(content_admin)
    assert client.get(verify_url(services["old"])).status_code == 405


def test_it_refuses_verified_to_peers(client, peer, services):
    client.force_login(peer)
    assert client.post(verify_url(services["old"])).status_code == 403
    services["old"].refresh_from_db()
    assert services["old"].last_verified_by is None


def test_it_is_404_for_a_missing_service(client, content_admin, db):
    client.force_login(content_admin)
    assert client.post(reverse("resources:service_verified", args=[999])).status_code == 404


def test_it_shows_how_long_ago_a_service_was_verified(services):
    assert services["old"].verified_days_ago() == 91 and services["old"].is_stale
    assert not services["edge"].is_stale
    assert Service.objects.get(name="Never Checked Exchange").is_stale


def test_it_goes_to_a_next_url_that_is_a_bare_word(client, content_admin, services):
    # redirect() once read "x" as a view name and raised NoReverseMatch (a 500).
    client.force_login(content_admin)
    response = client.post(verify_url(services["old"]), {"next": '"><img src=x onerror=alert(1)>'})
    assert response.status_code == 302
    assert response["Location"] == "%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
