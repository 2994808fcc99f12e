"""The knowledge-at-risk heatmap's cells, formatted in Python: a heatmap of a large unit has a hundred and more
cells, and the template nodes of each (a ``blocktranslate``, a ``url``, the filters: a context push, a catalogue
lookup, a URL reversed and a localisation of each number) were most of the page's rendering time."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def risk_parts(cell) -> str:
    """Every component of a cell, the message the map's help text explains (auto-escaped by the template)."""
    return gettext("crit. %(c)s · experts %(n)s · retiring %(r1)s/%(r3)s/%(r5)s · bus %(b)s") % {
        "c": cell.criticality, "n": cell.experts, "r1": cell.retiring[1], "r3": cell.retiring[3],
        "r5": cell.retiring[5], "b": cell.bus_factor,
    }


@register.simple_tag
def risk_cells(unit, cells, horizon: int) -> SafeString:
    """The ``<td>`` of each cell of ``unit``'s row (a dash where the competency has no figures): the score, linked to
    the people behind it, tinted by its heat, and every component below it."""
    # the people's address reversed once per row: the competency's id goes in place of the 0
    before, _, after = reverse("talent:succession_map_people", args=[unit.pk, 0]).rpartition("/0/")

    def cell_html(cell) -> SafeString:
        if cell is None:
            return SafeString('<td class="heat-none">—</td>')
        return format_html('<td class="{}"><a href="{}/{}/{}?horizon={}">{}</a>\n          <small class="risk-parts">{}'
                           "</small></td>", cell.heat, before, cell.competency_id, after, horizon,
                           floatformat(cell.score, 2), risk_parts(cell))

    return format_html_join("\n        ", "{}", ((cell_html(cell),) for cell in cells))
