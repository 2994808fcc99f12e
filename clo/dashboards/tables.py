"""The dashboards' tables as plain rows, for CSV and XLSX export (``clo.core.exports``): the same figures, under the
same filters, as the tables on screen. Each builder reads what its page already read (or one query more for the
rows a page leaves out), never a query per row."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clo.core.catalan import of
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


def _local(moment):
    """A moment as the local wall-clock time, to the second (spreadsheets know no time zones)."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def requests(board: Board) -> Table:
    """Every enrolment request waiting for the director's decision in the board's units (the page shows the 20
    oldest), oldest first."""
    return Table(
        title=_("Enrolment requests waiting for my decision"),
        columns=[_("Person"), _("Unit"), _("Program"), _("Session"), _("Starts"), _("Requested on")],
        rows=([e.employee.full_name, e.employee.unit.name, e.session.program.title, e.session.code,
               _local(e.session.starts_at), _local(e.requested_at)]
              for e in board.extra["waiting"].iterator(chunk_size=2000)),
    )


def needs(board: Board) -> Table:
    return Table(
        title=_("Training needs of these units"),
        columns=[_("Status"), _("Needs")],
        rows=[[str(row["label"]), row["count"]] for row in board.extra["needs"]],
    )


def headline(board: Board) -> Table:
    """The board's headline figures, one per row, as the page shows them (the same ``Board`` figures), with the
    scope each figure covers: the unit on screen, or the whole organisation for the figures that ignore the unit
    and group filters (the annual plan). Figures the filters leave uncounted, or not computed yet, are empty."""
    unit = board.place.unit.name
    org_wide = not board.whole_organisation or bool(board.filters.group)
    whole = _("Whole organisation") if org_wide else unit
    computed = board.gaps_computed
    totals = board.totals
    rows = [
        [_("Employees"), board.employees, unit],
        [_("Requirements"), totals.requirements if computed else None, unit],
        [_("Requirements met"), totals.requirements_met if computed else None, unit],
        [_("Requirements met (%)"), _r(totals.percent_met, 1) if computed else None, unit],
        [_("Weighted mean gap"), _r(totals.weighted_gap) if computed else None, unit],
        [_("Requirements not yet assessed"), totals.not_assessed if computed else None, unit],
        [_("People not yet assessed"), board.people_not_assessed if computed else None, unit],
        [_("People with a gap"), board.people_with_gap if computed else None, unit],
        [_("Training hours"), board.training.get("hours"), unit],
        [_("Training hours per employee"), _r(board.hours_per_employee, 1), unit],
        [_("Enrolments completed"), board.training.get("completed"), unit],
        [_("Completion rate (%)"), _r(board.completion_rate, 1), unit],
    ]
    if board.plan:
        rows += [[_("Budget of the annual plan (€)"), board.plan["plan_budget"], whole],
                 [_("Committed in plan actions (€)"), board.plan["planned_cost"], whole],
                 [_("Spent on training delivered (€)"), board.plan["spent"], whole]]
    if board.needs_waiting is not None:
        rows.append([_("Training needs awaiting triage"), board.needs_waiting, unit])
    if "with_plan" in board.figures:
        rows.append([_("Employees with a learning plan in the year"), board.figures["with_plan"], unit])
    return Table(
        title=_("Headline figures"),
        columns=[_("Figure"), _("Value"), _("Scope")],
        rows=rows,
    )


BOARD_TABLES = {
    "headline": headline,
    "heatmap": heatmap,
    "top-gaps": top_gaps,
    "critical-positions": critical_positions,
    "sessions": sessions,
    "trend": trend,
}
DIRECTOR_TABLES = {**BOARD_TABLES, "requests": requests, "needs": needs}  # only the director's board has these


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


def employee_gaps(employee, gaps) -> Table:
    """One person's requirements and gaps (``gaps.selectors.employee_gaps``), critical and largest first."""
    return Table(
        title=_("Gaps %(of_person)s") % {"of_person": of(employee.full_name)},
        columns=[_("Competency"), _("Area"), _("Required level"), _("Current level"), _("Gap"), _("Critical"),
                 _("Assessed on")],
        rows=[[g.competency.name, g.area.name, g.required_level, None if g.not_assessed else g.current_level, g.gap,
               g.is_critical, g.assessed_on] for g in gaps],
    )



def reports(rows) -> Table:
    """The stored monthly reports (``selectors.report_list``), most recent period first."""
    return Table(
        title=_("Monthly reports"),
        columns=[_("Period start"), _("Period end"), _("Language"), _("Status"),
                 pgettext("monthly report", "Requested by"), pgettext("monthly report", "Finished")],
        rows=[[r.period_start, r.period_end, r.get_language_display(), r.get_status_display(),
               _name(r.requested_by) if r.requested_by else _("Monthly job"), _local(r.finished_at)] for r in rows],
    )


