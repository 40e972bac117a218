"""Shared tablets: idle timeout and absolute lifetime, enforced on the server."""

from django.contrib.messages import get_messages
from django.urls import reverse

from harmreduction.middleware import LAST_SEEN, STARTED
from harmreduction.models import AuditEvent, UserSession
from sessions_app.models import Draft

MINUTE = 60


def _age(client, idle=0, since_login=0):
    """Move this client's clocks back, as if time had passed."""
    session = client.session
    session[LAST_SEEN] -= idle
    session[STARTED] -= since_login
    session.save()


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_it_keeps_a_person_signed_in_while_active(client, peer):
    client.force_login(peer)
    _age(client, idle=14 * MINUTE)
    assert client.get("/").status_code == 200
    _age(client, idle=14 * MINUTE)
    assert client.get("/").status_code == 200


def test_it_signs_out_after_fifteen_idle_minutes(client, peer):
    client.force_login(peer)
    _age(client, idle=15 * MINUTE + 1)
    response = client.get("/checkins/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fcheckins%2F%3Fpage%3D2"
    assert not _signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 15 minutes without activity." in page
    assert "draft is kept" not in page
    assert AuditEvent.objects.filter(action="logout (idle)", user=peer).exists()
    assert not UserSession.objects.filter(user=peer).exists()


def test_it_keeps_the_check_in_draft(client, peer):
    client.force_login(peer)
    Draft.objects.create(user=peer, data={"note": ["Talked about the weekend."]})
    _age(client, idle=20 * MINUTE)
    response = client.get("/checkins/new/", follow=True)
    assert "You were signed out after 15 minutes without activity. Your check-in draft is kept." in (
        response.content.decode())
    assert Draft.objects.get(user=peer).data == {"note": ["Talked about the weekend."]}


def test_it_follows_the_idle_timeout_setting(client, peer, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * MINUTE
    client.force_login(peer)
    _age(client, idle=5 * MINUTE + 1)
    response = client.get("/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were signed out after 5 minutes without activity."]


def test_it_signs_out_after_twelve_hours_even_when_active(client, peer):
    client.force_login(peer)
    _age(client, since_login=12 * 60 * MINUTE - 30)
    assert client.get("/").status_code == 200
    _age(client, since_login=31)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0] == "/login/?next=%2F"
    assert "every sign-in ends after 12 hours" in response.content.decode()
    assert AuditEvent.objects.filter(action="logout (lifetime)", user=peer).exists()


def test_it_counts_htmx_autosave_as_activity(client, peer):
    client.force_login(peer)
    _age(client, idle=14 * MINUTE)
    response = client.post(reverse("sessions_app:checkin_draft"), {"note": "Still typing"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    _age(client, idle=2 * MINUTE)
    assert client.get("/").status_code == 200


def test_it_sends_htmx_to_the_sign_in_page_of_the_page_it_was_on(client, peer):
    client.force_login(peer)
    _age(client, idle=16 * MINUTE)
    response = client.post(reverse("sessions_app:checkin_draft"), {"note": "x"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="http://testserver/checkins/new/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=%2Fcheckins%2Fnew%2F"
    assert not _signed_in(client)


def test_it_writes_the_activity_at_most_once_a_minute(client, peer):
    client.force_login(peer)
    session = UserSession.objects.get(user=peer)
    first_seen = session.last_seen
    clock = client.session[LAST_SEEN]
    client.get("/")
    client.get("/")
    session.refresh_from_db()
    assert session.last_seen == first_seen and client.session[LAST_SEEN] == clock
    _age(client, idle=MINUTE)
    client.get("/")
    session.refresh_from_db()
    assert session.last_seen > first_seen and client.session[LAST_SEEN] > clock - MINUTE


def test_it_tells_the_page_when_the_session_ends(client, peer):
    client.force_login(peer)
    _age(client, idle=5 * MINUTE)
    page = client.get("/").content.decode()
    # Refreshed by this request (older than a minute), so the full 15 minutes are left.
    assert 'data-session-idle-timeout="900"' in page
    assert 'data-session-idle-left="900"' in page or 'data-session-idle-left="899"' in page
    assert 'data-session-lifetime-left="4319' in page
    assert '<dialog id="session-warning"' in page
    assert "Stay signed in" in page
    assert '/static/js/session.js" nonce="' in page


def test_it_sends_no_session_clock_to_signed_out_visitors(client, db):
    page = client.get("/login/").content.decode()
    assert "data-session-idle" not in page
    assert "session-warning" not in page
    assert "session.js" not in page


def test_it_names_durations_in_whole_units():
    from harmreduction.middleware import duration

    assert [duration(s) for s in (1, 45, 60, 900, 5400, 3600, 43200)] == [
        "1 second", "45 seconds", "1 minute", "15 minutes", "90 minutes", "1 hour", "12 hours"]


def test_it_signs_out_an_htmx_request_with_a_broken_current_url(client, peer):
    # urlsplit("http://[") raises: this was a 500 instead of the sign-in page.
    client.force_login(peer)
    _age(client, idle=16 * MINUTE)
    response = client.post(reverse("sessions_app:checkin_draft"), {"note": "typing"},
                           headers={"HX-Request": "true", "HX-Current-URL": "http://[", "Referer": "http://["})
    assert response.status_code < 500
    assert not _signed_in(client)
