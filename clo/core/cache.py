"""A Redis cache that pages do not depend on: while Redis cannot be reached every read is a miss and every write is
dropped (logged once), so pages render from the database. After a failure Redis is left alone for ``RETRY_AFTER``
seconds, so a page does not wait for a connect timeout at every cache call while it is down."""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0


class TolerantRedisCache(RedisCache):
    _lock = threading.Lock()
    _down_until = 0.0  # monotonic time before which Redis is not tried again (shared by the process)

    def _call(self, name: str, fallback, *args, **kwargs):
        if time.monotonic() < TolerantRedisCache._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            with TolerantRedisCache._lock:
                if time.monotonic() >= TolerantRedisCache._down_until:
                    logger.warning("cache unavailable, pages are served without it: %s", exc)
                TolerantRedisCache._down_until = time.monotonic() + RETRY_AFTER
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found")  # what a miss looks like to callers of incr
        return value

    def clear(self):
        return self._call("clear", False)
