"""Content admins keep the directory in the Django admin."""

from django.urls import reverse

from resources.models import Service, TaxonomyTerm
from tests.resources.conftest import make_service


def test_it_lists_searches_and_filters_services(client, content_admin, db):
    make_service("Division Street Syringe Exchange", terms=["PC-SYR"])
    make_service("Riverside Methadone Clinic", terms=["MM"], status="defunct")
    client.force_login(content_admin)
    url = reverse("admin:resources_service_changelist")
    assert client.get(url).status_code == 200
    assert "Riverside" in client.get(url, {"q": "methadone"}).content.decode()
    assert "Division" not in client.get(url, {"q": "methadone"}).content.decode()
    assert "Division" not in client.get(url, {"status__exact": "defunct"}).content.decode()


def test_it_edits_a_service_with_its_hours_and_phones_inline(client, content_admin, db):
    service = make_service("Division Street Syringe Exchange", hours=[("MO", "09:00", "17:00")])
    client.force_login(content_admin)
    url = reverse("admin:resources_service_change", args=[service.pk])
    page = client.get(url).content.decode()
    assert 'name="schedules-0-opens_at"' in page and 'name="phones-0-number"' in page
    bup = TaxonomyTerm.objects.get(code="BERI")
    data = {
        "name": "Division Street Syringe Exchange",
        "organization": service.organization.pk,
        "status": "active",
        "access": "walk-in",
        "time_zone": "America/Los_Angeles",
        "terms": [bup.pk],
        "service_at_locations-TOTAL_FORMS": 0,
        "service_at_locations-INITIAL_FORMS": 0,
        "schedules-TOTAL_FORMS": 2,
        "schedules-INITIAL_FORMS": 1,
        "schedules-0-id": service.schedules.get().pk,
        "schedules-0-service": service.pk,
        "schedules-0-days": ["MO", "TU"],
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "17:00",
        "schedules-0-freq": "WEEKLY",
        "schedules-1-days": ["FR"],
        "schedules-1-opens_at": "22:00",
        "schedules-1-closes_at": "04:00",
        "schedules-1-freq": "WEEKLY",
        "phones-TOTAL_FORMS": 1,
        "phones-INITIAL_FORMS": 1,
        "phones-0-id": service.phones.get().pk,
        "phones-0-service": service.pk,
        "phones-0-number": "503-555-0142",
        "phones-0-type": "voice",
        "languages-TOTAL_FORMS": 0,
        "languages-INITIAL_FORMS": 0,
        "cost_options-TOTAL_FORMS": 0,
        "cost_options-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    service.refresh_from_db()
    assert service.access == "walk-in"
    assert sorted(service.schedules.values_list("byday", flat=True)) == ["FR", "MO,TU"]
    assert service.phones.get().number == "503-555-0142"
    # Tagging a form also tags its medication and MAT, and search learns it.
    assert set(service.terms.values_list("code", flat=True)) == {"BERI", "BU", "PC-MAT"}
    assert "buprenorphine" in service.search_document
    history = client.get(reverse("admin:resources_service_history", args=[service.pk])).content.decode()
    assert "Changed" in history


def test_it_marks_services_verified_from_the_list(client, content_admin, db):
    service = make_service("Old Exchange", verified_days_ago=200)
    client.force_login(content_admin)
    response = client.post(
        reverse("admin:resources_service_changelist"),
        {"action": "mark_verified", "_selected_action": [service.pk]},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.verified_days_ago() == 0 and service.last_verified_by == content_admin
    # One service, in the singular (issue 14, item 13).
    assert "1 service marked as verified today." in client.get(response["Location"]).content.decode()


def test_it_keeps_the_admin_from_peers(client, peer, db):
    client.force_login(peer)
    response = client.get(reverse("admin:resources_service_changelist"))
    assert response.status_code == 302


def test_it_shows_the_directory_section_to_every_role(client, peer, supervisor, content_admin):
    for user in (peer, supervisor, content_admin):
        client.force_login(user)
        assert 'href="/directory/"' in client.get("/").content.decode()
    assert Service.objects.count() == 0


def test_it_gives_each_role_its_directory_permissions(peer, supervisor, content_admin):
    for user in (peer, supervisor):
        assert user.has_perm("resources.view_service") and user.has_perm("resources.view_schedule")
        assert not user.has_perm("resources.change_service")
        assert not user.has_perm("resources.verify_service")
    for perm in ("add_service", "change_service", "delete_service", "change_schedule", "verify_service"):
        assert content_admin.has_perm(f"resources.{perm}"), perm


def test_it_reindexes_services_when_their_organization_is_renamed(client, content_admin, db):
    service = make_service("Division Street Syringe Exchange")
    client.force_login(content_admin)
    url = reverse("admin:resources_organization_change", args=[service.organization.pk])
    response = client.post(url, {"name": "Rose City Collective", "description": ""})
    assert response.status_code == 302
    assert list(Service.objects.search("rose city")) == [service]


def test_it_reindexes_services_when_their_address_changes(client, content_admin, db):
    service = make_service("Division Street Syringe Exchange")
    location = service.service_at_locations.get().location
    address = location.addresses.get()
    client.force_login(content_admin)
    response = client.post(
        reverse("admin:resources_location_change", args=[location.pk]),
        {
            "name": location.name,
            "location_type": "physical",
            "addresses-TOTAL_FORMS": 1,
            "addresses-INITIAL_FORMS": 1,
            "addresses-0-id": address.pk,
            "addresses-0-location": location.pk,
            "addresses-0-address_1": "2231 SE Division St",
            "addresses-0-city": "Gresham",
            "addresses-0-state_province": "OR",
            "addresses-0-postal_code": "97030",
            "addresses-0-country": "US",
            "addresses-0-address_type": "physical",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Service.objects.search("gresham")) == [service]
