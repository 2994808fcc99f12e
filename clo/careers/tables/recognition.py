"""The downloads (CSV/XLSX) of the recognition figures: the rows the page shows, from the same selector."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clo.core.exports import Table


def _rows(rows) -> list[list]:
    return [[row.label, row.completed, row.credits, row.badges] for row in rows]


def by_unit(figures) -> Table:
    return Table(_("Credits and badges by unit, %(year)s") % {"year": figures.year},
                 [_("Unit"), _("Programs completed"), _("Credits"), _("Badges issued")], _rows(figures.by_unit))


def by_group(figures) -> Table:
    return Table(_("Credits and badges by group, %(year)s") % {"year": figures.year},
                 [_("Civil-service group"), _("Programs completed"), _("Credits"), _("Badges issued")],
                 _rows(figures.by_group))
