"""The rule that a level belongs to its competency's scale, once, for every model that records a level of a
competency (descriptors, requirements, certified program levels, learning-plan targets, ratings, peer results,
evidence): their ``clean()`` calls ``validate_level_in_scale``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from competencies.selectors import scale_values


def level_in_scale_error(competency_id: int | None, level: int | None, *, allow_zero: bool) -> str | None:
    """A person-readable message when ``level`` is not on the competency's scale, else None."""
    if competency_id is None or level is None:
        return None
    if allow_zero and level == 0:
        return None
    values = scale_values(competency_id)
    if level in values:
        return None
    if not values:
        return _("The competency's framework has no scale levels yet.")
    return _("Level %(level)s is outside the scale of this competency (%(low)s to %(high)s).") % {
        "level": level, "low": 0 if allow_zero else values[0], "high": values[-1],
    }


def validate_level_in_scale(competency_id: int | None, level: int | None, *, field: str, allow_zero: bool) -> None:
    """Raise ``ValidationError({field: message})`` when ``level`` is not on the competency's scale. ``allow_zero``:
    0 ("not shown") is a valid level (ratings, peer results, evidence), besides the scale's own values."""
    error = level_in_scale_error(competency_id, level, allow_zero=allow_zero)
    if error:
        raise ValidationError({field: error})
