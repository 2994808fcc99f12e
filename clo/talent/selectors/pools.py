"""Reads of successor pools: a person's fit to a critical position, their readiness, the suggested candidates and
the ready-now successors the bench-strength board counts. The fit is the one definition in
``clo.talent.models.pools``: weighted gap = Σ weight × max(required − current, 0) / Σ weight over the position's
requirements (frameworks not archived), current levels as the gap engine keeps them (``CurrentLevel``, valid today);
no level counts as 0. Critical requirements come first: candidates are ordered by their weighted gap on the critical
requirements, then on all of them."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from clo.people.models import Employee, Position
from clo.people.roles import scope_of
from clo.talent.models import ReadinessCategory, Successor
from competencies.models import Requirement
from evaluations.selectors import valid_levels

SUGGESTIONS = 20


@dataclass(frozen=True)
class Fit:
    employee_id: int
    weighted_gap: float
    critical_gap: float  # the same over the critical requirements only (0 without any)


def readiness_categories() -> list[ReadinessCategory]:
    return list(ReadinessCategory.objects.all())


def readiness_of(weighted_gap: float, categories: list[ReadinessCategory]) -> ReadinessCategory | None:
    """The first category, by highest weighted gap, whose bound the gap does not exceed; the open one otherwise."""
    open_one = None
    for category in sorted(categories, key=lambda c: (c.max_weighted_gap is None, c.max_weighted_gap or 0)):
        if category.max_weighted_gap is None:
            open_one = open_one or category
        elif Decimal(str(round(weighted_gap, 4))) <= category.max_weighted_gap:
            return category
    return open_one


def position_for_pool(user, position_id: int) -> Position | None:
    """The critical position whose pool ``user`` may see and manage: HR and the learning office any, a director the
    positions of their subtree; None otherwise (the view answers 404)."""
    scope = scope_of(user)
    positions = Position.objects.filter(pk=position_id, is_critical=True, active=True).select_related("unit")
    if not scope.everything:
        if not scope.unit_paths:
            return None
        condition = Q(pk__in=[])
        for path in scope.unit_paths:
            condition |= Q(unit__path__startswith=path)
        positions = positions.filter(condition)
    return positions.first()


def candidates_visible_to(user) -> QuerySet:
    """The people ``user`` may nominate: HR and the learning office anyone, a director the people of their subtree."""
    scope = scope_of(user)
    people = Employee.objects.active().filter(blocked_at__isnull=True)
    if scope.everything:
        return people
    return people.in_units(list(scope.unit_paths)) if scope.unit_paths else people.none()


def position_requirements(position_id: int) -> QuerySet:
    return (Requirement.objects.filter(position_id=position_id).exclude(competency__framework__status="archived")
            .select_related("competency").order_by("-is_critical", "-weight", "competency__code"))


def _requirement_rows(position_id: int) -> list[tuple[int, int, int, bool]]:
    """(competency id, weight, required level, critical) of the position's requirements in force."""
    return list(position_requirements(position_id).values_list("competency_id", "weight", "required_level",
                                                                "is_critical"))


def _totals(position_id: int, rows: list[tuple[int, int, int, bool]] | None = None) -> tuple[int, int, int, int]:
    """Σ weight × required and Σ weight, over all the requirements and over the critical ones."""
    total = weights = c_total = c_weights = 0
    for _, weight, required, critical in _requirement_rows(position_id) if rows is None else rows:
        total, weights = total + weight * required, weights + weight
        if critical:
            c_total, c_weights = c_total + weight * required, c_weights + weight
    return total, weights, c_total, c_weights


def _covered(position_id: int, people: QuerySet, *, today: dt.date) -> QuerySet:
    """Per person with at least one level in the position's competencies: Σ weight × min(current, required), over
    all the requirements and over the critical ones. One grouped query over the levels of those competencies."""
    reached = F("competency__requirements__weight") * Least("level", F("competency__requirements__required_level"))
    return (
        valid_levels(today=today)
        .filter(competency__requirements__position_id=position_id, employee__in=people)
        .exclude(competency__framework__status="archived")
        .values("employee_id")
        .annotate(covered=Sum(reached),
                  critical_covered=Sum(reached, filter=Q(competency__requirements__is_critical=True), default=0))
    )


def _fit(employee_id: int, covered: int, critical_covered: int, totals: tuple[int, int, int, int]) -> Fit:
    total, weights, c_total, c_weights = totals
    return Fit(employee_id, (total - covered) / weights if weights else 0.0,
               (c_total - critical_covered) / c_weights if c_weights else 0.0)


