"""Database-side invariants that a CHECK constraint cannot express (they look at other rows).

Each is a migration operation that installs triggers for PostgreSQL and SQLite alike:

- ``LevelInScale``: a level column must be one of the levels of the competency's framework scale
  (0 may be allowed: "not demonstrated"). On PostgreSQL it is a statement-level trigger over the transition
  table, so a bulk insert of millions of ratings is checked by one set-based query, not row by row.
- ``UnitNotUnderItself``: a unit cannot be moved under itself or one of its descendants.
- ``ActiveHeadcount`` is no invariant but a counter: the active employees of each unit and position group, kept
  by triggers.

Violations raise an integrity error whose message names the rule, e.g.
``competencies_requirement_level_in_scale: the level is not on the scale of this competency``.
"""

from __future__ import annotations

import secrets

from django.db import migrations


def _level_condition(alias: str, column: str, *, allow_zero: bool) -> str:
    zero = f" AND {alias}.{column} <> 0" if allow_zero else ""
    return (
        f"{alias}.{column} IS NOT NULL AND {alias}.competency_id IS NOT NULL{zero} AND NOT EXISTS ("
        "SELECT 1 FROM competencies_competency c "
        "JOIN competencies_framework f ON f.id = c.framework_id "
        "JOIN competencies_level l ON l.scale_id = f.scale_id "
        f"WHERE c.id = {alias}.competency_id AND l.value = {alias}.{column})"
    )


class LevelInScale(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, column: str, *, allow_zero: bool) -> None:
        self.table, self.column, self.allow_zero = table, column, allow_zero

    @property
    def name(self) -> str:
        return f"{self.table}_level_in_scale"

    def message(self) -> str:
        return f"{self.name}: the level is not on the scale of this competency"

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        name, table, msg = self.name, self.table, self.message()
        if schema_editor.connection.vendor == "postgresql":
            condition = _level_condition("n", self.column, allow_zero=self.allow_zero)
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF EXISTS (SELECT 1 FROM new_rows n WHERE {condition}) THEN "
                f"RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{msg}', CONSTRAINT = '{name}'; "
                "END IF; RETURN NULL; END $$"
            )
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(
                    f"CREATE OR REPLACE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
                    f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}_fn()"
                )
        elif schema_editor.connection.vendor == "sqlite":
            condition = _level_condition("NEW", self.column, allow_zero=self.allow_zero)
            for event in ("INSERT", "UPDATE"):
                # SQLite drops a table's triggers when a migration rebuilds the table: migrations that alter such
                # a table re-apply this operation, so it must be safe to run twice.
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event.lower()}")
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} FOR EACH ROW "
                    f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{msg}'); END"
                )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}_{event}" + (
                f" ON {self.table}" if schema_editor.connection.vendor == "postgresql" else ""
            ))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.name}_fn()")

    def describe(self) -> str:
        return f"Trigger: {self.table}.{self.column} must be a level of the competency's scale"

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table, self.column], {"allow_zero": self.allow_zero})


class UnitNotUnderItself(migrations.operations.base.Operation):
    reduces_to_sql = True
    reversible = True
    name = "people_orgunit_not_under_itself"
    message = "people_orgunit_not_under_itself: a unit cannot be placed under itself or one of its own subunits"

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        condition = (
            "NEW.parent_id IS NOT NULL AND OLD.path <> '' AND EXISTS (SELECT 1 FROM people_orgunit p "
            "WHERE p.id = NEW.parent_id AND substr(p.path, 1, length(OLD.path)) = OLD.path)"
        )
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {self.name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF {condition} THEN "
                f"RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{self.message}', "
                f"CONSTRAINT = '{self.name}'; END IF; RETURN NEW; END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {self.name} BEFORE UPDATE OF parent_id ON people_orgunit "
                f"FOR EACH ROW EXECUTE FUNCTION {self.name}_fn()"
            )
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {self.name} BEFORE UPDATE OF parent_id ON people_orgunit FOR EACH ROW "
                f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        suffix = " ON people_orgunit" if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}{suffix}")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.name}_fn()")

    def describe(self) -> str:
        return "Trigger: a unit cannot be placed under itself or its descendants"

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {})


