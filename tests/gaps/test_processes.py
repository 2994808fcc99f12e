"""The gap engine across real processes, on PostgreSQL: a refresh executed by a real Celery worker from Redis, and a
full run killed half-way (SIGKILL, as a lost worker) that leaves the previous results and is recovered by the next."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from evaluations.gaps import runs, services
from evaluations.models import GapRun, UnitCompetencyGap

ROOT = Path(__file__).resolve().parents[2]
# No serialized_rollback: the tests build what they need, and restoring the serialized database after other
# transactional tests have flushed it (post_migrate re-creates content types) would collide with what is there.
pytestmark = pytest.mark.django_db(transaction=True)


def _require(*, redis: bool) -> None:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if redis and not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        message = "needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _env() -> dict:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_POOL": "false", "DJANGO_SETTINGS_MODULE": "clo.settings"}
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


def _organisation(build):
    competency = build.competency(build.framework())
    root = build.unit()
    unit = build.unit(root)
    position = build.position()
    build.requirement(position, competency, 3)
    employee = build.employee(unit, position)
    build.employee(unit, position)
    services.gaps_full_run(full_consolidation=True)
    return competency, root, employee


def _root_gap(root, competency) -> int:
    return UnitCompetencyGap.objects.get(unit=root, competency=competency, subtree=True).gap_sum


@pytest.mark.worker
def test_a_real_worker_refreshes_an_employee_from_redis(build):
    _require(redis=True)
    from evaluations.tasks import gaps_refresh_employee

    competency, root, employee = _organisation(build)
    assert _root_gap(root, competency) == 6
    build.assessment(employee, {competency: 3}, role="manager", status="validated",
                     submitted=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))

    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clo", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        gaps_refresh_employee.apply_async(args=[employee.pk], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None and _root_gap(root, competency) != 3:
            time.sleep(0.25)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert _root_gap(root, competency) == 3, output
    assert "evaluations.gaps_refresh_employee" in output and "succeeded" in output, output


# The child stops itself half-way: after the competency roll-ups are merged (inside the run's transaction), it says
# so and sleeps; the test then kills it with SIGKILL, as the kernel or a supervisor kills a lost worker.
CHILD = textwrap.dedent("""
    import sys, time, django
    django.setup()
    from evaluations.gaps import rollups, services
    merge = rollups._merge
    def merge_then_hang(*args, **kwargs):
        result = merge(*args, **kwargs)
        print("HALF-WAY", flush=True)
        time.sleep(120)
        return result
    rollups._merge = merge_then_hang
    services.gaps_full_run(full_consolidation=True)
""")


def test_a_run_killed_half_way_leaves_the_previous_results_and_the_next_run_recovers(build):
    _require(redis=False)
    competency, root, employee = _organisation(build)
    previous = GapRun.objects.get()
    before = sorted(UnitCompetencyGap.objects.values_list("unit_id", "subtree", "competency_id", "gap_sum"))
    build.assessment(employee, {competency: 3}, role="manager", status="validated",
                     submitted=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))

    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        line = child.stdout.readline()
        assert "HALF-WAY" in line, line + child.stdout.read()
        killed = GapRun.objects.exclude(pk=previous.pk).get()
        assert killed.status == "running"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()

    # The killed run's writes were never committed: readers still see the previous complete results.
    assert sorted(UnitCompetencyGap.objects.values_list("unit_id", "subtree", "competency_id", "gap_sum")) == before
    # The next run (once the server has noticed the dead connection and released its lock) marks it failed and succeeds.
    deadline = time.monotonic() + 30
    while True:
        try:
            run = services.gaps_full_run(full_consolidation=True)
            break
        except runs.GapRunInProgress:
            assert time.monotonic() < deadline, "the killed run's lock was never released"
            time.sleep(0.2)
    killed.refresh_from_db()
    assert killed.status == "failed" and killed.error == runs.LOST and killed.finished_at
    assert run.status == "done" and _root_gap(root, competency) == 3
