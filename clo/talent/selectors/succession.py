"""Succession reads: critical positions, the knowledge-at-risk map and bench strength. The one place where their
figures are defined; every page, PDF and export reads them from here.

Knowledge at risk, per unit × competency (stored as ``KnowledgeRisk``, kept by ``services.succession``)
--------------------------------------------------------------------------------------------------------
- A competency is *at stake* when a critical position (``people.Position.is_critical``) requires it. Only those
  competencies have figures.
- *criticality*: the highest criticality (1–3) of the critical positions with an active holder in the unit (or
  subtree) that require the competency; 0 when none does (the cell is then not on the map, but its holders still
  count in the subtree's figures above it).
- *expert holders*: active employees of the unit (subtree) whose current level (the gap engine's ``CurrentLevel``)
  in the competency reaches the framework's expert threshold (``Framework.expert_threshold``: its ``expert_level``,
  or three quarters of the scale's top level rounded up).
- *retiring within h years* (h = 1, 3, 5): expert holders whose expected retirement date is on or before the day h
  years after the figures' date (a date already past counts: they are still active, so they leave any day).
- *bus factor* at a horizon: expert holders who remain after those retirements.
- *risk score* at a horizon = criticality × share × 1 / holders, where share = retiring within the horizon / expert
  holders, or 1 when there are no expert holders, and holders counts at least 1 (``risk_score``).

Bench strength
--------------
- a *ready-now successor* is a confirmed successor whose readiness counts as ready now
  (``clo.talent.selectors.pools.ready_now_successors``);
- a holder *retiring without a transfer plan* is one of ``clo.talent.selectors.transfer.holders_without_transfer_plan``
  (within the succession horizon, ``CLO_SUCCESSION_HORIZON_YEARS``);
- the *retirement map*: active employees whose expected retirement date falls in each of the ten calendar years from
  the figures' date on, per civil-service group and per unit (subtree); stored as ``RetirementCount`` by
  ``services.succession`` with the knowledge-at-risk figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from clo.people import roles
from clo.people.models import Employee, OrgUnit, Position
from clo.talent.models import KnowledgeRisk, RetirementCount
from clo.talent.selectors.transfer import holders_without_transfer_plan

HORIZONS = (1, 3, 5)
DEFAULT_HORIZON = 5
MAP_COLUMNS = 12  # competencies on the heatmap: the riskiest of the unit on screen
RETIREMENT_YEARS = 10
DRILL_LIMIT = 200
UNCOVERED_SHOWN = 50  # critical positions without a ready-now successor on the board (the downloads: all)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- The score: the one definition ------------------------------------------------------------------------------


def risk_score(*, criticality: int, experts: int, retiring: int) -> Fraction:
    """criticality × (retiring / experts, or 1 without experts) × 1 / max(experts, 1), exactly."""
    share = Fraction(retiring, experts) if experts else Fraction(1)
    return criticality * share / max(experts, 1)


HEAT_LIMITS = ((Fraction(1, 4), "heat-1"), (Fraction(1, 2), "heat-2"), (Fraction(1), "heat-3"))


def heat_class(score: Fraction) -> str:
    """The tint of a cell, by its score (a score is at most 3: criticality 3, nobody holds the knowledge)."""
    if score == 0:
        return "heat-0"
    for limit, name in HEAT_LIMITS:
        if score <= limit:
            return name
    return "heat-4"


@dataclass
class Cell:
    unit_id: int
    competency_id: int
    criticality: int
    experts: int
    retiring: dict[int, int]
    horizon: int

    @property
    def retiring_now(self) -> int:
        return self.retiring[self.horizon]

    @property
    def share(self) -> Fraction:
        return Fraction(self.retiring_now, self.experts) if self.experts else Fraction(1)

    @property
    def bus_factor(self) -> int:
        return self.experts - self.retiring_now

    @cached_property
    def score(self) -> Fraction:  # read by the sort, the tint and the figure: computed once
        return risk_score(criticality=self.criticality, experts=self.experts, retiring=self.retiring_now)

    @property
    def heat(self) -> str:
        return heat_class(self.score)


def _cell(row: KnowledgeRisk, horizon: int) -> Cell:
    return Cell(unit_id=row.unit_id, competency_id=row.competency_id, criticality=row.criticality,
                experts=row.experts, retiring={1: row.retiring_1, 3: row.retiring_3, 5: row.retiring_5},
                horizon=horizon)


# --- Scope --------------------------------------------------------------------------------------------------------


def within(scope: roles.Scope, path: str) -> bool:
    return scope.everything or any(path.startswith(own) for own in scope.unit_paths)


def can_see_succession(scope: roles.Scope) -> bool:
    """HR and the learning office see the whole organisation; a director their subtree."""
    return scope.everything or scope.has(roles.DIRECTOR)


def can_flag(scope: roles.Scope) -> bool:
    """HR and the learning office flag critical positions."""
    return scope.is_learning_office or scope.has(roles.HR)


def unit_in_scope(scope: roles.Scope, unit_id: int | None) -> OrgUnit:
    """The unit asked for (default: the organisation's first root, or the first unit a director heads); Http404 for
    one outside the user's scope."""
    if not can_see_succession(scope):
        raise Http404
    if unit_id is None:
        if scope.everything:
            unit = OrgUnit.objects.filter(depth=0).order_by("path").first()
        else:
            unit = OrgUnit.objects.filter(pk=scope.headed_unit_ids[0]).first() if scope.headed_unit_ids else None
    else:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not within(scope, unit.path):
        raise Http404
    return unit


def scope_paths(scope: roles.Scope) -> tuple[str, ...] | None:
    """None for the whole organisation, else the director's subtree paths."""
    return None if scope.everything else scope.unit_paths


# --- Critical positions ------------------------------------------------------------------------------------------


def _in_paths(prefix: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def critical_positions(*, paths: tuple[str, ...] | None = None):
    """The critical positions (of a subtree: whose unit is in it, or with an active holder in it), with their active
    holders counted (in the subtree), most critical first. Two queries at most whatever the number. The holders are
    counted per position through the employees' position index (a correlated count), not by joining every employee:
    the cost follows the critical positions' holders, not the organisation."""
    holders = Employee.objects.filter(position=OuterRef("pk"), active=True)
    positions = Position.objects.filter(is_critical=True)
    if paths is not None:
        holders = holders.filter(_in_paths("unit__", paths))
        positions = positions.filter(_in_paths("unit__", paths) | Q(Exists(holders)))
    count = holders.order_by().values("position").annotate(n=Count("pk")).values("n")
    return (positions.select_related("unit").annotate(holders=Coalesce(Subquery(count), 0))
            .order_by("-criticality", "code"))


def position_in_scope(scope: roles.Scope, position_id: int) -> Position:
    position = Position.objects.select_related("unit").filter(pk=position_id).first()
    if position is None or not can_see_succession(scope):
        raise Http404
    if scope.everything:
        return position
    paths = scope.unit_paths
    in_subtree = position.unit is not None and within(scope, position.unit.path)
    if not in_subtree and not Employee.objects.filter(_in_paths("unit__", paths), position=position,
                                                      active=True).exists():
        raise Http404
    return position


def position_holders(position: Position, *, paths: tuple[str, ...] | None = None) -> list[Employee]:
    """The active holders of the position (in the subtree), soonest to retire first."""
    holders = Employee.objects.filter(position=position, active=True, blocked_at__isnull=True)
    if paths is not None:
        holders = holders.filter(_in_paths("unit__", paths))
    return list(holders.select_related("unit").order_by("expected_retirement_date", "last_name", "first_name")
                .only("id", "first_name", "last_name", "expected_retirement_date", "unit__name", "unit__path"))


def position_requirements(position: Position) -> list:
    from competencies.models import Requirement

    return list(Requirement.objects.filter(position=position).select_related("competency", "competency__framework")
                .order_by("-is_critical", "-weight", "competency__code"))


def positions_to_flag(query: str, *, limit: int = 20) -> list[Position]:
    """Positions not yet critical whose code or title contains ``query`` (at least 2 characters)."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(Position.objects.filter(Q(code__icontains=query) | Q(title__icontains=query), is_critical=False,
                                        active=True).order_by("code")[:limit])


# --- Knowledge-at-risk map ------------------------------------------------------------------------------------------


@dataclass
class RiskMap:
    unit: OrgUnit
    horizon: int
    columns: list = field(default_factory=list)  # competencies
    rows: list = field(default_factory=list)  # (unit, [Cell | None per column])
    as_of: dt.date | None = None


def _score_expression(horizon: int):
    """``risk_score`` in SQL, to rank the cells where they are stored: criticality without expert holders, else
    criticality × retiring / experts² (one correctly rounded division: equal scores stay equal)."""
    from django.db.models import Case, F, FloatField, When
    from django.db.models.functions import Cast

    retiring = F(f"retiring_{horizon}")
    return Case(
        When(experts=0, then=Cast("criticality", FloatField())),
        default=Cast(F("criticality") * retiring, FloatField()) / Cast(F("experts") * F("experts"), FloatField()),
        output_field=FloatField(),
    )


def risk_map(unit: OrgUnit, *, horizon: int = DEFAULT_HORIZON) -> RiskMap:
    """The unit (its subtree figures) and its active children as rows × the competencies at stake in the unit's
    subtree, the ``MAP_COLUMNS`` riskiest at ``horizon`` as columns. Four queries, from stored figures only, none
    of which grows with the organisation: the columns are ranked and cut in SQL (``talent_knowledgerisk_unique``
    finds the unit's rows), the children's cells are read for those columns only."""
    from competencies.models import Competency

    children = list(OrgUnit.objects.filter(parent=unit, active=True).order_by("name"))
    units = [unit, *children]
    fields = ("unit_id", "competency_id", "criticality", "experts", "retiring_1", "retiring_3", "retiring_5", "as_of")
    stored = KnowledgeRisk.objects.filter(subtree=True, criticality__gt=0).only(*fields)
    own_rows = list(stored.filter(unit=unit).annotate(score=_score_expression(horizon))
                    .order_by("-score", "-criticality", "competency_id")[:MAP_COLUMNS])
    ranked = [_cell(r, horizon) for r in own_rows]
    names = Competency.objects.in_bulk([c.competency_id for c in ranked])
    columns = [names[c.competency_id] for c in ranked]
    below = stored.filter(unit__in=children, competency__in=columns) if children and columns else []
    cells = {(c.unit_id, c.competency_id): c for c in [*ranked, *(_cell(r, horizon) for r in below)]}
    rows = [(u, [cells.get((u.pk, c.pk)) for c in columns]) for u in units]
    return RiskMap(unit=unit, horizon=horizon, columns=columns, rows=rows,
                   as_of=own_rows[0].as_of if own_rows else None)


def risk_cell(unit: OrgUnit, competency_id: int, *, horizon: int = DEFAULT_HORIZON) -> Cell | None:
    row = KnowledgeRisk.objects.filter(unit=unit, subtree=True, competency_id=competency_id).first()
    return _cell(row, horizon) if row else None


def expert_threshold(competency) -> int:
    framework = competency.framework
    top = max(framework.scale.levels.values_list("value", flat=True), default=0)
    return framework.expert_threshold(top)


def expert_holders(unit: OrgUnit, competency, *, limit: int = DRILL_LIMIT) -> list[Employee]:
    """The drill-down: the active expert holders of the competency in the unit's subtree, soonest to retire first,
    each with ``level``. Bounded by ``limit``."""
    from evaluations.models import CurrentLevel

    levels = CurrentLevel.objects.filter(
        competency=competency, level__gte=expert_threshold(competency), employee__active=True,
        employee__blocked_at__isnull=True, employee__unit__path__startswith=unit.path,
    ).select_related("employee", "employee__unit", "employee__position")
    levels = levels.order_by("employee__expected_retirement_date", "employee__last_name", "employee__id")[:limit]
    people = []
    for level in levels:
        person = level.employee
        person.level = level.level
        people.append(person)
    return people


# --- Bench strength -----------------------------------------------------------------------------------------------


def ready_now_successors(position_ids, *, today: dt.date) -> dict[int, int]:
    """How many ready-now successors each critical position has: the successor pools' definition
    (``clo.talent.selectors.pools.ready_now_successors``)."""
    from clo.talent.selectors import pools

    return {position_id: len(ids) for position_id, ids in pools.ready_now_successors(position_ids, today=today).items()}


@dataclass
class Bench:
    unit: OrgUnit
    today: dt.date
    positions: int = 0
    covered: int = 0
    uncovered: list = field(default_factory=list)  # critical positions with no ready-now successor (maybe the first)
    retiring_without_plan: list = field(default_factory=list)
    years: list = field(default_factory=list)
    by_group: list = field(default_factory=list)  # (group, [count per year], total)
    by_unit: list = field(default_factory=list)  # (unit, [count per year], total)

    @property
    def uncovered_total(self) -> int:
        return self.positions - self.covered

    @property
    def uncovered_cut(self) -> bool:
        """The board shows only the first of them (the downloads and the PDF have them all)."""
        return len(self.uncovered) < self.uncovered_total

    @property
    def covered_percent(self) -> float | None:
        return round(100 * self.covered / self.positions, 1) if self.positions else None


def bench_strength(unit: OrgUnit, *, today: dt.date, uncovered_limit: int | None = UNCOVERED_SHOWN) -> Bench:
    """Bench strength of the unit's subtree, in a number of queries that does not grow with it: the critical
    positions counted, their ready-now successors (four grouped queries, the positions a subquery), the first
    ``uncovered_limit`` positions without one, most critical first (None: all of them, for the downloads and the
    PDF), the holders retiring within two years, the child units and the stored retirement map (per group and per
    unit). The map is as of its roll-up's date (refreshed with the knowledge-at-risk figures, rebuilt nightly)."""
    paths = (unit.path,)
    bench = Bench(unit=unit, today=today)
    positions = critical_positions(paths=paths)
    ready = ready_now_successors(positions.values("pk"), today=today)
    bench.positions = positions.count()
    bench.covered = sum(1 for n in ready.values() if n >= 1)
    uncovered = positions.exclude(pk__in=list(ready))
    bench.uncovered = list(uncovered if uncovered_limit is None else uncovered[:uncovered_limit])
    # The holders retiring within the succession horizon (CLO_SUCCESSION_HORIZON_YEARS, 2 by default) with no
    # knowledge-transfer plan: the transfer plans' definition, the same list their page offers to plan.
    bench.retiring_without_plan = list(
        holders_without_transfer_plan(today=today, unit_paths=(unit.path,)).filter(blocked_at__isnull=True)
        .select_related("position", "unit").order_by("expected_retirement_date", "last_name", "id")[:DRILL_LIMIT]
    )
    bench.years = [today.year + i for i in range(RETIREMENT_YEARS)]
    # the ten-year retirement map: the stored roll-up (``RetirementCount``, kept with the knowledge-at-risk figures)
    stored = RetirementCount.objects.filter(year__in=bench.years)
    per_group = stored.filter(unit=unit, subtree=True).values_list("group", "year", "retiring")
    bench.by_group = _table(per_group, [g for g, _ in Position.Group.choices], bench.years)
    children = list(OrgUnit.objects.filter(parent=unit).order_by("name"))
    per_unit = (stored.filter(Q(unit=unit, subtree=False) | Q(unit__in=children, subtree=True))
                .values_list("unit_id", "year").order_by().annotate(n=Sum("retiring")))
    counts = {(unit_id, year): n for unit_id, year, n in per_unit}
    bench.by_unit = [(u, [counts.get((u.pk, y), 0) for y in bench.years]) for u in [unit, *children]]
    bench.by_unit = [(u, values, sum(values)) for u, values in bench.by_unit]
    return bench


def _table(rows, keys, years):
    counts: dict = {}
    for key, year, n in rows:
        counts[(key, year)] = counts.get((key, year), 0) + n
    table = [(key, [counts.get((key, y), 0) for y in years]) for key in keys]
    return [(key, values, sum(values)) for key, values in table]
