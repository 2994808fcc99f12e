"""Set-based writes for the importers.

``bulk_update`` is Django's ``QuerySet.bulk_update`` on SQLite; on PostgreSQL it is one
``UPDATE … FROM (VALUES …)`` per batch, keyed by primary key: Django's own builds a ``CASE WHEN`` per field and row,
whose cost (in Python and on the server) grows much faster than the rows (50 000 employees: minutes instead of
seconds).
"""

from __future__ import annotations

from django.db import connection

BATCH = 2000


def bulk_update(model, objects: list, fields: list[str], *, batch_size: int = BATCH) -> int:
    """Write ``fields`` of ``objects`` (instances with their primary key set) to their rows. Returns rows sent."""
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=batch_size)
        return len(objects)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    quote = connection.ops.quote_name
    casts = [pk.db_type(connection)] + [column.db_type(connection) for column in columns]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    names = ", ".join(["pk__"] + [quote(column.column) for column in columns])
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            chunk = objects[start:start + batch_size]
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params.extend(column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns)
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v({names}) WHERE t.{quote(pk.column)} = v.pk__",
                params,
            )
    return len(objects)


def changes_between(before: dict, after: dict) -> dict:
    """The audit trail's shape of a change: ``{"field": [before, after]}`` for the fields that differ."""
    return {field: [before.get(field), value] for field, value in after.items() if before.get(field) != value}


def audit(model, changes: dict, *, action: str, person_ids: dict | None = None) -> int:
    """Record what an import wrote in bulk (no signal reaches the audit trail) — one entry per object, inserted in
    batches — with the actor of the request or job (``clo.core.audit.record_bulk_change``)."""
    from clo.core.audit import record_bulk_change

    changes = {pk: diff for pk, diff in changes.items() if pk is not None and diff}
    return record_bulk_change(model, changes=changes, person_ids=person_ids, action=action) if changes else 0


# --- Staging: what a streaming importer read, in a temporary table, written from there set-based -------------------


class Staging:
    """A temporary table of the session (``name``, ``columns``: ``[(name, SQL type)]``) that an importer fills a
    chunk at a time (``load``: COPY on PostgreSQL, one multi-row INSERT elsewhere) and then reads and writes from
    with SQL. It lives until ``drop`` or the end of the transaction that rolls it back."""

    def __init__(self, name: str, columns: list[tuple[str, str]]) -> None:
        self.name, self.columns = name, columns

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.name} "
                           f"({', '.join(f'{column} {kind}' for column, kind in self.columns)})")

    def load(self, rows: list[tuple], columns: list[str] | None = None) -> None:
        """Add ``rows`` (tuples in the order of ``columns``, by default every column)."""
        if not rows:
            return
        names = columns or [column for column, _kind in self.columns]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {self.name} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {self.name} ({', '.join(names)}) "
                                   f"VALUES ({', '.join(['%s'] * len(names))})", rows)

    def index(self, column: str) -> None:
        """A unique index on ``column`` once the rows are loaded (the joins on it), and the statistics for the
        planner (autovacuum never sees a temporary table)."""
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE UNIQUE INDEX {self.name}_{column} ON {self.name} ({column})")
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.name}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def json_type() -> str:
    return "jsonb" if connection.vendor == "postgresql" else "text"


def json_diff(pairs: list[tuple[str, str, str]], *, booleans: tuple[str, ...] = ()) -> str:
    """SQL for the audit trail's shape of a change, ``{"field": [before, after]}`` with only the fields whose two
    expressions differ (``pairs``: ``(field, before, after)``; ``before`` may be ``NULL`` for a creation, and then
    the fields whose value is null are left out, as ``changes_between`` does). ``booleans``: the fields whose
    expressions are booleans (JSON true/false on every database)."""
    postgres = connection.vendor == "postgresql"
    parts = []
    for name, before, after in pairs:
        differs = f"{after} IS NOT NULL" if before == "NULL" else f"{before} IS DISTINCT FROM {after}"
        if name in booleans and not postgres:  # SQLite's booleans are 0 and 1
            before, after = (f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)" if value != "NULL" else value
                             for value in (before, after))
        array = f"jsonb_build_array({before}, {after})" if postgres else f"json_array({before}, {after})"
        parts.append(f"'{name}', CASE WHEN {differs} THEN {array} END")
    # The fields left null are dropped: by jsonb_strip_nulls, or by a merge patch (where null deletes).
    if postgres:
        return f"jsonb_strip_nulls(jsonb_build_object({', '.join(parts)}))"
    return f"json_patch('{{}}', json_object({', '.join(parts)}))"


def changes_recorded(model, *, table: str, job_id: int | None) -> int:
    """What an import wrote, as staged in ``table`` (``object_id``, ``action``: "create", "update" or
    "deactivate", ``changes``: JSON), to the audit trail (a deactivation is an update there; the person is the
    record itself) and, for ``job_id``, to the job's ``ImportChange`` rows (its undo): two ``INSERT … SELECT``."""
    from clo.core.audit import record_bulk_change_from
    from clo.core.imports.models import ImportChange

    order = "CASE action WHEN 'create' THEN 0 WHEN 'update' THEN 1 ELSE 2 END, object_id"
    written = record_bulk_change_from(model, query=(
        "SELECT object_id, CASE action WHEN 'create' THEN 'create' ELSE 'update' END AS action, changes, "
        f"object_id AS person_id FROM {table} ORDER BY {order}"))
    if job_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {connection.ops.quote_name(ImportChange._meta.db_table)} "
                           f"(job_id, object_id, action, changes) SELECT %s, object_id, action, changes FROM {table} "
                           f"ORDER BY {order}", [job_id])
    return written
