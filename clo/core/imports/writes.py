"""Set-based writes for the importers.

``bulk_update`` is Django's ``QuerySet.bulk_update`` on SQLite; on PostgreSQL it is one
``UPDATE … FROM (VALUES …)`` per batch, keyed by primary key: Django's own builds a ``CASE WHEN`` per field and row,
whose cost (in Python and on the server) grows much faster than the rows (50 000 employees: minutes instead of
seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

BATCH = 2000
CHUNK = 5000  # rows of a streamed file read, checked and staged at a time


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
#
# A streaming importer (``Importer.streams``) reads its rows once, a chunk at a time (``stream``): each row is checked
# on its own and the tuple to keep is loaded into a temporary table (``Staging``, COPY on PostgreSQL); only what the
# checks across rows need stays in Python (or nothing: they run in SQL over the staged rows). It compares with the
# database in SQL, takes the new rows' ids before inserting them (``Staging.take_ids``), and writes with
# ``insert_from`` and ``UPDATE … FROM``; what it wrote goes to a changes table (``changes_table``: one row per object,
# its diff made in SQL by ``json_diff``), and from there to the audit trail and the undo's record
# (``changes_recorded``). Memory holds one chunk, whatever the size of the file.


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    """``rows`` as lists of at most ``size``, read as they are needed."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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

    def index(self, *columns: str, unique: bool = True) -> None:
        """An index on ``columns`` once the rows are loaded (the joins on them), and the statistics for the
        planner (autovacuum never sees a temporary table)."""
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {self.name}_{'_'.join(columns)} "
                           f"ON {self.name} ({', '.join(columns)})")
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.name}")

    def take_ids(self, model, *, column: str, where: str, order: str = "row_number") -> None:
        """Ids for the rows of ``model`` to create (the staged rows matching ``where``), written into ``column``
        before they are inserted, so that one ``INSERT … SELECT`` writes them with whatever refers to them and the
        audit trail can name them: from the table's sequence on PostgreSQL; after the largest id elsewhere (SQLite:
        one writer at a time), in the order of ``order``."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"UPDATE {self.name} SET {column} = nextval(pg_get_serial_sequence('{table}', 'id')) "
                               f"WHERE {where}")
            else:
                cursor.execute(f"UPDATE {self.name} SET {column} = (SELECT COALESCE(MAX(id), 0) FROM {table}) + r.n "
                               f"FROM (SELECT {order}, ROW_NUMBER() OVER (ORDER BY {order}) AS n FROM {self.name} "
                               f"WHERE {where}) AS r WHERE r.{order} = {self.name}.{order}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def stream(rows: Iterable, stage: Staging, read: Callable, *, columns: list[str], size: int = CHUNK,
           progress=None) -> int:
    """Read ``rows`` once, ``size`` at a time: ``read(row)`` checks one row (its errors noted by the caller) and
    returns the tuple to stage, in the order of ``columns``, or None; each chunk is loaded into ``stage`` before
    the next is read. ``progress(rows read)`` after each chunk. Returns the number of rows read."""
    done = 0
    for chunk in chunks(rows, size):
        stage.load([staged for staged in map(read, chunk) if staged is not None], columns)
        done += len(chunk)
        if progress:
            progress(done)
    return done


def insert_from(model, values: dict[str, str], source: str, params: Iterable = ()) -> int:
    """``INSERT … SELECT`` of ``model`` rows: ``values`` maps columns to SQL expressions over ``source`` (the
    ``FROM`` clause, with its joins, ``WHERE`` and ``ORDER BY``; ``params`` its parameters). Every other column
    gets the field's default as ``save()`` would give it (``auto_now``/``auto_now_add``: now; a blank text: "");
    the database fills those with a ``db_default`` and leaves the nullable ones without a default null. Returns
    the rows inserted."""
    quote = connection.ops.quote_name
    names, expressions, defaults = list(values), list(values.values()), []
    for field in model._meta.concrete_fields:
        if field.column in values or field.primary_key or field.db_default is not NOT_PROVIDED:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.has_default() or (not field.null and field.empty_strings_allowed):
            value = field.get_default()
        elif field.null:
            continue
        else:
            raise ValueError(f"{model.__name__}.{field.name} has no default: give it a value")
        names.append(field.column)
        expressions.append("%s")
        defaults.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(name) for name in names)}) "
                       f"SELECT {', '.join(expressions)} FROM {source}", [*defaults, *params])
        return cursor.rowcount


def changes_table(name: str) -> Staging:
    """What a streaming import wrote, one row per object (``object_id``, ``action``: "create", "update" or
    "deactivate", ``changes``: the diff as JSON, ``person_id``: the employee it is about), for
    ``changes_recorded``."""
    return Staging(name, [("object_id", "bigint NOT NULL"), ("action", "varchar(10) NOT NULL"),
                          ("changes", json_type()), ("person_id", "bigint")])


def json_type() -> str:
    return "jsonb" if connection.vendor == "postgresql" else "text"


def decimal_text(expression: str, places: int) -> str:
    """SQL for a decimal as the audit trail writes it (``"8.0"``, as Django's JSON encoder writes ``Decimal("8.0")``),
    on every database (SQLite keeps 8.0 as the integer 8). For a statement without parameters (``%`` is literal)."""
    if connection.vendor == "postgresql":
        return f"CAST(ROUND({expression}, {places}) AS text)"
    return f"printf('%.{places}f', {expression})"


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


def changes_recorded(model, *, table: str, job_id: int | None, person: str = "person_id") -> int:
    """What an import wrote, as staged in ``table`` (a ``changes_table``), to the audit trail (a deactivation is
    an update there; the person it is about: the column ``person``, "object_id" when the record is the employee) and, for ``job_id``, to the job's ``ImportChange`` rows (its undo): two
    ``INSERT … SELECT``."""
    from clo.core.audit import record_bulk_change_from
    from clo.core.imports.models import ImportChange

    order = "CASE action WHEN 'create' THEN 0 WHEN 'update' THEN 1 ELSE 2 END, object_id"
    written = record_bulk_change_from(model, query=(
        "SELECT object_id, CASE action WHEN 'create' THEN 'create' ELSE 'update' END AS action, changes, "
        f"{person} AS person_id FROM {table} ORDER BY {order}"))
    if job_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {connection.ops.quote_name(ImportChange._meta.db_table)} "
                           f"(job_id, object_id, action, changes) SELECT %s, object_id, action, changes FROM {table} "
                           f"ORDER BY {order}", [job_id])
    return written


def mark_repeated(stage: Staging, key: tuple[str, ...], *, also: str = "", among: str = "") -> list[tuple]:
    """The staged rows whose ``key`` (columns of ``stage``) repeats an earlier staged row's (by ``row_number``, the
    first row of the key counting whether or not it passed its own checks; ``among``: an SQL condition on the
    staged row's own columns, none of the key's, that the rows must meet to count at all): their column
    ``duplicate_of`` is set to that first row's number. A null key repeats nothing. Returns ``(row_number, first
    row, *also)`` of each, in the file's order (``also``: more columns of ``stage``)."""
    name, keys = stage.name, ", ".join(key)
    matches = " AND ".join(f"{name}.{column} = d.{column}" for column in key)
    counting = f" WHERE {among}" if among else ""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {name} SET duplicate_of = d.first FROM (SELECT {keys}, MIN(row_number) AS first "
                       f"FROM {name}{counting} GROUP BY {keys} HAVING COUNT(*) > 1) AS d "
                       f"WHERE {matches} AND {name}.row_number > d.first{' AND ' + among if among else ''}")
        cursor.execute(f"SELECT row_number, duplicate_of{', ' + also if also else ''} FROM {name} "
                       f"WHERE duplicate_of IS NOT NULL ORDER BY row_number")
        return cursor.fetchall()


def counted(stage: Staging, where: str) -> tuple[int, int, int]:
    """(create, update, unchanged) of the staged rows matching ``where``, by their ``action``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(CASE WHEN action = 'create' THEN 1 ELSE 0 END), 0), "
                       f"COALESCE(SUM(CASE WHEN action = 'update' THEN 1 ELSE 0 END), 0), "
                       f"COALESCE(SUM(CASE WHEN action IS NULL THEN 1 ELSE 0 END), 0) FROM {stage.name} "
                       f"WHERE {where}")
        create, update, unchanged = cursor.fetchone()
        return int(create), int(update), int(unchanged)
