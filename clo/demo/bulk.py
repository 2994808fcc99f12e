"""Bulk loading for both shapes of the demo generator (the council, ``seed``, and the gap engine's synthetic
organisation, ``benchdata``): ``COPY ... FROM STDIN`` on PostgreSQL, ``executemany`` on SQLite.

Rows are plain tuples in the order of the field names given; ids are assigned by the generator
(``Loader.ids``) so that rows can point at each other without reading anything back. On PostgreSQL the id
sequences are moved past the loaded ids at the end (``Loader.finish``).

The big tables are loaded with their keys, foreign keys and indexes set aside
(``Loader.constraints_set_aside``): PostgreSQL otherwise checks every row's references one by one (deferred
to the commit) and inserts into every index row by row, which costs several times the load itself at a few
million rows. Before the transaction commits they are all put back with their exact names and definitions:
building an index or a unique constraint sorts the rows once, and re-adding a foreign key validates every row
in one set-based query, so the database still refuses the load as a whole if one row is wrong. Likewise the
level-in-scale triggers (``clo.core.db.LevelInScale``), which check every inserted row against the
competency's scale statement by statement, are switched off for the load and their very condition is then
checked once over the whole table, failing with the trigger's message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import IntegrityError
from django.db import connection as default_connection

from clo.core.db import LevelInScale, _level_condition

SQLITE_BATCH = 2_000
COPY_BATCH = 5_000


class Ids:
    """A table's next free id; hot loops take ids with ``first = ids.next; ids.next += 1``."""

    __slots__ = ("next",)

    def __init__(self, first: int) -> None:
        self.next = first


class Loader:
    def __init__(self, connection=None) -> None:
        self.connection = connection or default_connection
        self.postgres = self.connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._ids: dict[str, Ids] = {}

    # --- ids ------------------------------------------------------------------------------------------------
    def sequence(self, model) -> Ids:
        """The id counter of ``model``'s table, starting after the largest id present."""
        table = model._meta.db_table
        if table not in self._ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {self._quote(table)}")
                self._ids[table] = Ids(cursor.fetchone()[0])
        return self._ids[table]

    def ids(self, model, count: int) -> int:
        """Reserve ``count`` consecutive ids of ``model``'s table; returns the first."""
        sequence = self.sequence(model)
        first = sequence.next
        sequence.next += count
        return first

    # --- writing --------------------------------------------------------------------------------------------
    def insert(self, model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
        if self.postgres:
            count = self._copy(model, fields, rows)
        else:
            count = self._executemany(model, fields, rows)
        table = model._meta.db_table
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def _copy(self, model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
        table = self._quote(model._meta.db_table)
        columns = ", ".join(self._quote(model._meta.get_field(name).column) for name in fields)
        line = _line_formatter(model, fields)
        count = 0
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                lines: list[str] = []
                for row in rows:
                    lines.append(line(row))
                    if len(lines) >= COPY_BATCH:
                        copy.write("".join(lines))
                        count += len(lines)
                        lines.clear()
                if lines:
                    copy.write("".join(lines))
                    count += len(lines)
        return count

    def _executemany(self, model, fields: Sequence[str], rows: Iterable[tuple]) -> int:
        columns = ", ".join(self._quote(model._meta.get_field(name).column) for name in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {self._quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        count = 0
        batch: list[tuple] = []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(map(_sqlite_value, row)))
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    # --- PostgreSQL housekeeping ----------------------------------------------------------------------------
    @contextmanager
    def constraints_set_aside(self, models):
        """Load ``models``' tables without their constraints and indexes, and restore them in bulk afterwards.

        Dropped for the block: the foreign keys from and to these tables, their primary keys, unique
        constraints and plain indexes. Afterwards the keys and unique constraints are re-added and the indexes
        rebuilt, each by one sort of the loaded rows (which also checks uniqueness), then the foreign keys are
        re-added, each validated by one set-based query. Names and definitions are the ones read from the
        catalogue, so the schema ends exactly as the migrations left it. The level-in-scale insert triggers
        are off for the block; their condition is checked once over each table at the end. On an exception
        nothing is restored: the surrounding transaction rolls the drops back anyway.
        """
        if not self.postgres:
            yield
            return
        tables = [model._meta.db_table for model in models]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[])) "
                "ORDER BY 1, 2",
                [tables, tables],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[]) ORDER BY contype, 1, 2",
                [tables],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            level_checks = _level_checks(cursor, tables)
            # ALTER TABLE refuses to run while deferred checks of earlier inserts are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, _ in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self._quote(name)}")
            for table, name, _ in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {self._quote(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            for check in level_checks:
                cursor.execute(
                    f"ALTER TABLE {self._quote(check.table)} DISABLE TRIGGER {_insert_trigger(check)}"
                )
        yield
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {self._quote(name)} {definition}")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {self._quote(name)} {definition}")
            for check in level_checks:
                cursor.execute(
                    f"ALTER TABLE {self._quote(check.table)} ENABLE TRIGGER {_insert_trigger(check)}"
                )
                cursor.execute(
                    f"SELECT 1 FROM {self._quote(check.table)} n "
                    f"WHERE {_level_condition('n', check.column, allow_zero=check.allow_zero)} LIMIT 1"
                )
                if cursor.fetchone():
                    raise IntegrityError(check.message())

    def tune_session(self) -> None:
        """Transaction-local settings that make a large load and the foreign-key validation faster."""
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")

    def finish(self) -> None:
        """Move every id sequence past the ids this loader assigned (PostgreSQL; SQLite keeps up itself)."""
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            for table in sorted(self._ids):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), "
                    f"MAX(id) IS NOT NULL) FROM {self._quote(table)}",
                    [table],
                )

    def analyze(self) -> None:
        if self.postgres:
            with self.connection.cursor() as cursor:
                for table in sorted(self.counts):
                    cursor.execute(f"ANALYZE {self._quote(table)}")

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)


