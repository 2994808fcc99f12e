"""Writes to competency frameworks: what a position requires.

A change to a position's requirements changes the gaps of everyone holding it; the gap engine (``evaluations``, a
layer above) refreshes them once the transaction commits. The task is queued by name, so this layer does not import
the one above it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from clo.core.tasks import queue_on_commit
from competencies.models import Competency, Requirement


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
    queue_on_commit("evaluations.gaps_refresh_position", requirement.position_id)
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement) -> None:
    """The position no longer requires the competency."""
    position_id = requirement.position_id
    deleted, _ = Requirement.objects.filter(pk=requirement.pk).delete()
    if not deleted:
        raise ValidationError("This requirement no longer exists.")
    queue_on_commit("evaluations.gaps_refresh_position", position_id)


def requirements_changed(*, position_ids) -> None:
    """Requirements of these positions were written elsewhere than in the services above (the admin, an import):
    the gaps of their holders are refreshed on commit."""
    for position_id in sorted({int(p) for p in position_ids if p}):
        queue_on_commit("evaluations.gaps_refresh_position", position_id)