HEADCOUNT_TABLE = "people_unitheadcount"


def _headcount_counts(rows: str, where: str = "") -> str:
    """SELECT unit_id, position group, number of active employees, from ``rows`` (a table of employee rows)."""
    return (f'SELECT r.unit_id, p."group", COUNT(*) FROM {rows} r JOIN people_position p ON p.id = r.position_id '
            f"WHERE r.active{where} GROUP BY r.unit_id, p.\"group\"")


def headcount_recount(execute) -> None:
    """Count the headcount rows again from ``people_employee``, when the triggers are (re)installed.
    ``execute(sql)`` is a cursor's or a schema editor's."""
    execute(f"DELETE FROM {HEADCOUNT_TABLE}")
    execute(f"INSERT INTO {HEADCOUNT_TABLE} (unit_id, position_group, active) " + _headcount_counts("people_employee"))


class ActiveHeadcount(migrations.operations.base.Operation):
    """``people_unitheadcount`` holds, per unit and position group, the number of active employees placed directly in
    the unit; triggers on ``people_employee`` keep it exact for every writer (services, imports' bulk writes, the
    admin, the demo seed), and a trigger on ``people_position`` counts again the units of the holders of a position
    moved to another group. The dashboards then count a subtree of 250 000 people, or one group of them, by adding
    up at most a few thousand rows.

    On PostgreSQL the triggers are statement-level over the transition tables (a bulk insert or update is one
    grouped upsert); an update that leaves every row's unit, position and active flag as they were writes nothing.
    On SQLite they are row-level. Installing recounts the table from ``people_employee``, so applying it twice (SQLite
    drops a table's triggers when a migration rebuilds it: such a migration re-applies this operation) is safe."""

    reduces_to_sql = True
    reversible = True
    name = "people_headcount"
    table = HEADCOUNT_TABLE

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        name, table = self.name, self.table
        key = "(unit_id, position_group)"
        if schema_editor.connection.vendor == "postgresql":
            upsert = (f"INSERT INTO {table} AS h (unit_id, position_group, active) {{select}} "
                      f"ON CONFLICT {key} DO UPDATE SET active = h.active + EXCLUDED.active;")
            signed = ('SELECT r.unit_id, p."group" AS g, {sign} AS n FROM {rows} r '
                      "JOIN people_position p ON p.id = r.position_id WHERE r.active")
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF TG_OP = 'INSERT' THEN " + upsert.format(select=_headcount_counts("new_rows")) + " "
                f"ELSIF TG_OP = 'DELETE' THEN UPDATE {table} h SET active = h.active - d.n "
                f"FROM ({_headcount_counts('old_rows')}) AS d (unit_id, g, n) "
                "WHERE h.unit_id = d.unit_id AND h.position_group = d.g; "
                # An update: the net change per unit and group, applied to the stored rows; what is left (counted
                # for the first time) inserted. One upsert would not do: the counter's CHECK (>= 0) is tested on
                # the row proposed for insertion, before the conflict turns it into an update.
                "ELSE WITH d AS (SELECT unit_id, g, SUM(n) AS n FROM ("
                + signed.format(sign=1, rows="new_rows") + " UNION ALL " + signed.format(sign=-1, rows="old_rows")
                + ") c GROUP BY unit_id, g HAVING SUM(n) <> 0), "
                f"changed AS (UPDATE {table} h SET active = h.active + d.n FROM d "
                "WHERE h.unit_id = d.unit_id AND h.position_group = d.g RETURNING h.unit_id, h.position_group) "
                + upsert.format(select="SELECT unit_id, g, n FROM d WHERE NOT EXISTS (SELECT 1 FROM changed c "
                                       "WHERE c.unit_id = d.unit_id AND c.position_group = d.g)")
                + " END IF; RETURN NULL; END $$"
            )
            for event, tables in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                                  ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
                schema_editor.execute(
                    f"CREATE OR REPLACE TRIGGER {name}_{event.lower()} AFTER {event} ON people_employee "
                    f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}_fn()"
                )
            # Positions moved to another group: the units of their active holders are counted again.
            units = "unit_ids"
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}_regroup_fn() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"DECLARE {units} BIGINT[]; BEGIN "
                f"SELECT array_agg(DISTINCT e.unit_id) INTO {units} FROM people_employee e "
                "JOIN new_rows n ON n.id = e.position_id JOIN old_rows o ON o.id = n.id "
                'WHERE e.active AND o."group" IS DISTINCT FROM n."group"; '
                f"IF {units} IS NOT NULL THEN "
                f"DELETE FROM {table} WHERE unit_id = ANY({units}); "
                f"INSERT INTO {table} (unit_id, position_group, active) "
                + _headcount_counts("people_employee", f" AND r.unit_id = ANY({units})") + "; "
                "END IF; RETURN NULL; END $$"
            )
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {name}_regroup AFTER UPDATE ON people_position "
                f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {name}_regroup_fn()"
            )
        elif schema_editor.connection.vendor == "sqlite":
            group = 'SELECT "group" FROM people_position WHERE id = {row}.position_id'
            add = (f"INSERT INTO {table} (unit_id, position_group, active) SELECT NEW.unit_id, "
                   f"({group.format(row='NEW')}), 1 WHERE NEW.active "
                   f"ON CONFLICT {key} DO UPDATE SET active = active + 1;")
            remove = (f"UPDATE {table} SET active = active - 1 WHERE OLD.active AND unit_id = OLD.unit_id "
                      f"AND position_group = ({group.format(row='OLD')});")
            for event, body, when in (
                ("INSERT", add, "NEW.active"),
                ("DELETE", remove, "OLD.active"),
                ("UPDATE OF active, unit_id, position_id", remove + " " + add,
                 "OLD.active IS NOT NEW.active OR OLD.unit_id IS NOT NEW.unit_id "
                 "OR OLD.position_id IS NOT NEW.position_id"),
            ):
                trigger = f"{name}_{event.split()[0].lower()}"
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                schema_editor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON people_employee FOR EACH ROW WHEN {when} "
                    f"BEGIN {body} END"
                )
            holders = "SELECT unit_id FROM people_employee WHERE position_id = NEW.id AND active"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_regroup")
            schema_editor.execute(
                f'CREATE TRIGGER {name}_regroup AFTER UPDATE OF "group" ON people_position FOR EACH ROW '
                f'WHEN OLD."group" IS NOT NEW."group" BEGIN '
                f"DELETE FROM {table} WHERE unit_id IN ({holders}); "
                f"INSERT INTO {table} (unit_id, position_group, active) "
                + _headcount_counts("people_employee", f" AND r.unit_id IN ({holders})") + "; END"
            )
        else:  # pragma: no cover — the project runs on PostgreSQL and SQLite only
            raise NotImplementedError(schema_editor.connection.vendor)
        headcount_recount(schema_editor.execute)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        postgresql = schema_editor.connection.vendor == "postgresql"
        for event in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}_{event}" + (
                " ON people_employee" if postgresql else ""))
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}_regroup" + (
            " ON people_position" if postgresql else ""))
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.name}_fn()")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.name}_regroup_fn()")

    def describe(self) -> str:
        return "Triggers: people_unitheadcount counts the active employees of each unit and position group"

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {})


