"""Reads of the gap engine's results, for dashboards, learning plans and reports. Each function is one query whatever
the size of the organisation (the roll-ups are stored per unit; the per-pair gaps come from the view)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, Func, IntegerField, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from clo.core import translated
from evaluations.models import (
    Gap,
    GapRun,
    GapTrendPoint,
    UnitAreaGap,
    UnitCompetencyGap,
    UnitGap,
    UnitGroupCompetencyGap,
)


def latest_run() -> GapRun | None:
    """The last run that finished (its figures are the ones the roll-ups were last rebuilt from)."""
    return GapRun.objects.filter(status=GapRun.Status.DONE).order_by("-finished_at", "-pk").first()


def analysis_done_figure():
    """A scalar ``EXISTS`` (for ``people.unit_figures``): whether a full run has ever finished. Before the first one
    the roll-ups hold nothing, and the boards say that the analysis has not run rather than show zeros."""
    return Exists(GapRun.objects.filter(status=GapRun.Status.DONE))


def run_in_progress() -> GapRun | None:
    """The run pending or running, if any: "recalculate now" shows it instead of offering to start another."""
    return GapRun.objects.filter(status__in=[GapRun.Status.PENDING, GapRun.Status.RUNNING]).order_by("pk").first()


def recent_runs(*, limit: int = 20) -> list[GapRun]:
    """The latest runs, newest first, with who requested them."""
    return list(GapRun.objects.select_related("requested_by").order_by("-requested_at", "-pk")[:limit])


def organisation_figures() -> dict:
    """The whole organisation's figures over all competencies (``scope_figures`` of the root units)."""
    return scope_figures(None)


SCOPE_FIGURES = ("people", "people_not_assessed", "people_with_gap", "requirements", "requirements_met")


def _scope_rows(unit_paths: tuple[str, ...] | None) -> QuerySet:
    rows = UnitGap.objects.filter(subtree=True)
    return rows.filter(unit__depth=0) if unit_paths is None else rows.filter(unit__path__in=unit_paths)


def scope_figures(unit_paths: tuple[str, ...] | None) -> dict:
    """The headline gap figures of the whole organisation (``unit_paths=None``: its root units) or of the subtrees
    of ``unit_paths`` (not nested in one another, as ``Scope.unit_paths``), over all competencies, from the subtree
    roll-ups (kept current by every refresh; the dashboards read the same rows): ``{"people",
    "people_not_assessed", "people_with_gap", "requirements", "requirements_met", "percent_met", "computed"}``;
    before the first run ``computed`` is False and the figures None (not computed is not zero). Two queries:
    whether a run finished, then the sum over a root row or a few."""
    if not GapRun.objects.filter(status=GapRun.Status.DONE).exists():
        return scope_figures_of({"computed": False})
    totals = _scope_rows(unit_paths).aggregate(**{name: Coalesce(Sum(name), 0) for name in SCOPE_FIGURES})
    return scope_figures_of({**totals, "computed": True})


def scope_figure_expressions(unit_paths: tuple[str, ...] | None) -> dict:
    """``scope_figures`` as scalar subqueries, to be read with other figures in one query
    (``people.unit_figures``); ``scope_figures_of`` turns the values read into ``scope_figures``'s dict."""
    rows = _scope_rows(unit_paths).order_by()
    expressions = {
        name: Coalesce(Subquery(rows.annotate(total=Func(F(name), function="SUM")).values("total")[:1],
                                output_field=IntegerField()), 0)
        for name in SCOPE_FIGURES
    }
    return {**expressions, "computed": analysis_done_figure()}


def scope_figures_of(values: dict) -> dict:
    if not values["computed"]:
        return {**{name: None for name in SCOPE_FIGURES}, "percent_met": None, "computed": False}
    met, pairs = values["requirements_met"], values["requirements"]
    return {**{name: values[name] for name in SCOPE_FIGURES}, "percent_met": 100.0 * met / pairs if pairs else None,
            "computed": True}


def unit_figures(unit_id: int, *, subtree: bool = True) -> UnitGap | None:
    """A unit's figures over all competencies (its whole subtree by default)."""
    return UnitGap.objects.filter(unit_id=unit_id, subtree=subtree).first()


def people_not_assessed_figure(unit_id: int, *, area_id: int | None = None):
    """A scalar subquery (for ``people.unit_figures``): the people of a unit's subtree with at least one requirement
    never assessed, over all competencies or those of one area (people are counted once: a sum over competencies
    would count a person once per competency)."""
    return _people_figure("people_not_assessed", unit_id, area_id=area_id)


def people_with_gap_figure(unit_id: int, *, area_id: int | None = None):
    """A scalar subquery (for ``people.unit_figures``): the people of a unit's subtree with at least one unmet
    requirement, over all competencies or those of one area, each person once (never the sum of the
    per-competency counts, which counts a person once per competency with a gap)."""
    return _people_figure("people_with_gap", unit_id, area_id=area_id)


