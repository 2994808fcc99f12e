"""``/healthz``: what a load balancer or an orchestrator sees. Open to anyone, JSON: "ok" (200) or "unavailable"
(503). Which components it checks and what failed only for staff and the learning office, and in the log."""

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


def test_healthy_with_the_database_up(clo_client, settings):
    settings.REDIS_URL = None  # embedded mode: no broker to check
    response = clo_client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    from django.db import connection

    assert response.json() == {"status": "ok", "database": connection.vendor, "broker": False,
                               "replica": {"state": "off"}}  # no DATABASE_REPLICA_URL


def test_anonymous_callers_learn_only_ok_and_no_components(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_people_who_are_neither_staff_nor_learning_office_see_no_components(employee_a_client, settings):
    settings.REDIS_URL = None
    assert employee_a_client.get(reverse("healthz")).json() == {"status": "ok"}


def test_staff_see_the_components(client, settings):
    from tests import factories as f

    settings.REDIS_URL = None
    client.force_login(f.UserFactory(is_staff=True))
    assert set(client.get(reverse("healthz")).json()) == {"status", "database", "broker", "replica"}


def test_anonymous_access_is_allowed_and_never_cached(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # not a redirect to the login page
    assert "no-cache" in response["Cache-Control"]


def test_only_get_is_allowed(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_503_naming_the_database_when_its_cursor_fails(client, settings, monkeypatch, caplog):
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
    assert response.json() == {"status": "unavailable"}  # an anonymous caller: nothing named
    logged = [r.getMessage() for r in caplog.records if r.name == "clo.core.views"]
    assert len(logged) == 1 and "database: OperationalError" in logged[0] and "Connection refused" in logged[0]
    assert "broker" not in logged[0]


def test_503_naming_the_broker_when_redis_refuses_connections(clo_client, client, settings):
    with socket.socket() as probe:  # make sure the premise holds: port 1 really refuses
        assert probe.connect_ex(("127.0.0.1", 1)) != 0
    settings.REDIS_URL = REFUSED_REDIS
    response = clo_client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert [p.split(":")[0] for p in body["problems"]] == ["broker"]  # the database is fine and not blamed
    assert "ConnectionError" in body["problems"][0]
    client.logout()
    anonymous = client.get(reverse("healthz"))
    assert anonymous.status_code == 503 and anonymous.json() == {"status": "unavailable"}


def test_healthy_with_a_live_broker(clo_client, settings):
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
    response = clo_client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] is True
