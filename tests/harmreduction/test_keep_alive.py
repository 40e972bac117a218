from django.urls import reverse

from harmreduction.middleware import LAST_SEEN
from tests.harmreduction.test_session_timeout import MINUTE, _age


def test_it_starts_the_idle_clock_again(client, peer):
    client.force_login(peer)
    _age(client, idle=30)
    before = client.session[LAST_SEEN]
    response = client.post(reverse("account:keep_alive"))
    assert response.status_code == 204
    assert client.session[LAST_SEEN] > before + 29
    _age(client, idle=14 * MINUTE)
    assert client.get("/").status_code == 200


def test_it_is_post_only(client, peer):
    client.force_login(peer)
    assert client.get(reverse("account:keep_alive")).status_code == 405


def test_it_cannot_bring_back_an_ended_session(client, peer):
    client.force_login(peer)
    _age(client, idle=16 * MINUTE)
    response = client.post(reverse("account:keep_alive"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
