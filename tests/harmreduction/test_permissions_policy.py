import pytest

from harmreduction.middleware import permissions_policy


def _policy(response):
    return dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))


@pytest.mark.parametrize("path", ["/login/", "/healthz", "/", "/no-such-page/"])
def test_it_turns_off_powerful_features_everywhere(client, peer, path):
    client.force_login(peer)
    policy = _policy(client.get(path))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"


def test_it_turns_them_off_for_signed_out_visitors_too(client, db):
    assert _policy(client.get("/login/"))["geolocation"] == "()"


@pytest.mark.urls("tests.harmreduction.geo_urls")
@pytest.mark.parametrize("path", ["/near-me/", "/near-me-outer/"])
def test_it_allows_geolocation_where_a_view_asks_for_it(client, peer, path):
    client.force_login(peer)
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["geolocation"] == "(self)"
    assert policy["camera"] == "()" and policy["microphone"] == "()"
    assert _policy(client.get("/"))["geolocation"] == "()"


def test_it_writes_a_valid_header():
    header = permissions_policy()
    assert "geolocation=()" in header and "geolocation=(self)" in permissions_policy(geolocation=True)
    assert all(item.count("=") == 1 for item in header.split(", "))


def test_it_is_on_the_redirect_of_a_session_that_ran_out(client, peer):
    from tests.harmreduction.test_session_timeout import MINUTE, _age

    client.force_login(peer)
    _age(client, idle=16 * MINUTE)
    response = client.get("/")
    assert response.status_code == 302
    assert _policy(response)["camera"] == "()"
