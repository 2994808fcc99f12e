"""Database-side invariants that a CHECK constraint cannot express (they look at other rows).

Each is a migration operation that installs triggers for PostgreSQL and SQLite alike:

- ``LevelInScale``: a level column must be one of the levels of the competency's framework scale
  (0 may be allowed: "not demonstrated"). On PostgreSQL it is a statement-level trigger over the transition
  table, so a bulk insert of millions of ratings is checked by one set-based query, not row by row.
- ``UnitNotUnderItself``: a unit cannot be moved under itself or one of its descendants.

Violations raise an integrity error whose message names the rule, e.g.
``competencies_requirement_level_in_scale: the level is not on the scale of this competency``.
"""

from __future__ import annotations

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
