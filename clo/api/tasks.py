"""Celery tasks of the API app: the outbound webhooks (``clo.api.webhooks``)."""

from __future__ import annotations

from celery import shared_task


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
