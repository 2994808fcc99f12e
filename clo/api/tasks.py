"""Celery tasks of the API app: the outbound webhooks (``clo.api.webhooks``) and the xAPI learning records; thin
wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from clo.api.xapi.client import LrsUnavailable


@shared_task(name="api.webhook_event")
def webhook_event(event: str, payload: dict) -> list[int]:
    """An event happened below (queued by programs by name): one delivery per webhook that listens to it."""
    from clo.api.webhooks import webhook_event as emit

    return emit(event=event, payload=payload)


@shared_task(name="api.webhook_deliver", bind=True, max_retries=None)
def webhook_deliver(self, delivery_id: int) -> None:
    """One attempt; Celery retries it after the delivery's backoff until it is delivered or failed for good."""
    from clo.api.webhooks import webhook_attempt

    wait = webhook_attempt(delivery_id=delivery_id)
    if wait is not None:
        raise self.retry(countdown=wait)


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
