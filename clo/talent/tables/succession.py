"""The succession tables as downloads (CSV/XLSX): the same rows the pages show, from the same selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clo.core.exports import Table
from clo.talent.selectors.succession import Bench, RiskMap


def critical_positions(rows) -> Table:
    return Table(_("Critical positions"),
                 [_("Code"), _("Title"), _("Group"), _("Unit"), _("Criticality"), _("Reason"), _("Holders")],
                 [[p.code, p.title, p.group, p.unit.name if p.unit else "", p.criticality, p.critical_reason,
                   p.holders] for p in rows])


def risk_map(risk: RiskMap) -> Table:
    rows = []
    for unit, cells in risk.rows:
        for competency, cell in zip(risk.columns, cells):
            if cell is None:
                continue
            rows.append([unit.name, competency.name, cell.criticality, cell.experts, cell.retiring[1],
                         cell.retiring[3], cell.retiring[5], cell.bus_factor, float(cell.share), float(cell.score)])
    return Table(_("Knowledge at risk"),
                 [_("Unit"), _("Competency"), _("Criticality"), _("Expert holders"), _("Retiring within 1 year"),
                  _("Retiring within 3 years"), _("Retiring within 5 years"), _("Bus factor"),
                  _("Share retiring"), _("Risk score")], rows)


def bench_tables(bench: Bench) -> dict:
    def uncovered() -> Table:
        return Table(_("Critical positions without a ready-now successor"),
                     [_("Code"), _("Title"), _("Criticality"), _("Holders")],
                     [[p.code, p.title, p.criticality, p.holders] for p in bench.uncovered])

    def retiring() -> Table:
        return Table(_("Holders retiring within 2 years without a transfer plan"),
                     [_("Person"), _("Position"), _("Unit"), _("Expected retirement date")],
                     [[e.full_name, e.position.title, e.unit.name, e.expected_retirement_date]
                      for e in bench.retiring_without_plan])

    def by_group() -> Table:
        return Table(_("Retirements by group"), [_("Group"), *[str(y) for y in bench.years], _("Total")],
                     [[g, *counts, total] for g, counts, total in bench.by_group])

    def by_unit() -> Table:
        return Table(_("Retirements by unit"), [_("Unit"), *[str(y) for y in bench.years], _("Total")],
                     [[u.name, *counts, total] for u, counts, total in bench.by_unit])

    return {"": uncovered, "retiring": retiring, "groups": by_group, "units": by_unit}
