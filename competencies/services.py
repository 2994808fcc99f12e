"""Writes to competency frameworks: what a position requires.

A change to a position's requirements changes the gaps of everyone holding it; the gap engine (``evaluations``, a
layer above) refreshes them once the transaction commits. The task is queued by name, so this layer does not import
the one above it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from competencies.models import Competency, Requirement


def _queue_on_commit(task_name: str, *args) -> None:
    """Queue a Celery task of a higher layer once the current transaction commits (run in-process when eager)."""
    from celery import current_app

    current_app.loader.import_default_modules()  # registers every app's tasks once (autodiscovery)
    task = current_app.tasks[task_name]
    # Robust: if the broker is down the write itself still succeeds (the error is logged); the nightly gap analysis
    # repairs what the refresh would have done.
    transaction.on_commit(lambda: task.delay(*args), robust=True)


@transaction.atomic
def requirement_set(
    *, position, competency: Competency, required_level: int, weight: int = 1, is_critical: bool = False
) -> Requirement:
    """Create or update the requirement of ``competency`` for ``position``. A level outside the competency's scale is
    refused with a message naming the scale's range."""
    requirement = (
        Requirement.objects.select_for_update().filter(position=position, competency=competency).first()
        or Requirement(position=position, competency=competency)
    )
    requirement.required_level, requirement.weight, requirement.is_critical = required_level, weight, is_critical
    requirement.full_clean(validate_unique=requirement.pk is None)
    if requirement.pk is None:
        requirement.save()
    else:
        requirement.save(update_fields=["required_level", "weight", "is_critical"])
    _queue_on_commit("evaluations.gaps_refresh_position", requirement.position_id)
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement) -> None:
    """The position no longer requires the competency."""
    position_id = requirement.position_id
    deleted, _ = Requirement.objects.filter(pk=requirement.pk).delete()
    if not deleted:
        raise ValidationError("This requirement no longer exists.")
    _queue_on_commit("evaluations.gaps_refresh_position", position_id)
