import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from harmreduction.models import AuditEvent


def test_it_appends_and_never_changes(peer):
    request = RequestFactory().get("/somewhere", REMOTE_ADDR="10.1.2.3")
    request.user = peer
    event = AuditEvent.record(request, "view", peer)
    assert (event.username, event.object_type, event.object_id, event.ip) == (
        "peer", "harmreduction.user", str(peer.pk), "10.1.2.3")
    event.action = "edited"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(action="x")
    assert AuditEvent.objects.get().action == "view"


def test_it_offers_no_change_or_delete_in_the_admin(client, admin, peer):
    request = RequestFactory().get("/")
    request.user = peer
    event = AuditEvent.record(request, "view")
    client.force_login(admin)
    assert client.get("/admin/harmreduction/auditevent/").status_code == 200
    response = client.post(f"/admin/harmreduction/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_finds_lines_per_person_and_per_record_in_the_admin(client, admin, peer, peer2):
    request = RequestFactory().get("/")
    request.user = peer
    AuditEvent.record(request, "view", peer2)
    AuditEvent.record(request, "view", peer)
    request.user = peer2
    AuditEvent.record(request, "view", peer2)
    client.force_login(admin)
    url = "/admin/harmreduction/auditevent/"

    by_record = client.get(url, {"object_type": "harmreduction.user", "object_id": str(peer2.pk)})
    assert by_record.status_code == 200
    assert by_record.context["cl"].result_count == 2
    assert f'name="object_id" value="{peer2.pk}"' in by_record.content.decode()

    by_person = client.get(url, {"user__id__exact": str(peer.pk)})
    assert by_person.status_code == 200
    assert {e.user_id for e in by_person.context["cl"].result_list} == {peer.pk}
    assert by_person.context["cl"].result_count == 2
