"""The bench-only URL (perf/urls.py): the signed-in floor."""

import pytest

pytestmark = pytest.mark.urls("perf.urls")


def test_it_sends_the_floor_to_sign_in_without_a_session(client, db):
    response = client.get("/bench/baseline/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_answers_the_floor_when_signed_in(client, peer):
    client.force_login(peer)
    response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert response.content == f"ok {peer.pk}".encode()


def test_it_keeps_the_product_urls(client, peer):
    client.force_login(peer)
    assert client.get("/").status_code == 200
