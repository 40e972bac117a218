"""Changes to people in the admin are audited: who did it, to whom, what changed, never a secret."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from harmreduction.models import AuditEvent, User, UserSession
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from tests.conftest import PASSWORD

NEW = "lantern-orchard-seventeen"


def _change(client, user, **changes):
    """Post the admin's change form for `user` as it stands, with `changes`."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": user.is_active, "is_staff": user.is_staff,
        "is_superuser": user.is_superuser, "team": user.team_id or "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "12:00:00",
        "last_login_0": "", "last_login_1": "",
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not False}  # an unticked box is not sent
    response = client.post(f"/admin/harmreduction/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _lines(action):
    return list(AuditEvent.objects.filter(action=action).values_list(
        "username", "object_type", "object_id", "subject_username", "detail"))


def _role(name):
    return Group.objects.get(name=name).pk


def test_it_audits_a_role_granted_and_removed(client, admin, peer):
    client.force_login(admin)
    _change(client, peer, groups=[_role(SUPERVISOR)])
    assert _lines("role granted") == [("admin", "harmreduction.user", str(peer.pk), "peer", SUPERVISOR)]
    assert _lines("role removed") == [("admin", "harmreduction.user", str(peer.pk), "peer", PEER)]


def test_it_audits_team_active_and_admin_flags(client, admin, peer, west):
    client.force_login(admin)
    _change(client, peer, team=west.pk, is_active=False, is_staff=True)
    assert _lines("team changed") == [("admin", "harmreduction.user", str(peer.pk), "peer",
                                       "Outreach East → Drop-in West")]
    assert [line[3] for line in _lines("account deactivated")] == ["peer"]
    assert [line[3] for line in _lines("admin access granted")] == ["peer"]
    peer.refresh_from_db()
    _change(client, peer, is_active=True, is_staff=False, is_superuser=True, team="")
    assert _lines("team changed")[0][4] == "Drop-in West → no team"
    assert len(_lines("account reactivated")) == len(_lines("admin access removed")) == 1
    assert len(_lines("superuser granted")) == 1


def test_it_writes_nothing_when_nothing_changed(client, admin, peer):
    client.force_login(admin)
    before = AuditEvent.objects.count()
    _change(client, peer)
    assert AuditEvent.objects.count() == before


def test_it_audits_a_person_added(client, admin):
    client.force_login(admin)
    client.post("/admin/harmreduction/user/add/", {
        "username": "dee", "password1": NEW, "password2": NEW, "usable_password": "true"})
    dee = User.objects.get(username="dee")
    assert _lines("person added") == [("admin", "harmreduction.user", str(dee.pk), "dee", "")]


def test_it_audits_a_password_set_and_signs_the_person_out(client, admin, peer):
    tablet = Client()
    assert tablet.post(reverse("login"), {"username": "peer", "password": PASSWORD}).status_code == 302
    key = UserSession.objects.get(user=peer).session_key
    client.force_login(admin)
    response = client.post(f"/admin/harmreduction/user/{peer.pk}/password/",
                           {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    assert _lines("password set") == [("admin", "harmreduction.user", str(peer.pk), "peer", "")]
    peer.refresh_from_db()
    event = AuditEvent.objects.get(action="password set")
    assert peer.password not in str(event.__dict__) and NEW not in str(event.__dict__)
    assert not UserSession.objects.filter(user=peer).exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert tablet.get("/").status_code == 302


def test_it_audits_a_person_deleted_and_keeps_the_names(client, admin, content_admin):
    gone = User.objects.create_user("leaving", password=PASSWORD)
    request = RequestFactory().get("/")
    request.user = gone
    AuditEvent.record(request, "view")  # something they did
    client.force_login(admin)
    _change(client, gone, groups=[_role(PEER)])  # something done to them
    response = client.post(f"/admin/harmreduction/user/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=gone.pk).exists()
    assert _lines("person deleted") == [("admin", "harmreduction.user", str(gone.pk), "leaving", "")]
    # Their own lines keep their name; lines about them keep it too.
    assert AuditEvent.objects.get(action="view").username == "leaving"
    assert AuditEvent.objects.get(action="role granted").subject_username == "leaving"

    # The actor leaves too: their lines still say who acted.
    client.force_login(content_admin)
    User.objects.filter(pk=admin.pk).delete()
    assert AuditEvent.objects.get(action="person deleted").user is None
    assert AuditEvent.objects.get(action="person deleted").username == "admin"


def test_it_audits_deleting_selected_people(client, admin, peer2):
    client.force_login(admin)
    extra = User.objects.create_user("extra", password=PASSWORD)
    client.post("/admin/harmreduction/user/", {
        "action": "delete_selected", "_selected_action": [extra.pk], "post": "yes"})
    assert not User.objects.filter(pk=extra.pk).exists()
    assert [line[3] for line in _lines("person deleted")] == ["extra"]


def test_it_audits_two_step_devices_added_and_deleted_in_the_admin(client, admin, peer):
    client.force_login(admin)
    response = client.post("/admin/otp_totp/totpdevice/add/", {
        "user": peer.pk, "name": "New phone", "confirmed": "on", "key": "3132333435363738393031323334353637383930",
        "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0, "throttling_failure_count": 0,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    device = TOTPDevice.objects.get(user=peer)
    assert _lines("two-factor device added") == [("admin", "harmreduction.user", str(peer.pk), "peer", "New phone")]
    # The lost-phone procedure: delete the device.
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _lines("two-factor device deleted") == [
        ("admin", "harmreduction.user", str(peer.pk), "peer", "New phone")]
    # The secret is nowhere in the log.
    assert not AuditEvent.objects.filter(detail__contains="3132").exists()


def test_it_audits_a_two_step_device_changed_without_its_key(client, admin, peer):
    device = TOTPDevice.objects.create(user=peer, name="Old phone", confirmed=True)
    client.force_login(admin)
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", {
        "user": peer.pk, "name": "Old phone", "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0,
        "throttling_failure_count": 0,  # "confirmed" unticked: the device stops working
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _lines("two-factor device changed") == [
        ("admin", "harmreduction.user", str(peer.pk), "peer", "Old phone: confirmed")]


# The line on the home page of those who can export notes -------------------------------------------


def test_it_tells_other_content_admins_when_someone_can_export_notes(client, admin, content_admin, peer, peer2,
                                                                     django_assert_num_queries):
    client.force_login(admin)
    _change(client, peer, groups=[_role(CONTENT_ADMIN)])

    client.force_login(content_admin)
    # Session, user, permissions (read once for the check and the top bar; two queries, as
    # Django's ModelBackend reads user and group permissions apart), and the notice: one query.
    with django_assert_num_queries(5):
        page = client.get("/").content.decode()
    assert "admin gave peer the Content admin role, which can export notes," in page
    assert "Content admin role" not in client_for(admin).get("/").content.decode()  # not to the one who did it
    assert "Content admin role" not in client_for(peer2).get("/").content.decode()  # not to those who cannot export


def test_it_leaves_out_roles_that_cannot_export_and_old_grants(client, admin, content_admin, peer, peer2):
    client.force_login(admin)
    _change(client, peer, groups=[_role(SUPERVISOR)])
    _change(client, peer2, groups=[_role(CONTENT_ADMIN)])
    page = client_for(content_admin).get("/").content.decode()
    assert "peer2 the Content admin role" in page
    assert "Supervisor role" not in page

    later = timezone.now() + timedelta(days=15)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: later)
        assert "Content admin role" not in client_for(content_admin).get("/").content.decode()


def test_it_tells_them_when_someone_becomes_a_superuser(client, admin, content_admin, peer):
    client.force_login(admin)
    _change(client, peer, is_superuser=True)
    assert "admin made peer a superuser, who can export notes," in client_for(content_admin).get("/").content.decode()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
