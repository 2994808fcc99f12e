"""Reading the pool of internal trainers and mentors: who may see it, and each trainer's figures (``with_figures``:
hours taught in a year, the mean satisfaction of their sessions above the anonymity threshold, the competencies they
cover), the one definition every page that shows them reads."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from clo.people import roles
from clo.people.models import Employee
from clo.talent.models import InternalTrainer
from competencies.models import Competency
from programs.models import Session
from programs.selectors.feedback import MIN_ANSWERS, trainer_reaction
from programs.selectors.figures import hours_taught, hours_taught_by_year

__all__ = ["MIN_ANSWERS", "can_manage_pool", "can_see_pool", "hours_taught_by_year", "pool_for_list",
           "trainer_for_page", "trainer_sessions", "with_figures"]


def can_manage_pool(user) -> bool:
    """The learning office keeps the pool (adds, edits, deactivates, assigns to sessions)."""
    return roles.is_learning_office(user)


def can_see_pool(user) -> bool:
    """The learning office and HR (everyone) and directors (their subtree) read the pool."""
    scope = roles.scope_of(user)
    return scope.everything or bool(scope.unit_paths)


def with_figures(trainers: QuerySet, *, year: int) -> QuerySet:
    """``trainers`` (internal trainers) with ``hours_taught`` in ``year``, ``reaction_answers``, ``reaction_mean`` and
    ``trainer_rating`` (None below the anonymity threshold: ``programs.selectors.feedback.trainer_reaction``), and
    ``competencies`` prefetched: scalar subqueries and one prefetch whatever the size of the pool."""
    return (
        trainers.annotate(hours_taught=hours_taught(year=year, trainer="employee_id"),
                          **trainer_reaction(trainer="employee_id"))
        .select_related("employee__unit", "employee__position")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("code")))
    )


def pool_for_list(user, *, year: int, include_inactive: bool = False) -> QuerySet:
    """The pool ``user`` may see with their figures, by name."""
    trainers = InternalTrainer.objects.visible_to(user)
    if not include_inactive:
        trainers = trainers.active()
    return with_figures(trainers, year=year).order_by("employee__last_name", "employee__first_name", "pk")


def trainer_for_page(user, trainer_id: int, *, year: int) -> InternalTrainer | None:
    return with_figures(InternalTrainer.objects.visible_to(user).filter(pk=trainer_id), year=year).first()


def trainer_sessions(employee_id: int, *, limit: int = 50) -> list[Session]:
    """The sessions an internal trainer teaches or taught, latest first, with their program. One query."""
    return list(Session.objects.filter(internal_trainer_id=employee_id).select_related("program")
                .order_by("-starts_at", "-pk")[:limit])


def active_employee(number: str) -> Employee | None:
    return Employee.objects.filter(employee_number__iexact=number.strip(), active=True,
                                   blocked_at__isnull=True).select_related("unit").first()
