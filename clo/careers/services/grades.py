"""The horizontal career's writes: HR's rules and people's grades, and the one job that re-evaluates everyone.

The re-evaluation is set-based: for each rule (a few dozen at most: groups × grades) one ``INSERT ... SELECT`` writes
the eligibility of every person of that group in the grade below, with their training in the period (a correlated
sum over their enrolments), the day they reach the minimum years and, when the rule asks for it, whether a manager
assessment was validated in the period. Everything is replaced in one transaction: the pages read either the old
result or the new one, never half of each.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import BooleanField, DateField, F, Func, IntegerField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from clo.careers.models import CareerEligibility, CareerEvaluationJob, CareerRule, PersonGrade
from clo.core.tasks import queue_on_commit
from clo.people.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Who has a horizontal career: career civil servants and labour staff (not interims or political appointees).
IN_CAREER = (Employee.EmploymentType.CAREER, Employee.EmploymentType.LABOUR)


class AddYears(Func):
    """``date`` + ``years`` calendar years, as a date, on PostgreSQL and SQLite."""

    output_field = DateField()
    arity = 2

    def _parts(self, compiler, connection):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        years_sql, years_params = compiler.compile(self.source_expressions[1])
        return date_sql, years_sql, (*date_params, *years_params)

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, years_sql, params = self._parts(compiler, connection)
        return f"CAST(({date_sql}) + make_interval(years => CAST({years_sql} AS integer)) AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        date_sql, years_sql, params = self._parts(compiler, connection)
        return f"date({date_sql}, '+' || ({years_sql}) || ' years')", params


# --- Rules and grades ----------------------------------------------------------------------------------------------


@transaction.atomic
def career_rule_save(*, rule: CareerRule, requested_by: User | None = None) -> CareerEvaluationJob:
    """Create or change a rule, then re-evaluate everyone (one job, queued on commit)."""
    rule.full_clean()
    rule.save()
    return career_evaluation_request(requested_by=requested_by)


@transaction.atomic
def career_rule_delete(*, rule: CareerRule, requested_by: User | None = None) -> CareerEvaluationJob:
    rule.delete()
    return career_evaluation_request(requested_by=requested_by)


@transaction.atomic
def person_grade_set(*, employee_id: int, grade: int, since: dt.date) -> PersonGrade:
    """Record a person's grade (HR, after the council's resolution); their eligibility follows in the next job."""
    row = PersonGrade.objects.select_for_update().filter(employee_id=employee_id).first() or PersonGrade(
        employee_id=employee_id)
    row.grade, row.since = grade, since
    row.full_clean()
    row.save()
    return row


# --- The re-evaluation job -----------------------------------------------------------------------------------------


def career_evaluation_request(*, requested_by: User | None = None) -> CareerEvaluationJob:
    """A pending re-evaluation, queued on commit. A job already waiting covers this change too (it reads the rules
    when it runs): no second one is created."""
    from clo.careers.tasks import career_evaluation_run as task

    with transaction.atomic():
        waiting = CareerEvaluationJob.objects.select_for_update().filter(
            status=CareerEvaluationJob.Status.PENDING).first()
        if waiting is not None and not waiting.lost:
            return waiting
        job = CareerEvaluationJob(requested_by=requested_by)
        job.full_clean()
        job.save()
        queue_on_commit(task, job.pk, release=lambda: CareerEvaluationJob.release_unqueued(job.pk))
    return job


def career_evaluation_run(job_id: int) -> CareerEvaluationJob | None:
    """Claim the job and re-evaluate everyone; None when the job is gone or another worker has it."""
    if not CareerEvaluationJob.claim(job_id, done_count=0, total=0):
        return None
    try:
        total = career_evaluate_all(today=timezone.localdate(), job_id=job_id)
        CareerEvaluationJob.complete(job_id, total=total, done_count=F("rule_count"))
    except Exception as exc:
        logger.exception("career re-evaluation %s failed", job_id)
        CareerEvaluationJob.fail(job_id, exc)
    return CareerEvaluationJob.objects.filter(pk=job_id).first()


def _window_start(today: dt.date, years: int) -> dt.datetime:
    try:
        start = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - years, day=28)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _rule_rows(rule: CareerRule, today: dt.date):
    """The eligibility rows of ``rule`` as a SELECT: the people of its group in the grade below it."""
    from evaluations.selectors import validated_manager_assessment
    from programs.selectors.delivery import accredited_training

    since = _window_start(today, rule.period_years)
    evaluated = (validated_manager_assessment(since=since) if rule.needs_evaluation
                 else Value(None, output_field=BooleanField()))
    return (
        Employee.objects.filter(active=True, blocked_at__isnull=True, employment_type__in=IN_CAREER,
                                position__group=rule.group)
        .annotate(current=Coalesce(F("career_grade__grade"), Value(0), output_field=IntegerField()))
        .filter(current=rule.grade - 1)
        .order_by()
        .values(
            c_employee=F("pk"), c_rule=Value(rule.pk), c_grade=F("current"),
            c_since=Coalesce(F("career_grade__since"), F("hire_date"), output_field=DateField()),
            c_training=accredited_training(since=since, credits=rule.measure == CareerRule.Measure.CREDITS),
            c_years=AddYears(Coalesce(F("career_grade__since"), F("hire_date"), output_field=DateField()),
                             Value(rule.min_years)),
            c_evaluated=evaluated, c_meets=Value(False), c_on=Value(today, output_field=DateField()),
        )
    )


COLUMNS = ("employee_id", "rule_id", "grade", "grade_since", "training", "years_met_on", "evaluated",
           "meets_training", "evaluated_on")


def insert_select(model, columns: tuple[str, ...], rows) -> int:
    """``INSERT INTO model (columns) SELECT ...`` of the queryset ``rows`` (its ``values()`` in the same order as
    ``columns``): set-based, the rows never come to Python. Returns the number of rows inserted."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608 - model names, not input
        return max(cursor.rowcount, 0)


def career_evaluate_all(*, today: dt.date, job_id: int | None = None) -> int:
    """Replace every stored eligibility with a fresh evaluation against the current rules; returns the number of
    people evaluated. One INSERT ... SELECT and one UPDATE per rule, in one transaction."""
    rules = list(CareerRule.objects.order_by("group", "grade"))
    if job_id is not None:  # the rules it applies (progress shows once the transaction below commits)
        CareerEvaluationJob.objects.filter(pk=job_id).update(rule_count=len(rules))
    total = 0
    with transaction.atomic():
        CareerEligibility.objects.all().delete()
        for rule in rules:
            total += insert_select(CareerEligibility, COLUMNS, _rule_rows(rule, today))
            CareerEligibility.objects.filter(rule=rule, training__gte=rule.amount).update(meets_training=True)
    return total
