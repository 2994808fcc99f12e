"""Outbound webhooks: the events other systems subscribe to, signed the Standard Webhooks way
(https://www.standardwebhooks.com) and retried with backoff.

Each delivery is a POST of a JSON body ``{"type": event, "timestamp": …, "data": {…}}`` with three headers:
``webhook-id`` (the delivery's id, the same on every attempt), ``webhook-timestamp`` (seconds since the epoch) and
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, keyed with the secret's bytes (the base64 after
``whsec_``). The receiver recomputes it, compares in constant time, and refuses a timestamp far from its clock.

A 2xx answer delivers; anything else (an error status, a refused connection, a timeout) is retried by Celery after
``RETRY_SECONDS`` (30 s, 2 min, 10 min, 30 min, 2 h), then the delivery is marked failed. Every attempt is written to
the delivery log that the webhook's page shows.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.api.models import Webhook, WebhookDelivery, WebhookEvent

SECRET_PREFIX = "whsec_"
RETRY_SECONDS = (30, 120, 600, 1800, 7200)
MAX_ATTEMPTS = len(RETRY_SECONDS) + 1
TIMEOUT_SECONDS = 10


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for this message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


@transaction.atomic
def webhook_create(*, name: str, url: str, events: list[str], created_by) -> tuple[Webhook, str]:
    """A new webhook and its secret (shown once on the page that made it)."""
    events = sorted(set(events))
    if not events or not set(events) <= set(WebhookEvent.values):
        raise ValidationError({"events": _("Choose at least one event.")})
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()
    webhook = Webhook(name=name.strip(), url=url.strip(), secret=secret, events=events, created_by=created_by)
    webhook.full_clean()
    webhook.save()
    return webhook, secret


@transaction.atomic
def webhook_set_active(*, webhook: Webhook, active: bool) -> None:
    Webhook.objects.filter(pk=webhook.pk).update(active=active)


def webhook_event(*, event: str, payload: dict) -> list[int]:
    """One delivery per active webhook that listens to ``event``, each queued on commit. Returns their ids."""
    from clo.core.tasks import queue_on_commit

    if event not in WebhookEvent.values:
        return []
    webhooks = [w for w in Webhook.objects.filter(active=True) if event in w.events]
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(webhook=webhook, event=event, payload=payload, message_id=f"msg_{uuid.uuid4().hex}")
        for webhook in webhooks
    ])
    for delivery in deliveries:
        queue_on_commit("api.webhook_deliver", delivery.pk)
    return [delivery.pk for delivery in deliveries]


def webhook_attempt(*, delivery_id: int) -> int | None:
    """One attempt of a pending delivery. Returns None when it is done (delivered, failed for good, gone), or the
    seconds to wait before the next attempt."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING).first()
    if delivery is None:
        return None
    timestamp = int(time.time())
    body = json.dumps({"type": delivery.event, "timestamp": timestamp, "data": delivery.payload},
                      cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    request = urllib.request.Request(delivery.webhook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "clo-webhooks/1",
        "webhook-id": delivery.message_id, "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret=delivery.webhook.secret, message_id=delivery.message_id,
                                  timestamp=timestamp, body=body)})
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (an http(s) URLField)
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = str(getattr(exc, "reason", exc))[:300]
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error, delivery.last_attempt_at = code, error, timezone.now()
    delivered = code is not None and 200 <= code < 300
    if delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["attempts", "last_status_code", "last_error", "last_attempt_at", "status"])
    if delivery.status != WebhookDelivery.Status.PENDING:
        return None
    return RETRY_SECONDS[delivery.attempts - 1]
