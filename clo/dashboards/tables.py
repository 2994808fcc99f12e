"""The dashboards' tables as plain rows, for CSV and XLSX export (``clo.core.exports``): the same figures, under the
same filters, as the tables on screen."""

from __future__ import annotations

from django.utils.translation import gettext as _

from clo.core.exports import Table
from clo.dashboards import boards
from clo.dashboards.boards import Board


def _r(value, digits: int = 2):
    return None if value is None else round(value, digits)


def heatmap(board: Board) -> Table:
    columns = board.heatmap.columns
    rows = [
        [row.label] + [_r(cell.figures.mean_gap) if cell.figures else None for cell in row.cells]
        + [_r(row.total.mean_gap)]
        for row in board.heatmap.rows
    ]
    return Table(
        title=_("Mean gap by unit"),
        columns=[_("Unit")] + [column.name for column in columns] + [_("All")],
        rows=rows,
    )


def top_gaps(board: Board) -> Table:
    return Table(
        title=_("Largest gaps by weight"),
        columns=[_("Competency"), _("Area"), _("Weighted gap"), _("Mean gap"), _("People with a gap"),
                 _("Requirements met (%)")],
        rows=[[row.competency.name, row.area.name, row.weighted_gap_sum, _r(row.mean_gap), row.people_with_gap,
               _r(row.percent_met, 1)] for row in board.top_gaps],
    )


def critical_positions(board: Board) -> Table:
    board.critical_positions = boards.critical_positions(board.place, board.filters)
    return Table(
        title=_("Critical positions with unmet critical requirements"),
        columns=[_("Code"), _("Position"), _("Group"), _("People"), _("Unmet critical requirements")],
        rows=[[p["position__code"], p["position__title"], p["position__group"], p["people"], p["unmet"]]
              for p in board.critical_positions],
    )


def sessions(board: Board) -> Table:
    return Table(
        title=_("Upcoming sessions with seats left"),
        columns=[_("Program"), _("Session"), _("Starts"), _("Seats left")],
        rows=[[s.program.title, s.code, s.starts_at.strftime("%Y-%m-%d %H:%M"), s.seats_left] for s in board.sessions],
    )


def trend(board: Board) -> Table:
    return Table(
        title=_("Gap closure over the stored runs"),
        columns=[_("Date of the run"), _("Weighted mean gap"), _("Requirements met (%)"), _("People with a gap")],
        rows=[[f"{p.as_of:%Y-%m-%d}", _r(p.weighted_gap), _r(p.percent_met, 1), p.people_with_gap]
              for p in board.trend],
    )


BOARD_TABLES = {
    "heatmap": heatmap,
    "top-gaps": top_gaps,
    "critical-positions": critical_positions,
    "sessions": sessions,
    "trend": trend,
}


def people(pairs) -> Table:
    """The people behind a heatmap cell (every page)."""
    return Table(
        title=_("People with a gap"),
        columns=[_("Employee number"), _("Person"), _("Unit"), _("Position"), _("Competency"), _("Required level"),
                 _("Current level"), _("Gap"), _("Critical")],
        rows=(
            [g.employee.employee_number, g.employee.full_name, g.unit.name, g.position.title, g.competency.name,
             g.required_level, None if g.not_assessed else g.current_level, g.gap, g.is_critical]
            for g in pairs.iterator(chunk_size=2000)
        ),
    )
