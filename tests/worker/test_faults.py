"""Fault tolerance with real processes: a worker killed in the middle of a long job, Redis stopped, the database
connection dropped. Each test starts its own Redis server (``redis_server``) and workers on the test database."""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
import zipfile

import pytest
import redis
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clo.core import bulk_pdf
from clo.core.models import BulkChunk
from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from evaluations.gaps import runs
from evaluations.gaps import services as gap_services
from evaluations.models import GapRun, GapTrendPoint, UnitCompetencyGap
from programs.models import PlanPdfJob
from programs.services.learning_plans import pdfs as plan_pdfs
from tests import factories as f
from tests.gaps.conftest import Build
from tests.worker.processes import backend_gone, require_postgresql, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _fresh_pool() -> None:
    """Start from a pool of this test's own making, not the one earlier tests' threads filled (the concurrency
    test's six), so the pool measured here holds only what this test opens."""
    from django.db import connections

    wrapper = connections["default"]
    # Set the shared pool aside rather than close it: a thread may still hold one of its connections, and a closed
    # pool refuses even their return. The next connection comes from a new pool.
    old = type(wrapper)._connection_pools.pop(wrapper.alias, None)
    if old is not None:
        _SET_ASIDE.append(old)  # kept referenced: collected, it would close under a thread still using it


_SET_ASIDE: list = []


