"""Learning plans: generation from the gap engine's results, and the edits HR and directors make.

Generation reads the employees' gaps (``evaluations.gaps.selectors``, never recomputed here) and, for each gap, the
catalogue's programs that develop that competency to at least the required level, ranked: the one that closes the
gap fully first, then the soonest scheduled session that still has seats, then the shortest, then the cheapest.
Critical requirements come first. One item per gap is suggested: the best program.

An action is due at the end of the next session of its program (sessions are looked for until the end of the plan's
period or ``CLO_PLAN_HORIZON_MONTHS`` from today, whichever is later); a program with no such session is due that
many months from today (from the start of the period, for a plan that starts later). A due date is never already
past, and the plan's period is stretched to hold its due dates (a plan made in December reaches into next year).

Regenerating adds and retires, it never clobbers: an item a person added or edited (``edited``), or one already in
progress or done, is left exactly as it is; a suggestion that no longer fits (gap closed, better program) is retired;
one that fits again comes back. It works on a batch of employees with a fixed number of queries per batch, so a
whole unit or the organisation is a loop over batches (``learning_plans_generate_for_units``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, IntegerField, JSONField, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.audit import record_bulk_change
from programs.models import Enrolment, LearningPlan, LearningPlanItem, ProgramCompetency, Session

BATCH_SIZE = 500


@dataclass(frozen=True)
class Candidate:
    program_id: int
    level_reached: int
    next_session_on: dt.date | None
    hours: float
    cost: float
    next_session_ends_on: dt.date | None = None


@dataclass
class GenerationResult:
    plans: int = 0
    added: int = 0
    retired: int = 0
    restored: int = 0


def year_period(year: int) -> tuple[dt.date, dt.date]:
    """The default period of a plan: the calendar year."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` ahead (the last day of the month when it has no such day: 31 August + 6 → 28/29
    February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
               following - dt.timedelta(days=1))


def horizon_months() -> int:
    return settings.CLO_PLAN_HORIZON_MONTHS


def horizon_due_date(*, today: dt.date, period_start: dt.date) -> dt.date:
    """When an action with no session to follow is due: the horizon from today (or from the start of a period that
    has not begun)."""
    return add_months(max(today, period_start), horizon_months())


def planning_window_end(*, today: dt.date, period_start: dt.date, period_end: dt.date) -> dt.date:
    """The last day a session may start on to set an action's due date: the end of the period or the horizon,
    whichever is later."""
    return max(period_end, horizon_due_date(today=today, period_start=period_start))


# --- Catalogue --------------------------------------------------------------------------------------------------


def sessions_with_seats(*, now: dt.datetime, until: dt.date, since: dt.date | None = None):
    """Scheduled sessions starting after ``now`` (and on or after ``since``) and on or before ``until`` that still
    have a seat: the sessions a plan can follow (also read by the list of gaps the catalogue does not cover)."""
    taken = (
        Enrolment.objects.filter(session=OuterRef("pk"), status__in=Enrolment.SEAT_HOLDING)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now, starts_at__date__lte=until)
    if since is not None:
        sessions = sessions.filter(starts_at__date__gte=since)
    return (
        sessions.annotate(taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .filter(capacity__gt=F("taken"))
    )


def catalogue_candidates(*, competency_ids, now: dt.datetime, until: dt.date,
                         since: dt.date | None = None) -> dict[int, list[Candidate]]:
    """Active programs developing each competency, with their soonest session that has seats before ``until`` (its
    first and last day). One query (the catalogue is small next to the organisation)."""
    soonest = (
        sessions_with_seats(now=now, until=until, since=since).filter(program=OuterRef("program"))
        .order_by("starts_at", "pk")
        .annotate(first_last=JSONObject(starts="starts_at", ends="ends_at"))
    )
    # the soonest session's first and last moment in one subquery (two would count every session's seats twice)
    rows = (
        ProgramCompetency.objects.filter(competency_id__in=competency_ids, program__active=True)
        .annotate(next_session=Subquery(soonest.values("first_last")[:1], output_field=JSONField()))
        .values_list("competency_id", "program_id", "level_reached", "next_session", "program__hours", "program__cost")
    )
    found: dict[int, list[Candidate]] = defaultdict(list)
    for competency_id, program_id, level, next_session, hours, cost in rows:
        day = _local_date(next_session["starts"]) if next_session else None
        last = _local_date(next_session["ends"]) if next_session else None
        found[competency_id].append(Candidate(program_id, level, day, float(hours), float(cost), last))
    return found


def _local_date(moment: str) -> dt.date:
    """The local day of a moment read from JSON (ISO 8601; SQLite's are naive UTC)."""
    parsed = dt.datetime.fromisoformat(moment)
    return timezone.localdate(parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC))


