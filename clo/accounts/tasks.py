"""Celery tasks of the accounts app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="accounts.invitation_job_run")
def invitation_job_run(job_id: int) -> str | None:
    """Send the invitations of a job (returns quietly if the job is gone or already taken)."""
    from clo.accounts.invitations import invitation_job_run as run

    job = run(job_id)
    return job.status if job else None


@shared_task(name="accounts.invitation_jobs_resume_lost")
def invitation_jobs_resume_lost() -> list[int]:
    """Queue again the invitation jobs whose worker (or message) was lost; they send only what is missing."""
    from clo.accounts.invitations import invitation_jobs_resume_lost as resume

    return resume()
