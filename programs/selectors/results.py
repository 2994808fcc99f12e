"""Level 4 (results) of a program: did the gaps of its completers in the competencies it targets close, compared with
similar people who did not take it?

For every person who completed the program (first completion), "before" is their consolidated level on the day
before completion and "now" is the gap engine's current gap (the ``Gap`` view). The comparison group, for each
completion date, is the active holders of the same positions who never attended the program, with "before" on the
same day. A gap is max(required − level, 0) with the position's current requirement at both ends (requirements are
not kept with a history).

The gap engine keeps no per-employee history, so "before" is recomputed from the evidence with the engine's own
consolidation SQL (``evaluations.gaps.sql.levels_as_of``: ``winners`` with ``known_on``, each person on their own
day — only the evidence dated by then counts).

Cost: a fixed number of set-based statements whatever the number of completers and of completion dates: the cohort
(every completer and every comparison person, each with their day) is one temporary table filled by two INSERT ...
SELECT, and the levels before of all of them, for all the days, are one consolidation statement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from evaluations.gaps import sql as gap_sql
from programs.models import Enrolment, ProgramCompetency

COHORT, BEFORE = "programs_l4_cohort", "programs_l4_before"


def _mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class GroupChange:
    """The gaps of one group (completers or comparison) in one competency (or all targeted ones)."""

    people: int = 0
    pairs: int = 0
    before_sum: int = 0
    now_sum: int = 0

    @property
    def before(self) -> Decimal | None:
        return _mean(self.before_sum, self.pairs)

    @property
    def now(self) -> Decimal | None:
        return _mean(self.now_sum, self.pairs)

    @property
    def change(self) -> Decimal | None:
        """Mean gap now minus mean gap before: negative when gaps closed."""
        return None if not self.pairs else self.now - self.before


@dataclass
class CompetencyResult:
    competency: object | None  # None: all the targeted competencies together
    completers: GroupChange = field(default_factory=GroupChange)
    comparison: GroupChange = field(default_factory=GroupChange)

    @property
    def difference(self) -> Decimal | None:
        """How much more the completers' mean gap changed than the comparison group's (negative: the program
        closed more of the gap than no program did)."""
        if self.completers.change is None or self.comparison.change is None:
            return None
        return self.completers.change - self.comparison.change


@dataclass
class ProgramResults:
    targeted: int
    completion_dates: int
    rows: list[CompetencyResult]
    overall: CompetencyResult


def program_results(program_id: int, *, today: dt.date | None = None) -> ProgramResults:
    """Level 4 of a program (see the module docstring). ``today`` only bounds which completions count (those up to
    today)."""
    today = today or timezone.localdate()
    targeted = list(
        ProgramCompetency.objects.filter(program_id=program_id).select_related("competency")
        .order_by("competency__code")
    )
    competency_ids = [pc.competency_id for pc in targeted]
    rows = {pc.competency_id: CompetencyResult(pc.competency) for pc in targeted}
    overall = CompetencyResult(None)
    d = gap_sql.Dialect(connection)
    # Temporary tables are created inside a transaction (a savepoint if one is open): on an error, rolling it back
    # removes them too; on success they are dropped at the end.
    with transaction.atomic(), connection.cursor() as cursor:
        _create_work_tables(cursor)
        completion_dates = _add_completers(cursor, d, program_id, today)
        pairs = people_overall = ()
        if targeted and completion_dates:
            _add_comparison(cursor, program_id)
            _add_levels_before(cursor, d, competency_ids)
            pairs, people_overall = _aggregate(cursor, competency_ids)
        _drop(cursor, (COHORT, BEFORE))
    for completer, competency_id, count, before_sum, now_sum, people in pairs:
        row = rows[competency_id]
        (row.completers if completer else row.comparison).people = people
        for result in (row, overall):
            group = result.completers if completer else result.comparison
            group.pairs += count
            group.before_sum += before_sum or 0
            group.now_sum += now_sum or 0
    for completer, count in people_overall:
        (overall.completers if completer else overall.comparison).people = count
    return ProgramResults(len(targeted), completion_dates, list(rows.values()), overall)


# --- SQL ------------------------------------------------------------------------------------------------------------


def _drop(cursor, tables) -> None:
    for table in tables:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _analyze(cursor, table: str) -> None:
    """Give PostgreSQL's planner the size of a work table just filled (nothing analyzes temporary tables on its
    own): a large program's cohort is tens of thousands of rows, a small one's a few dozen, and the joins that
    suit each differ."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


def _create_work_tables(cursor) -> None:
    _drop(cursor, (COHORT, BEFORE))
    cursor.execute(f"CREATE TEMPORARY TABLE {COHORT} (employee_id BIGINT NOT NULL, as_of DATE NOT NULL, "
                   "completer INTEGER NOT NULL)")
    cursor.execute(f"CREATE TEMPORARY TABLE {BEFORE} (employee_id BIGINT NOT NULL, as_of DATE NOT NULL, "
                   "competency_id BIGINT NOT NULL, level INTEGER NOT NULL)")


