"""The CLO's and the directors' dashboards: one unit's board (headline figures, heatmap, top gaps, trend, critical
positions, sessions) for the filters on screen, read from the stored gap roll-ups and the other apps' selectors.

Gap figures are never recomputed here: they are the roll-ups' sums (``evaluations.gaps.selectors``), added up over
the competencies the filters keep — those of one position group's people when the group filter is set — and the
derived means are ``GapRatios``'s, the ones every stored roll-up row (``GapFigures``) uses. Every function runs
a fixed number of queries, whatever the size of the organisation (see each docstring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clo.core import charts, roles
from clo.people import selectors as people
from clo.people.models import OrgUnit, unit_or_ancestor
from evaluations.gaps import selectors as gaps
from evaluations.models import GapRatios
from programs import selectors as programs

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

TOP_GAPS = 10
TREND_POINTS = 60
PEOPLE_PER_PAGE = 25
CELL = "0cell0"  # stands for a heatmap column's id in a row's query string (survives urlencode as it is)
UNIT = "0unit0"  # stands for a heatmap row's unit id in the same way
FIGURES = ("requirements", "requirements_met", "not_assessed", "gap_sum", "weight_sum", "weighted_gap_sum",
           "critical_gaps", "people_with_gap")


@dataclass
class Figures(GapRatios):
    """Sums of roll-up rows; the ratios are ``GapRatios``'s, the same as a stored roll-up row's. ``people_with_gap``
    summed over several competencies counts a person once per competency: it is a per-competency figure only (the
    people of a unit with a gap are ``Board.people_with_gap``)."""

    requirements: int = 0
    requirements_met: int = 0
    not_assessed: int = 0
    gap_sum: int = 0
    weight_sum: int = 0
    weighted_gap_sum: int = 0
    critical_gaps: int = 0
    people_with_gap: int = 0

    def add(self, row) -> None:  # spelt out: a board adds up a few thousand rows
        self.requirements += row.requirements
        self.requirements_met += row.requirements_met
        self.not_assessed += row.not_assessed
        self.gap_sum += row.gap_sum
        self.weight_sum += row.weight_sum
        self.weighted_gap_sum += row.weighted_gap_sum
        self.critical_gaps += row.critical_gaps
        self.people_with_gap += row.people_with_gap

    @property
    def heat(self) -> str:
        return charts.heat_class(self.mean_gap)


# --- Where the board stands: the unit and its neighbours --------------------------------------------------------


@dataclass
class Place:
    unit: OrgUnit
    ancestors: list[OrgUnit]
    children: list[OrgUnit]
    roots: list[OrgUnit]  # the units the user may start from (the tree's roots, or the units a director heads)

    def links(self, filters: "Filters") -> list[tuple[OrgUnit, str]]:
        """The ancestors the user may see, each with the query string of its board (same filters)."""
        return [(unit, filters.query(unit=unit.pk)) for unit in self.ancestors]

    @property
    def choices(self) -> list[OrgUnit]:
        """The units the unit filter offers: roots, the way down to this unit, the unit itself and its children."""
        seen, units = set(), []
        for unit in [*self.roots, *self.ancestors, self.unit, *self.children]:
            if unit.pk not in seen:
                seen.add(unit.pk)
                units.append(unit)
        return units


def within(scope: roles.Scope, path: str) -> bool:
    return scope.everything or any(path.startswith(own) for own in scope.unit_paths)


def place_of(scope: roles.Scope, unit_id: int | None) -> Place:
    """The unit on screen (default: the first root the user may see), its ancestors the user may see, its active
    children and the user's roots, in one query. Http404 for a unit outside the user's scope or unknown."""
    if not scope.everything and not scope.unit_paths:
        raise Http404
    roots_q = Q(depth=0) if scope.everything else Q(pk__in=scope.headed_unit_ids)
    if unit_id is None and not scope.everything:  # a director starts from the first unit they head
        unit_id = scope.headed_unit_ids[0]
    if unit_id is None:  # the roots' children by their depth (the materialised path's): no join on the parent
        condition = roots_q | Q(depth=1, active=True)
    else:
        condition = roots_q | Q(pk=unit_id) | Q(parent_id=unit_id, active=True) | Q(unit_or_ancestor(unit_id))
    units = list(OrgUnit.objects.filter(condition).order_by("path"))
    roots = [u for u in units if (u.depth == 0 if scope.everything else u.pk in scope.headed_unit_ids)]
    if unit_id is None:
        unit = roots[0] if roots else None
        if unit is None:
            raise Http404
    else:
        unit = next((u for u in units if u.pk == unit_id), None)
        if unit is None or not within(scope, unit.path):
            raise Http404
    ancestors = [u for u in units if unit.path.startswith(u.path) and u.pk != unit.pk and within(scope, u.path)]
    children = [u for u in units if u.parent_id == unit.pk and u.active]
    return Place(unit=unit, ancestors=ancestors, children=children, roots=roots)


# --- Filters ----------------------------------------------------------------------------------------------------


@dataclass
class Filters:
    unit_id: int | None = None
    framework_id: int | None = None
    area_id: int | None = None
    kind: str = ""
    group: str = ""
    year: int = field(default_factory=lambda: timezone.localdate().year)
    heatmap_framework_id: int | None = None  # the framework the heatmap shows (default: the first with figures)

    @property
    def competencies(self) -> Q:
        return gaps.competency_filter(framework_id=self.framework_id, area_id=self.area_id, kind=self.kind)

    @property
    def narrowed(self) -> bool:
        """Whether anything but the unit and the period narrows the figures."""
        return bool(self.framework_id or self.area_id or self.kind or self.group)

    @property
    def period(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        return (dt.datetime(self.year, 1, 1, tzinfo=zone), dt.datetime(self.year + 1, 1, 1, tzinfo=zone))

    def query(self, **changes) -> str:
        """The query string of these filters with ``changes`` (None removes a key): links keep the filters."""
        values = {"unit": self.unit_id, "framework": self.framework_id, "area": self.area_id, "kind": self.kind,
                  "group": self.group, "year": self.year, "heatmap": self.heatmap_framework_id}
        if "competency" in changes and changes["competency"]:
            values.pop("area")  # a competency narrows more than its area
        values.update(changes)
        return urlencode([(key, str(value)) for key, value in values.items() if value not in (None, "")])


# --- The board ----------------------------------------------------------------------------------------------------


@dataclass
class HeatCell:
    column: object
    figures: Figures | None
    people_query: str  # the query string of the people behind the cell


@dataclass
class HeatRow:
    label: str
    unit: OrgUnit | None
    own: bool  # the unit's own people (not its children's)
    cells: list[HeatCell]
    total: Figures
    board_query: str  # drill into this row's unit (empty for the unit's own people)
    people_query: str
    cells_html: str = ""  # the row's <td> cells, rendered at once (a heatmap has hundreds of them)


@dataclass
class Heatmap:
    by: str  # "area" or "competency"
    columns: list  # Area or Competency instances
    rows: list[HeatRow]
    column_queries: list[str] = field(default_factory=list)  # drill into an area's competencies (areas only)
    back_query: str = ""  # from competencies back to areas
    framework: "Named | None" = None  # the framework shown, one at a time (None: an area or a framework is filtered)
    frameworks: list[tuple["Named", str]] = field(default_factory=list)  # the chooser: each framework, its query

    @property
    def header(self) -> list[tuple[object, str]]:
        return list(zip(self.columns, self.column_queries, strict=True))


def _heatmap(place: Place, rows: list, filters: Filters, *, framework_id: int | None = None) -> Heatmap:
    by = "competency" if filters.area_id else "area"
    key = (lambda r: r.competency) if by == "competency" else (lambda r: r.area)
    columns: dict[int, object] = {}
    cells: dict[tuple[int, bool], dict[int, Figures]] = {}
    for row in rows:
        if row.unit_id == place.unit.pk and row.subtree:
            continue
        column = key(row)
        columns.setdefault(column.pk, column)
        cells.setdefault((row.unit_id, row.subtree), {}).setdefault(column.pk, Figures()).add(row)
    heat_rows = []
    people_url = reverse("dashboard_people")
    queries = _RowQueries(filters, by, framework_id)
    for child in place.children:
        heat_rows.append(_heat_row(child.name, child, False, cells.get((child.pk, True)), columns, queries))
    own = cells.get((place.unit.pk, False))
    if own:
        label = _("People directly in %(unit)s") % {"unit": place.unit.name}
        heat_rows.append(_heat_row(label, place.unit, True, own, columns, queries))
    empty = format_html('<td class="heat-none"><span aria-hidden="true">—</span><span class="visually-hidden">{}</span>'
                        "</td>", _("no requirement"))
    number = _two_decimals()
    url = escape(people_url)
    for row in heat_rows:
        row.cells_html = mark_safe("".join(  # noqa: S308 — the class, url and query are escaped here
            f'<td class="{cell.figures.heat}"><a href="{url}?{escape(cell.people_query)}">'
            f"{number(cell.figures.mean_gap)}</a></td>" if cell.figures else empty
            for cell in row.cells
        ))
    return Heatmap(
        by=by, columns=list(columns.values()), rows=[r for r in heat_rows if r.total.requirements],
        column_queries=[filters.query(area=pk) if by == "area" else "" for pk in columns],
        back_query=filters.query(area=None) if by == "competency" else "",
    )


def _two_decimals():
    """``floatformat:2`` for the many cells of a heatmap: the same rounding (half up) and the active language's
    decimal separator, without the template filter's cost per call."""
    separator = formats.get_format("DECIMAL_SEPARATOR")
    cent = Decimal("0.01")

    def number(value: float) -> str:
        return str(Decimal(repr(value)).quantize(cent, ROUND_HALF_UP)).replace(".", separator)

    return number


