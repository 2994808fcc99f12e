"""Celery tasks of the talent app: thin wrappers that call a service, take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


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
