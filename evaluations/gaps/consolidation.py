"""Writes ``CurrentLevel`` from the evidence (rules: the package docstring; SQL: ``sql.winners``).

Only differences are written: a level that did not change is not touched, so re-running is cheap and idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from evaluations.gaps import sql
from evaluations.gaps.sql import Dialect, Scope

_COLUMNS = "employee_id, competency_id, level, source, assessed_on, expires_on"


def _cl_scope_filter(scope: Scope) -> tuple[str, list]:
    return scope.filter("evaluations_currentlevel.employee_id", "evaluations_currentlevel.competency_id")


def _upsert(d: Dialect) -> str:
    """The ON CONFLICT clause of a winners' INSERT: a row is rewritten only if it changed. Every row is derived: the
    evidence it was derived from (imported levels included, ``evaluations.Evidence``) is never written here."""
    differs = " OR ".join(
        d.differs(f"evaluations_currentlevel.{column}", f"excluded.{column}")
        for column in ("level", "source", "assessed_on", "expires_on")
    )
    return (
        "ON CONFLICT (employee_id, competency_id) DO UPDATE SET level = excluded.level, source = excluded.source, "
        f"assessed_on = excluded.assessed_on, expires_on = excluded.expires_on WHERE {differs}"
    )


def _apply(cursor, d: Dialect, winners_from: str, params: list, scope: Scope) -> int:
    """Upsert the winners of ``winners_from`` (a table or a parenthesised query) and delete the scope's levels that
    have no winner any more. Returns the number of rows written or removed."""
    cursor.execute(
        f"INSERT INTO evaluations_currentlevel ({_COLUMNS}) SELECT {_COLUMNS} FROM {winners_from} w WHERE 1 = 1 "
        f"{_upsert(d)}",
        params,
    )
    written = max(cursor.rowcount, 0)
    scope_sql, scope_params = _cl_scope_filter(scope)
    cursor.execute(
        f"DELETE FROM evaluations_currentlevel WHERE 1 = 1 {scope_sql} AND NOT EXISTS ("
        f"SELECT 1 FROM {winners_from} w WHERE w.employee_id = evaluations_currentlevel.employee_id "
        "AND w.competency_id = evaluations_currentlevel.competency_id)",
        scope_params + params,
    )
    return written + max(cursor.rowcount, 0)


def consolidate_employees(employee_ids: tuple[int, ...], *, today: dt.date) -> int:
    """Re-consolidate every competency of a few employees (the incremental path): the winners are read once, then
    written with one upsert and one delete. Returns the rows written or removed."""
    if not employee_ids:
        return 0
    d = Dialect(connection)
    scope = Scope(employees=tuple(employee_ids))
    query, params = sql.winners(d, scope, today)
    winners = sql.execute(query, params, fetch=True)
    changed = 0
    if winners:
        changed += sql.execute(
            f"WITH w({_COLUMNS}) AS (VALUES {', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(winners))}) "
            f"INSERT INTO evaluations_currentlevel ({_COLUMNS}) SELECT {_COLUMNS} FROM w WHERE 1 = 1 {_upsert(d)}",
            [value for row in winners for value in row],
        )
    kept = [(w[0], w[1]) for w in winners]
    in_employees = ", ".join(["%s"] * len(employee_ids))
    keep = f" AND (employee_id, competency_id) NOT IN (VALUES {', '.join(['(%s, %s)'] * len(kept))})" if kept else ""
    changed += sql.execute(
        f"DELETE FROM evaluations_currentlevel WHERE employee_id IN ({in_employees}){keep}",
        list(employee_ids) + [value for pair in kept for value in pair],
    )
    return changed


def consolidate_all(*, today: dt.date) -> int:
    """Re-consolidate every employee × competency from all the evidence (the heavy, complete path)."""
    return _consolidate_through_table(Scope(), today=today)


def consolidate_listed(table: str, *, today: dt.date) -> int:
    """Re-consolidate every competency of the employees listed in ``table`` (employee_id): the daily sweep passes the
    employees who have a level whose evidence expired — with levels kept current by the incremental refreshes, time
    is the only thing that changes them without a write. Returns the rows written or removed."""
    return _consolidate_through_table(Scope(employees_table=table), today=today)


def _consolidate_through_table(scope: Scope, *, today: dt.date) -> int:
    d = Dialect(connection)
    query, params = sql.winners(d, scope, today)
    table = "gap_tmp_winners"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {query}", params)
        cursor.execute(f"CREATE UNIQUE INDEX {table}_pair ON {table} (employee_id, competency_id)")
        if d.postgresql:
            cursor.execute(f"ANALYZE {table}")
        try:
            return _apply(cursor, d, table, [], scope)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
