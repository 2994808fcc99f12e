"""Celery tasks of the API app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from clo.api.xapi.client import LrsUnavailable


@shared_task(name="api.xapi_pull")
def xapi_pull() -> int:
    """The Learning Record Store's new statements (beat, every 10 minutes; a pull that fails is the next one's)."""
    from clo.api.xapi.services import xapi_pull as pull

    return pull()


@shared_task(name="api.xapi_send", autoretry_for=(LrsUnavailable,), retry_backoff=30, retry_backoff_max=3600,
             max_retries=10)
def xapi_send(kind: str, enrolment_ids: list[int], day_id: int | None = None) -> int:
    """Send the LRS the attendance or completions just recorded (queued by programs on commit); retried while the
    LRS is unavailable (the statement ids are the same each time, so the LRS keeps one of each)."""
    from clo.api.xapi.services import xapi_send as send

    return send(kind=kind, enrolment_ids=enrolment_ids, day_id=day_id)
