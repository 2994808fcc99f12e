"""Writes of the gap engine: full runs, incremental refreshes, and the hooks other services call on commit.

Incremental refreshes are what keeps the results current during the day: each re-consolidates one employee (or none)
and adds its difference to the roll-ups of the units concerned and their ancestors, in a few statements whose cost
depends on one employee (evidence changes) or on the units concerned (moves, requirements), not on the organisation.
They are idempotent: running one twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from clo.core.tasks import QueueUnavailable, queue_on_commit  # noqa: F401 - QueueUnavailable: interface
from evaluations.gaps import consolidation, rollups, runs
from evaluations.gaps.runs import GapRunInProgress  # noqa: F401 - part of this module's interface
from evaluations.models import GapRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- Full runs ----------------------------------------------------------------------------------------------------


def gaps_full_run(*, trigger: str = GapRun.Trigger.COMMAND, full_consolidation: bool = False,
                  today: dt.date | None = None) -> GapRun:
    """Run the gap analysis now, in this process. Raises ``GapRunInProgress`` if one is already running."""
    return runs.execute(  # type: ignore[return-value]  # None only for a run already under way
        trigger=trigger, full_consolidation=full_consolidation, today=today)


def gaps_request_run(*, requested_by: User | None = None, full_consolidation: bool = False) -> tuple[GapRun, bool]:
    """"Recalculate now": record a pending run and queue it on commit. Returns (run, True), or the run already
    pending or running and False — show that one ("in progress since …") instead of queueing another."""
    run, created = runs.request_run(
        trigger=GapRun.Trigger.MANUAL, requested_by=requested_by, full_consolidation=full_consolidation
    )
    if created:
        from evaluations.tasks import gaps_full_run as task

        # Redis down: the run is marked failed (it does not hold the one-pending slot) and QueueUnavailable reaches
        # the view, which says the run could not be queued; asking again later works.
        queue_on_commit(task, run_id=run.pk, release=partial(runs.release_unqueued, run.pk))
    return run, created


def gaps_resume_lost() -> list[int]:
    """Queue again the runs whose worker was lost (or whose message was), as ``runs.resume_lost`` finds them: each
    starts again from the beginning, since nothing of the lost attempt was committed. Returns their ids."""
    from evaluations.tasks import gaps_full_run as task

    run_ids = runs.resume_lost()
    for run_id in run_ids:
        task.delay(run_id=run_id)
    return run_ids


def gaps_execute_requested(run_id: int) -> GapRun | None:
    """Execute a requested (pending) run; None if it is no longer pending."""
    return runs.execute(trigger=GapRun.Trigger.MANUAL, run_id=run_id)


def gaps_sweep_expired(*, today: dt.date | None = None) -> int:
    """The daily expiry sweep: re-consolidate the levels whose evidence expired by ``today`` and add their effect to
    the roll-ups (scheduled shortly after midnight, before the nightly run; the nightly run sweeps whatever is left).
    Returns the current levels written or removed."""
    with transaction.atomic():
        runs.lock_data(exclusive=True)
        latest = GapRun.objects.filter(status=GapRun.Status.DONE).order_by("-finished_at", "-pk").first()
        if latest is None or latest.tree_signature != rollups.tree_signature():
            # No results yet, or the unit tree changed without a refresh: the stored subtree rows no longer follow
            # the units' paths. The nightly run sweeps and rebuilds them together.
            return 0
        levels, _ = rollups.sweep(_today(today))
        return levels


# --- Incremental refreshes ----------------------------------------------------------------------------------------


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def gaps_refresh_employee(employee_id: int, *, also_unit_ids: Iterable[int] = (), evidence_only: bool = False,
                          today: dt.date | None = None) -> int:
    """Re-consolidate one employee's current levels and bring the roll-ups up to date: by recounting their unit (and
    ``also_unit_ids``, e.g. the unit they just left), or — ``evidence_only``, when only their ratings or trainings
    changed — by adding their own difference, at a cost that does not depend on the size of their unit.
    Returns the rows written or removed."""
    from clo.people.models import Employee

    with transaction.atomic():
        runs.lock_data()
        found = Employee.objects.filter(pk=employee_id).values_list("unit_id", "unit__path").first()
        unit_id, path = found or (None, "")
        unit_ids = {int(u) for u in also_unit_ids if u} | ({unit_id} if unit_id else set())
        runs.lock_units(unit_ids)

        def reconsolidate() -> int:
            return consolidation.consolidate_employees((employee_id,), today=_today(today)) if unit_id else 0

        _knowledge_risk_follows(unit_ids)
        if evidence_only and unit_id and unit_ids == {unit_id}:
            return rollups.refresh_employee(employee_id, unit_id, path, reconsolidate)
        return reconsolidate() + rollups.refresh_units(unit_ids)


def gaps_refresh_position(position_id: int) -> int:
    """After a requirement of the position changed: the roll-ups of every unit where it has active holders."""
    from clo.people.models import Employee

    with transaction.atomic():
        runs.lock_data()
        unit_ids = set(
            Employee.objects.filter(position_id=position_id, active=True).values_list("unit_id", flat=True).distinct()
        )
        runs.lock_units(unit_ids)
        _knowledge_risk_follows(unit_ids)
        return rollups.refresh_units(unit_ids)


def gaps_refresh_units(unit_ids: Iterable[int]) -> int:
    """The roll-ups of these units' own people and of everything above them."""
    unit_ids = {int(u) for u in unit_ids}
    with transaction.atomic():
        runs.lock_data()
        runs.lock_units(unit_ids)
        _knowledge_risk_follows(unit_ids)
        return rollups.refresh_units(unit_ids)


