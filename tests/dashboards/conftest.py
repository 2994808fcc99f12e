from __future__ import annotations

import socket

import pytest

REFUSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a real, immediate "connection refused"


@pytest.fixture
def broker_refused():
    """Redis stopped: Celery publishes to a real broker address where nothing listens (as the health check's test
    does), so ``delay`` fails the way it fails in production, after its quick retries."""
    from celery import current_app as app

    with socket.socket() as probe:  # make sure the premise holds: port 1 really refuses
        assert probe.connect_ex(("127.0.0.1", 1)) != 0
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager

    def forget_connections():
        app._pool = None
        app.amqp._producer_pool = None

    conf.broker_url, conf.task_always_eager = REFUSED_REDIS, False
    forget_connections()
    yield
    conf.broker_url, conf.task_always_eager = saved
    forget_connections()
