"""``/healthz``: what a load balancer or an orchestrator sees. Open to anyone, JSON, 503 naming what is down."""

from __future__ import annotations

import socket

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

pytestmark = pytest.mark.django_db

REFUSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a real, immediate "connection refused"


def test_the_url_is_slash_healthz():
    assert reverse("healthz") == "/healthz"


def test_healthy_with_the_database_up(client, settings):
    settings.REDIS_URL = None  # embedded mode: no broker to check
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    from django.db import connection

    assert response.json() == {"status": "ok", "database": connection.vendor, "broker": False}


def test_anonymous_access_is_allowed_and_never_cached(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # not a redirect to the login page
    assert "no-cache" in response["Cache-Control"]


def test_only_get_is_allowed(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_503_naming_the_database_when_its_cursor_fails(client, settings, monkeypatch):
    # The test database cannot be stopped from inside a test (the test itself runs in a transaction on it), so
    # opening a cursor is made to fail the way a dead server fails: OperationalError from the driver. The patch
    # is on the wrapper class, so every database call the view makes meets it, and monkeypatch undoes it.
    settings.REDIS_URL = None

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get(reverse("healthz"))
    monkeypatch.undo()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert len(body["problems"]) == 1
    assert body["problems"][0].startswith("database: OperationalError")
    assert "Connection refused" in body["problems"][0]


def test_503_naming_the_broker_when_redis_refuses_connections(client, settings):
    with socket.socket() as probe:  # make sure the premise holds: port 1 really refuses
        assert probe.connect_ex(("127.0.0.1", 1)) != 0
    settings.REDIS_URL = REFUSED_REDIS
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert [p.split(":")[0] for p in body["problems"]] == ["broker"]  # the database is fine and not blamed
    assert "ConnectionError" in body["problems"][0]


def test_healthy_with_a_live_broker(client, settings):
    import os

    import redis

    url = settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis at {url}")
        pytest.skip(f"no Redis at {url}")
    settings.REDIS_URL = url
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] is True
