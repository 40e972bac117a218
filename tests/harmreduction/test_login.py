import pytest
from django.urls import reverse

from harmreduction.models import AuditEvent
from tests.conftest import PASSWORD


def test_it_shows_the_login_page(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_it_redirects_home_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_logs_in_and_shows_home(client, peer):
    response = client.post(reverse("login"), {"username": "peer", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b"Hello, Jordan" in response.content
    assert AuditEvent.objects.filter(action="login", user=peer).exists()


def test_it_keeps_the_username_on_a_wrong_password(client, peer):
    response = client.post(reverse("login"), {"username": "peer", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert b'value="peer"' in response.content
    event = AuditEvent.objects.get(action="login failed")
    assert event.username == "peer" and event.user is None and event.ip == "127.0.0.1"


def test_it_logs_out_with_post_only(client, peer):
    client.force_login(peer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("cast", ["peer", "peer2", "supervisor", "content_admin", "admin"])
def test_it_never_caches_pages_for_signed_in_users(client, db, cast, request):
    client.force_login(request.getfixturevalue(cast))
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_refuses_a_username_longer_than_any_account(client, peer):
    # It once reached axes, whose attempt log holds 255 characters: a 500 on PostgreSQL.
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "p" * 1000, "password": PASSWORD})
    assert response.status_code == 200
    assert b"That username and password did not match" in response.content
    assert not AccessAttempt.objects.exists()
