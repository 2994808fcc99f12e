"""Level 4 (results) of a program: did the gaps of its completers in the competencies it targets close, compared with
similar people who did not take it?

For every person who completed the program (first completion), "before" is their consolidated level on the day
before completion and "now" is the gap engine's current gap (the ``Gap`` view). The comparison group, for each
completion date, is the active holders of the same positions who never attended the program, with "before" on the
same day. A gap is max(required − level, 0) with the position's current requirement at both ends (requirements are
not kept with a history).

The gap engine keeps no per-employee history, so "before" is recomputed from the evidence with the engine's own
consolidation SQL (``evaluations.gaps.sql.winners`` with ``known_on``: only the evidence dated by then counts).

Cost: a few statements per distinct completion date of the program, each set-based (people are passed through
temporary tables, never as parameters one by one); nothing grows with the organisation beyond the SQL itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from programs.models import Enrolment, ProgramCompetency

COHORT, SCOPE, BEFORE = "programs_l4_cohort", "programs_l4_scope", "programs_l4_before"


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
    firsts = list(
        Enrolment.objects.filter(session__program_id=program_id, status=Enrolment.Status.COMPLETED,
                                 completed_on__isnull=False, completed_on__lte=today, employee__active=True)
        .order_by().values("employee_id").annotate(first=Min("completed_on")).values_list("employee_id", "first")
    )
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for employee_id, first in firsts:
        by_day[first - dt.timedelta(days=1)].append(employee_id)
    if not targeted or not firsts:
        return ProgramResults(len(targeted), len(by_day), [CompetencyResult(pc.competency) for pc in targeted],
                              CompetencyResult(None))
    competency_ids = [pc.competency_id for pc in targeted]
    # Temporary tables are created inside a transaction (a savepoint if one is open): on an error, rolling it back
    # removes them too; on success they are dropped at the end.
    with transaction.atomic(), connection.cursor() as cursor:
        _create_work_tables(cursor)
        for as_of, employee_ids in sorted(by_day.items()):
            _add_cohort(cursor, program_id, as_of, employee_ids)
            _add_levels_before(cursor, as_of, competency_ids)
        pairs, people, people_overall = _aggregate(cursor, competency_ids)
        _drop(cursor, (COHORT, SCOPE, BEFORE))
    rows = {pc.competency_id: CompetencyResult(pc.competency) for pc in targeted}
    overall = CompetencyResult(None)
    for completer, competency_id, count, before_sum, now_sum in pairs:
        for result in (rows[competency_id], overall):
            group = result.completers if completer else result.comparison
            group.pairs += count
            group.before_sum += before_sum or 0
            group.now_sum += now_sum or 0
    for completer, competency_id, count in people:
        group = rows[competency_id].completers if completer else rows[competency_id].comparison
        group.people = count
    for completer, count in people_overall:
        (overall.completers if completer else overall.comparison).people = count
    return ProgramResults(len(targeted), len(by_day), list(rows.values()), overall)


# --- SQL ------------------------------------------------------------------------------------------------------------


def _drop(cursor, tables) -> None:
    for table in tables:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _create_work_tables(cursor) -> None:
    _drop(cursor, (COHORT, SCOPE, BEFORE))
    cursor.execute(f"CREATE TEMPORARY TABLE {COHORT} (employee_id BIGINT NOT NULL, as_of DATE NOT NULL, "
                   "completer INTEGER NOT NULL)")
    cursor.execute(f"CREATE TEMPORARY TABLE {SCOPE} (employee_id BIGINT NOT NULL PRIMARY KEY)")
    cursor.execute(f"CREATE TEMPORARY TABLE {BEFORE} (employee_id BIGINT NOT NULL, as_of DATE NOT NULL, "
                   "competency_id BIGINT NOT NULL, level INTEGER NOT NULL)")


def _add_cohort(cursor, program_id: int, as_of: dt.date, completer_ids: list[int]) -> None:
    """The completers of ``as_of`` + 1 day, and the holders of their positions who never attended the program."""
    day = connection.ops.adapt_datefield_value(as_of)
    cursor.execute(f"DELETE FROM {SCOPE}")
    cursor.executemany(f"INSERT INTO {SCOPE} (employee_id) VALUES (%s)", [(pk,) for pk in completer_ids])
    cursor.execute(f"INSERT INTO {COHORT} (employee_id, as_of, completer) SELECT employee_id, %s, 1 FROM {SCOPE}",
                   [day])
    cursor.execute(
        f"INSERT INTO {COHORT} (employee_id, as_of, completer) "
        "SELECT e.id, %s, 0 FROM people_employee e "
        "WHERE e.active AND e.position_id IN (SELECT p.position_id FROM people_employee p "
        f"  WHERE p.id IN (SELECT employee_id FROM {SCOPE})) "
        "AND NOT EXISTS (SELECT 1 FROM programs_enrolment en JOIN programs_session s ON s.id = en.session_id "
        "  WHERE en.employee_id = e.id AND s.program_id = %s AND en.status IN ('attended', 'completed'))",
        [day, program_id],
    )
    cursor.execute(f"DELETE FROM {SCOPE}")
    cursor.execute(f"INSERT INTO {SCOPE} (employee_id) SELECT DISTINCT employee_id FROM {COHORT} WHERE as_of = %s",
                   [day])


def _add_levels_before(cursor, as_of: dt.date, competency_ids: list[int]) -> None:
    """The consolidated levels of the scope's people at the end of ``as_of``, from the evidence known that day."""
    from evaluations.gaps import sql as gap_sql

    day = connection.ops.adapt_datefield_value(as_of)
    query, params = gap_sql.winners(
        gap_sql.Dialect(connection), gap_sql.Scope(employees_table=SCOPE), as_of, known_on=as_of
    )
    listed = ", ".join(["%s"] * len(competency_ids))
    cursor.execute(
        f"INSERT INTO {BEFORE} (employee_id, as_of, competency_id, level) "
        f"SELECT w.employee_id, %s, w.competency_id, w.level FROM ({query}) w WHERE w.competency_id IN ({listed})",
        [day, *params, *competency_ids],
    )


def _aggregate(cursor, competency_ids: list[int]) -> tuple[list, list, list]:
    """Per group (completer 1/0) and targeted competency: pairs, sum of gaps before, sum of gaps now; people per
    group and competency; people per group over all the targeted competencies."""
    listed = ", ".join(["%s"] * len(competency_ids))
    joined = (
        f"FROM {COHORT} c JOIN evaluations_gap g ON g.employee_id = c.employee_id "
        f"LEFT JOIN {BEFORE} b ON b.employee_id = c.employee_id AND b.as_of = c.as_of "
        "AND b.competency_id = g.competency_id "
        f"WHERE g.competency_id IN ({listed})"
    )
    before_gap = ("CASE WHEN g.required_level > COALESCE(b.level, 0) THEN g.required_level - COALESCE(b.level, 0) "
                  "ELSE 0 END")
    cursor.execute(
        f"SELECT c.completer, g.competency_id, COUNT(*), SUM({before_gap}), SUM(g.gap) {joined} "
        "GROUP BY c.completer, g.competency_id",
        competency_ids,
    )
    pairs = cursor.fetchall()
    cursor.execute(
        f"SELECT c.completer, g.competency_id, COUNT(DISTINCT c.employee_id) {joined} "
        "GROUP BY c.completer, g.competency_id",
        competency_ids,
    )
    people = cursor.fetchall()
    cursor.execute(f"SELECT c.completer, COUNT(DISTINCT c.employee_id) {joined} GROUP BY c.completer", competency_ids)
    return pairs, people, cursor.fetchall()


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
