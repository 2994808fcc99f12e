"""How the council's documents word names and figures: ``{{ unit.name|de }}`` ("d'Andreu", "del Servei de
Formació", "of Andreu") and ``{{ count|number }}`` (the active language's thousands separator, always)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from clo.core.catalan import of

register = template.Library()


@register.filter
def de(name) -> str:
    """``name`` preceded by the active language's "of", contracted the Catalan way (``clo.core.catalan.of``)."""
    return of(name)


@register.filter
def number(value, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals and the active language's thousands separator ("2.989", "2,989")."""
    if value is None or value == "":
        return ""
    return number_format(value, int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def when(thing) -> str:
    """When ``thing`` (a session, or anything with ``starts_at`` and ``ends_at``) happens, in words, in the council's
    time zone: "Dimecres 16 de desembre de 2026, de 9 a 13 h" (``clo.core.timespan.span``)."""
    from clo.core.timespan import span

    if thing is None or thing == "":
        return ""
    return span(getattr(thing, "starts_at", None), getattr(thing, "ends_at", None))
