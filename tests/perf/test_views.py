"""The two bench-only URLs (perf/urls.py): the ceiling needs nothing, the floor needs a session."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.urls("perf.urls")


def test_it_says_hello_without_a_session_or_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/hello/")
    assert response.status_code == 200
    assert response.content == b"hello"
    # No session was made: nothing to store, no cookie to send.
    assert settings.SESSION_COOKIE_NAME not in response.cookies


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


def test_it_refuses_a_post_to_hello(client, db):
    assert client.post("/bench/hello/").status_code == 405