def _people_figure(name: str, unit_id: int, *, area_id: int | None):
    rows = (UnitAreaGap.objects.filter(area_id=area_id) if area_id else UnitGap.objects).filter(
        unit_id=unit_id, subtree=True)
    return Coalesce(Subquery(rows.values(name)[:1], output_field=IntegerField()), 0)


def unit_competency_gaps(unit_id: int, *, subtree: bool = True) -> QuerySet:
    """A unit's figures per competency, largest weighted gap first, with competency and area loaded."""
    return (
        UnitCompetencyGap.objects.filter(unit_id=unit_id, subtree=subtree)
        .select_related("competency", "area")
        .order_by("-weighted_gap_sum", "competency__code")
    )


def unit_area_gaps(unit_id: int, *, subtree: bool = True) -> QuerySet:
    """A unit's figures per competency area, largest weighted gap first."""
    return (
        UnitAreaGap.objects.filter(unit_id=unit_id, subtree=subtree)
        .select_related("area")
        .order_by("-weighted_gap_sum", "area__code")
    )


def children_figures(unit_ids: list[int]) -> QuerySet:
    """The subtree figures of several units at once (e.g. the children of the unit on screen)."""
    return UnitGap.objects.filter(unit_id__in=unit_ids, subtree=True)


def trend(*, limit: int = 90) -> list[GapTrendPoint]:
    """The organisation's trend points, oldest first (the last ``limit`` runs)."""
    points = list(GapTrendPoint.objects.order_by("-as_of", "-run_id")[:limit])
    points.reverse()
    return points


def employee_gaps(employee_id: int) -> QuerySet:
    """One employee's gaps, one row per requirement of their position (current: read through the view), largest
    first; ``not_assessed`` tells "never assessed" from "assessed at 0"."""
    return (
        Gap.objects.filter(employee_id=employee_id)
        .select_related("competency", "area")
        .order_by("-is_critical", "-gap", "competency__code")
    )


# --- Dashboards: the board of one unit ------------------------------------------------------------------------


def competency_filter(*, framework_id: int | None = None, area_id: int | None = None, kind: str = "",
                      competency_id: int | None = None, prefix: str = "competency__") -> Q:
    """The dashboards' competency filters as a condition on a model with a ``competency`` foreign key."""
    condition = Q()
    if framework_id:
        condition &= Q(**{f"{prefix}framework_id": framework_id})
    if area_id:
        condition &= Q(**{f"{prefix}area_id": area_id})
    if kind:
        condition &= Q(**{f"{prefix}kind": kind})
    if competency_id:
        condition &= Q(**{f"{prefix}id": competency_id})
    return condition


BOARD_FIELDS = (
    "unit_id", "subtree", "competency_id", "area_id", *UnitCompetencyGap.FIGURES,
    "competency__code", "competency__name", "competency__kind", "competency__order", "competency__framework_id",
    "competency__framework__code", "competency__framework__name", "area__code", "area__name", "area__order",
)


HEAT_AREA_FIELDS = ("unit_id", "subtree", "area_id")  # then HEAT_FIGURES
AREA_FIELDS = ("id", "code", "name", "order", "framework_id", "framework__code", "framework__name")
# Names read in the reader's language (``clo.core.translated``): the roll-ups' model is not translated itself.
TRANSLATED_FIELDS = frozenset({"competency__name", "competency__framework__name", "area__name",
                               "area__framework__name", "name", "framework__name"})


# Figures that add up over competencies (people would be counted once per competency: they are left out).
HEAT_FIGURES = ("people_with_gap", "requirements", "requirements_met", "not_assessed", "gap_sum", "weight_sum",
                "weighted_gap_sum", "critical_gaps")


def _competency_rollups(position_group: str) -> QuerySet:
    """The per-competency roll-ups of everyone, or of the people whose position is in ``position_group``."""
    if position_group:
        return UnitGroupCompetencyGap.objects.filter(position_group=position_group)
    return UnitCompetencyGap.objects.all()


def board_heat_gaps(unit_id: int, child_ids: list[int], *, competencies: Q = Q(), by_competency: bool = False,
                    position_group: str = "") -> list:
    """The heatmap's rows of a unit's board, in one query: each child's whole subtree and the unit's own people,
    over the competencies ``competencies`` keeps (and the people of ``position_group`` only, if given), summed per
    area by the database (tuples of ``HEAT_AREA_FIELDS`` then ``HEAT_FIGURES``: ids and sums, the areas' names are
    the board's own rows', or ``heat_areas``), or per competency with ``by_competency`` (tuples of ``BOARD_FIELDS``:
    an area's competencies, a few rows per child)."""
    rows = _competency_rollups(position_group).filter(
        Q(unit_id=unit_id, subtree=False) | Q(unit_id__in=child_ids, subtree=True)
    ).filter(competencies)
    if by_competency:
        return list(rows.order_by("area__order", "area__code", "competency__order", "competency__code")
                    .values_list(*translated.values_list_fields(BOARD_FIELDS, TRANSLATED_FIELDS)))
    return list(
        rows.order_by().values(*HEAT_AREA_FIELDS).annotate(**{f"total_{name}": Sum(name) for name in HEAT_FIGURES})
        .values_list(*HEAT_AREA_FIELDS, *(f"total_{name}" for name in HEAT_FIGURES))
    )


