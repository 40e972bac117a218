"""Login lockout: per username and address, for a while, with a kind page."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from harmreduction.models import AuditEvent
from tests.conftest import PASSWORD


def _try(client, username, password="not-the-password", ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _paused(response):
    return response.status_code == 200 and response.context.get("locked_out") is True


def _fail(client, username, times, ip="10.0.0.7"):
    """Wrong passwords: the first four are answered "did not match", the fifth pauses."""
    for attempt in range(1, times + 1):
        response = _try(client, username, ip=ip)
        assert response.status_code == 200
        assert _paused(response) == (attempt >= 5)


def test_it_pauses_a_username_after_five_failures(client, peer):
    _fail(client, "peer", 4)
    assert _paused(_try(client, "peer"))
    # Even the right password is refused during the pause.
    assert _paused(_try(client, "peer", PASSWORD))
    assert "_auth_user_id" not in client.session


def test_it_shows_our_sign_in_page_with_a_kind_message(client, peer):
    _fail(client, "peer", 5)
    response = _try(client, "peer", PASSWORD)
    assert _paused(response)
    assert response.templates[0].name == "registration/login.html"
    page = response.content.decode()
    assert "Sign-in for this username is paused" in page
    assert "try again in 15 minutes" in page
    assert "did not match. Please try again" not in page
    assert 'value="peer"' in page
    assert 'href="/static/css/app.css"' in page
    assert "Content-Security-Policy" in response


def test_it_lets_a_teammate_on_the_same_address_sign_in(client, peer, peer2):
    _fail(client, "peer", 5)
    assert _paused(_try(client, "peer", PASSWORD))
    response = _try(client, "peer2", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(peer2.pk)


def test_it_lets_the_same_username_sign_in_from_another_address(client, peer):
    _fail(client, "peer", 5)
    assert _try(client, "peer", PASSWORD, ip="10.0.0.99").status_code == 302


def test_it_lifts_the_pause_after_the_cool_off(client, peer):
    _fail(client, "peer", 5)
    assert _paused(_try(client, "peer", PASSWORD))
    paused_at = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=paused_at - timedelta(minutes=15, seconds=1))
    response = _try(client, "peer", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(peer.pk)


def test_it_counts_down_the_minutes_left(client, peer):
    _fail(client, "peer", 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=11))
    assert "try again in 4 minutes" in _try(client, "peer").content.decode()


def test_it_does_not_extend_the_pause_with_more_tries(client, peer):
    _fail(client, "peer", 5)
    before = AccessAttempt.objects.get()
    for _ in range(3):
        assert _paused(_try(client, "peer"))
    after = AccessAttempt.objects.get()
    assert (after.attempt_time, after.failures_since_start) == (before.attempt_time, 5)


def test_it_forgets_earlier_failures_after_a_successful_sign_in(client, peer):
    _fail(client, "peer", 4)
    assert _try(client, "peer", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    _fail(client, "peer", 4)
    assert _try(client, "peer", PASSWORD).status_code == 302


def test_it_keeps_the_login_audit(client, peer):
    _fail(client, "peer", 5)
    _try(client, "peer", PASSWORD)
    failed = AuditEvent.objects.filter(action="login failed", username="peer")
    assert failed.count() == 6
    assert set(failed.values_list("ip", flat=True)) == {"10.0.0.7"}
    assert AuditEvent.objects.filter(action="locked out", username="peer", ip="10.0.0.7").exists()
    assert not AuditEvent.objects.filter(action="login").exists()
    AccessAttempt.objects.all().delete()
    _try(client, "peer", PASSWORD)
    assert AuditEvent.objects.get(action="login").user == peer


def test_it_lets_an_admin_lift_the_pause(client, peer, admin):
    _fail(client, "peer", 5)
    attempt = AccessAttempt.objects.get()
    admin_client = Client()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and b"peer" in listing.content
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _try(client, "peer", PASSWORD).status_code == 302


def test_it_keeps_force_login_working(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/").status_code == 200
