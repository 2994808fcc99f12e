"""Reads on a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``).

- The pages that only read (boards, exports, reports: ``DATABASE_REPLICA_VIEWS``, patterns of view names) run their
  queries on the replica; every write, and every read inside a transaction on the primary, goes to the primary.
- Read-your-writes: after a person's successful write (any request that is not GET, HEAD or OPTIONS), their reads
  stay on the primary for ``DATABASE_REPLICA_PIN_SECONDS``, a time kept in their session.
- When the replica is down, or lags by more than ``DATABASE_REPLICA_MAX_LAG_SECONDS``, reads fall back to the primary.
  Its state is checked at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process, and /healthz reports it.

Without a replica the router always answers the primary and the middleware does nothing.
"""

from __future__ import annotations

import contextvars
import fnmatch
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_KEY = "clo_primary_until"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Whether the current request (or task) may read from the replica; False outside the views that opt in.
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("clo_replica_reads", default=False)


def configured() -> bool:
    return REPLICA in connections.settings


@dataclass(frozen=True)
class ReplicaState:
    """What the last check found: ``state`` is "off" (no replica), "ok", "lagging" or "down"."""

    state: str
    lag_seconds: float | None = None
    checked_at: float = 0.0

    @property
    def usable(self) -> bool:
        return self.state == "ok"

    def as_dict(self) -> dict:
        body: dict = {"state": self.state}
        if self.lag_seconds is not None:
            body["lag_seconds"] = round(self.lag_seconds, 3)
        return body


_OFF = ReplicaState("off")
_state_lock = threading.Lock()
_last: ReplicaState | None = None

# Seconds behind the primary: 0 when everything received is replayed (an idle primary sends nothing, so the time
# since the last replayed transaction says nothing then), otherwise the age of the last replayed transaction.
_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def _measure() -> ReplicaState:
    now = time.monotonic()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("the database replica is not answering, reads go to the primary: %s", error)
        connections[REPLICA].close()
        return ReplicaState("down", None, now)
    lag = float(lag or 0)
    if not in_recovery:  # a promoted or misconfigured "replica": still a server holding the data, no lag to speak of
        lag = 0.0
    limit = float(getattr(settings, "DATABASE_REPLICA_MAX_LAG_SECONDS", 10))
    if lag > limit:
        logger.warning("the database replica lags %.1f s (limit %.1f s), reads go to the primary", lag, limit)
        return ReplicaState("lagging", lag, now)
    return ReplicaState("ok", lag, now)


def state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, measured at most every ``DATABASE_REPLICA_CHECK_SECONDS`` in this process."""
    global _last
    if not configured():
        return _OFF
    every = float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 2))
    with _state_lock:
        last = _last
        if not fresh and last is not None and time.monotonic() - last.checked_at < every:
            return last
    measured = _measure()
    with _state_lock:
        _last = measured
    return measured


def forget_state() -> None:
    """Measure again at the next read (after the replica's configuration changed)."""
    global _last
    with _state_lock:
        _last = None


class ReplicaRouter:
    """Django database router: reads of an opted-in request go to a healthy replica, everything else to the
    primary."""

    def db_for_read(self, model, **hints):
        if not _reading_from_replica.get() or not configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a read inside a write sees the write
            return DEFAULT_DB_ALIAS
        return REPLICA if state().usable else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _view_reads_from_replica(view_name: str) -> bool:
    patterns = getattr(settings, "DATABASE_REPLICA_VIEWS", ())
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in patterns)


class ReplicaReadsMiddleware:
    """Opens the replica to the reads of the views listed in ``DATABASE_REPLICA_VIEWS`` (GET and HEAD only), unless
    the person wrote something a moment ago; pins them to the primary after each successful write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        token = None
        match = getattr(request, "resolver_match", None)
        try:
            from django.urls import Resolver404, resolve

            match = match or resolve(request.path_info)
        except Resolver404:
            match = None
        if (
            match is not None
            and request.method in ("GET", "HEAD")
            and _view_reads_from_replica(match.view_name)
            and not self._pinned(request)
        ):
            token = _reading_from_replica.set(True)
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                _reading_from_replica.reset(token)
        if request.method not in _SAFE_METHODS and response.status_code < 400 and hasattr(request, "session"):
            pin = float(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5))
            request.session[PIN_KEY] = time.time() + pin
        return response

    @staticmethod
    def _pinned(request) -> bool:
        session = getattr(request, "session", None)
        if session is None:
            return False
        until = session.get(PIN_KEY)
        return isinstance(until, (int, float)) and time.time() < until


class reads_from_replica:  # noqa: N801 - used as a context manager, like transaction.atomic
    """Let the reads of a block (a report or export task, a command) go to the replica when it is healthy."""

    def __enter__(self):
        self._token = _reading_from_replica.set(True)
        return self

    def __exit__(self, *exc):
        _reading_from_replica.reset(self._token)
        return False
