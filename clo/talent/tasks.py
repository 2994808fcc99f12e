"""The talent app's tasks: thin, taking ids, calling the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="talent.expertise_contact_send")
def expertise_contact_send(sender_id: int, recipient_id: int, message: str, competency_name: str = "") -> bool:
    from clo.talent.services.expertise import expertise_contact_send as send

    return send(sender_id=sender_id, recipient_id=recipient_id, message=message, competency_name=competency_name)
