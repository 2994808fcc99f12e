"""The training roll-up (``models.UnitTraining``): per unit, year and position group, the training figures of the unit's
own people and of its whole subtree, so the dashboards add up a few rows instead of scanning a year's enrolments.

What a row counts (sessions starting in the year, local time):
- ``hours``, ``completed``, ``closed`` (attended, completed or no-show): enrolments of ACTIVE employees, under the
  unit they are in now and the group of the position they hold now;
- ``seat_cost``: the cost of every seat paid (per-seat programs, attended or completed), whoever held it (people who
  have left since included: the money was spent), under its holder's unit and group now.

Who keeps it in step:
- the services that change what it counts, in their own transaction: attendance, completion, no-show
  (``delivery``), a session moved to another year (``session_save``);
- changes made in lower layers (an employee moved, given another position, deactivated or removed, a unit moved,
  a position moved to another group) queue
  ``programs.training_refresh_employee`` / ``programs.training_refresh_units`` / ``programs.training_rollup_rebuild``
  on commit by name (``clo.core.tasks``);
- ``training_rollup_rebuild`` recomputes everything: nightly (beat) as the safety net for writes made around the
  services (the admin, a program's cost edited), and after ``seed_demo``.

Concurrency: a refresh takes one transaction-level lock (a PostgreSQL advisory lock; SQLite serialises writers
anyway) before it reads. Refreshes thus run one after the other, each reading what was committed before it plus its
own transaction's changes, and they rewrite the rows they own from those sums: nothing is incremented, so nothing
drifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import DecimalField, Q
from django.utils import timezone

from programs.models import Enrolment, Session, UnitTraining
from programs.selectors.figures import COUNTED_CLOSED as CLOSED
from programs.selectors.figures import counted_enrolments, training_aggregates

LOCK_KEY = 0x636C6F_7472  # "clo" "tr": the advisory lock of training roll-up refreshes
FIGURES = ("hours", "completed", "closed", "seat_cost")
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def year_of(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _own_figures(year: int, unit_ids: list[int] | None):
    """Own figures per unit and position group of ``year``: one GROUP BY over the year's counted enrolments
    (``selectors.figures.training_aggregates``: the figures' one definition)."""
    enrolments = counted_enrolments(year)
    if unit_ids is not None:
        enrolments = enrolments.filter(employee__unit_id__in=unit_ids)
    return (
        enrolments.order_by().values("employee__unit_id", "employee__position__group").annotate(**training_aggregates())
    )


def _write_own(year: int, unit_ids: list[int] | None) -> None:
    stale = UnitTraining.objects.filter(subtree=False, year=year)
    if unit_ids is not None:
        stale = stale.filter(unit_id__in=unit_ids)
    stale.delete()
    UnitTraining.objects.bulk_create(
        [UnitTraining(unit_id=row["employee__unit_id"], subtree=False, year=year,
                      position_group=row["employee__position__group"], **{name: row[name] for name in FIGURES})
         for row in _own_figures(year, unit_ids) if any(row[name] for name in FIGURES)],
        batch_size=2000,
    )


def _write_subtrees(year: int, ancestor_ids: list[int] | None) -> None:
    """The subtree rows of ``ancestor_ids`` (every unit with None) for ``year``: sums of the own rows below them."""
    from evaluations.gaps.sql import Dialect

    stale = UnitTraining.objects.filter(subtree=True, year=year)
    if ancestor_ids is not None:
        stale = stale.filter(unit_id__in=ancestor_ids)
    stale.delete()
    where, params = "", [year]
    if ancestor_ids is not None:
        where = f" AND anc.ancestor_id IN ({', '.join(['%s'] * len(ancestor_ids))})"
        params += list(ancestor_ids)
    table = UnitTraining._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, subtree, year, position_group, hours, completed, closed, seat_cost) "
            f"SELECT anc.ancestor_id, TRUE, o.year, o.position_group, SUM(o.hours), SUM(o.completed), SUM(o.closed), "
            "SUM(o.seat_cost) "
            f"FROM ({Dialect(connection).unit_ancestors()}) anc "
            f"JOIN {table} o ON o.unit_id = anc.unit_id AND o.subtree = FALSE AND o.year = %s{where} "
            f"GROUP BY anc.ancestor_id, o.year, o.position_group",
            params,
        )


def _ancestors(unit_ids: Iterable[int]) -> list[int]:
    """The units on the paths of ``unit_ids`` (themselves included), from their materialised paths."""
    from clo.people.models import OrgUnit

    found: set[int] = set()
    for path in OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list("path", flat=True):
        found.update(int(part) for part in path.strip("/").split("/") if part)
    return sorted(found)


@transaction.atomic
def training_refresh(*, unit_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recompute the own rows of ``unit_ids`` and the subtree rows on their paths, for each of ``years``."""
    unit_ids, years = sorted(set(unit_ids)), sorted(set(years))
    if not unit_ids or not years:
        return
    _lock()
    ancestors = _ancestors(unit_ids)
    for year in years:
        _write_own(year, unit_ids)
        _write_subtrees(year, ancestors)


def training_changed(*, enrolment_ids: Iterable[int]) -> None:
    """Enrolments' counted figures changed (hours, status): refresh their holders' units for their sessions' years."""
    rows = Enrolment.objects.filter(pk__in=list(enrolment_ids)).values_list("employee__unit_id", "session__starts_at")
    pairs = {(unit_id, year_of(starts_at)) for unit_id, starts_at in rows}
    for year in {year for _unit, year in pairs}:
        training_refresh(unit_ids=[unit for unit, y in pairs if y == year], years=[year])


def _years_of_sessions(sessions) -> list[int]:
    return sorted({moment.year for moment in sessions.datetimes("starts_at", "year")})


def training_refresh_employee(employee_id: int, previous_unit_ids: Iterable[int] = ()) -> None:
    """An employee moved, or was deactivated or reactivated: their current and previous units, for the years they
    trained in."""
    from clo.people.models import Employee

    unit_id = Employee.objects.filter(pk=employee_id).values_list("unit_id", flat=True).first()
    units = {u for u in [unit_id, *previous_unit_ids] if u}
    years = _years_of_sessions(Session.objects.filter(enrolments__employee_id=employee_id))
    training_refresh(unit_ids=units, years=years)


def training_refresh_units(unit_ids: Iterable[int]) -> None:
    """Several people of these units changed at once (removed, imported): every year."""
    training_refresh(unit_ids=unit_ids, years=_years_of_sessions(Session.objects.all()))


def training_session_moved(*, session_id: int, previous_year: int) -> None:
    """A session's start moved to another year: its attendees' units for both years."""
    rows = Enrolment.objects.filter(session_id=session_id).filter(Q(status__in=CLOSED) | Q(hours_attended__gt=0))
    units = set(rows.values_list("employee__unit_id", flat=True))
    new_year = year_of(Session.objects.values_list("starts_at", flat=True).get(pk=session_id))
    training_refresh(unit_ids=units, years=[previous_year, new_year])


@transaction.atomic
def training_rollup_rebuild() -> int:
    """Recompute every row of every year that has sessions. Returns the rows written."""
    _lock()
    UnitTraining.objects.all().delete()
    for year in _years_of_sessions(Session.objects.all()):
        _write_own(year, None)
        _write_subtrees(year, None)
    return UnitTraining.objects.count()