def rank_candidates(candidates: list[Candidate], *, current: int, required: int) -> list[Candidate]:
    """Programs that raise the level above ``current``, best first: closes the gap fully, soonest session with seats
    (programs with no such session last), shortest, cheapest."""
    useful = [c for c in candidates if c.level_reached > current]
    return sorted(
        useful,
        key=lambda c: (
            c.level_reached < required,
            c.next_session_on is None,
            c.next_session_on or dt.date.max,
            c.hours,
            c.cost,
            c.program_id,
        ),
    )


def best_program(candidates: list[Candidate], *, current: int, required: int) -> Candidate | None:
    """The program suggested for a gap: the best one that develops the competency to at least ``required``."""
    ranked = rank_candidates(candidates, current=current, required=required)
    return ranked[0] if ranked and ranked[0].level_reached >= required else None


# --- Generation ---------------------------------------------------------------------------------------------------


def _audit_generation(plans, added, retired_ids, restored, refreshed=()) -> None:
    """The audit trail of a generation, written in bulk (its writes are bulk ones, which auditlog does not see)."""
    employee_of = {plan.pk: plan.employee_id for plan in plans}
    owners = {i.pk: employee_of.get(i.plan_id) for i in [*added, *restored, *refreshed] if i.pk}
    owners.update(LearningPlanItem.objects.filter(pk__in=retired_ids).values_list("pk", "plan__employee_id"))
    record_bulk_change(LearningPlanItem, action="create", person_ids=owners, changes={
        i.pk: {"program": [None, i.program_id], "competency": [None, i.competency_id],
               "target_level": [None, i.target_level], "due_date": [None, i.due_date], "origin": [None, i.origin]}
        for i in added if i.pk
    })
    record_bulk_change(LearningPlanItem, person_ids=owners, changes={
        **{pk: {"status": [None, LearningPlanItem.Status.RETIRED]} for pk in retired_ids},
        **{i.pk: {"status": [LearningPlanItem.Status.RETIRED, i.status], "due_date": [None, i.due_date]}
           for i in restored},
        **{i.pk: {"due_date": [i.previous_due_date, i.due_date]} for i in refreshed},
    })


def _plans_for(employee_ids: list[int], period_start: dt.date, period_end: dt.date) -> list[LearningPlan]:
    """The plans of the batch for the period, created where missing, locked (a generation for the same people, from
    the button or another job, waits for this one)."""
    LearningPlan.objects.bulk_create(
        [LearningPlan(employee_id=e, period_start=period_start, period_end=period_end) for e in employee_ids],
        ignore_conflicts=True,
    )
    return list(
        LearningPlan.objects.select_for_update()
        .filter(employee_id__in=employee_ids, period_start=period_start)
        .exclude(status=LearningPlan.Status.CLOSED)
        .order_by("pk")
    )


def _gaps_for(employee_ids: list[int]) -> dict[int, list]:
    """The open gaps of a batch, critical first then largest (the ``evaluations_gap`` view, as
    ``evaluations.gaps.selectors.employee_gaps`` reads one person's)."""
    from evaluations.models import Gap

    by_employee: dict[int, list] = defaultdict(list)
    rows = Gap.objects.filter(employee_id__in=employee_ids, gap__gt=0).order_by(
        "employee_id", "-is_critical", "-gap", "competency_id"
    )
    for gap in rows:
        by_employee[gap.employee_id].append(gap)
    return by_employee


def _due_date(candidate: Candidate, *, today: dt.date, fallback: dt.date) -> dt.date:
    """The end of the program's next session, or ``fallback`` (the horizon) when none is scheduled; never past."""
    if candidate.next_session_ends_on:
        return max(candidate.next_session_ends_on, candidate.next_session_on or today, today)
    return max(fallback, today)