def _level_checks(cursor, tables: list[str]) -> list[LevelInScale]:
    """The level-in-scale triggers (``clo.core.db.LevelInScale``) that the migrations put on ``tables``."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(cursor.db, ignore_no_migrations=True).graph  # cursor.db: the Django connection
    found = {}
    for key in graph.nodes:
        for operation in graph.nodes[key].operations:
            if isinstance(operation, LevelInScale) and operation.table in tables:
                found[operation.name] = operation
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])", [tables]
    )
    present = {name for (name,) in cursor.fetchall()}
    return [check for name, check in sorted(found.items()) if f"{name}_insert" in present]


def _insert_trigger(check: LevelInScale) -> str:
    return f'"{check.name}_insert"'  # named so by LevelInScale.database_forwards


_TEXT_CACHE: dict[str, str] = {}


def _copy_text(value: str) -> str:
    """A text value in COPY's text format (backslash escapes); short values are remembered."""
    if value.isprintable() and "\\" not in value:
        escaped = value
    else:
        escaped = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if len(value) <= 24 and len(_TEXT_CACHE) < 100_000:
        _TEXT_CACHE[value] = escaped
    return escaped


def _line_formatter(model, fields: Sequence[str]):
    """A function turning a row tuple into one line of COPY text, compiled once per column list.

    Numbers, dates, datetimes, decimals and booleans print in forms PostgreSQL reads; text goes through
    ``_copy_text`` (empty and already seen short texts skip it); None becomes ``\\N`` in nullable columns.
    """
    parts = []
    for k, name in enumerate(fields):
        field = model._meta.get_field(name)
        value = f"r[{k}]"
        if field.get_internal_type() in (
            "CharField",
            "TextField",
            "EmailField",
            "URLField",
            "SlugField",
            "JSONField",
        ):
            value = f"(r[{k}] and (_c.get(r[{k}]) or _t(r[{k}])))"
        if field.null:
            value = f"(_N if r[{k}] is None else {value})"
        parts.append("{" + value + "}")
    source = "lambda r: f'" + "\\t".join(parts) + "\\n'"
    namespace = {"_t": _copy_text, "_c": _TEXT_CACHE, "_N": "\\N"}
    return eval(source, namespace)  # noqa: S307 - source built above from field names only


def _sqlite_value(value):
    kind = type(value)
    if kind is dt.datetime:
        # Django keeps aware datetimes in SQLite as naive UTC text.
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if kind is dt.date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    if kind is Decimal:
        return str(value)
    return value