# --- Data versions: a counter per source of figures, raised at commit by every transaction that changed it ---------

VERSION_TABLE = "core_dataversion"
VERSION_BUMP_TABLE = "core_dataversionbump"
VERSION_SEQUENCE = "core_dataversion_seq"
_DIRTY = "clo.dirty_sources"  # the sources the transaction changed so far, ",gaps,people" (a transaction-local setting)


class DataVersionTriggers(migrations.operations.base.Operation):
    """The two functions the versioned tables' triggers share (PostgreSQL only; see ``VersionedTables``):

    - ``core_dataversion_touch(source)``, a statement-level trigger on each versioned table: it notes the source in
      a transaction-local setting and, at the transaction's first change, inserts a row into ``core_dataversionbump``;
    - ``core_dataversion_bump``, a deferred constraint trigger on that row: at commit it raises the counters of the
      sources noted, in one statement over rows locked in a fixed order (no deadlock between two commits), and
      forgets them. A rolled-back savepoint takes its notes and its row with it."""

    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        dirty = f"COALESCE(current_setting('{_DIRTY}', true), '')"
        # A new value is the sequence's next, never "counter + 1": values are not used twice, even when the table
        # is emptied (a test database's flush) or a database is created again (the first value is random), so a
        # rendering kept in a shared cache is never taken for another database's.
        start = secrets.randbelow(2**60) + 1
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {VERSION_SEQUENCE} START WITH {start}")
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_dataversion_touch() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE dirty text := {dirty}; BEGIN "
            # a row-level check only where the trigger has a transition table (its second argument)
            "IF TG_NARGS > 1 THEN IF NOT EXISTS (SELECT 1 FROM changed_rows) THEN RETURN NULL; END IF; END IF; "
            "IF position(',' || TG_ARGV[0] || ',' IN dirty || ',') = 0 THEN "
            # the note first: in IMMEDIATE mode (tests) the bump runs at the end of the INSERT below
            f"PERFORM set_config('{_DIRTY}', dirty || ',' || TG_ARGV[0], true); "
            f"IF dirty = '' THEN INSERT INTO {VERSION_BUMP_TABLE} DEFAULT VALUES; END IF; "
            "END IF; RETURN NULL; END $$"
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE sources text[] := string_to_array(trim(leading ',' from {dirty}), ','); BEGIN "
            "IF cardinality(sources) > 0 THEN "
            f"PERFORM 1 FROM {VERSION_TABLE} WHERE source = ANY(sources) ORDER BY source FOR UPDATE; "
            f"INSERT INTO {VERSION_TABLE} AS v (source, counter) SELECT s, nextval('{VERSION_SEQUENCE}') "
            "FROM unnest(sources) AS s ORDER BY s ON CONFLICT (source) DO UPDATE SET counter = EXCLUDED.counter; "
            f"PERFORM set_config('{_DIRTY}', '', true); END IF; "
            f"DELETE FROM {VERSION_BUMP_TABLE} WHERE id = NEW.id; RETURN NULL; END $$"
        )
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER core_dataversion_bump AFTER INSERT ON {VERSION_BUMP_TABLE} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_dataversion_bump()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS core_dataversion_bump ON {VERSION_BUMP_TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS core_dataversion_bump()")
        schema_editor.execute("DROP FUNCTION IF EXISTS core_dataversion_touch()")
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {VERSION_SEQUENCE}")

    def describe(self) -> str:
        return "Install the data version triggers' functions"


class VersionedTables(migrations.operations.base.Operation):
    """Every change to ``tables`` raises the counter of ``source`` (``core_dataversion``) when its transaction
    commits, whoever writes (services, imports' bulk writes, the gap engine's SQL, the admin, triggers). A statement
    that changes no row raises nothing, except on the tables of ``bulk`` (large set-based rewrites, the gap engine's
    roll-ups): there every statement counts, so that no transition table of a million rows is kept for the check.

    PostgreSQL only: on SQLite (the embedded default, one process) the boards are not cached
    (``clo.core.versions.enabled``)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, source: str, tables: list[str], *, bulk: list[str] | tuple = ()) -> None:
        self.source, self.tables, self.bulk = source, list(tables), list(bulk)

    def state_forwards(self, app_label, state) -> None:
        pass

    def _triggers(self):
        for table in [*self.tables, *self.bulk]:
            yield table, f"{table}_version"

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"INSERT INTO {VERSION_TABLE} (source, counter) "
                              f"VALUES ('{self.source}', nextval('{VERSION_SEQUENCE}')) ON CONFLICT (source) DO NOTHING")
        for table, name in self._triggers():
            if table in self.bulk:
                schema_editor.execute(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION core_dataversion_touch('{self.source}')"
                )
                continue
            for event, rows in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
                schema_editor.execute(
                    f"CREATE OR REPLACE TRIGGER {name}_{event} AFTER {event.upper()} ON {table} "
                    f"REFERENCING {rows} TABLE AS changed_rows FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION core_dataversion_touch('{self.source}', 'rows')"
                )
            schema_editor.execute(
                f"CREATE OR REPLACE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION core_dataversion_touch('{self.source}')"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, name in self._triggers():
            for suffix in ("", "_insert", "_update", "_delete", "_truncate"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix} ON {table}")

    def describe(self) -> str:
        return f"Version the {self.source} tables"
