"""Which interrupted jobs are queued again (``resume_lost``), without processes: the rules the worker at start-up and
the beat job apply. Queueing is recorded instead of sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from evaluations.gaps import runs
from evaluations.gaps import services as gap_services
from evaluations.models import GapRun
from programs.models import PlanPdfJob
from programs.services.learning_plans import pdfs as plan_pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    from evaluations import tasks as evaluation_tasks
    from programs import tasks as program_tasks

    sent = []
    monkeypatch.setattr(program_tasks.plan_pdf_job_run, "delay", lambda job_id: sent.append(("pdf", job_id)))
    monkeypatch.setattr(evaluation_tasks.gaps_full_run, "delay", lambda run_id: sent.append(("gap", run_id)))
    return sent


def _ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def test_pdf_jobs_lost_or_never_delivered_are_queued_again_and_very_old_ones_fail(org, queued, on_postgresql):
    lost = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate(), status="running",
                                     started_at=_ago(minutes=3))
    waiting = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate())
    fresh = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate())
    too_old = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate(), status="running",
                                        started_at=_ago(hours=5))
    done = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate(), status="failed")
    PlanPdfJob.objects.filter(pk__in=[lost.pk, waiting.pk, done.pk]).update(created_at=_ago(minutes=5))
    PlanPdfJob.objects.filter(pk=too_old.pk).update(created_at=_ago(hours=5))

    assert sorted(plan_pdfs.plan_pdf_jobs_resume_lost()) == sorted([lost.pk, waiting.pk])
    assert sorted(queued) == sorted([("pdf", lost.pk), ("pdf", waiting.pk)])
    assert PlanPdfJob.objects.get(pk=fresh.pk).status == "pending"  # its message is still on the way
    too_old.refresh_from_db()
    assert (too_old.status, too_old.error) == ("failed", plan_pdfs.LOST)


def test_a_pdf_job_whose_worker_holds_its_lock_is_left_alone(org, queued, on_postgresql):
    from django.db import connections

    job = PlanPdfJob.objects.create(unit=org.unit_a, as_of=timezone.localdate(), status="running",
                                    started_at=_ago(minutes=3))
    PlanPdfJob.objects.filter(pk=job.pk).update(created_at=_ago(minutes=5))
    # Another session (the live worker) holds the job's lock.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [plan_pdfs.JOB_LOCK_CLASS, job.pk])
        assert plan_pdfs.plan_pdf_jobs_resume_lost() == []
        assert plan_pdfs.plan_pdf_job_run(job.pk) is None  # a second delivery does not run it twice
    finally:
        with other.cursor() as cursor:  # a pooled connection must not go back to the pool holding it
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [plan_pdfs.JOB_LOCK_CLASS, job.pk])
        other.close()
    assert queued == []


def test_a_gap_run_that_lost_its_worker_is_queued_again_and_resumed_by_its_own_id(queued, on_postgresql):
    run = GapRun.objects.create(status="running", trigger="manual", started_at=_ago(minutes=1))
    assert gap_services.gaps_resume_lost() == [run.pk]
    assert queued == [("gap", run.pk)]
    resumed = runs.execute(trigger="manual", run_id=run.pk)
    assert resumed.pk == run.pk and resumed.status == "done"
    assert GapRun.objects.count() == 1


def test_a_gap_run_lost_too_long_ago_is_marked_failed_not_resumed(queued, on_postgresql):
    run = GapRun.objects.create(status="running", trigger="manual", started_at=_ago(hours=5))
    GapRun.objects.filter(pk=run.pk).update(requested_at=_ago(hours=5))
    assert gap_services.gaps_resume_lost() == []
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", runs.LOST)
