"""Every refused access leaves a line in the audit log: each 403, and each 404 on a record id."""

from django.test import Client
from django.urls import reverse

from harmreduction.models import AuditEvent, UserSession
from sessions_app.models import CheckIn, ContactMethod


def _checkin(peer):
    return CheckIn.objects.create(peer=peer, method=ContactMethod.objects.first(), note="Private words here.")


def test_it_records_a_missing_permission(client, content_admin):
    client.force_login(content_admin)
    response = client.get(reverse("sessions_app:checkin_new"), REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="refused")
    assert (event.user, event.username, event.path, event.ip, event.object_id) == (
        content_admin, "content", "/checkins/new/", "10.0.0.3", "")


def test_it_records_a_guessed_record_id_without_the_notes_text(client, peer, peer2):
    checkin = _checkin(peer)
    client.force_login(peer2)
    response = client.get(reverse("sessions_app:checkin_detail", args=[checkin.pk]) + "?q=secret")
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="refused")
    assert (event.user, event.object_id, event.path) == (peer2, str(checkin.pk), f"/checkins/{checkin.pk}/")
    line = " ".join(str(v) for v in AuditEvent.objects.filter(action="refused").values_list().get())
    assert "Private words" not in line and "secret" not in line


def test_it_records_someone_elses_session_id(client, peer, peer2):
    other = Client()
    other.force_login(peer2)
    client.force_login(peer)
    theirs = UserSession.objects.get(user=peer2)
    assert client.post(reverse("account:session_end", args=[theirs.pk])).status_code == 404
    assert AuditEvent.objects.get(action="refused").object_id == str(theirs.pk)


def test_it_does_not_record_a_plain_missing_page(client, peer):
    client.force_login(peer)
    assert client.get("/no-such-page/").status_code == 404
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_it_does_not_record_allowed_requests(client, peer):
    checkin = _checkin(peer)
    client.force_login(peer)
    assert client.get(reverse("sessions_app:checkin_detail", args=[checkin.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action="refused").exists()


def test_it_records_a_refused_form_without_a_csrf_token(peer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(peer)
    assert client.post(reverse("logout")).status_code == 403
    assert AuditEvent.objects.get(action="refused").user == peer


def test_it_records_refusals_in_the_admin(client, peer):
    # Staff without the permission to view the audit log.
    peer.is_staff = True
    peer.save()
    client.force_login(peer)
    assert client.get("/admin/harmreduction/auditevent/").status_code == 403
    assert AuditEvent.objects.filter(action="refused", path="/admin/harmreduction/auditevent/").count() == 1
