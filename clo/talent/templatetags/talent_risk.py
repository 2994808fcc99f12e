"""The knowledge-at-risk heatmap's per-cell text, formatted in Python: a heatmap of a large unit has a hundred and
more cells, and a ``blocktranslate`` node per cell (a context push, a catalogue lookup and a localisation of each
number) was most of the page's rendering time."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def risk_parts(cell) -> str:
    """Every component of a cell, the message the map's help text explains (auto-escaped by the template)."""
    return gettext("crit. %(c)s · experts %(n)s · retiring %(r1)s/%(r3)s/%(r5)s · bus %(b)s") % {
        "c": cell.criticality, "n": cell.experts, "r1": cell.retiring[1], "r3": cell.retiring[3],
        "r5": cell.retiring[5], "b": cell.bus_factor,
    }
