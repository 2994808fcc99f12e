"""A real Celery worker (a separate process) takes a task from Redis and writes to the database.

Nothing is mocked: the test process queues through the Redis broker named by REDIS_URL, the worker process
connects to the same test database, and the test watches the database change.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from clo.people.models import OrgUnit
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _require_services():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        message = "the worker test needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(queue: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, "DATABASE_POOL": "false"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clo", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _stop(worker: subprocess.Popen) -> str:
    worker.send_signal(signal.SIGTERM)
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output


def test_worker_executes_task_from_redis_and_writes_to_postgresql():
    _require_services()
    from clo.people.tasks import orgunit_rebuild_paths

    root = f.OrgUnitFactory(code="AJT", name="Ajuntament")
    area = f.OrgUnitFactory(code="A", name="Àrea", parent=root)
    service = f.OrgUnitFactory(code="A1", name="Servei", parent=area)
    # Break the paths as a bulk import would leave them; only the worker's task can mend them.
    OrgUnit.objects.update(path="", depth=0)

    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = _start_worker(queue)
    try:
        orgunit_rebuild_paths.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            service.refresh_from_db()
            if service.path:
                break
            if worker.poll() is not None:
                break
            time.sleep(0.25)
    finally:
        output = _stop(worker)

    service.refresh_from_db()
    assert service.path == f"/{root.pk}/{area.pk}/{service.pk}/", output
    assert service.depth == 2
    assert "people.orgunit_rebuild_paths" in output and "succeeded" in output, output
