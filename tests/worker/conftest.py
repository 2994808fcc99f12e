"""Fixtures for tests with real processes: a Redis server of the test's own, started on a spare port and stopped at
teardown; the test process's Celery app and cache pointed at it; real Celery workers (``processes.Worker``) that a
test can start, kill and restart."""

from __future__ import annotations

import shutil

import pytest

from tests.worker.processes import RedisServer, Worker, reset_producers


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_broker(redis_server, settings):
    """The test process queues to ``redis_server`` (not eagerly) and caches in it, as the web process would."""
    from celery import current_app

    from clo.core.cache import TolerantRedisCache

    conf = current_app.conf
    saved = conf.broker_url, conf.task_always_eager
    reset_producers(current_app)
    conf.broker_url, conf.task_always_eager = redis_server.url, False
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {"default": {"BACKEND": "clo.core.cache.TolerantRedisCache", "LOCATION": redis_server.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    TolerantRedisCache._down_until = 0.0
    yield redis_server
    reset_producers(current_app)
    conf.broker_url, conf.task_always_eager = saved
    TolerantRedisCache._down_until = 0.0


@pytest.fixture
def workers(own_broker):
    """Start workers with ``workers.start(media=..., slow=...)``; every one still running is stopped at teardown."""
    started: list[Worker] = []

    class Workers:
        def start(self, **kwargs) -> Worker:
            worker = Worker(own_broker.url, **kwargs)
            started.append(worker)
            return worker

    yield Workers()
    for worker in started:
        worker.stop()


@pytest.fixture(autouse=True)
def _usable_connection_pool():
    """A test here starts from a usable connection pool in this process: the dropped-connection tests set the shared
    pool aside, and a pool closed behind a thread's back refuses every later request of that thread."""
    from django.db import connections

    wrapper = connections["default"]
    pools = getattr(type(wrapper), "_connection_pools", {})  # PostgreSQL's pool (SQLite has none)
    pool = pools.get(wrapper.alias)
    if pool is not None and pool.closed:
        pools.pop(wrapper.alias, None)
        wrapper.connection = None
    yield
