"""Read access to the organisation for other apps and the dashboards.

Every function returns a fixed number of queries, whatever the size of the organisation.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from clo.people.models import Employee, OrgUnit, Position, UnitHeadcount


def employees_in_scope(*, unit_paths: tuple[str, ...] | None = None, exclude_id: int | None = None) -> QuerySet:
    """Active employees of the whole organisation (``unit_paths=None``) or of those unit subtrees."""
    employees = Employee.objects.active()
    if unit_paths is not None:
        employees = employees.in_units(unit_paths)
    if exclude_id is not None:
        employees = employees.exclude(pk=exclude_id)
    return employees


def organisation_counts() -> dict[str, int]:
    """Active employees (the headcount counters' sum), units and positions (three queries)."""
    return {
        "employees": headcount(),
        "units": OrgUnit.objects.active().count(),
        "positions": Position.objects.filter(active=True).count(),
    }


def employment_type_breakdown() -> list[dict]:
    """Active employees by employment type: ``[{"type", "label", "count"}]`` in the choices' order, zeros included."""
    counts = dict(
        Employee.objects.active().order_by().values_list("employment_type").annotate(n=Count("pk"))
    )
    return [
        {"type": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Employee.EmploymentType.choices
    ]


def retirements_within(*, years: int, today: dt.date) -> dict[str, int]:
    """Active employees expected to retire between ``today`` and ``years`` years later (succession planning),
    and how many of them hold a critical position."""
    try:
        horizon = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        horizon = today.replace(year=today.year + years, day=28)
    return Employee.objects.active().filter(
        expected_retirement_date__gte=today, expected_retirement_date__lte=horizon
    ).aggregate(total=Count("pk"), critical=Count("pk", filter=Q(position__is_critical=True)))


def headed_units(unit_ids: tuple[int, ...]) -> list[OrgUnit]:
    """The units a director heads, each with ``unit_count``: active units of its subtree, itself included."""
    subtree = OrgUnit.objects.active().filter(path__startswith=OuterRef("path"))
    return list(OrgUnit.objects.filter(pk__in=unit_ids).annotate(unit_count=_count(subtree)).order_by("path"))


def _count(queryset: QuerySet) -> Subquery:
    """A correlated ``(SELECT COUNT(*) ...)`` of ``queryset``. ``COUNT`` as a plain function, not an aggregate,
    so that Django adds no GROUP BY to the subquery."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1], output_field=IntegerField()
    )


def employee_profile(employee_id: int) -> Employee | None:
    """An employee with their position, unit and manager, in one query."""
    return Employee.objects.select_related("position", "unit", "manager").filter(pk=employee_id).first()


def units_in_subtrees(unit_paths: tuple[str, ...]) -> QuerySet:
    """Units at or below any of the given unit paths (inactive ones included: their history still counts)."""
    return OrgUnit.objects.subtree_of(unit_paths)


def unit_figures(unit_id: int, expressions: dict) -> dict:
    """Evaluate several scalar subqueries (figures of other apps' selectors) together, in one query: the dashboards'
    headline figures cost one round trip whatever their number."""
    named = {f"figure_{key}": expression for key, expression in expressions.items()}  # no clash with fields
    row = OrgUnit.objects.filter(pk=unit_id).annotate(**named).values(*named).get()
    return {key: row[f"figure_{key}"] for key in expressions}


def count_figure(queryset: QuerySet):
    """A scalar ``(SELECT COUNT(*) ...)`` of ``queryset``, for ``unit_figures``."""
    return Coalesce(_count(queryset), 0)


def _counters(unit_path: str | None, group: str) -> QuerySet:
    counters = UnitHeadcount.objects.all()
    if unit_path is not None:
        counters = counters.filter(unit__path__startswith=unit_path)
    return counters.filter(position_group=group) if group else counters


def headcount(*, unit_path: str | None = None, group: str = "") -> int:
    """The active employees of the whole organisation (``unit_path=None``) or of a unit's subtree, of one position
    group or all: the sum of the per-unit counters the database keeps (``UnitHeadcount``), a few thousand rows at
    most instead of every employee. One query."""
    return _counters(unit_path, group).aggregate(n=Coalesce(Sum("active"), 0))["n"]


def headcount_in_figure(unit_paths: tuple[str, ...]):
    """``headcount`` of the subtrees of several units (``Scope.unit_paths``: not nested in one another), as a scalar
    subquery for ``unit_figures``."""
    condition = Q()
    for path in unit_paths:
        condition |= Q(unit__path__startswith=path)
    counters = UnitHeadcount.objects.filter(condition if unit_paths else Q(pk__in=[])).order_by()
    return Coalesce(Subquery(counters.annotate(n=Func(F("active"), function="SUM")).values("n")[:1],
                             output_field=IntegerField()), 0)


def headcount_figure(*, unit_path: str | None = None, group: str = "", exclude_id: int | None = None):
    """``headcount`` as a scalar subquery for ``unit_figures``, minus the employee ``exclude_id`` if they are counted
    there (a director leaves themselves out of their team)."""
    total = Coalesce(Subquery(
        _counters(unit_path, group).order_by().annotate(n=Func(F("active"), function="SUM")).values("n")[:1],
        output_field=IntegerField(),
    ), 0)
    if exclude_id is None:
        return total
    counted = employees_in_scope(unit_paths=None if unit_path is None else (unit_path,)).filter(pk=exclude_id)
    if group:
        counted = counted.filter(position__group=group)
    return total - count_figure(counted)


def units_of_positions(position_ids) -> set[int]:
    """The units where these positions have active holders (one query): what a requirement change recounts."""
    if not position_ids:
        return set()
    return set(
        Employee.objects.active().filter(position_id__in=list(position_ids)).order_by()
        .values_list("unit_id", flat=True).distinct()
    )
