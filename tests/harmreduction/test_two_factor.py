"""Two-step sign-in (TOTP): required for supervisors and content admins, open to peers."""

import time
from binascii import unhexlify

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from harmreduction.models import AuditEvent, UserSession
from harmreduction.views import PENDING_KEY
from tests.conftest import PASSWORD

pytestmark = pytest.mark.two_factor


def _code(key: str, ahead: int = 0) -> str:
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def _sign_in(client, username, next_path=""):
    data = {"username": username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(reverse("login"), data, follow=True)


@pytest.fixture
def app(supervisor):
    """The supervisor's authenticator app, already set up."""
    return TOTPDevice.objects.create(user=supervisor, name="Authenticator app", confirmed=True)


def test_it_requires_supervisors_and_content_admins_by_default(supervisor, content_admin, admin, peer, settings):
    assert settings.TWO_FACTOR_REQUIRED_ROLES == ["Supervisor", "Content admin"]
    assert supervisor.requires_two_factor() and content_admin.requires_two_factor() and admin.requires_two_factor()
    assert not peer.requires_two_factor()


def test_it_sends_a_supervisor_without_an_app_to_set_one_up(client, supervisor):
    response = _sign_in(client, "supervisor", "/checkins/")
    assert response.redirect_chain[-1][0] == "/account/two-factor/?next=%2Fcheckins%2F"
    page = response.content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "Type this key instead" in page
    # Nothing else opens until it is done, the admin included.
    for path in ("/", "/checkins/", "/account/sessions/", "/admin/"):
        assert client.get(path)["Location"].startswith("/account/two-factor/?next=")


def test_it_turns_on_with_one_code_from_the_app(client, supervisor):
    _sign_in(client, "supervisor", "/checkins/")
    key = client.session[PENDING_KEY]
    # The same secret on a reload: the app scanned once keeps working.
    client.get(reverse("account:two_factor_setup"))
    assert client.session[PENDING_KEY] == key
    response = client.post(reverse("account:two_factor_setup"), {"code": _code(key), "next": "/checkins/"})
    assert response.status_code == 302 and response["Location"] == "/checkins/"
    device = TOTPDevice.objects.get(user=supervisor)
    assert device.confirmed and device.key == key
    assert client.get("/checkins/").status_code == 200
    assert AuditEvent.objects.filter(action="two-factor set up", user=supervisor).exists()


def test_it_keeps_the_typed_code_when_it_does_not_match(client, supervisor):
    _sign_in(client, "supervisor")
    response = client.post(reverse("account:two_factor_setup"), {"code": "000 000"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert 'value="000 000"' in response.content.decode()
    assert not TOTPDevice.objects.exists()
    response = client.post(reverse("account:two_factor_setup"), {"code": "12ab"})
    assert "The code is 6 digits" in response.content.decode()


def test_it_asks_for_the_code_after_the_password(client, supervisor, app):
    response = _sign_in(client, "supervisor", "/checkins/")
    assert response.redirect_chain[-1][0] == "/account/two-factor/verify/?next=%2Fcheckins%2F"
    assert "One more step" in response.content.decode()
    assert client.get("/").status_code == 302
    response = client.post(reverse("account:two_factor_verify"), {"code": _code(app.key), "next": "/checkins/"})
    assert response["Location"] == "/checkins/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="two-factor verified", user=supervisor).exists()


def test_it_refuses_a_wrong_code_and_slows_guessing(client, supervisor, app):
    _sign_in(client, "supervisor")
    response = client.post(reverse("account:two_factor_verify"), {"code": "000000"})
    assert "That code did not match" in response.content.decode()
    assert AuditEvent.objects.filter(action="two-factor failed", user=supervisor).count() == 1
    # Right away, even the right code waits: django-otp's throttle.
    response = client.post(reverse("account:two_factor_verify"), {"code": _code(app.key)})
    assert "Please wait a few seconds" in response.content.decode()
    assert client.get("/").status_code == 302


def test_it_does_not_take_the_same_code_twice(client, supervisor, app):
    _sign_in(client, "supervisor")
    code = _code(app.key)
    assert client.post(reverse("account:two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, "supervisor")
    response = client.post(reverse("account:two_factor_verify"), {"code": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_it_refuses_an_unsafe_next(client, supervisor, app):
    _sign_in(client, "supervisor")
    response = client.post(reverse("account:two_factor_verify"), {"code": _code(app.key), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_lets_a_peer_sign_in_without_it(client, peer):
    response = _sign_in(client, "peer")
    assert response.redirect_chain[-1][0] == "/"
    assert b"Hello, Jordan" in response.content


def test_it_lets_a_peer_turn_it_on_and_then_asks_for_it(client, peer):
    _sign_in(client, "peer")
    assert b"Set up two-step sign-in" in client.get(reverse("account:sessions")).content
    client.get(reverse("account:two_factor_setup"))
    key = client.session[PENDING_KEY]
    client.post(reverse("account:two_factor_setup"), {"code": _code(key)})
    assert b"Turn off" in client.get(reverse("account:sessions")).content
    client.post(reverse("logout"))
    response = _sign_in(client, "peer")
    assert response.redirect_chain[-1][0].startswith("/account/two-factor/verify/")


def _signed_in_with_code(client, user, device):
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def test_it_lets_a_peer_turn_it_off_but_not_a_supervisor(client, peer, supervisor, app):
    peers_app = TOTPDevice.objects.create(user=peer, name="Authenticator app", confirmed=True)
    client.force_login(peer)
    # Not without the code first.
    assert client.post(reverse("account:two_factor_off"))["Location"].startswith("/account/two-factor/verify/")
    _signed_in_with_code(client, peer, peers_app)
    client.post(reverse("account:two_factor_off"))
    assert not TOTPDevice.objects.filter(user=peer).exists()
    assert AuditEvent.objects.filter(action="two-factor off", user=peer).exists()
    assert client.get("/").status_code == 200

    _signed_in_with_code(client, supervisor, app)
    assert client.post(reverse("account:two_factor_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=supervisor).exists()


def test_it_needs_the_current_app_to_move_to_a_new_phone(client, supervisor, app):
    _sign_in(client, "supervisor")
    response = client.get(reverse("account:two_factor_setup"))
    assert response["Location"] == "/account/two-factor/verify/?next=%2Faccount%2Ftwo-factor%2F"


def test_it_can_be_required_for_everyone(client, peer, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = "all"
    response = _sign_in(client, "peer")
    assert response.redirect_chain[-1][0].startswith("/account/two-factor/?next=")


def test_it_redirects_htmx_to_the_code_step(client, supervisor, app):
    _sign_in(client, "supervisor")
    response = client.post(reverse("sessions_app:checkin_draft"), {"note": "x"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="http://testserver/checkins/new/")
    assert response["HX-Redirect"] == "/account/two-factor/verify/?next=%2Fcheckins%2Fnew%2F"


def test_it_is_off_for_other_tests_without_the_marker(request):
    # This module is marked; tests/conftest.py turns it off for every unmarked test.
    assert request.node.get_closest_marker("two_factor") is not None


def test_it_lets_an_admin_reset_a_lost_phone(client, supervisor, app, admin):
    admins_app = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    _signed_in_with_code(client, admin, admins_app)
    page = client.get(f"/admin/otp_totp/totpdevice/{app.pk}/change/").content.decode()
    assert app.key not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{app.pk}/config/").status_code == 403
    client.post(f"/admin/otp_totp/totpdevice/{app.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    client.post(reverse("logout"))
    response = _sign_in(client, "supervisor")
    assert response.redirect_chain[-1][0].startswith("/account/two-factor/?next=")


def test_it_refuses_digits_no_app_shows(client, supervisor):
    # "²".isdigit() is true and int("²") raises: this was a 500.
    client.force_login(supervisor)
    response = client.post(reverse("account:two_factor_setup"), {"code": "²²²²²²"})
    assert response.status_code == 200
    assert b"The code is 6 digits" in response.content


def _copy_of(client):
    """Another browser holding the cookie as it is now (copied off a shared tablet)."""
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return copy


def _assert_signed_out(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_gives_the_session_a_new_key_when_the_code_is_accepted(client, supervisor, app):
    _sign_in(client, "supervisor")
    copied = _copy_of(client)
    before = client.session.session_key
    response = client.post(reverse("account:two_factor_verify"), {"code": _code(app.key)})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get("/").status_code == 200
    # The cookie copied after the password step opens nothing, not even the code step.
    _assert_signed_out(copied)
    # "Your sessions" follows the new key: this device, still listed once.
    assert list(UserSession.objects.filter(user=supervisor).values_list("session_key", flat=True)) == [
        client.session.session_key]
    assert "This device" in client.get(reverse("account:sessions")).content.decode()


def test_it_gives_the_session_a_new_key_when_the_app_is_set_up(client, supervisor):
    _sign_in(client, "supervisor")
    copied = _copy_of(client)
    before = client.session.session_key
    key = client.session[PENDING_KEY]
    assert client.post(reverse("account:two_factor_setup"), {"code": _code(key)}).status_code == 302
    assert client.session.session_key != before
    _assert_signed_out(copied)
    assert UserSession.objects.get(user=supervisor).session_key == client.session.session_key
