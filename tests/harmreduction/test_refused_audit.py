"""Every refused access leaves a line in the audit log: each 403, and each 404 on a record id."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def _refused_without_a_token(ip, path=None):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip)
    return client.post(path or reverse("login"), {"username": "peer", "password": "x"})


def test_it_keeps_the_first_of_a_burst_of_anonymous_refusals_and_counts_the_rest(peer, monkeypatch):
    # The probe: 300 POSTs without a CSRF token made 300 lines (in 4.3 s). The clock
    # stands still here so that a slow, busy test machine cannot stretch the burst
    # past its minute.
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert _refused_without_a_token("198.51.100.9", reverse("logout")).status_code == 403
    for _ in range(299):
        assert _refused_without_a_token("198.51.100.9").status_code == 403
    event = AuditEvent.objects.get(action="refused")
    assert (event.ip, event.path, event.user, event.repeats) == ("198.51.100.9", "/logout/", None, 299)
    assert "and 299 more" in str(event)
    # Another address still gets its own line.
    _refused_without_a_token("203.0.113.5")
    assert AuditEvent.objects.get(action="refused", ip="203.0.113.5").repeats == 0


def test_it_starts_a_new_line_a_minute_after_the_first(peer, monkeypatch):
    _refused_without_a_token("198.51.100.9")
    _refused_without_a_token("198.51.100.9")
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _refused_without_a_token("198.51.100.9")
    assert list(AuditEvent.objects.filter(action="refused").order_by("at").values_list("repeats", flat=True)) == [1, 0]


def test_it_keeps_every_refusal_of_a_signed_in_person(client, peer, peer2):
    # Each is tied to an account and may name a different record tried.
    client.force_login(peer2)
    checkins = [_checkin(peer) for _ in range(3)]
    for checkin in checkins:
        assert client.get(reverse("sessions_app:checkin_detail", args=[checkin.pk])).status_code == 404
    assert sorted(AuditEvent.objects.filter(action="refused").values_list("object_id", flat=True)) == sorted(
        str(c.pk) for c in checkins)


def test_it_allows_no_other_change_to_a_line(peer):
    _refused_without_a_token("198.51.100.9")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(action="refused").update(repeats=0)