def _add_completers(cursor, d: gap_sql.Dialect, program_id: int, today: dt.date) -> int:
    """Every active completer of the program up to ``today``, once, with the day before their first completion.
    Returns the number of distinct such days."""
    day_before = d.from_day(f"{d.day('MIN(en.completed_on)')} - 1")
    cursor.execute(
        f"INSERT INTO {COHORT} (employee_id, as_of, completer) "
        f"SELECT en.employee_id, {day_before}, 1 FROM programs_enrolment en "
        "JOIN programs_session s ON s.id = en.session_id JOIN people_employee e ON e.id = en.employee_id "
        "WHERE s.program_id = %s AND en.status = %s AND en.completed_on IS NOT NULL AND en.completed_on <= %s "
        "AND e.active GROUP BY en.employee_id",
        [program_id, Enrolment.Status.COMPLETED.value, connection.ops.adapt_datefield_value(today)],
    )
    _analyze(cursor, COHORT)
    cursor.execute(f"SELECT COUNT(DISTINCT as_of) FROM {COHORT}")
    return cursor.fetchone()[0]


def _add_comparison(cursor, program_id: int) -> None:
    """For every completion day, the active holders of the positions of that day's completers who never attended
    the program, each once per day."""
    cursor.execute(
        f"INSERT INTO {COHORT} (employee_id, as_of, completer) "
        f"SELECT DISTINCT e.id, c.as_of, 0 FROM {COHORT} c "
        "JOIN people_employee p ON p.id = c.employee_id "
        "JOIN people_employee e ON e.position_id = p.position_id "
        "WHERE c.completer = 1 AND e.active "
        "AND NOT EXISTS (SELECT 1 FROM programs_enrolment en JOIN programs_session s ON s.id = en.session_id "
        "  WHERE en.employee_id = e.id AND s.program_id = %s AND en.status IN (%s, %s))",
        [program_id, Enrolment.Status.ATTENDED.value, Enrolment.Status.COMPLETED.value],
    )
    _analyze(cursor, COHORT)


def _add_levels_before(cursor, d: gap_sql.Dialect, competency_ids: list[int]) -> None:
    """The consolidated levels in the targeted competencies of everyone in the cohort at the end of their day, from
    the evidence known that day."""
    query, params = gap_sql.levels_as_of(d, COHORT, competencies=tuple(competency_ids))
    cursor.execute(f"INSERT INTO {BEFORE} (employee_id, as_of, competency_id, level) {query}", params)
    _analyze(cursor, BEFORE)


def _aggregate(cursor, competency_ids: list[int]) -> tuple[list, list]:
    """Per group (completer 1/0) and targeted competency: pairs, sum of gaps before, sum of gaps now, people; and
    people per group over all the targeted competencies."""
    paired = f"FROM {COHORT} c JOIN evaluations_gap g ON g.employee_id = c.employee_id"
    targeted = f"WHERE g.competency_id IN ({', '.join(['%s'] * len(competency_ids))})"
    before_gap = ("CASE WHEN g.required_level > COALESCE(b.level, 0) THEN g.required_level - COALESCE(b.level, 0) "
                  "ELSE 0 END")
    cursor.execute(
        f"SELECT c.completer, g.competency_id, COUNT(*), SUM({before_gap}), SUM(g.gap), COUNT(DISTINCT c.employee_id) "
        f"{paired} LEFT JOIN {BEFORE} b ON b.employee_id = c.employee_id AND b.as_of = c.as_of "
        f"AND b.competency_id = g.competency_id {targeted} GROUP BY c.completer, g.competency_id",
        competency_ids,
    )
    by_competency = cursor.fetchall()
    cursor.execute(f"SELECT c.completer, COUNT(DISTINCT c.employee_id) {paired} {targeted} GROUP BY c.completer",
                   competency_ids)
    return by_competency, cursor.fetchall()


# --- Stored results, for the CLO's dashboard ----------------------------------------------------------------------

# Below this many people in either group the difference says nothing: the dashboard shows "not enough data".
MIN_GROUP = 3


def latest_snapshots(*, limit: int = 10) -> list:
    """The level 4 results stored after the latest full gap run that has any (``ProgramResultSnapshot``), with their
    program: those with enough data first, the program that closed the gaps most against its comparison group first
    (most negative difference), then those without enough data by title; each with ``enough``. At most ``limit`` + 1
    rows (the extra one tells that there are more). One query."""
    from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Subquery, When

    from programs.models import ProgramResultSnapshot

    latest = ProgramResultSnapshot.objects.order_by("-run_id").values("run_id")[:1]
    enough = Q(completers__gte=MIN_GROUP, comparison__gte=MIN_GROUP, difference__isnull=False)
    return list(
        ProgramResultSnapshot.objects.filter(run_id=Subquery(latest))
        .annotate(enough=ExpressionWrapper(enough, output_field=BooleanField()),
                  rank=Case(When(enough, then=F("difference")), default=None))
        .select_related("program")
        .order_by(F("enough").desc(), F("rank").asc(nulls_last=True), "program__title", "program_id")[: limit + 1]
    )
