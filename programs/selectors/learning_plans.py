"""Reads of learning plans and their PDF jobs, and who may see or edit which plan.

Who: the learning office and HR see every plan; a director sees the plans of the people of the units they head
(whole subtrees); an employee sees their own. HR and the directors (of the person's units, not of their own plan)
edit plans; the learning office reads them. Bulk PDFs are HR's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.people import roles
from clo.people.models import Employee
from programs.models import LearningPlan, LearningPlanItem, PlanPdfJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# --- Access ---------------------------------------------------------------------------------------------------------


def plans_visible_to(user: User | AnonymousUser) -> QuerySet:
    return LearningPlan.objects.filter(employee__in=Employee.objects.visible_to(user).values("pk"))


def employees_for_plans(user: User | AnonymousUser) -> QuerySet:
    """The people whose plans the user manages: everyone for HR and the office, their units' people for a director."""
    scope = roles.scope_of(user)
    if scope.everything:
        return Employee.objects.active()
    return Employee.objects.active().in_units(scope.unit_paths)


def units_for_plans(user: User | AnonymousUser) -> QuerySet:
    """The active units whose plans the user manages, as a tree (for the unit filters)."""
    from clo.people.models import OrgUnit

    return OrgUnit.objects.visible_to(user).active().order_by("path")


def can_manage_plans(user: User | AnonymousUser) -> bool:
    scope = roles.scope_of(user)
    return scope.everything or scope.has(roles.DIRECTOR)


def can_generate_plans(user: User | AnonymousUser) -> bool:
    """HR, and the directors for their units' people."""
    scope = roles.scope_of(user)
    return user.is_superuser or scope.has(roles.HR) or scope.has(roles.DIRECTOR)


def can_edit_plan(user: User | AnonymousUser, plan: LearningPlan) -> bool:
    scope = roles.scope_of(user)
    if user.is_superuser or scope.has(roles.HR):
        return True
    if not scope.has(roles.DIRECTOR) or plan.employee_id == scope.employee_id:
        return False
    path = plan.employee.unit.path
    return any(path.startswith(p) for p in scope.unit_paths)


def can_run_bulk_pdfs(user: User | AnonymousUser) -> bool:
    return user.is_superuser or roles.scope_of(user).has(roles.HR)


# --- Plans ------------------------------------------------------------------------------------------------------------


@dataclass
class PlanProgress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0


def _items():
    return LearningPlanItem.objects.select_related("program", "competency").order_by(
        "-critical", "due_date", "pk"
    )


def plan_for_page(plan_id: int, user: User | AnonymousUser) -> LearningPlan | None:
    """A plan the user may see, with employee, unit, position and its items (retired ones last). Two queries."""
    return (
        plans_visible_to(user)
        .select_related("employee__unit", "employee__position")
        .prefetch_related(Prefetch("items", queryset=_items()))
        .filter(pk=plan_id)
        .first()
    )


def plan_items(plan: LearningPlan) -> tuple[list[LearningPlanItem], list[LearningPlanItem]]:
    """(active items, retired items) of a plan whose items are prefetched."""
    items = list(plan.items.all())
    retired = LearningPlanItem.Status.RETIRED
    return [i for i in items if i.status != retired], [i for i in items if i.status == retired]


def plan_progress(active_items: list[LearningPlanItem]) -> PlanProgress:
    return PlanProgress(sum(1 for i in active_items if i.status == LearningPlanItem.Status.DONE), len(active_items))


def plan_gaps(employee_id: int) -> list:
    """The person's gaps (the gap engine's view, through its selector), each with ``scale_max``, the top of its
    competency's scale. Two queries."""
    from competencies.models import Level
    from evaluations.gaps.selectors import employee_gaps

    gaps = list(employee_gaps(employee_id))
    maxima = dict(
        Level.objects.filter(scale__frameworks__competencies__in=[g.competency_id for g in gaps])
        .values_list("scale__frameworks__competencies").annotate(top=Max("value"))
    )
    for gap in gaps:
        gap.scale_max = maxima.get(gap.competency_id, gap.required_level)
    return gaps


def gap_resources(gaps: list) -> list:
    """Each gap of ``gaps`` with ``resources``: the links and documents attached to the levels it must climb (above
    the current level, up to the required one), "resources for this gap" (``competencies.selectors``). One query."""
    from competencies.selectors import resources_for_gaps

    found = resources_for_gaps(gaps)
    for gap in gaps:
        gap.resources = found.get(gap.competency_id, [])
    return gaps


