"""Celery tasks of the careers app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="careers.badges_issue_for_enrolment")
def badges_issue_for_enrolment(enrolment_id: int) -> bool:
    """The badge of a completed enrolment (queued by programs, by name, when it completes one)."""
    from clo.careers.services.badges import badge_issue_for_enrolment

    return badge_issue_for_enrolment(enrolment_id=enrolment_id) is not None


@shared_task(name="careers.badges_sweep")
def badges_sweep() -> dict:
    """The nightly safety net: issue what was missed, finish itineraries, revoke what was annulled (beat)."""
    from clo.careers.services.badges import badges_sweep as sweep

    return sweep()
