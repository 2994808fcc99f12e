"""Celery tasks of the imports: thin, take the job's id, safe to run twice (the services claim the job)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="imports.import_job_preview")
def import_job_preview(job_id: int) -> str | None:
    """The dry run of a large file (returns quietly if the job is gone or already taken)."""
    from clo.core.imports import services

    job = services.import_job_preview(job_id)
    return job.status if job else None


@shared_task(name="imports.import_job_run")
def import_job_run(job_id: int) -> str | None:
    """The confirmed import of a large file, all or nothing."""
    from clo.core.imports import services

    job = services.import_job_run(job_id)
    return job.status if job else None
