"""Read access to assessments and consolidated levels: who is assessed, which requirements are met.

A current level counts while it has not expired (``expires_on`` empty or after ``today``). A requirement is met when
the employee's current level in its competency is at least the required level. Requirements of archived frameworks
do not count (``competencies.selectors.requirements_in_force``).

Every function here runs a fixed number of queries (set-based aggregates and correlated subqueries), whatever the
number of employees it looks at; ``employees`` arguments are querysets, used as SQL subqueries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from competencies.selectors import requirements_in_force
from evaluations.models import CurrentLevel


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to measure."""
    return 100.0 * part / whole if whole else None


def valid_levels(*, today: dt.date) -> QuerySet:
    """Current levels that still count on ``today``."""
    return CurrentLevel.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))


def _met_level(*, today: dt.date, employee) -> QuerySet:
    """Inside a requirement subquery: a valid level of ``employee`` meeting the requirement (``OuterRef`` row)."""
    return valid_levels(today=today).filter(
        employee=employee, competency=OuterRef("competency"), level__gte=OuterRef("required_level")
    )


def assessed_share(employees: QuerySet, *, today: dt.date) -> dict:
    """How many of ``employees`` have at least one valid current level: ``{"total", "assessed", "percent"}``."""
    has_level = Exists(valid_levels(today=today).filter(employee=OuterRef("pk")))
    figures = employees.order_by().aggregate(total=Count("pk"), assessed=Count("pk", filter=Q(has_level)))
    return {**figures, "percent": percent(figures["assessed"], figures["total"])}


def requirement_coverage(employees: QuerySet, *, today: dt.date) -> dict:
    """Employee × requirement pairs of ``employees`` (through their position) and how many are met:
    ``{"pairs", "met", "percent"}``. Two queries."""
    pairs = requirements_in_force().filter(position__employees__in=employees.values("pk")).count()
    met = (
        valid_levels(today=today)
        .filter(employee__in=employees.values("pk"))
        .filter(
            Exists(
                requirements_in_force().filter(
                    position=OuterRef("employee__position"),
                    competency=OuterRef("competency"),
                    required_level__lte=OuterRef("level"),
                )
            )
        )
        .count()
    )
    return {"pairs": pairs, "met": met, "percent": percent(met, pairs)}


def _count_per_position(requirements: QuerySet) -> Subquery:
    return Subquery(
        requirements.filter(position=OuterRef("position")).order_by().values("position")
        .annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def employees_with_largest_gaps(employees: QuerySet, *, today: dt.date, limit: int = 5) -> list:
    """The ``limit`` employees with the most unmet requirements (ties by name), each annotated with
    ``unmet_count`` and ``requirement_count``; employees with no gap are left out. One query."""
    unmet = requirements_in_force().exclude(Exists(_met_level(today=today, employee=OuterRef(OuterRef("pk")))))
    return list(
        employees.annotate(
            unmet_count=Coalesce(_count_per_position(unmet), 0),
            requirement_count=Coalesce(_count_per_position(requirements_in_force()), 0),
        )
        .filter(unmet_count__gt=0)
        .select_related("unit", "position")
        .order_by("-unmet_count", "last_name", "first_name", "pk")[:limit]
    )


def requirements_with_levels(*, employee_id: int, position_id: int, today: dt.date) -> list:
    """The requirements of a position, each annotated with the employee's valid ``current_level`` (None if not
    assessed) and ``met``. One query."""
    level = valid_levels(today=today).filter(employee_id=employee_id, competency=OuterRef("competency"))
    rows = list(
        requirements_in_force()
        .filter(position_id=position_id)
        .annotate(current_level=Subquery(level.values("level")[:1]))
        .select_related("competency")
        .order_by("competency__framework__code", "competency__code")
    )
    for row in rows:
        row.met = row.current_level is not None and row.current_level >= row.required_level
    return rows
