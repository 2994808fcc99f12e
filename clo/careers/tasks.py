"""The careers jobs: thin tasks that call their service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="careers.career_evaluation_run")
def career_evaluation_run(job_id: int) -> str | None:
    """Re-evaluate everyone against the horizontal career rules (returns quietly if the job is gone or taken)."""
    from clo.careers.services.grades import career_evaluation_run as run

    job = run(job_id)
    return job.status if job else None