def fits(position_id: int, employee_ids, *, today: dt.date | None = None) -> dict[int, Fit]:
    """The fit of each of ``employee_ids`` to the position (people without any level in it: the whole gap)."""
    today = today or timezone.localdate()
    ids = list(employee_ids)
    totals = _totals(position_id)
    found = {row["employee_id"]: row for row in _covered(position_id, Employee.objects.filter(pk__in=ids),
                                                          today=today)}
    return {i: _fit(i, found.get(i, {}).get("covered") or 0, found.get(i, {}).get("critical_covered") or 0, totals)
            for i in ids}


@dataclass
class Candidate:
    employee: Employee
    fit: Fit
    readiness: ReadinessCategory | None
    successor: Successor | None = None


def suggested_successors(position: Position, user, *, limit: int = SUGGESTIONS,
                         today: dt.date | None = None) -> list[Candidate]:
    """The best-fitting people ``user`` may see who are not yet in the pool nor in the position: critical
    requirements first, then all of them. Two queries plus one for the people shown."""
    return best_fitting(position, candidates_visible_to(user), limit=limit, today=today,
                        whole_staff=scope_of(user).everything)


def best_fitting(position: Position, people: QuerySet, *, limit: int = SUGGESTIONS,
                 today: dt.date | None = None, whole_staff: bool = True) -> list[Candidate]:
    """The best-fitting of ``people`` (an Employee queryset) who are not yet in the pool nor in the position.

    ``whole_staff``: ``people`` is the whole staff (or most of it), so the people who meet a critical requirement
    are ranked first (``_best_on_critical``); a director's subtree is ranked directly, which is faster there."""
    today = today or timezone.localdate()
    requirements = _requirement_rows(position.pk)
    totals = _totals(position.pk, requirements)
    if not totals[1]:
        return []
    people = (people.exclude(position_id=position.pk)
              .exclude(pk__in=Successor.objects.filter(position=position).values("employee_id")))
    rows = _best_on_critical(requirements, people, limit=limit, today=today) if whole_staff else None
    if rows is None:
        rows = [(r["employee_id"], r["covered"], r["critical_covered"])
                for r in _covered(position.pk, people, today=today)
                .order_by("-critical_covered", "-covered", "employee_id")[:limit]]
    employees = Employee.objects.select_related("unit", "position").in_bulk([row[0] for row in rows])
    categories = readiness_categories()
    found = []
    for employee_id, covered, critical_covered in rows:
        fit = _fit(employee_id, covered, critical_covered, totals)
        found.append(Candidate(employees[employee_id], fit, readiness_of(fit.weighted_gap, categories)))
    return found


