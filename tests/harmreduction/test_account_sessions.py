"""Your sessions: see where you are signed in and sign out anywhere else."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from harmreduction.models import AuditEvent, UserSession, describe_user_agent
from tests.conftest import PASSWORD

TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _sign_in(username, user_agent, ip):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def tablet(peer):
    return _sign_in("peer", TABLET, "10.0.0.5")


@pytest.fixture
def laptop(peer):
    return _sign_in("peer", LAPTOP, "10.0.0.9")


def test_it_lists_my_sessions_this_device_first(tablet, laptop, peer2, django_assert_num_queries):
    _sign_in("peer2", LAPTOP, "10.0.0.77")
    # Session, user, the sessions, the top bar's permissions and its unread feedback;
    # no write (the clock was set at sign-in a moment ago).
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(6):
        response = laptop.get(reverse("account:sessions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Firefox on Windows") < page.index("Chrome on Android")
    assert "10.0.0.5" in page and "10.0.0.9" in page
    assert "10.0.0.77" not in page
    assert page.count("This device") == 1
    assert page.count('action="/account/sessions/') == 2  # one other session, and "everywhere else"


def test_it_leaves_out_sessions_past_their_time(tablet, laptop, peer):
    from datetime import timedelta

    from django.utils import timezone
    UserSession.objects.filter(user_agent=TABLET).update(last_seen=timezone.now() - timedelta(minutes=16))
    assert "Chrome on Android" not in laptop.get(reverse("account:sessions")).content.decode()


def test_it_signs_out_one_other_device(tablet, laptop, peer):
    other = UserSession.objects.get(user_agent=TABLET)
    response = laptop.post(reverse("account:session_end", args=[other.pk]), follow=True)
    assert response.redirect_chain == [(reverse("account:sessions"), 302)]
    assert "Signed out on Chrome on Android." in response.content.decode()
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert not Session.objects.filter(session_key=other.session_key).exists()
    assert tablet.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    event = AuditEvent.objects.get(action="end session")
    assert (event.user, event.object_id, event.ip) == (peer, str(peer.pk), "10.0.0.9")


def test_it_signs_out_everywhere_else(tablet, laptop, peer):
    third = _sign_in("peer", TABLET, "10.0.0.6")
    response = laptop.post(reverse("account:sessions_end_others"), follow=True)
    assert "Signed out on 2 other devices." in response.content.decode()
    assert tablet.get("/").status_code == 302
    assert third.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert UserSession.objects.filter(user=peer).count() == 1


def test_it_does_not_end_someone_elses_session(laptop, peer2):
    other_person = _sign_in("peer2", TABLET, "10.0.0.77")
    theirs = UserSession.objects.get(user=peer2)
    assert laptop.post(reverse("account:session_end", args=[theirs.pk])).status_code == 404
    laptop.post(reverse("account:sessions_end_others"))
    assert other_person.get("/").status_code == 200


def test_it_does_not_end_this_session_from_the_list(laptop, peer):
    mine = UserSession.objects.get(user=peer)
    assert laptop.post(reverse("account:session_end", args=[mine.pk])).status_code == 404
    assert laptop.get("/").status_code == 200


def test_it_changes_nothing_on_get(laptop, tablet, peer):
    other = UserSession.objects.get(user_agent=TABLET)
    assert laptop.get(reverse("account:session_end", args=[other.pk])).status_code == 405
    assert laptop.get(reverse("account:sessions_end_others")).status_code == 405
    assert tablet.get("/").status_code == 200


def test_it_forgets_the_session_at_sign_out(laptop, peer):
    laptop.post(reverse("logout"))
    assert not UserSession.objects.filter(user=peer).exists()


def test_it_lets_an_admin_sign_a_person_out_everywhere(tablet, laptop, peer, peer2, admin, client):
    other_person = _sign_in("peer2", TABLET, "10.0.0.77")
    client.force_login(admin)
    response = client.post("/admin/harmreduction/user/", {
        "action": "end_sessions", "_selected_action": [peer.pk]}, follow=True)
    assert "Ended 2 sessions." in response.content.decode()
    assert tablet.get("/").status_code == 302 and laptop.get("/").status_code == 302
    assert other_person.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="end session", user=admin, object_id=str(peer.pk)).count() == 2


def test_it_links_your_sessions_from_the_top_bar(client, peer):
    client.force_login(peer)
    assert f'href="{reverse("account:sessions")}">Your sessions</a>' in client.get("/").content.decode()


@pytest.mark.parametrize("user_agent,device", [
    (TABLET, "Chrome on Android"),
    (LAPTOP, "Firefox on Windows"),
    ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1",
     "Safari on iPad"),
    ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
    ("", "Unknown device"),
])
def test_it_names_the_device(user_agent, device):
    assert describe_user_agent(user_agent) == device


def test_it_tidies_up_sessions_that_ran_out_unseen(tablet, peer):
    from datetime import timedelta

    from django.utils import timezone
    UserSession.objects.update(last_seen=timezone.now() - timedelta(hours=1))
    _sign_in("peer", LAPTOP, "10.0.0.9")
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == [LAPTOP]


def test_it_keeps_a_user_agent_with_a_nul_character(client, peer):
    # PostgreSQL refuses NUL in text: signing in with such a header was a 500.
    client.post("/login/", {"username": "peer", "password": PASSWORD}, HTTP_USER_AGENT="Mozilla\x00/5.0 Firefox/1")
    assert UserSession.objects.get(user=peer).user_agent == "Mozilla/5.0 Firefox/1"
