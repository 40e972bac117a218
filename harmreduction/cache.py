"""The shared cache (Redis) that a stopped Redis cannot take the app down with.

Django's RedisCache raises redis' ConnectionError on every call while Redis
is away. Everything we keep in the cache can be computed again from the
database (sessions are `cached_db`, directory rows, chips, languages and the
dashboard's figures are derived), so this backend answers a miss instead:
pages come from the database, slower, and say nothing to the person using them.

A dead Redis must not cost a connection timeout on every call either: after
a failure the cache counts as down for `RETRY_SECONDS` (every call is a miss
at once, no network), then the next call tries again. The log gets one
warning when the cache goes down and one line when it is back, not one per call.

When it comes back the cache is emptied first: whatever was deleted while it
was unreachable (a signed-out session, a changed language list) may still be
in it. The cache's Redis database must hold nothing else (docs/deploy.md).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("harmreduction.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """One process's view of one Redis: down since when, next try when (shared by its threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0


_outages: dict[str, _Outage] = {}


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; while Redis cannot be reached, every read a miss and every write dropped."""

    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _outages.setdefault(",".join(self._servers), _Outage())

    def is_down(self) -> bool:
        """True while this process counts the cache as unreachable (/healthz says so)."""
        return self._guarded(lambda: self._cache.get_client().ping(), fallback=None) is None

    def _guarded(self, call, fallback):
        outage = self._outage
        if outage.down_since is not None and not self._recovered(outage):
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            with outage.lock:
                if outage.down_since is None:
                    outage.down_since = time.monotonic()
                    logger.warning("Cache unreachable (%s): serving from the database until it is back.", error)
                outage.retry_at = time.monotonic() + self.RETRY_SECONDS
            return fallback

    def _recovered(self, outage: _Outage) -> bool:
        """After the pause, one try: empty the cache (it missed every delete meanwhile) and carry on."""
        if time.monotonic() < outage.retry_at:
            return False
        try:
            self._cache.clear()
        except UNREACHABLE:
            outage.retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        with outage.lock:
            if outage.down_since is not None:
                logger.warning(
                    "Cache reachable again after %.0f s; emptied it, as it missed what changed meanwhile.",
                    time.monotonic() - outage.down_since,
                )
                outage.down_since = None
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guarded(lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing)
        if value is missing:
            # What incr says of a key it cannot find: the caller already handles a miss.
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Keys not stored, as Django's contract has it (here: all of them).
        return self._guarded(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guarded(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), None)