class _RowQueries:
    """The query strings of a heatmap's rows, each urlencoded once per heatmap rather than once per row: they differ
    from row to row by the unit's id (and from cell to cell by the column's id) only."""

    def __init__(self, filters: Filters, by: str, framework_id: int | None):
        framework = framework_id or filters.framework_id  # a row's total is over the framework shown: so are its people
        self.board = filters.query(unit=UNIT)
        self.cells = {own: filters.query(unit=UNIT, own=1 if own else None, **{by: CELL}) for own in (False, True)}
        self.people = {own: filters.query(unit=UNIT, own=1 if own else None, framework=framework)
                       for own in (False, True)}


def _heat_row(label, unit, own, found, columns, queries: _RowQueries) -> HeatRow:
    found = found or {}
    total = Figures()
    for figures in found.values():
        total.add(figures)
    unit_id = str(unit.pk)
    base = queries.cells[own].replace(UNIT, unit_id)
    cells = [HeatCell(column, found.get(pk), base.replace(CELL, str(pk))) for pk, column in columns.items()]
    return HeatRow(
        label=label, unit=unit, own=own, cells=cells, total=total,
        board_query="" if own else queries.board.replace(UNIT, unit_id),
        people_query=queries.people[own].replace(UNIT, unit_id),
    )


