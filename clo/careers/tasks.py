"""Celery tasks of the careers app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="careers.career_evaluation_run")
def career_evaluation_run(job_id: int) -> str | None:
    """Re-evaluate everyone against the horizontal career rules (returns quietly if the job is gone or taken)."""
    from clo.careers.services.grades import career_evaluation_run as run

    job = run(job_id)
    return job.status if job else None


@shared_task(name="careers.record_pdf_job_run")
def record_pdf_job_run(job_id: int) -> str | None:
    """Render a bulk training record job into its zip (returns quietly if the job is gone or already taken)."""
    from clo.careers.services.record import record_pdf_job_run as run

    job = run(job_id)
    return job.status if job else None


@shared_task(name="careers.record_pdf_job_work")
def record_pdf_job_work(job_id: int) -> str | None:
    """Render chunks of a running training record job alongside the other workers; the last one assembles the zip."""
    from clo.careers.services.record import record_pdf_job_work as work

    job = work(job_id)
    return job.status if job else None


@shared_task(name="careers.record_pdf_jobs_resume_lost")
def record_pdf_jobs_resume_lost() -> list[int]:
    """Queue again the training record jobs whose worker or message was lost (worker start, every 5 minutes)."""
    from clo.careers.services.record import record_pdf_jobs_resume_lost as resume

    return resume()


@shared_task(name="careers.badges_issue_for_enrolment")
def badges_issue_for_enrolment(enrolment_id: int) -> bool:
    """The badge of a completed enrolment (queued by programs, by name, when it completes one)."""
    from clo.careers.services.badges import badge_issue_for_enrolment

    return badge_issue_for_enrolment(enrolment_id=enrolment_id) is not None


@shared_task(name="careers.badges_issue_for_enrolments")
def badges_issue_for_enrolments(enrolment_ids: list[int]) -> int:
    """The badges of a batch of completed enrolments (queued by programs, by name, for a batch of learning
    records): one message for the batch. Returns how many were issued."""
    from clo.careers.services.badges import badge_issue_for_enrolment

    return sum(badge_issue_for_enrolment(enrolment_id=pk) is not None for pk in enrolment_ids)


@shared_task(name="careers.badges_sweep")
def badges_sweep() -> dict:
    """The nightly safety net: issue what was missed, finish itineraries, revoke what was annulled (beat)."""
    from clo.careers.services.badges import badges_sweep as sweep

    return sweep()
