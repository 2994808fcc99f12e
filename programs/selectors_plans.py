"""Reads of learning plans and their PDF jobs, and who may see or edit which plan.

Who: the learning office and HR see every plan; a director sees the plans of the people of the units they head
(whole subtrees); an employee sees their own. HR and the directors (of the person's units, not of their own plan)
edit plans; the learning office reads them. Bulk PDFs are HR's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Prefetch, Q, QuerySet

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
