"""Celery tasks of the talent app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="talent.expertise_contact_send")
def expertise_contact_send(sender_id: int, recipient_id: int, message: str, competency_name: str = "") -> bool:
    from clo.talent.services.expertise import expertise_contact_send as send

    return send(sender_id=sender_id, recipient_id=recipient_id, message=message, competency_name=competency_name)


@shared_task(name="talent.transfer_reminders_send")
def transfer_reminders_send() -> int:
    """Email the mentor and the director of the knowledge-transfer plans with handover items due (beat, daily)."""
    from django.utils import timezone

    from clo.talent.services.transfer import transfer_reminders_send as send

    return send(today=timezone.localdate())


@shared_task(name="talent.knowledge_risk_refresh_units")
def knowledge_risk_refresh_units(unit_ids: list[int]) -> int:
    """The knowledge-at-risk figures of these units and their ancestors (queued by the gap engine's refreshes)."""
    from clo.talent.services import succession

    return succession.knowledge_risk_refresh_units(unit_ids)


@shared_task(name="talent.knowledge_risk_rebuild")
def knowledge_risk_rebuild() -> int:
    """Every knowledge-at-risk figure (after a full gap run: the horizons move with the date)."""
    from clo.talent.services import succession

    return succession.knowledge_risk_rebuild()


@shared_task(name="talent.project_applications_escalate")
def project_applications_escalate() -> int:
    """Send the challenge-project applications no director answered in time to the learning office (beat, daily)."""
    from clo.talent.services.projects import project_applications_escalate as escalate

    return escalate()