def _stretch_periods(plans: list[LearningPlan], items: list[LearningPlanItem]) -> None:
    """Each plan's period reaches its last due date (one UPDATE for the plans that need it)."""
    last: dict[int, dt.date] = {}
    for item in items:
        plan_id = item.plan_id or item.plan.pk
        if item.due_date and item.due_date > last.get(plan_id, dt.date.min):
            last[plan_id] = item.due_date
    stretched = []
    for plan in plans:
        if last.get(plan.pk, dt.date.min) > plan.period_end:
            plan.period_end = last[plan.pk]
            stretched.append(plan)
    if stretched:
        LearningPlan.objects.bulk_update(stretched, ["period_end"])


@transaction.atomic
def learning_plans_generate(*, employee_ids, period_start: dt.date, period_end: dt.date,
                            now: dt.datetime | None = None) -> GenerationResult:
    """Generate or regenerate the plans of ``employee_ids`` (one batch) for the period. Closed plans are left alone.
    A fixed number of queries whatever the batch size."""
    if period_end <= period_start:
        raise ValidationError({"period_end": _("The plan's period must end after it starts.")})
    now = now or timezone.now()
    today = timezone.localdate(now)
    employee_ids = sorted(set(employee_ids))
    result = GenerationResult()
    plans = _plans_for(employee_ids, period_start, period_end)
    if not plans:
        return result
    gaps = _gaps_for([p.employee_id for p in plans])
    competency_ids = {g.competency_id for rows in gaps.values() for g in rows}
    fallback = horizon_due_date(today=today, period_start=period_start)
    until = planning_window_end(today=today, period_start=period_start,
                                period_end=max([period_end, *(p.period_end for p in plans)]))
    catalogue = catalogue_candidates(competency_ids=competency_ids, now=now, until=until, since=period_start)
    existing: dict[int, list[LearningPlanItem]] = defaultdict(list)
    for item in LearningPlanItem.objects.filter(plan__in=plans):
        existing[item.plan_id].append(item)

    to_add: list[LearningPlanItem] = []
    to_retire: list[int] = []
    to_restore: list[LearningPlanItem] = []
    to_refresh: list[LearningPlanItem] = []
    for plan in plans:
        suggested: dict[tuple[int, int], tuple[Candidate, object]] = {}
        for gap in gaps.get(plan.employee_id, ()):
            best = best_program(catalogue.get(gap.competency_id, []), current=gap.current_level,
                                required=gap.required_level)
            if best is not None:
                suggested.setdefault((gap.competency_id, best.program_id), (best, gap))
        mine = existing[plan.pk]
        generated = {(i.competency_id, i.program_id): i for i in mine if i.origin == LearningPlanItem.Origin.GENERATED}
        # A person who already planned this program for this competency has it covered.
        covered = {(i.competency_id, i.program_id) for i in mine if i.status != LearningPlanItem.Status.RETIRED}
        for key, item in generated.items():
            untouched = not item.edited and item.status == LearningPlanItem.Status.PLANNED
            if key not in suggested and untouched:
                to_retire.append(item.pk)
        for key, (candidate, gap) in suggested.items():
            item = generated.get(key)
            due = _due_date(candidate, today=today, fallback=fallback)
            if item is not None:
                if item.status == LearningPlanItem.Status.RETIRED and not item.edited:
                    item.status = LearningPlanItem.Status.PLANNED
                    item.due_date = due
                    item.target_level = gap.required_level
                    item.critical = gap.is_critical
                    to_restore.append(item)
                elif item.status == LearningPlanItem.Status.PLANNED and not item.edited and item.due_date != due:
                    # an untouched suggestion follows the sessions offered (and is never left overdue)
                    item.previous_due_date, item.due_date = item.due_date, due
                    to_refresh.append(item)
                continue
            if key in covered:
                continue
            to_add.append(LearningPlanItem(
                plan=plan, kind=LearningPlanItem.Kind.PROGRAM, program_id=candidate.program_id,
                competency_id=gap.competency_id, target_level=gap.required_level, due_date=due,
                origin=LearningPlanItem.Origin.GENERATED, critical=gap.is_critical,
            ))

    _stretch_periods(plans, [*to_add, *to_restore, *to_refresh])
    LearningPlanItem.objects.bulk_create(to_add)
    if to_retire:
        LearningPlanItem.objects.filter(pk__in=to_retire).update(status=LearningPlanItem.Status.RETIRED)
    if to_restore:
        LearningPlanItem.objects.bulk_update(to_restore, ["status", "due_date", "target_level", "critical"])
    if to_refresh:
        LearningPlanItem.objects.bulk_update(to_refresh, ["due_date"])
    _audit_generation(plans, to_add, to_retire, to_restore, to_refresh)
    LearningPlan.objects.filter(pk__in=[p.pk for p in plans]).update(generated_at=now)
    result.plans, result.added, result.retired, result.restored = len(plans), len(to_add), len(to_retire), len(to_restore)
    return result


