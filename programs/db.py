"""Database objects of the programs layer that migrations install: the triggers that keep ``ReactionHour`` (the
satisfaction answers added up per hour) exact for every writer.

On PostgreSQL the triggers are statement-level over the transition tables: a bulk insert or delete is one grouped
write. On SQLite they are row-level. SQLite drops a table's triggers when a migration rebuilds the table: a later
migration that alters ``programs_reactionresponse`` must call ``reaction_hours_install`` again (it recounts the
table, so installing twice is safe)."""

from __future__ import annotations

ANSWERS = "programs_reactionresponse"
HOURS = "programs_reactionhour"
SCORES = ("usefulness", "trainer", "organisation", "applicability")
NAME = "programs_reaction_hours"
_SUMS = ", ".join(f"SUM({score})" for score in SCORES)
_COLUMNS = "hour, answers, " + ", ".join(SCORES)


def _hour(vendor: str, column: str) -> str:
    """SQL: the UTC hour of a timestamp (the value ``hour`` stores)."""
    if vendor == "postgresql":
        return f"date_trunc('hour', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    return f"strftime('%Y-%m-%d %H:00:00', {column})"  # SQLite: Django keeps UTC as text


def _grouped(vendor: str, rows: str) -> str:
    hour = _hour(vendor, "submitted_at")
    return f"SELECT {hour}, COUNT(*), {_SUMS} FROM {rows} GROUP BY {hour}"


def reaction_hours_recount(execute, vendor: str) -> None:
    execute(f"DELETE FROM {HOURS}")
    execute(f"INSERT INTO {HOURS} ({_COLUMNS}) {_grouped(vendor, ANSWERS)}")


def reaction_hours_install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    execute = schema_editor.execute
    add = ", ".join(f"{score} = h.{score} + EXCLUDED.{score}" for score in SCORES)
    if vendor == "postgresql":
        subtract = ", ".join(f"{score} = h.{score} - d.{score}" for score in SCORES)
        execute(
            f"CREATE OR REPLACE FUNCTION {NAME}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP IN ('DELETE', 'UPDATE') THEN "
            f"UPDATE {HOURS} h SET answers = h.answers - d.answers, {subtract} "
            f"FROM ({_grouped(vendor, 'old_rows')}) AS d (hour, answers, {', '.join(SCORES)}) WHERE h.hour = d.hour; "
            "END IF; "
            "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
            f"INSERT INTO {HOURS} AS h ({_COLUMNS}) {_grouped(vendor, 'new_rows')} "
            f"ON CONFLICT (hour) DO UPDATE SET answers = h.answers + EXCLUDED.answers, {add}; "
            "END IF; RETURN NULL; END $$"
        )
        # Every update (a transition table cannot go with a column list): the old rows out, the new ones in.
        for event, tables in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                              ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
            execute(f"CREATE OR REPLACE TRIGGER {NAME}_{event.lower()} AFTER {event} ON {ANSWERS} "
                    f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {NAME}_fn()")
    elif vendor == "sqlite":
        plus = (f"INSERT INTO {HOURS} ({_COLUMNS}) VALUES ({_hour(vendor, 'NEW.submitted_at')}, 1, "
                + ", ".join(f"NEW.{score}" for score in SCORES)
                + ") ON CONFLICT (hour) DO UPDATE SET answers = answers + 1, "
                + ", ".join(f"{score} = {score} + excluded.{score}" for score in SCORES) + ";")
        minus = (f"UPDATE {HOURS} SET answers = answers - 1, "
                 + ", ".join(f"{score} = {score} - OLD.{score}" for score in SCORES)
                 + f" WHERE hour = {_hour(vendor, 'OLD.submitted_at')};")
        for event, body in (("INSERT", plus), ("DELETE", minus),
                            (f"UPDATE OF submitted_at, {', '.join(SCORES)}", minus + " " + plus)):
            trigger = f"{NAME}_{event.split()[0].lower()}"
            execute(f"DROP TRIGGER IF EXISTS {trigger}")
            execute(f"CREATE TRIGGER {trigger} AFTER {event} ON {ANSWERS} FOR EACH ROW BEGIN {body} END")
    else:  # pragma: no cover — the project runs on PostgreSQL and SQLite only
        raise NotImplementedError(vendor)
    reaction_hours_recount(execute, vendor)


def reaction_hours_uninstall(schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for event in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}_{event}" + (f" ON {ANSWERS}" if postgresql else ""))
    if postgresql:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NAME}_fn()")