def _top_gaps(rows: list, unit_id: int) -> list:
    own = [r for r in rows if r.unit_id == unit_id and r.subtree and r.weighted_gap_sum]
    return sorted(own, key=lambda r: (-r.weighted_gap_sum, r.competency.code))[:TOP_GAPS]


def top_gaps_chart(top: list) -> charts.Chart:
    return charts.bar_chart(
        title=_("Largest gaps by weight"),
        description=_("Weighted gap (sum of gaps times weights) of the competencies with the largest weighted gaps, "
                      "largest first."),
        labels=[row.competency.name for row in top], values=[row.weighted_gap_sum for row in top],
        value_label=_("Weighted gap"), label_heading=_("Competency"), decimals=0, dom_id="chart-top-gaps",
    )


def trend_chart(points: list) -> charts.Chart:
    return charts.line_chart(
        title=_("Gap closure over the stored runs"),
        description=_("Weighted mean gap of the whole organisation at the end of each full gap analysis, oldest "
                      "first; a falling line means gaps are closing."),
        labels=[f"{point.as_of:%Y-%m-%d}" for point in points],
        values=[point.weighted_gap for point in points],
        value_label=_("Weighted mean gap"), label_heading=_("Date of the run"), dom_id="chart-trend",
    )


def _trend_change(points: list, filters: Filters) -> dict | None:
    """The weighted gap at the last run of the period against the last run before it (None when either is missing)."""
    start, end = filters.period
    inside = [p for p in points if start.date() <= p.as_of < end.date()]
    before = [p for p in points if p.as_of < start.date()]
    if not inside or not before or inside[-1].weighted_gap is None or before[-1].weighted_gap is None:
        return None
    return {"now": inside[-1], "before": before[-1], "change": inside[-1].weighted_gap - before[-1].weighted_gap}