def heat_areas(area_ids) -> list[tuple]:
    """The areas ``area_ids`` with their frameworks (tuples of ``AREA_FIELDS``, names in the reader's language), for a
    heatmap row whose area the board's rows lack (a roll-up written between the two reads). One query."""
    from competencies.models import Area

    return list(Area.objects.filter(pk__in=list(area_ids)).order_by()
                .values_list(*translated.values_list_fields(AREA_FIELDS, TRANSLATED_FIELDS)))


def board_competency_gaps(unit_id: int, child_ids: list[int], *, competencies: Q = Q(),
                          position_group: str = "") -> list[tuple]:
    """In one query, the per-competency roll-ups a unit's board is drawn from: the unit's whole subtree and its own
    people (``subtree`` True and False), and each child's whole subtree — of everyone, or of the people of
    ``position_group`` only; as plain tuples of ``BOARD_FIELDS`` (names of competency, area and framework included: a
    board reads a few thousand of them)."""
    return list(
        _competency_rollups(position_group).filter(Q(unit_id=unit_id) | Q(unit_id__in=child_ids, subtree=True))
        .filter(competencies)
        .order_by("area__order", "area__code", "competency__order", "competency__code")
        .values_list(*translated.values_list_fields(BOARD_FIELDS, TRANSLATED_FIELDS))
    )


def gap_pairs(unit_path: str, *, competencies: Q = Q(), position_group: str = "", with_gap: bool = True,
              only_unit_id: int | None = None) -> QuerySet:
    """Employee × requirement pairs (the ``Gap`` view) of a unit's subtree (or, with ``only_unit_id``, of that unit's
    own people), largest gap first, with person, unit, position and competency loaded: the people behind a heatmap
    cell."""
    if only_unit_id is not None:
        pairs = Gap.objects.filter(unit_id=only_unit_id)
    else:
        pairs = Gap.objects.filter(unit__path__startswith=unit_path)
    pairs = pairs.filter(competencies)
    if position_group:
        pairs = pairs.filter(position__group=position_group)
    if with_gap:
        pairs = pairs.filter(gap__gt=0)
    return pairs.select_related("employee", "unit", "position", "competency").order_by(
        "-gap", "-weight", "employee__last_name", "employee__first_name", "employee_id", "competency__code"
    )


def page_of_pairs(pairs: QuerySet, number, per_page: int) -> tuple[list[Gap], int, int]:
    """Page ``number`` of ``gap_pairs`` (its pairs, the count of every pair, the page's number): the pairs read with
    their competency only (joined for the order already; with the person's, unit's and position's joins too, planning
    the ``Gap`` view took longer than running it), then the page's people with their unit and position by id, in
    one small query."""
    from django.core.paginator import Paginator
    from django.db.models import Prefetch, prefetch_related_objects

    from clo.people.models import Employee

    page = Paginator(pairs.select_related(None).select_related("competency"), per_page).get_page(number)
    rows = list(page.object_list)
    prefetch_related_objects(rows, Prefetch("employee", queryset=Employee.objects.select_related("unit", "position")))
    for row in rows:  # the view reads the person's unit and position: the same rows (unless they changed since)
        person = row.employee
        if person is not None and person.unit_id == row.unit_id:
            row.unit = person.unit
        if person is not None and person.position_id == row.position_id:
            row.position = person.position
    return rows, page.paginator.count, page.number


def critical_positions_with_gaps(unit_path: str | None, *, competencies: Q = Q(), position_group: str = "",
                                 limit: int = 10) -> list[dict]:
    """Critical positions of a unit's subtree (of the whole organisation for ``unit_path=None``: no join on the
    units) whose holders have unmet critical requirements: per position the people concerned and the unmet critical
    requirements, most people first. One query."""
    pairs = Gap.objects.filter(position__is_critical=True, is_critical=True, gap__gt=0).filter(competencies)
    if unit_path is not None:
        pairs = pairs.filter(unit__path__startswith=unit_path)
    if position_group:
        pairs = pairs.filter(position__group=position_group)
    return list(
        pairs.order_by().values(  # type: ignore[arg-type]  # values() rows are dicts
            "position_id", "position__code", "position__title", "position__group")
        .annotate(people=Count("employee_id", distinct=True), unmet=Count("*"))
        .order_by("-people", "-unmet", "position__code")[:limit]
    )
