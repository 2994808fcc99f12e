"""Level 4 (results) stored per program after each full gap run, for the CLO's dashboard.

``programs.selectors.results.program_results`` builds work tables and re-consolidates the levels before of every
completer and comparison person of a program: too heavy to run for every program on every dashboard request. After
each successful full gap run the gap engine queues ``programs.results_snapshot`` (by name,
``clo.core.tasks.queue_on_commit``); it stores one ``ProgramResultSnapshot`` per program that has completers and
targeted competencies.

Safe to run twice: the programs that already have a snapshot of the run are skipped, and each snapshot is written
with the unique constraint (run, program) as the arbiter (a concurrent duplicate is ignored). A run that is gone,
not done, or no longer the latest done run computes nothing (the newer run's task does it). Once a run's snapshots
are written, those of earlier runs are deleted.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from programs.models import Enrolment, ProgramCompetency, ProgramResultSnapshot
from programs.selectors.results import program_results

logger = logging.getLogger(__name__)


def _latest_done_run_id() -> int | None:
    from evaluations.gaps.selectors import latest_run

    run = latest_run()
    return run.pk if run else None


def programs_with_completers(*, today: dt.date) -> list[int]:
    """The programs with at least one completion (by an active employee, up to ``today``) and one targeted
    competency: those level 4 can say something about. One query."""
    return list(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_on__isnull=False,
                                 completed_on__lte=today, employee__active=True,
                                 session__program__in=ProgramCompetency.objects.values("program"))
        .order_by().values_list("session__program_id", flat=True).distinct()
    )


def results_snapshot(*, run_id: int, today: dt.date | None = None) -> int:
    """Store the level 4 results of every program with completers for the full gap run ``run_id``. Returns how many
    snapshots this call wrote."""
    today = today or timezone.localdate()
    if run_id != _latest_done_run_id():
        logger.info("level 4 snapshots: run #%s is not the latest finished run; nothing to do", run_id)
        return 0
    done = set(ProgramResultSnapshot.objects.filter(run_id=run_id).values_list("program_id", flat=True))
    written = 0
    for program_id in sorted(set(programs_with_completers(today=today)) - done):
        overall = program_results(program_id, today=today).overall
        snapshot = ProgramResultSnapshot(
            program_id=program_id, run_id=run_id, completers=overall.completers.people,
            comparison=overall.comparison.people, completers_change=overall.completers.change,
            comparison_change=overall.comparison.change, difference=overall.difference, computed_at=timezone.now(),
        )
        with transaction.atomic():
            written += len(ProgramResultSnapshot.objects.bulk_create([snapshot], ignore_conflicts=True))
    # The dashboard reads the latest run's only: the older ones go, so the table stays one run's size.
    ProgramResultSnapshot.objects.filter(run_id__lt=run_id).delete()
    return written