def gaps_refresh_unit_move(unit_id: int, *, old_ancestor_ids: Iterable[int]) -> int:
    """After ``unit_id`` moved under another unit: the subtree roll-ups of the units it left and joined."""
    from clo.people.models import OrgUnit

    with transaction.atomic():
        runs.lock_data(exclusive=True)
        path = OrgUnit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
        if path is None:
            return 0
        new = {int(a) for a in path.strip("/").split("/") if a} - {unit_id}
        old = {int(a) for a in old_ancestor_ids} - {unit_id}
        queue_on_commit("talent.knowledge_risk_rebuild")  # the subtree figures follow the new tree
        return rollups.refresh_subtrees(old ^ new)


def _knowledge_risk_follows(unit_ids: Iterable[int]) -> None:
    """The knowledge-at-risk figures (clo.talent, a layer above: queued by name) of the units a refresh recounts:
    they read the same levels, people and positions."""
    if unit_ids:
        queue_on_commit("talent.knowledge_risk_refresh_units", sorted(unit_ids))


# --- Hooks for the services of other apps (call inside their transaction) ----------------------------------------


def gaps_schedule_employee_refresh(employee_id: int, *, previous_unit_id: int | None = None,
                                   evidence_only: bool = False) -> None:
    """Queue ``gaps_refresh_employee`` once the caller's transaction commits."""
    from evaluations.tasks import gaps_refresh_employee as task

    queue_on_commit(task, employee_id, also_unit_ids=[previous_unit_id] if previous_unit_id else [],
                    evidence_only=evidence_only)


def gaps_on_assessment_changed(assessment_id: int) -> None:
    """An assessment was submitted, validated, adjusted or reopened: for the assessment services to call inside their
    transaction; the assessed employee is refreshed on commit."""
    from evaluations.models import Assessment

    employee_id = Assessment.objects.filter(pk=assessment_id).values_list("employee_id", flat=True).first()
    if employee_id:
        gaps_schedule_employee_refresh(employee_id, evidence_only=True)


def gaps_on_training_completed(enrolment_id: int) -> None:
    """An enrolment was completed (or un-completed): its program may certify competencies. For the programs
    services to call inside their transaction; the employee is refreshed on commit."""
    gaps_on_trainings_completed([enrolment_id])


def gaps_on_trainings_completed(enrolment_ids: Iterable[int]) -> None:
    """Enrolments were completed (a batch of learning records): one refresh per person on commit, however many of
    their enrolments the batch completed, all in one message (``gaps_refresh_employees``)."""
    from django.apps import apps

    from evaluations.tasks import gaps_refresh_employees

    Enrolment = apps.get_model("programs", "Enrolment")
    employee_ids = list(Enrolment.objects.filter(pk__in=list(enrolment_ids)).order_by("employee_id").values_list(
        "employee_id", flat=True).distinct())
    if len(employee_ids) == 1:
        gaps_schedule_employee_refresh(employee_ids[0], evidence_only=True)
    elif employee_ids:
        queue_on_commit(gaps_refresh_employees, employee_ids, evidence_only=True)
