"""Changing one's own password: any role, a hint of what is accepted, other devices signed out."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from harmreduction.models import AuditEvent, User, UserSession
from tests.conftest import PASSWORD

TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
NEW = "lantern-orchard-seventeen"


def _sign_in(username, user_agent, ip, password=PASSWORD):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def _change(client, old=PASSWORD, new=NEW):
    return client.post(reverse("account:password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


def test_it_shows_the_form_with_what_a_password_needs(client, peer):
    client.force_login(peer)
    response = client.get(reverse("account:password_change"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="old_password"' in page and 'name="new_password1"' in page
    assert "at least 12 characters" in page
    assert "can’t contain your username" in page


def test_it_is_linked_from_your_sessions(client, peer):
    client.force_login(peer)
    assert f'href="{reverse("account:password_change")}"' in client.get(reverse("account:sessions")).content.decode()


def test_it_lets_a_peer_change_their_own_password(client, peer):
    client.force_login(peer)
    response = _change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account:sessions")
    peer.refresh_from_db()
    assert peer.check_password(NEW)
    assert client.get("/").status_code == 200  # this device stays signed in
    event = AuditEvent.objects.get(action="password changed")
    assert (event.user, event.object_id) == (peer, str(peer.pk))


def test_it_needs_the_current_password(client, peer):
    client.force_login(peer)
    response = _change(client, old="not-my-password")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD)


def test_it_refuses_a_password_with_the_username_in_it(client, peer):
    client.force_login(peer)
    response = _change(client, new="my-name-is-peer!")
    assert response.status_code == 200
    assert "Your password can’t contain your username." in response.content.decode()


def test_it_signs_out_the_other_devices(peer):
    tablet = _sign_in("peer", TABLET, "10.0.0.5")
    laptop = _sign_in("peer", LAPTOP, "10.0.0.9")
    tablet_key = UserSession.objects.get(user_agent=TABLET).session_key

    response = _change(laptop)
    assert response.status_code == 302

    # Gone from "Your sessions" at once, not only at the tablet's next request.
    page = laptop.get(reverse("account:sessions")).content.decode()
    assert "Chrome on Android" not in page
    assert "Firefox on Windows" in page and "This device" in page
    assert list(UserSession.objects.filter(user=peer).values_list("user_agent", flat=True)) == [LAPTOP]
    assert not Session.objects.filter(session_key=tablet_key).exists()
    # The row follows this device's new session key (Django rotates it at a password change).
    assert UserSession.objects.get(user=peer).session_key == laptop.session.session_key
    assert tablet.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    _sign_in("peer", TABLET, "10.0.0.5", password=NEW)


@pytest.mark.parametrize("role", ["supervisor", "content_admin"])
def test_it_works_for_every_role(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert _change(client).status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW)