def _best_on_critical(requirements: list[tuple[int, int, int, bool]], people: QuerySet, *, limit: int,
                      today: dt.date) -> list[tuple[int, int, int]] | None:
    """The same ranking as ``_covered`` ordered (critical coverage, then coverage, then id), as (employee id,
    covered, critical covered), computed only for the people who meet at least one critical requirement; None when
    that cannot be shown to be the whole answer (then the caller ranks everybody).

    Anybody else reaches at most ``required − 1`` on every critical requirement, so their critical coverage is at
    most Σ weight × (required − 1): when the last of the ``limit`` best of the narrowed set covers more than that,
    nobody outside it can rank among them. At 250 000 people this scores thousands of people, one index-only
    lookup each, instead of grouping every level of the position's competencies. Both figures travel as one
    number, critical coverage × ``scale`` + coverage (coverage < ``scale``), so the ordering is one key."""
    critical = [(competency, required) for competency, _, required, is_critical in requirements if is_critical]
    if not critical or limit <= 0:
        return None
    scale = sum(weight * required for _, weight, required, _ in requirements) + 1
    reached = Case(*[When(competency_id=competency,
                          then=Least("level", Value(required)) * Value(weight * (scale + 1 if is_critical else 1)))
                     for competency, weight, required, is_critical in requirements],
                   output_field=IntegerField())
    valid = valid_levels(today=today)
    # One sum per candidate, NULL for those ``people`` leaves out: the check on ``people`` refers to the outer row
    # only, so PostgreSQL runs it once per candidate instead of joining every employee.
    score = Subquery(
        valid.filter(employee_id=OuterRef("employee_id"), competency_id__in=[r[0] for r in requirements])
        .filter(Exists(people.filter(pk=OuterRef(OuterRef("employee_id")))))
        .order_by().values("employee_id").annotate(score=Sum(reached)).values("score"),
        output_field=IntegerField(),
    )
    meets = reduce(operator.or_, [Q(competency_id=competency, level__gte=required) for competency, required in critical])
    rows = [(employee_id, value) for employee_id, value in
            valid.filter(meets).order_by().values("employee_id").distinct().annotate(score=score)
            .order_by(F("score").desc(nulls_last=True), "employee_id").values_list("employee_id", "score")[:limit]
            if value is not None]
    below = sum(weight * (required - 1) for _, weight, required, is_critical in requirements if is_critical)
    if len(rows) < limit or rows[-1][1] // scale <= below:
        return None
    return [(employee_id, value % scale, value // scale) for employee_id, value in rows]


def pool(position: Position, *, today: dt.date | None = None) -> list[Candidate]:
    """The position's successors, by rank, each with their fit and readiness."""
    successors = list(Successor.objects.filter(position=position).select_related(
        "employee__unit", "employee__position", "learning_plan").order_by("rank", "pk"))
    found = fits(position.pk, [s.employee_id for s in successors], today=today)
    categories = readiness_categories()
    return [Candidate(s.employee, found[s.employee_id], readiness_of(found[s.employee_id].weighted_gap, categories),
                      s) for s in successors]


def _totals_of(position_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """``_totals`` of many positions at once: one grouped query over their requirements."""
    weighted = F("weight") * F("required_level")
    critical = Q(is_critical=True)
    rows = (Requirement.objects.filter(position_id__in=position_ids).exclude(competency__framework__status="archived")
            .values("position_id").order_by()
            .annotate(total=Sum(weighted), weights=Sum("weight"), c_total=Sum(weighted, filter=critical, default=0),
                      c_weights=Sum("weight", filter=critical, default=0)))
    return {r["position_id"]: (r["total"], r["weights"], r["c_total"], r["c_weights"]) for r in rows}


def _covered_of_successors(position_ids: list[int], *, today: dt.date) -> dict[tuple[int, int], tuple[int, int]]:
    """``_covered`` of the confirmed successors of many positions at once, per (position, employee): one grouped
    query over the levels of the competencies those positions require, joined to their successors."""
    requirement = "competency__requirements__"
    reached = F(f"{requirement}weight") * Least("level", F(f"{requirement}required_level"))
    rows = (
        valid_levels(today=today)
        .filter(**{f"{requirement}position_id__in": position_ids,
                   f"{requirement}position__successors__employee_id": F("employee_id"),
                   f"{requirement}position__successors__status": Successor.Status.CONFIRMED})
        .exclude(competency__framework__status="archived")
        .values_list(f"{requirement}position_id", "employee_id").order_by()
        .annotate(covered=Sum(reached),
                  critical_covered=Sum(reached, filter=Q(**{f"{requirement}is_critical": True}), default=0))
    )
    return {(position_id, employee_id): (covered, critical) for position_id, employee_id, covered, critical in rows}


def ready_now_successors(position_ids, *, today: dt.date | None = None) -> dict[int, list[int]]:
    """For the bench-strength board: per position of ``position_ids`` (ids, or a queryset of them), the confirmed successors (employee ids, by
    rank) whose readiness category counts as ready now. Positions without any are absent. Four queries whatever the
    number of positions: the successors, the categories, the requirements' totals and the levels' coverage (both
    grouped, set-based, over every position at once)."""
    today = today or timezone.localdate()
    if not isinstance(position_ids, QuerySet):  # a queryset of ids stays a subquery: no list of every position
        position_ids = list(position_ids)
    successors = list(Successor.objects.filter(position_id__in=position_ids, status=Successor.Status.CONFIRMED,
                                               employee__active=True)
                      .order_by("position_id", "rank", "pk").values_list("position_id", "employee_id"))
    if not successors:
        return {}
    categories = readiness_categories()
    with_successors = sorted({position_id for position_id, _ in successors})
    totals = _totals_of(with_successors)
    covered = _covered_of_successors(with_successors, today=today)
    ready: dict[int, list[int]] = {}
    for position_id, employee_id in successors:
        reached, critical = covered.get((position_id, employee_id), (0, 0))
        fit = _fit(employee_id, reached or 0, critical or 0, totals.get(position_id, (0, 0, 0, 0)))
        category = readiness_of(fit.weighted_gap, categories)
        if category is not None and category.counts_as_ready_now:
            ready.setdefault(position_id, []).append(employee_id)
    return ready