@dataclass
class Board:
    place: Place
    filters: Filters
    totals: Figures
    heatmap: Heatmap
    top_gaps: list
    employees: int = 0
    training: dict = field(default_factory=dict)
    trend: list = field(default_factory=list)
    trend_change: dict | None = None
    plan: object = None
    needs_waiting: int | None = None
    sessions: list = field(default_factory=list)
    critical_positions: list = field(default_factory=list)
    whole_organisation: bool = False
    extra: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    satisfaction: dict | None = None
    people_not_assessed: int | None = None  # None: the filters keep part of an area (people cannot be added up)
    people_with_gap: int | None = None  # distinct people with an unmet requirement; None like people_not_assessed
    gaps_computed: bool = True  # False before the first full gap run: the gap figures are not zero, but not computed

    @property
    def hours_per_employee(self) -> Decimal | None:
        return self.training["hours"] / self.employees if self.employees else None

    @property
    def completion_rate(self) -> float | None:
        closed = self.training.get("closed")
        return 100.0 * self.training["completed"] / closed if closed else None

    @property
    def breadcrumb(self) -> list[tuple[OrgUnit, str]]:
        return self.place.links(self.filters)

    @property
    def top_gaps_chart(self) -> charts.Chart:
        return top_gaps_chart(self.top_gaps)

    @property
    def trend_chart(self) -> charts.Chart:
        return trend_chart(self.trend)


@dataclass(eq=False)
class Named:
    """A competency, area or framework as a board shows it (id, code, name, order; kind and framework if any)."""

    pk: int
    code: str
    name: str
    order: int = 0
    kind: str = ""
    framework: "Named | None" = None

    @property
    def framework_id(self) -> int | None:
        return self.framework.pk if self.framework else None


class Row:
    """One roll-up row of a board (``UnitCompetencyGap`` values) with the derived figures of ``GapFigures``."""

    __slots__ = ("unit_id", "subtree", "competency", "area", *FIGURES, "people")

    mean_gap = Figures.mean_gap
    weighted_gap = Figures.weighted_gap
    percent_met = Figures.percent_met

    @property
    def competency_id(self) -> int:
        return self.competency.pk

    @property
    def area_id(self) -> int:
        return self.area.pk


def board_rows(place: Place, *, group: str = "") -> list[Row]:
    """The unit's own per-competency roll-ups (its whole subtree and its own people; every framework, area and kind:
    the filters are applied in memory, and the filter choices are the frameworks and areas that have figures here),
    of everyone or of the people of position group ``group``. One query; the heatmap's rows come from
    ``heat_rows``."""
    return _competency_rows(gaps.board_competency_gaps(place.unit.pk, [], position_group=group))


def _competency_rows(tuples: list[tuple]) -> list[Row]:
    named: dict[tuple[str, int], Named] = {}
    at = {name: index for index, name in enumerate(gaps.BOARD_FIELDS)}
    figures = [(name, at[name]) for name in (*FIGURES, "people")]
    rows = []
    for values in tuples:
        framework_id, area_id, competency_id = (
            values[at["competency__framework_id"]], values[at["area_id"]], values[at["competency_id"]])
        framework = named.get(("f", framework_id)) or named.setdefault(("f", framework_id), Named(
            framework_id, values[at["competency__framework__code"]], values[at["competency__framework__name"]]))
        area = named.get(("a", area_id)) or named.setdefault(("a", area_id), Named(
            area_id, values[at["area__code"]], values[at["area__name"]], values[at["area__order"]],
            framework=framework))
        competency = named.get(("c", competency_id)) or named.setdefault(("c", competency_id), Named(
            competency_id, values[at["competency__code"]], values[at["competency__name"]],
            values[at["competency__order"]], values[at["competency__kind"]], framework))
        row = Row()
        row.unit_id, row.subtree, row.competency, row.area = values[at["unit_id"]], values[at["subtree"]], competency, area
        for name, index in figures:
            setattr(row, name, values[index])
        rows.append(row)
    return rows