# Why a gap of a plan has no action a person can take (``plan_gap_coverage``); "" when it has one.
NO_PROGRAM, NO_SESSION, NO_ACTION = "no_program", "no_session", "no_action"
# What the plan's page, its PDF and its export say about such a gap.
COVERAGE_NOTES = {
    NO_PROGRAM: _("No program in the catalogue covers this gap yet; the learning office has been told."),
    NO_SESSION: _("The programs that cover this gap have no session with places yet; the learning office has been "
                  "told."),
    NO_ACTION: _("The plan has no action for this gap yet."),
}


def plan_gap_coverage(plan: LearningPlan, gaps: list, active_items: list[LearningPlanItem], *,
                      now: dt.datetime | None = None) -> list:
    """The open gaps (``gap > 0``) of ``gaps`` that the plan does not cover, each with ``coverage``: ``NO_PROGRAM``
    (no active program of the catalogue develops the competency to the required level), ``NO_SESSION`` (some do, but
    none has a session with seats in the plan's window, as generation looks for them) or ``NO_ACTION`` (the
    catalogue covers it, the plan has no action for it yet). Every gap of ``gaps`` gets ``coverage`` ("" when
    covered). One query (the catalogue)."""
    from programs.services.learning_plans import catalogue_candidates, planning_window_end

    now = now or timezone.now()
    open_gaps = [g for g in gaps if g.gap > 0]
    for gap in gaps:
        gap.coverage, gap.coverage_note = "", ""
    if not open_gaps:
        return []
    until = planning_window_end(today=timezone.localdate(now), period_start=plan.period_start,
                                period_end=plan.period_end)
    catalogue = catalogue_candidates(competency_ids={g.competency_id for g in open_gaps}, now=now, until=until,
                                     since=plan.period_start)
    planned = {i.competency_id for i in active_items if i.competency_id}
    for gap in open_gaps:
        closing = [c for c in catalogue.get(gap.competency_id, []) if c.level_reached >= gap.required_level]
        if not closing:
            gap.coverage = NO_PROGRAM
        elif all(c.next_session_on is None for c in closing):
            gap.coverage = NO_SESSION
        elif gap.competency_id not in planned:
            gap.coverage = NO_ACTION
    for gap in gaps:
        gap.coverage_note = COVERAGE_NOTES.get(gap.coverage, "")
    return [g for g in open_gaps if g.coverage]


def plans_for_year(employees: QuerySet, *, year: int, page_size: int = 50, page: int = 1):
    """A page of ``employees`` with their plan for ``year`` (the latest whose period overlaps it: ``pk``,
    ``items_done``, ``items_total``): two queries (the employees with unit and position, then their plans' counts)."""
    offset = (page - 1) * page_size
    people = list(employees.select_related("unit", "position").order_by("last_name", "first_name", "pk")
                  [offset:offset + page_size + 1])
    has_next = len(people) > page_size
    people = people[:page_size]
    plans = _year_plans([e.pk for e in people], year=year)
    for person in people:
        person.plan = plans.get(person.pk)
    return people, has_next


def all_plans_for_year(employees: QuerySet, *, year: int):
    """Every one of ``employees`` with their plan for ``year``, as ``plans_for_year`` (for the list's export): two
    queries, the people streamed."""
    plans = _year_plans(employees.values("pk"), year=year)
    for person in employees.select_related("unit", "position").order_by("last_name", "first_name", "pk").iterator(
            chunk_size=2000):
        person.plan = plans.get(person.pk)
        yield person


def _year_plans(employee_ids, *, year: int) -> dict[int, dict]:
    """``{employee_id: plan}`` of the latest plan overlapping ``year``, with its counts of actions. One query."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active = ~Q(items__status=LearningPlanItem.Status.RETIRED)
    return {
        p["employee_id"]: p
        for p in LearningPlan.objects.filter(employee__in=employee_ids, period_start__lte=last, period_end__gte=first)
        .order_by("period_start")  # the latest plan that overlaps the year wins
        .values("pk", "employee_id", "status", "period_start")
        .annotate(
            items_total=Count("items", filter=active),
            items_done=Count("items", filter=Q(items__status=LearningPlanItem.Status.DONE)),
        )
    }


def search_employees(employees: QuerySet, *, q: str = "", unit=None) -> QuerySet:
    """``employees`` whose name or employee number holds every word of ``q`` (whatever the case and accents), of
    ``unit``'s subtree when given."""
    from clo.core.search import folded, folded_text

    if unit is not None:
        employees = employees.in_units([unit.path])
    words = folded_text(q).split()[:5]
    if words:
        employees = employees.annotate(folded_name=folded("first_name", "last_name"))
        for word in words:
            employees = employees.filter(Q(folded_name__contains=word) | Q(employee_number__iexact=word))
    return employees