def learning_plan_generate(*, employee_id: int, year: int, now: dt.datetime | None = None) -> LearningPlan:
    """The button: generate or regenerate one person's plan for ``year``."""
    start, end = year_period(year)
    learning_plans_generate(employee_ids=[employee_id], period_start=start, period_end=end, now=now)
    return LearningPlan.objects.get(employee_id=employee_id, period_start=start)


def learning_plans_generate_for_units(*, unit_id: int | None, year: int, batch_size: int = BATCH_SIZE) -> GenerationResult:
    """The job: every active employee of a unit's subtree (or of the organisation), batch by batch, one transaction
    per batch (keyset pagination by id: memory and transaction size stay flat with the organisation)."""
    from clo.people.models import Employee, OrgUnit

    employees = Employee.objects.active()
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if unit is None:
            return GenerationResult()
        employees = employees.in_units([unit])
    start, end = year_period(year)
    total = GenerationResult()
    last = 0
    while True:
        ids = list(employees.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        done = learning_plans_generate(employee_ids=ids, period_start=start, period_end=end)
        total.plans += done.plans
        total.added += done.added
        total.retired += done.retired
        total.restored += done.restored
        last = ids[-1]


def learning_plans_request_generation(*, unit_id: int | None, year: int) -> None:
    """Queue the job once the current transaction commits; ``QueueUnavailable`` from the commit when the broker cannot
    take it (no row holds the request: nothing to release, asking again works)."""
    from clo.core.tasks import queue_on_commit
    from programs.tasks import learning_plans_generate_for_units as task

    queue_on_commit(task, unit_id=unit_id, year=year, release=lambda: None)


# --- Edits ----------------------------------------------------------------------------------------------------------


def learning_plan_for_year(*, employee_id: int, year: int) -> LearningPlan:
    """The person's plan of ``year`` (the calendar year), created empty if they have none; a closed one cannot take
    new actions."""
    start, end = year_period(year)
    plan, _created = LearningPlan.objects.get_or_create(employee_id=employee_id, period_start=start,
                                                        defaults={"period_end": end})
    if plan.status == LearningPlan.Status.CLOSED:
        raise ValidationError(_("The learning plan of %(year)s is closed.") % {"year": year})
    return plan


@transaction.atomic
def learning_plan_item_add(*, plan: LearningPlan, kind: str, title: str = "", program=None, competency=None,
                           target_level: int | None = None, due_date: dt.date | None = None) -> LearningPlanItem:
    """A person adds an activity: a program, or mentoring, job rotation, a challenge project…"""
    item = LearningPlanItem(
        plan=plan, kind=kind, title=title, program=program, competency=competency, target_level=target_level,
        due_date=due_date, origin=LearningPlanItem.Origin.MANUAL, edited=True,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def learning_plan_item_update(*, item: LearningPlanItem, **changes) -> LearningPlanItem:
    """A person changes an item (dates, level, status): it is theirs from now on, regeneration leaves it alone."""
    allowed = {"title", "due_date", "target_level", "status", "competency"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(item, field, value)
    item.edited = True
    item.full_clean()
    item.save(update_fields=[*changes, "edited"])
    return item


def learning_plan_item_mark_done(*, item: LearningPlanItem) -> LearningPlanItem:
    return learning_plan_item_update(item=item, status=LearningPlanItem.Status.DONE)


__all__ = [
    "Candidate", "GenerationResult", "add_months", "best_program", "horizon_due_date", "planning_window_end",
    "sessions_with_seats", "catalogue_candidates", "learning_plan_generate",
    "learning_plan_for_year", "learning_plan_item_add", "learning_plan_item_mark_done", "learning_plan_item_update",
    "learning_plans_generate", "learning_plans_generate_for_units", "learning_plans_request_generation",
    "rank_candidates", "year_period",
]