def heat_rows(place: Place, filters: Filters, areas: dict[int, Named], *,
              framework_id: int | None = None) -> list[Row]:
    """The heatmap's rows: each child's subtree and the unit's own people (those of the filters' position group, if
    set), per area (summed by the database over the competencies the filters keep, of ``framework_id`` only if
    given; the areas are those of the board's rows, ``areas`` by id) or, once an area is chosen, per competency of
    that area. One query (two if an area is missing from ``areas``: a roll-up written since they were read)."""
    child_ids = [child.pk for child in place.children]
    if filters.area_id:
        return _competency_rows(gaps.board_heat_gaps(place.unit.pk, child_ids, competencies=filters.competencies,
                                                     by_competency=True, position_group=filters.group))
    competencies = filters.competencies & gaps.competency_filter(framework_id=framework_id)
    sums = gaps.board_heat_gaps(place.unit.pk, child_ids, competencies=competencies, position_group=filters.group)
    missing = {values[2] for values in sums} - areas.keys()
    if missing:
        areas = {**areas, **{area_id: Named(area_id, code, name, order, framework=Named(framework, f_code, f_name))
                             for area_id, code, name, order, framework, f_code, f_name in gaps.heat_areas(missing)}}
    rows = []
    for unit_id, subtree, area_id, *figures in sums:
        row = Row()
        row.unit_id, row.subtree, row.competency, row.area, row.people = unit_id, subtree, None, areas[area_id], 0
        for figure, value in zip(gaps.HEAT_FIGURES, figures, strict=True):
            setattr(row, figure, value)
        rows.append(row)
    rows.sort(key=lambda row: (row.area.order, row.area.code, row.unit_id, row.subtree))
    return rows


def heatmap_frameworks(rows: list[Row]) -> list[Named]:
    """The frameworks that have figures in ``rows``, in the order of the filter's choices (the first is the
    heatmap's default)."""
    frameworks: dict[int, Named] = {}
    for area in filter_choices(rows):
        frameworks.setdefault(area.framework.pk, area.framework)
    return list(frameworks.values())


def _areas(rows: list[Row]) -> dict[int, Named]:
    """The areas of the board's rows by id: the heatmap's columns (its rows are read without their names)."""
    return {row.area.pk: row.area for row in rows}


def filter_choices(rows: list[Row]) -> list[Named]:
    """The areas (each with its framework) that have figures on this board, in framework and area order."""
    return sorted(_areas(rows).values(), key=lambda a: (a.framework.code, a.order, a.code))


def _kept(row: Row, filters: Filters) -> bool:
    competency = row.competency
    return (
        (not filters.framework_id or competency.framework_id == filters.framework_id)
        and (not filters.area_id or row.area.pk == filters.area_id)
        and (not filters.kind or competency.kind == filters.kind)
    )


def gap_board(place: Place, rows: list, filters: Filters) -> Board:
    """Headline gap figures and top gaps of the unit on screen from ``board_rows``, and its heatmap (one query)."""
    rows = [row for row in rows if _kept(row, filters)]
    totals = Figures()
    for row in rows:
        if row.unit_id == place.unit.pk and row.subtree:
            totals.add(row)
    return Board(place=place, filters=filters, totals=totals, heatmap=_one_framework_heatmap(place, rows, filters),
                 top_gaps=_top_gaps(rows, place.unit.pk))


def _one_framework_heatmap(place: Place, rows: list, filters: Filters) -> Heatmap:
    """The heatmap of one framework at a time (a table of every framework's areas side by side is too wide to read):
    the framework or area filtered, else the one chosen in the heatmap, else the first with figures here."""
    areas = _areas(rows)
    if filters.framework_id or filters.area_id:
        return _heatmap(place, heat_rows(place, filters, areas), filters)
    frameworks = heatmap_frameworks(rows)
    shown = next((f for f in frameworks if f.pk == filters.heatmap_framework_id), frameworks[0] if frameworks else None)
    framework_id = shown.pk if shown else None
    heatmap = _heatmap(place, heat_rows(place, filters, areas, framework_id=framework_id), filters,
                       framework_id=framework_id)
    heatmap.framework = shown
    if len(frameworks) > 1:
        heatmap.frameworks = [(framework, filters.query(heatmap=framework.pk, area=None)) for framework in frameworks]
    return heatmap


def framework_heatmaps(place: Place, rows: list, filters: Filters) -> list[Heatmap]:
    """One heatmap per framework with figures here, in the filter's order (the monthly report prints them all, one
    after the other): one query each."""
    heatmaps = []
    rows = [row for row in rows if _kept(row, filters)]
    areas = _areas(rows)
    for framework in heatmap_frameworks(rows):
        heatmap = _heatmap(place, heat_rows(place, filters, areas, framework_id=framework.pk), filters,
                           framework_id=framework.pk)
        heatmap.framework = framework
        heatmaps.append(heatmap)
    return heatmaps