def employee_plans(employee_id: int) -> list[LearningPlan]:
    """A person's plans, newest first."""
    return list(LearningPlan.objects.filter(employee_id=employee_id).order_by("-period_start"))


# --- PDF jobs -----------------------------------------------------------------------------------------------------


def plans_for_pdf_job(job: PlanPdfJob) -> QuerySet:
    """The plans a job renders: those in force on ``as_of`` (not closed) of active people of the unit's subtree."""
    employees = Employee.objects.active()
    if job.unit_id is not None:
        employees = employees.in_units([job.unit.path])
    return (
        LearningPlan.objects.filter(
            employee__in=employees.values("pk"), period_start__lte=job.as_of, period_end__gte=job.as_of
        )
        .exclude(status=LearningPlan.Status.CLOSED)
    )


def recent_pdf_jobs(*, limit: int = 20) -> list[PlanPdfJob]:
    return list(PlanPdfJob.objects.select_related("unit").order_by("-created_at", "-pk")[:limit])


# --- Gaps the catalogue does not cover ---------------------------------------------------------------------------------


def can_see_uncovered_gaps(user: User | AnonymousUser) -> bool:
    """The list is the learning office's: a plan with such a gap tells its reader that the office has been told."""
    return roles.is_learning_office(user)


def uncovered_gaps(*, now: dt.datetime | None = None, unit=None) -> QuerySet:
    """The open gaps of the organisation (of ``unit``'s subtree) that no program of the catalogue covers, grouped
    by competency and level needed, most people first: ``competency_id``, ``required_level``, ``has_program``
    (False: no active program develops the competency to that level; True: some do, but none has a session with
    seats before the horizon, as a plan made today would look for them), ``people``, ``critical`` (people for whom
    it is a critical requirement), ``units``. One query, set-based (two EXISTS per gap row)."""
    from evaluations.models import Gap
    from programs.models import ProgramCompetency
    from programs.services.learning_plans import planning_window_end, sessions_with_seats, year_period

    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = year_period(today.year)
    until = planning_window_end(today=today, period_start=start, period_end=end)
    covering = ProgramCompetency.objects.filter(
        competency=OuterRef("competency"), level_reached__gte=OuterRef("required_level"), program__active=True,
    )
    offered = covering.filter(Exists(sessions_with_seats(now=now, until=until).filter(program=OuterRef("program"))))
    gaps = Gap.objects.filter(gap__gt=0)
    if unit is not None:
        gaps = gaps.filter(unit__path__startswith=unit.path)
    return (
        gaps.annotate(has_program=Exists(covering), has_session=Exists(offered))
        .filter(has_session=False)
        .values("competency_id", "required_level", "has_program")
        .annotate(
            people=Count("employee_id", distinct=True),
            critical=Count("employee_id", filter=Q(is_critical=True), distinct=True),
            units=Count("unit_id", distinct=True),
        )
        .order_by("has_program", "-people", "competency_id", "required_level")
    )


UNITS_SHOWN = 5


def uncovered_gap_rows(rows: list[dict], *, unit=None) -> list[dict]:
    """``rows`` of ``uncovered_gaps`` (a page of them) with ``competency`` and ``unit_names`` (the first
    ``UNITS_SHOWN`` units, by name). Two queries whatever the number of rows."""
    from competencies.models import Competency
    from evaluations.models import Gap

    if not rows:
        return rows
    competencies = Competency.objects.in_bulk({r["competency_id"] for r in rows})
    keys = Q()
    for row in rows:
        keys |= Q(competency_id=row["competency_id"], required_level=row["required_level"])
    gaps = Gap.objects.filter(keys, gap__gt=0)
    if unit is not None:
        gaps = gaps.filter(unit__path__startswith=unit.path)
    names: dict[tuple[int, int], list[str]] = {}
    for competency_id, level, name in (gaps.order_by("competency_id", "required_level", "unit__name")
                                       .values_list("competency_id", "required_level", "unit__name").distinct()):
        names.setdefault((competency_id, level), []).append(name)
    for row in rows:
        row["competency"] = competencies.get(row["competency_id"])
        row["unit_names"] = names.get((row["competency_id"], row["required_level"]), [])[:UNITS_SHOWN]
    return rows
