"""Celery tasks of the programs app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="programs.enrolment_notify_promoted")
def enrolment_notify_promoted(enrolment_id: int) -> None:
    """Email a person whose waiting-list place became a seat (kept for the messages queued before
    ``enrolments_notify``; nothing if the enrolment is gone or changed since)."""
    from programs.services.delivery import enrolments_notify as notify

    notify([enrolment_id], "promoted")


@shared_task(name="programs.enrolments_notify")
def enrolments_notify(enrolment_ids: list[int], notice: str) -> int:
    """Email these people what happened to their seat, with its calendar invitation or cancellation (nothing for
    an enrolment gone or changed since)."""
    from programs.services.delivery import enrolments_notify as notify

    return notify(enrolment_ids, notice)


@shared_task(name="programs.learning_plans_generate_for_units")
def learning_plans_generate_for_units(unit_id: int | None = None, year: int | None = None) -> int:
    """Generate or regenerate the learning plans of a unit's subtree (``unit_id``) or of the organisation."""
    from django.utils import timezone

    from programs.services.learning_plans import learning_plans_generate_for_units as generate

    return generate(unit_id=unit_id, year=year or timezone.localdate().year).plans


@shared_task(name="programs.plan_pdf_job_run")
def plan_pdf_job_run(job_id: int) -> str | None:
    """Render a bulk learning plan PDF job into its zip (returns quietly if the job is gone or already taken)."""
    from programs.services.learning_plans.pdfs import plan_pdf_job_run as run

    job = run(job_id)
    return job.status if job else None


@shared_task(name="programs.plan_pdf_job_work")
def plan_pdf_job_work(job_id: int) -> str | None:
    """Render chunks of a running bulk PDF job alongside the other workers; the last one assembles the zip."""
    from programs.services.learning_plans.pdfs import plan_pdf_job_work as work

    job = work(job_id)
    return job.status if job else None


@shared_task(name="programs.plan_pdf_jobs_resume_lost")
def plan_pdf_jobs_resume_lost() -> list[int]:
    """Queue again the bulk PDF jobs whose worker (or message) was lost; they render only what is missing."""
    from programs.services.learning_plans.pdfs import plan_pdf_jobs_resume_lost as resume

    return resume()


# --- Training roll-up (the dashboards' training figures) ---------------------------------------------------------


@shared_task(name="programs.training_rollup_rebuild")
def training_rollup_rebuild() -> int:
    from programs.services.training_rollup import training_rollup_rebuild as rebuild

    return rebuild()


@shared_task(name="programs.training_refresh_employee")
def training_refresh_employee(employee_id: int, previous_unit_ids: list[int] | None = None) -> None:
    """An employee moved, left or came back: their units' training figures (queued by the people app by name)."""
    from programs.services.training_rollup import training_refresh_employee as refresh

    refresh(employee_id, previous_unit_ids or ())


@shared_task(name="programs.training_refresh_units")
def training_refresh_units(unit_ids: list[int]) -> None:
    """Several people of these units changed at once (removed, imported)."""
    from programs.services.training_rollup import training_refresh_units as refresh

    refresh(unit_ids)


@shared_task(name="programs.needs_send_reminders")
def needs_send_reminders() -> int:
    """Email the directors of units with no need submitted, for campaigns whose deadline is a week away."""
    from django.utils import timezone

    from programs.services.needs import campaign_send_reminders

    return campaign_send_reminders(today=timezone.localdate())


# --- Training evaluation (Kirkpatrick) ----------------------------------------------------------------------------


@shared_task(name="programs.feedback_send_reaction_invitations")
def feedback_send_reaction_invitations() -> int:
    """Email the satisfaction questionnaire to the attendees of sessions that ended (once each)."""
    from programs.services.feedback import reaction_send_invitations

    return reaction_send_invitations()


@shared_task(name="programs.feedback_send_transfer_follow_ups")
def feedback_send_transfer_follow_ups() -> int:
    """Create and email the transfer follow-ups due today (90 days after completion; once each)."""
    from programs.services.feedback import transfer_send_follow_ups

    return transfer_send_follow_ups()


# --- Level 4 (results) --------------------------------------------------------------------------------------------


@shared_task(name="programs.results_snapshot")
def results_snapshot(run_id: int) -> int:
    """Store each program's level 4 results after the full gap run ``run_id`` (queued by the gap engine on commit of
    a successful run; a second delivery writes nothing)."""
    from programs.services.results import results_snapshot as snapshot

    return snapshot(run_id=run_id)


# --- Annual-plan optimiser ----------------------------------------------------------------------------------------


@shared_task(name="programs.plan_optimiser_run")
def plan_optimiser_run(proposal_id: int) -> None:
    """Solve the plan proposal ``proposal_id`` (a job row; a second delivery finds it claimed and does nothing)."""
    from programs.services.optimiser import proposal_run

    proposal_run(proposal_id=proposal_id)