def learning_office_board(place: Place, rows: list, filters: Filters, *, now: dt.datetime) -> Board:
    """The CLO's board: 3 queries (the figures, sessions; the trend for the whole organisation), on top of
    ``place_of`` and ``board_rows``."""
    start, end = filters.period
    units = None if _whole(place) else people.units_in_subtrees((place.unit.path,))  # needs: of the unit's subtree
    board = _common(place, rows, filters, extra=programs.plan_figures(year=filters.year, start=start, end=end,
                                                                      units=units))
    board.whole_organisation = place.unit.depth == 0
    if board.whole_organisation:
        board.trend = gaps.trend(limit=TREND_POINTS)
        if not filters.narrowed:
            board.trend_change = _trend_change(board.trend, filters)
    board.sessions = programs.upcoming_sessions_with_seats(now=now)
    if board.whole_organisation:
        board.satisfaction = programs.satisfaction_summary(start=start, end=end)  # level 1, whole organisation: 1 query
    return board


def director_board(place: Place, rows: list, filters: Filters, *, scope: roles.Scope, user: User | AnonymousUser) -> Board:
    """A director's board, limited to the units they head: 3 queries (the figures, requests waiting, needs by
    status), on top of ``place_of`` and ``board_rows``. The unit's figures are the same as on the learning office's
    board for that unit (every active employee of the subtree, the director included); the requests are those the
    director decides on."""
    employees = _employees(place, filters)
    board = _common(place, rows, filters, extra=programs.plans_in_year_figure(employees, year=filters.year))
    from programs.selectors import requests_awaiting

    waiting = requests_awaiting(user).filter(employee__unit__path__startswith=place.unit.path)
    requests = list(waiting[:21])
    board.extra = {
        "requests": requests[:20],
        "more_requests": len(requests) > 20,
        "waiting": waiting,  # every request, for the export (not read by the page)
        "needs": programs.needs_by_status(people.units_in_subtrees((place.unit.path,))),
        "with_plan": board.figures["with_plan"],
    }
    return board


def _whole(place: Place) -> bool:
    return place.unit.depth == 0 and len(place.roots) == 1 and place.roots[0].pk == place.unit.pk


def _employees(place: Place, filters: Filters):
    whole = _whole(place)
    # The whole organisation needs no path condition: the counts then read the employees table alone.
    employees = people.employees_in_scope(unit_paths=None if whole else (place.unit.path,))
    if filters.group:
        employees = employees.filter(position__group=filters.group)
    return employees


def _common(place: Place, rows: list, filters: Filters, *, extra: dict) -> Board:
    """The figures every board shows, each read from its one definition: the headcount counters, the gap roll-ups
    (people counted once, never summed over competencies), the training roll-up (or the period's enrolments)."""
    board = gap_board(place, rows, filters)
    employees = _employees(place, filters)
    start, end = filters.period
    if (start, end) != programs.year_bounds(filters.year):
        # The roll-up is per unit, year and group: a period other than a year (a monthly report) reads the
        # enrolments of those people in that period.
        training = programs.training_figures(employees, start=start, end=end)
    else:
        training = programs.unit_training_figures(place.unit.pk, year=filters.year, group=filters.group)
    # the counters the database keeps per unit and group: no count over every employee
    headcount = people.headcount_figure(unit_path=None if _whole(place) else place.unit.path, group=filters.group)
    expressions = {"employees": headcount, "gaps_computed": gaps.analysis_done_figure(), **training, **extra}
    if not (filters.framework_id or filters.kind or filters.group):  # people count once: all competencies or an area
        expressions["people_not_assessed"] = gaps.people_not_assessed_figure(place.unit.pk, area_id=filters.area_id)
        expressions["people_with_gap"] = gaps.people_with_gap_figure(place.unit.pk, area_id=filters.area_id)
    board.figures = people.unit_figures(place.unit.pk, expressions)
    board.employees = board.figures["employees"]
    board.gaps_computed = bool(board.figures["gaps_computed"])
    board.people_not_assessed = board.figures.get("people_not_assessed")
    board.people_with_gap = board.figures.get("people_with_gap")
    board.training = {key: board.figures[key] for key in ("hours", "completed", "closed")}
    board.needs_waiting = board.figures.get("needs_waiting")
    if board.figures.get("plan_budget") is not None:
        board.plan = {key: board.figures[key] for key in ("plan_budget", "planned_cost", "spent")}
    return board


def critical_positions(place: Place, filters: Filters) -> list[dict]:
    """Critical positions of the unit's subtree with unmet critical requirements: one query on the per-pair gaps
    (loaded on its own, after the board, as it reads the ``Gap`` view rather than the roll-ups)."""
    return gaps.critical_positions_with_gaps(
        None if _whole(place) else place.unit.path, competencies=filters.competencies, position_group=filters.group
    )
