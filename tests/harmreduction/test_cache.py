"""The shared cache (harmreduction/cache.py) against a real, private redis-server that the tests stop and start."""

import logging
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from redis import Redis

from harmreduction.cache import ResilientRedisCache
from tests.redis_server import needs_redis_server, private_redis

pytestmark = needs_redis_server


@pytest.fixture
def redis_server(settings, monkeypatch):
    """A private Redis as the default cache, sessions cached_db as with CACHE_URL; retried at once."""
    # Production waits RETRY_SECONDS before trying a dead Redis again; here the next call tries.
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 0.0)
    with private_redis() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "harmreduction.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        yield server


def test_it_keeps_signed_in_pages_working_while_redis_is_down_and_recovers(client, peer, redis_server, caplog):
    client.force_login(peer)
    assert client.get("/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "cache": "ok"}

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="harmreduction.cache"):
        for _ in range(3):
            response = client.get("/")
            assert response.status_code == 200
            assert response.wsgi_request.user == peer  # the session, read from the database
        assert client.get("/directory/").status_code == 200
        health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "cache": "down"}
    # One warning for the outage, not one per call.
    outage = [r.getMessage() for r in caplog.records if r.name == "harmreduction.cache"]
    assert len(outage) == 1 and "unreachable" in outage[0]

    caplog.clear()
    redis_server.start()
    with caplog.at_level(logging.WARNING, logger="harmreduction.cache"):
        assert client.get("/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "cache": "ok"}
    assert [r.getMessage() for r in caplog.records if r.name == "harmreduction.cache"][0].startswith(
        "Cache reachable again")
    # Back in use: the session is in Redis again.
    assert cache.get("django.contrib.sessions.cached_db" + client.session.session_key) is not None


def test_it_holds_a_sign_out_made_while_redis_was_down(client, peer, redis_server):
    client.force_login(peer)
    assert client.get("/").status_code == 200
    other = Client()  # the same session in a second tab
    other.cookies["sessionid"] = client.cookies["sessionid"].value

    redis_server.stop()
    assert client.post("/logout/").status_code == 302
    redis_server.start()

    response = other.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_empties_what_it_missed_when_redis_answers_again(redis_server):
    """A Redis that comes back with its data (a network cut, a restart from its dump file)
    may still hold what was deleted meanwhile, such as a signed-out session: it is emptied."""
    cache.set("signed-in", "yes")
    cache.set("unrelated", "kept?")
    Redis.from_url(redis_server.url).save()  # on disk: the restart below reads it back
    redis_server.stop()
    cache.delete("signed-in")  # missed: Redis is down
    assert cache.is_down()

    redis_server.start()
    assert Redis.from_url(redis_server.url).get(":1:signed-in") is not None  # back, with the stale key
    assert cache.get("signed-in") is None
    assert cache.get("unrelated") is None
    assert not cache.is_down()


def test_it_does_not_try_a_dead_redis_again_before_the_pause_is_over(redis_server, monkeypatch):
    monkeypatch.setattr(ResilientRedisCache, "RETRY_SECONDS", 3600.0)
    redis_server.stop()
    assert cache.get("anything", "a miss") == "a miss"
    # Down: the next calls answer at once, without a connection attempt.
    with mock.patch("django.core.cache.backends.redis.RedisCacheClient.get_client") as get_client:
        assert cache.get("anything") is None
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.add("a", 1) is False
        cache.set("a", 1)
        cache.delete("a")
        with pytest.raises(ValueError):
            cache.incr("a")
        assert cache.is_down()
    get_client.assert_not_called()