def _terminate_other_backends() -> int:
    """Drop every other connection to the test database from the server side (as a restart or failover does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


# --- A worker killed half-way ------------------------------------------------------------------------------------


def test_a_bulk_pdf_job_killed_half_way_is_resumed_after_restart_with_each_plan_once(
        org, workers, settings, tmp_path):
    require_postgresql()
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    plans = [
        f.LearningPlanFactory(employee=f.EmployeeFactory(unit=org.unit_a1), period_start=today - dt.timedelta(days=5),
                              period_end=today + dt.timedelta(days=200))
        for _ in range(6)
    ]
    slow = "programs.services.learning_plans.pdfs:learning_plan_pdf="
    first = workers.start(media=tmp_path, slow=slow + "0.8")
    job = plan_pdfs.plan_pdf_job_request(unit=org.unit_a, as_of=today)  # queued to our Redis on commit

    def progressed():
        job.refresh_from_db()
        return job.status == "running" and job.done_count >= 2
    wait_for(progressed, timeout=60, message="the first worker never made progress\n" + first.output)
    first.kill()
    job.refresh_from_db()
    assert job.status == "running" and 2 <= job.done_count < 6, first.output
    rendered_before = first.saw("SLOW")

    # The server notices the dead connection and releases the lock of the chunk it was rendering; a new worker puts
    # that chunk back and picks the job up at start-up.
    running = BulkChunk.objects.filter(job_id=job.pk, status="running").values_list("pk", flat=True)
    wait_for(lambda: all(backend_gone("{fn}(%s, %s)", [bulk_pdf.CHUNK_LOCK_CLASS, pk]) for pk in running),
             timeout=30, message="the killed worker's lock was never released")
    second = workers.start(media=tmp_path, slow=slow + "0")

    def finished():
        job.refresh_from_db()
        return job.finished
    wait_for(finished, timeout=90, message="the resumed job never finished\n" + second.output)

    assert (job.status, job.total, job.done_count, job.failures) == ("done", 6, 6, []), second.output
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    expected = sorted(plan_pdfs._entry_name(plan) for plan in plans)
    assert sorted(names) == expected  # every plan, each exactly once
    # Only what the lost worker had not finished was rendered again (at most the one it was writing twice).
    rendered_after = second.saw("SLOW")
    assert rendered_after <= 6 - 2 and rendered_before + rendered_after <= 6 + 1, (rendered_before, rendered_after)
    assert not default_storage.exists(plan_pdfs._part_name(job, plans[0].pk))  # parts tidied


def test_a_gap_run_killed_half_way_is_resumed_after_restart_and_succeeds_once(org, workers):
    require_postgresql()
    build = Build()
    competency = build.competency(build.framework())
    root = build.unit()
    unit = build.unit(root)
    position = build.position()
    build.requirement(position, competency, 3)
    employee = build.employee(unit, position)
    build.employee(unit, position)
    gap_services.gaps_full_run(full_consolidation=True)

    def root_gap() -> int:
        return UnitCompetencyGap.objects.get(unit=root, competency=competency, subtree=True).gap_sum

    assert root_gap() == 6
    build.assessment(employee, {competency: 3}, role="manager", status="validated",
                     submitted=timezone.now() - dt.timedelta(days=1))

    first = workers.start(slow="evaluations.gaps.rollups:_merge=60")
    run, created = gap_services.gaps_request_run(full_consolidation=True)  # "recalculate now", queued on commit
    assert created
    wait_for(lambda: first.saw("SLOW"), timeout=60, message="the run never reached its roll-ups\n" + first.output)
    first.kill()
    run.refresh_from_db()
    assert run.status == "running"
    assert root_gap() == 6  # the killed run's writes were never committed

    wait_for(lambda: backend_gone("{fn}(%s)", [runs.RUN_LOCK]), timeout=30,
             message="the killed worker's run lock was never released")
    second = workers.start()

    def finished():
        run.refresh_from_db()
        return run.status in ("done", "failed")
    wait_for(finished, timeout=60, message="the resumed run never finished\n" + second.output)

    assert run.status == "done", run.error
    assert root_gap() == 3
    assert GapRun.objects.exclude(status="done").count() == 0  # no failed or stray run: the same run resumed
    assert GapTrendPoint.objects.filter(run=run).count() == 1


# --- Redis stopped ---------------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_with_redis_stopped_pages_render_and_jobs_say_they_could_not_be_queued(
        org, own_broker, clo_user, hr_user, director_a):
    require_postgresql()
    clo, hr, director = _client(clo_user), _client(hr_user), _client(director_a.user)
    own_broker.stop()

    for client, url in [(clo, reverse("dashboard_clo")), (clo, reverse("evaluations:gap_runs")),
                        (director, reverse("dashboard_director")), (hr, reverse("programs:pdf_jobs"))]:
        started = time.monotonic()
        response = client.get(url)
        assert response.status_code == 200, url
        assert time.monotonic() - started < 5, url
    cache.set("probe", 1)  # an unreachable cache is a miss, not an error
    assert cache.get("probe") is None

    started = time.monotonic()
    response = clo.post(reverse("evaluations:gap_run_request"), follow=True)
    assert time.monotonic() - started < 10  # the publish gives up quickly
    assert response.status_code == 200
    assert "could not be queued" in response.content.decode()
    refused = GapRun.objects.get()
    assert (refused.status, refused.error) == ("failed", runs.NOT_QUEUED)  # it holds no slot

    response = hr.post(reverse("programs:pdf_jobs"), {"unit": org.unit_a.pk, "as_of": timezone.localdate()},
                       follow=True)
    assert response.status_code == 200
    assert "could not be queued" in response.content.decode()
    assert PlanPdfJob.objects.get().status == "failed"
    # The learning office's workbook and report: failed, not left pending (which would block the next request).
    response = clo.post(reverse("dashboard_workbooks"), follow=True)
    assert "could not be queued" in response.content.decode()
    assert OrganisationWorkbook.objects.get().status == "failed"
    period = {"period_start": "2026-10-01", "period_end": "2026-10-31", "language": "en"}
    response = clo.post(reverse("dashboard_reports"), period, follow=True)
    assert "could not be queued" in response.content.decode()
    assert MonthlyReport.objects.get().status == "failed"

    # Redis back: asking again queues the job.
    own_broker.start()
    broker = redis.Redis.from_url(own_broker.url)
    response = clo.post(reverse("evaluations:gap_run_request"), follow=True)
    assert "Recalculation requested" in response.content.decode()
    assert GapRun.objects.get(status="pending")
    response = hr.post(reverse("programs:pdf_jobs"), {"unit": org.unit_a.pk, "as_of": timezone.localdate()})
    job = PlanPdfJob.objects.get(status="pending")
    assert response.status_code == 302 and response["Location"] == reverse("programs:pdf_job_detail", args=[job.pk])
    response = clo.post(reverse("dashboard_workbooks"), follow=True)
    assert "The workbook is being prepared" in response.content.decode()
    assert OrganisationWorkbook.objects.get(status="pending")
    clo.post(reverse("dashboard_reports"), period)
    assert MonthlyReport.objects.get().status == "pending"
    assert broker.llen("clo") == 4  # every message waits in the queue


# --- Database connection dropped -----------------------------------------------------------------------------------


def test_after_the_database_drops_the_connections_the_next_request_succeeds(live_server, clo_user):
    require_postgresql()
    _fresh_pool()
    client = Client()
    client.force_login(clo_user)
    cookie = f"{client.cookies['sessionid'].key}={client.cookies['sessionid'].value}"

    def get(path: str) -> int:
        request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    url = reverse("evaluations:gap_runs")
    assert get(url) == 200
    assert _terminate_other_backends() >= 1  # the server's connection (idle in its pool, or its next one)
    assert get(url) == 200


def test_after_the_database_drops_the_worker_connection_the_next_task_succeeds(org, workers):
    require_postgresql()
    from clo.people.models import OrgUnit
    from clo.people.tasks import orgunit_rebuild_paths

    worker = workers.start(pool=True)

    def mended() -> bool:
        return not OrgUnit.objects.filter(path="").exists()

    OrgUnit.objects.update(path="", depth=0)
    orgunit_rebuild_paths.delay()
    wait_for(mended, timeout=60, message="the worker never ran the task\n" + worker.output)
    done = "people.orgunit_rebuild_paths", "succeeded"
    wait_for(lambda: worker.saw(*done), timeout=10, message="no task succeeded\n" + worker.output)

    assert _terminate_other_backends() >= 1  # the worker's pooled connection
    OrgUnit.objects.update(path="", depth=0)
    orgunit_rebuild_paths.delay()
    wait_for(mended, timeout=60, message="the task after the drop failed\n" + worker.output)
    wait_for(lambda: worker.saw(*done) == 2, timeout=10, message="the task did not succeed\n" + worker.output)
