"""Celery tasks of the evaluations app: thin wrappers that call a service, take ids, and are safe to run twice.

Their periodic runs are listed in ``settings.CELERY_BEAT_SCHEDULE``, with every other app's.
"""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.assessment_reminders_send")
def assessment_reminders_send() -> int:
    """Email the raters who have not answered yet (``services.assessment_reminders_send``)."""
    from evaluations import services

    return services.assessment_reminders_send()


@shared_task(name="evaluations.gaps_full_run", bind=True, max_retries=30)
def gaps_full_run(self, run_id: int | None = None, trigger: str = "nightly",
                  full_consolidation: bool = False) -> int | None:
    """A full run: the requested one (``run_id``, from "recalculate now") or a new one (the nightly schedule, or a
    framework whose consolidation changed). A requested run, or one asked for by a change that a run in progress may
    not see, waits for it (retries every minute); a scheduled one gives way to it."""
    from evaluations.gaps import services

    try:
        if run_id is not None:
            run = services.gaps_execute_requested(run_id)
        else:
            run = services.gaps_full_run(trigger=trigger, full_consolidation=full_consolidation)
    except services.GapRunInProgress as exc:
        if run_id is not None or trigger == "framework":
            raise self.retry(exc=exc, countdown=60)
        logger.info("gap analysis: %s", exc)
        return None
    return run.pk if run else None


@shared_task(name="evaluations.gaps_resume_lost")
def gaps_resume_lost() -> list[int]:
    """Queue again the full runs whose worker was lost; they start again from the beginning."""
    from evaluations.gaps import services

    return services.gaps_resume_lost()


@shared_task(name="evaluations.gaps_refresh_employee")
def gaps_refresh_employee(employee_id: int, also_unit_ids: list[int] | None = None, evidence_only: bool = False) -> int:
    """One employee's levels and the roll-ups of their unit (and of the units in ``also_unit_ids``)."""
    from evaluations.gaps import services

    return services.gaps_refresh_employee(employee_id, also_unit_ids=also_unit_ids or (), evidence_only=evidence_only)


@shared_task(name="evaluations.gaps_refresh_employees")
def gaps_refresh_employees(employee_ids: list[int], evidence_only: bool = False) -> int:
    """Several employees refreshed as ``gaps_refresh_employee`` does, one after the other, each in its own
    transaction (a batch of completions: one message for the batch)."""
    from evaluations.gaps import services

    return sum(services.gaps_refresh_employee(pk, evidence_only=evidence_only) for pk in employee_ids)


@shared_task(name="evaluations.gaps_refresh_position")
def gaps_refresh_position(position_id: int) -> int:
    """The roll-ups of the units where the position has holders (a requirement changed)."""
    from evaluations.gaps import services

    return services.gaps_refresh_position(position_id)


@shared_task(name="evaluations.gaps_refresh_units")
def gaps_refresh_units(unit_ids: list[int]) -> int:
    from evaluations.gaps import services

    return services.gaps_refresh_units(unit_ids)


@shared_task(name="evaluations.gaps_refresh_unit_move")
def gaps_refresh_unit_move(unit_id: int, old_ancestor_ids: list[int]) -> int:
    """The subtree roll-ups of the units a moved unit left and joined."""
    from evaluations.gaps import services

    return services.gaps_refresh_unit_move(unit_id, old_ancestor_ids=old_ancestor_ids)


@shared_task(name="evaluations.gaps_sweep_expired")
def gaps_sweep_expired() -> int:
    """The levels whose evidence expired today, and their roll-ups."""
    from evaluations.gaps import services

    return services.gaps_sweep_expired()