def workbooks(rows) -> Table:
    """The organisation workbooks prepared (``selectors.workbook_list``), most recent first."""
    return Table(
        title=_("Workbooks prepared"),
        columns=[pgettext("organisation workbook", "Requested"), pgettext("organisation workbook", "Requested by"),
                 _("Status"), _("Rows")],
        rows=[[_local(w.created_at), _name(w.requested_by), w.get_status_display(), w.rows] for w in rows],
    )


def training_results(results) -> Table:
    """The level 4 panel (``results.training_results``): the figures of a program with too few people in a group
    are left empty, as on the page."""
    def figures(row) -> list:
        if not row.enough:
            return [None, None, None]
        return [_r(row.completers_change), _r(row.comparison_change), _r(row.difference)]

    return Table(
        title=_("Training results (level 4)"),
        columns=[_("Program"), _("Completers"), _("Comparison group"), _("Change of completers"),
                 _("Change of the comparison group"), _("Difference in change")],
        rows=[[row.program.title, row.completers, row.comparison, *figures(row)] for row in results.rows],
    )


def retention_lines(run) -> list[str]:
    """What a retention run did, one line per kind of record (``"Enrolments: 3 blocked, 2 deleted"``)."""
    from clo.core.retention import KIND_LABELS

    words = {"blocked": _("blocked"), "deleted": _("deleted"), "anonymised": _("anonymised")}
    return [
        f"{KIND_LABELS.get(code, code)}: " + ", ".join(f"{n} {words.get(what, what)}" for what, n in done.items())
        for code, done in run.counts.items() if any(done.values())
    ]


def retention_blocked(rows) -> Table:
    """Records blocked now by kind (``retention.blocked_counts``); no retention period: kept."""
    return Table(
        title=_("Blocked records"),
        columns=[_("Kind of record"), _("Retention period (days)"), _("Blocked")],
        rows=[[str(row["label"]), row["days"] or _("Kept"), row["count"]] for row in rows],
    )


def retention_runs(queryset) -> Table:
    """Every retention run, newest first, with what it did."""
    return Table(
        title=_("Retention runs"),
        columns=[_("Started"), _("Finished"), _("Status"), _("What it did"), _("Error")],
        rows=([_local(run.started_at), _local(run.finished_at), run.get_status_display(),
               "; ".join(retention_lines(run)) or _("Nothing was due."), run.error]
              for run in queryset.iterator(chunk_size=2000)),
    )


# --- The home page's tables, by section ------------------------------------------------------------------------------


def home_tables(sections: dict) -> dict:
    """The builders of the home page's tables for the sections the user has (``selectors.home_sections``), by the
    name ``?table=`` gives them."""
    builders = {}
    if hr := sections.get("hr"):
        builders["employment-types"] = lambda: Table(
            title=_("Active employees by employment type"), columns=[_("Employment type"), _("Employees")],
            rows=[[str(row["label"]), row["count"]] for row in hr["employment_types"]])
    if director := sections.get("director"):
        builders["director-needs"] = lambda: Table(
            title=_("Training needs of my units"), columns=[_("Status"), _("Needs")],
            rows=[[str(row["label"]), row["count"]] for row in director["needs"]])
        builders["largest-gaps"] = lambda: Table(
            title=_("People with the largest gaps"),
            columns=[_("Person"), _("Unit"), _("Position"), _("Unmet requirements"), _("Requirements")],
            rows=[[p.full_name, p.unit.name, p.position.title, p.unmet_count, p.requirement_count]
                  for p in director["largest_gaps"]])
    if employee := sections.get("employee"):
        builders["my-requirements"] = lambda: Table(
            title=_("Requirements of my position"),
            columns=[_("Competency"), _("Required level"), _("Current level"), _("Met")],
            rows=[[r.competency.name, r.required_level, r.current_level, r.met] for r in employee["requirements"]])
        builders["my-enrolments"] = lambda: Table(
            title=_("My enrolments"), columns=[_("Program"), _("Starts"), _("Status")],
            rows=[[e.session.program.title, _local(e.session.starts_at), e.get_status_display()]
                  for e in employee["enrolments"]])
        if employee["plan"]:
            builders["my-plan"] = lambda: Table(
                title=_("My learning plan"),
                columns=[_("Activity"), _("Target competency"), _("Target level"), _("Due date"), _("Status")],
                rows=[[item.program.title if item.program else item.title,
                       item.competency.name if item.competency else "", item.target_level, item.due_date,
                       item.get_status_display()] for item in employee["plan"].items.all()])
    return builders
