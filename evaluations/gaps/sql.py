"""The SQL of the gap engine, for PostgreSQL and SQLite.

Statements are built from a few dialect snippets (dates, month arithmetic, path splitting) so that both databases
compute the same thing; everything else is standard SQL both understand (CTEs, window-free aggregates, UPSERT,
UPDATE ... FROM). Parameters use ``%s`` (Django's cursor translates them for SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

# Rule names (competencies.Framework.ConsolidationRule) and level sources (evaluations.CurrentLevel.Source), as
# stored; spelled out here so the SQL reads on its own.
AVERAGE = "average_self_manager"
MANAGER_ONLY = "manager_only"

# Source codes inside a consolidation key (the last digit): ties on date and level go to the higher code.
SRC_SELF, SRC_MANAGER, SRC_TRAINING, SRC_IMPORT, SRC_AVERAGE, SRC_PROJECT = 1, 2, 3, 4, 5, 6
SOURCE_OF_CODE = {SRC_SELF: "self", SRC_MANAGER: "manager", SRC_TRAINING: "training", SRC_IMPORT: "import",
                  SRC_AVERAGE: "average", SRC_PROJECT: "project"}

# The sums and counts every roll-up row carries (evaluations.models.GapFigures.FIGURES). Each pair figure is the sum of
# a per-pair value over rows of the view ``evaluations_gap`` (alias g); ``people`` and ``people_with_gap`` count persons
# (see rollups.py).
PAIR_VALUES = {
    "requirements": "1",
    "requirements_met": "CASE WHEN g.gap = 0 THEN 1 ELSE 0 END",
    "not_assessed": "CASE WHEN g.not_assessed THEN 1 ELSE 0 END",
    "gap_sum": "g.gap",
    "weight_sum": "g.weight",
    "weighted_gap_sum": "g.gap * g.weight",
    "critical_gaps": "CASE WHEN g.is_critical AND g.gap > 0 THEN 1 ELSE 0 END",
}
PAIR_FIGURES = {name: f"SUM({value})" for name, value in PAIR_VALUES.items()}
PEOPLE_FIGURES = ("people", "people_with_gap", "people_not_assessed")
FIGURES = PEOPLE_FIGURES + tuple(PAIR_FIGURES)


def execute(statement: str, params: list | tuple = (), *, fetch: bool = False):
    """Run one small statement of the incremental path on the default connection (inside the caller's transaction).

    On PostgreSQL it goes through a server-side-binding cursor and is prepared on first use: planning is most of the
    cost of these statements, and a worker runs the same few thousands of times. Returns the rows or the row count.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        raw = connection.connection
        # Django turns psycopg's prepared statements off for its own (client-side binding) cursors; they are turned
        # on for this statement only. psycopg keeps the prepared statements of the session in its cache.
        saved, raw.prepare_threshold = raw.prepare_threshold, 0
        try:
            with psycopg.Cursor(raw) as cursor:
                cursor.execute(statement, params, prepare=True)
                return cursor.fetchall() if fetch else cursor.rowcount
        finally:
            raw.prepare_threshold = saved
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if fetch:
            return cursor.fetchall()
        if cursor.rowcount >= 0:
            return cursor.rowcount
        cursor.execute("SELECT changes()")  # Python's sqlite3 reports no row count for a statement led by WITH
        return cursor.fetchone()[0]


def pair_figures(gap: int, not_assessed: bool, weight: int, is_critical: bool) -> dict[str, int]:
    """PAIR_VALUES for one pair, in Python (the incremental path adds up one employee's pairs itself)."""
    return {
        "requirements": 1,
        "requirements_met": int(gap == 0),
        "not_assessed": int(bool(not_assessed)),
        "gap_sum": gap,
        "weight_sum": weight,
        "weighted_gap_sum": gap * weight,
        "critical_gaps": int(bool(is_critical) and gap > 0),
    }


class Dialect:
    """The few expressions PostgreSQL and SQLite spell differently."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.postgresql = connection.vendor == "postgresql"

    def local_date(self, expr: str) -> str:
        """The calendar day of a timestamp in settings.TIME_ZONE."""
        tz = settings.TIME_ZONE.replace("'", "")
        if self.postgresql:
            return f"(({expr}) AT TIME ZONE '{tz}')::date"
        return f"django_datetime_cast_date({expr}, '{tz}', '{self.connection.timezone_name}')"

    def day(self, expr: str) -> str:
        """Days since 2000-01-01 (an integer that orders like the date)."""
        if self.postgresql:
            return f"(({expr}) - DATE '2000-01-01')"
        return f"CAST(julianday({expr}) - 2451544.5 AS INTEGER)"

    def from_day(self, expr: str) -> str:
        if self.postgresql:
            return f"(DATE '2000-01-01' + CAST({expr} AS INTEGER))"
        return f"date(2451544.5 + ({expr}))"

    def add_months(self, date: str, months: str) -> str:
        """``date`` + ``months`` calendar months; a day past the end of the target month becomes its last day."""
        if self.postgresql:
            return f"CAST(({date}) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"
        return (
            f"min(date({date}, 'start of month', '+' || ({months}) || ' months', "
            f"'+' || (CAST(substr({date}, 9, 2) AS INTEGER) - 1) || ' days'), "
            f"date({date}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day'))"
        )

    def differs(self, a: str, b: str) -> str:
        return f"({a} IS DISTINCT FROM {b})" if self.postgresql else f"({a} IS NOT {b})"

    def unit_ancestors(self) -> str:
        """(unit_id, ancestor_id) for every unit and every unit on its path, itself included."""
        if self.postgresql:
            return (
                "SELECT u.id AS unit_id, CAST(a.ancestor AS BIGINT) AS ancestor_id FROM people_orgunit u "
                "CROSS JOIN LATERAL unnest(string_to_array(btrim(u.path, '/'), '/')) AS a(ancestor) "
                "WHERE u.path <> ''"
            )
        return (
            "WITH RECURSIVE split(unit_id, rest, ancestor_id) AS ("
            " SELECT id, substr(path, 2), NULL FROM people_orgunit WHERE path <> ''"
            " UNION ALL"
            " SELECT unit_id, substr(rest, instr(rest, '/') + 1),"
            " CAST(substr(rest, 1, instr(rest, '/') - 1) AS INTEGER)"
            " FROM split WHERE rest <> ''"
            ") SELECT unit_id, ancestor_id FROM split WHERE ancestor_id IS NOT NULL"
        )


# --- Consolidation -----------------------------------------------------------------------------------------------


@dataclass
class Scope:
    """Which employee × competency pairs a consolidation recomputes.

    ``employees``: every competency of these employees, or of those listed in the temporary table
    ``employees_table`` (employee_id); neither: everyone. ``competencies``: only these competencies (a pair's level
    depends on its own evidence only, so leaving the others out changes nothing for these); empty: all.
    """

    employees: tuple[int, ...] = ()
    employees_table: str | None = None
    params: list = field(default_factory=list)
    competencies: tuple[int, ...] = ()

    def filter(self, employee: str, competency: str) -> tuple[str, list]:
        sql, params = "", []
        if self.employees:
            sql, params = f" AND {employee} IN ({', '.join(['%s'] * len(self.employees))})", list(self.employees)
        elif self.employees_table:
            sql = f" AND {employee} IN (SELECT employee_id FROM {self.employees_table})"
        if self.competencies:
            sql += f" AND {competency} IN ({', '.join(['%s'] * len(self.competencies))})"
            params += list(self.competencies)
        return sql, params


def winners(d: Dialect, scope: Scope, today, *, known_on=None) -> tuple[str, list]:
    """SELECT employee_id, competency_id, level, source, assessed_on, expires_on: the consolidated level of every
    pair in ``scope`` that has valid evidence on ``today`` (rules: the package docstring).

    ``known_on``: only the evidence dated on or before that day counts — the level as it stood then, for looking
    back (training results compare levels before a program with levels now). Each piece is judged by its own date:
    a validation made after ``known_on`` is left out (the self-assessment it validated, submitted before, counts),
    and so is a manager's assessment validated after ``known_on`` even if it was submitted before.

    Each piece of evidence is encoded as one integer so that "pick the best" is a plain MAX in a GROUP BY (a hash
    aggregate, no sort):  key = ((day * 1000 + level) * 10 + source code), and for the ranked rules
    rank * 10^9 + key. Decoding: level = key / 10 % 1000, day = key / 10000 % 100000, source = key % 10.
    """
    counts, counts_params = "x.expires_on > %s", [today]
    if known_on is not None:
        counts += f" AND x.day <= {d.day('%s')}"
        counts_params.append(known_on)
    ctes, params = _picked(d, scope, counts=counts, counts_params=counts_params)
    sql = f"""
{ctes}SELECT p.employee_id, p.competency_id, p.w / 10 %% 1000 AS level,
       CASE p.w %% 10 WHEN {SRC_SELF} THEN 'self' WHEN {SRC_MANAGER} THEN 'manager' WHEN {SRC_TRAINING} THEN 'training'
                     WHEN {SRC_IMPORT} THEN 'import' WHEN {SRC_PROJECT} THEN 'project' ELSE 'average' END AS source,
       {d.from_day("p.w / 10000")} AS assessed_on,
       -- an imported level keeps its own expiry when it has one (one piece per pair, source and day)
       COALESCE(CASE WHEN p.w %% 10 = {SRC_IMPORT} THEN (
                    SELECT MAX(pe.expires_on) FROM evaluations_evidence pe
                    WHERE pe.employee_id = p.employee_id AND pe.competency_id = p.competency_id
                          AND pe.source = 'import' AND pe.evidenced_on = {d.from_day("p.w / 10000")}) END,
                {d.add_months(d.from_day("p.expiry_day"), "p.validity")}) AS expires_on
FROM picked p
WHERE p.w IS NOT NULL
"""
    return sql, params


def levels_as_of(d: Dialect, table: str, *, competencies: tuple[int, ...] = ()) -> tuple[str, list]:
    """SELECT employee_id, as_of, competency_id, level: for every row (employee_id, as_of) of the temporary table
    ``table``, the consolidated level of each pair as it stood at the end of ``as_of`` — what
    ``winners(today=as_of, known_on=as_of)`` gives, for all the rows and all their days in one statement (training
    results look back to the day before each person's completion). ``competencies``: only these; empty: all.

    The same consolidation as ``winners``; only the piece of evidence that counts is decided per row: dated by its
    ``as_of`` and still valid on it. A repeated row changes nothing (the winner is a MAX).
    """
    scope = Scope(employees_table=table, competencies=competencies)
    counts = f"x.expires_on > k.as_of AND x.day <= {d.day('k.as_of')}"
    ctes, params = _picked(d, scope, counts=counts, counts_params=[], per_row=table)
    sql = f"{ctes}SELECT p.employee_id, p.as_of, p.competency_id, p.w / 10 %% 1000 AS level FROM picked p "
    return sql + "WHERE p.w IS NOT NULL", params


def _picked(d: Dialect, scope: Scope, *, counts: str, counts_params: list, per_row: str | None = None
            ) -> tuple[str, list]:
    """The consolidation up to the winning key of each pair (rules: the package docstring; encoding: ``winners``):
    ``WITH evidence, x, best, rated, picked``, ``picked`` having employee_id, competency_id, validity, the winning
    key w (NULL: no valid evidence) and the day its expiry counts from.

    ``counts``: the condition on the evidence row ``x`` for it to take part (valid on the day, dated by then).
    ``per_row``: a table of (employee_id, as_of) joined as ``k`` — the pairs are then per row, ``picked`` carries
    ``as_of``, and ``counts`` may refer to ``k.as_of``.
    """
    rating_scope, p1 = scope.filter("a.employee_id", "r.competency_id")
    training_scope, p2 = scope.filter("en.employee_id", "pc.competency_id")
    import_scope, p3 = scope.filter("pe.employee_id", "pe.competency_id")
    params = p1 + p1 + p2 + p3 + counts_params
    joined, by, carried = "", "", ""
    if per_row is not None:
        joined, by, carried = f" JOIN {per_row} k ON k.employee_id = x.employee_id", ", k.as_of", ", as_of"
    # A self-assessment is the employee's judgement, dated when they submitted it, at their own level (kept in
    # original_level when the manager adjusted it); a manager's rating is dated when validated, or submitted.
    rating_day = d.local_date(
        "CASE WHEN a.role = 'manager' AND a.status = 'validated' AND a.validated_at IS NOT NULL "
        "THEN a.validated_at ELSE a.submitted_at END"
    )
    validation_day = d.local_date("a.validated_at")
    key = "((CAST(x.day AS BIGINT) * 1000 + x.level) * 10 + x.src)"
    sql = f"""WITH evidence AS (
    SELECT a.employee_id AS employee_id, r.competency_id AS competency_id,
           CASE WHEN a.role = 'self' THEN COALESCE(r.original_level, r.level) ELSE r.level END AS level,
           CASE WHEN a.role = 'manager' THEN {SRC_MANAGER} ELSE {SRC_SELF} END AS src,
           CASE WHEN a.role = 'manager' THEN (CASE WHEN a.status = 'validated' THEN 4 ELSE 3 END)
                ELSE (CASE WHEN a.status = 'validated' THEN 2 ELSE 1 END) END AS rnk,
           {rating_day} AS evidence_on,
           CAST(NULL AS DATE) AS own_expiry
    FROM evaluations_rating r
    JOIN evaluations_assessment a ON a.id = r.assessment_id
    WHERE a.status IN ('submitted', 'validated') AND a.role IN ('self', 'manager') AND a.submitted_at IS NOT NULL
          {rating_scope}
    UNION ALL
    -- the manager's validation of a self-assessment (possibly adjusting it) is the manager's rating
    SELECT a.employee_id, r.competency_id, r.level, {SRC_MANAGER}, 4, {validation_day}, CAST(NULL AS DATE)
    FROM evaluations_rating r
    JOIN evaluations_assessment a ON a.id = r.assessment_id
    WHERE a.status = 'validated' AND a.role = 'self' AND a.validated_at IS NOT NULL AND a.submitted_at IS NOT NULL
          {rating_scope}
    UNION ALL
    SELECT en.employee_id, pc.competency_id, pc.level_reached, {SRC_TRAINING}, 4, en.completed_on, CAST(NULL AS DATE)
    FROM programs_enrolment en
    JOIN programs_session s ON s.id = en.session_id
    JOIN programs_programcompetency pc ON pc.program_id = s.program_id
    WHERE en.status = 'completed' AND en.completed_on IS NOT NULL {training_scope}
    UNION ALL
    -- every imported level and challenge-project rating is its own row (evaluations.Evidence), never the
    -- consolidated level it may have become; a project rating ranks like a validated manager rating and expires
    -- like one (the framework's validity: no expiry of its own)
    SELECT pe.employee_id, pe.competency_id, pe.level,
           CASE WHEN pe.source = 'project' THEN {SRC_PROJECT} ELSE {SRC_IMPORT} END, 4, pe.evidenced_on,
           CASE WHEN pe.source = 'project' THEN CAST(NULL AS DATE) ELSE pe.expires_on END
    FROM evaluations_evidence pe
    WHERE pe.source IN ('import', 'project') {import_scope}
),
x AS (
    SELECT ev.employee_id, ev.competency_id, ev.level, ev.src, ev.rnk,
           f.consolidation_rule AS rule, f.evidence_validity_months AS validity, {d.day("ev.evidence_on")} AS day,
           COALESCE(ev.own_expiry, {d.add_months("ev.evidence_on", "f.evidence_validity_months")}) AS expires_on
    FROM evidence ev
    JOIN competencies_competency c ON c.id = ev.competency_id
    JOIN competencies_framework f ON f.id = c.framework_id
),
best AS (
    SELECT x.employee_id, x.competency_id{by}, MAX(x.rule) AS rule, MAX(x.validity) AS validity,
           MAX(CASE WHEN x.rule <> '{AVERAGE}' AND NOT (x.rule = '{MANAGER_ONLY}' AND x.src = {SRC_SELF})
                    THEN CAST(x.rnk AS BIGINT) * 1000000000 + {key} END) AS ranked,
           MAX(CASE WHEN x.src = {SRC_SELF} THEN {key} END) AS s,
           MAX(CASE WHEN x.src = {SRC_MANAGER} THEN {key} END) AS m,
           MAX(CASE WHEN x.src IN ({SRC_TRAINING}, {SRC_IMPORT}, {SRC_PROJECT}) THEN {key} END) AS o
    FROM x{joined}
    WHERE {counts}
    GROUP BY x.employee_id, x.competency_id{by}
),
rated AS (
    -- average_self_manager: the combined rating (key r) and the day its expiry counts from (rd)
    SELECT best.*,
           CASE WHEN s IS NOT NULL AND m IS NOT NULL
                THEN ((CASE WHEN s > m THEN s ELSE m END) / 10000 * 1000
                      + ((s / 10 %% 1000) + (m / 10 %% 1000)) / 2) * 10 + {SRC_AVERAGE}
                ELSE COALESCE(s, m) END AS r,
           CASE WHEN s IS NOT NULL AND m IS NOT NULL THEN (CASE WHEN s < m THEN s ELSE m END) / 10000
                ELSE COALESCE(s, m) / 10000 END AS rd
    FROM best
),
picked AS (
    SELECT employee_id, competency_id{carried}, validity,
           CASE WHEN rule <> '{AVERAGE}' THEN ranked %% 1000000000
                WHEN r IS NULL THEN o
                WHEN o IS NULL OR r > o THEN r
                ELSE o END AS w,
           CASE WHEN rule <> '{AVERAGE}' THEN ranked %% 1000000000 / 10000
                WHEN r IS NOT NULL AND (o IS NULL OR r > o) THEN rd
                ELSE o / 10000 END AS expiry_day
    FROM rated
)
"""
    return sql, params
