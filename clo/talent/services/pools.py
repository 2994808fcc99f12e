"""Writes of successor pools: nominate, confirm, rank, mark the emergency successor, remove, and build a successor's
development plan with the learning-plan machinery (``programs.services.learning_plans``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.people.models import Employee, Position
from clo.talent.models import ReadinessCategory, Successor
from clo.talent.selectors.pools import position_requirements
from evaluations.selectors import valid_levels
from programs.models import LearningPlan, LearningPlanItem, Program
from programs.services import learning_plans as plans


@transaction.atomic
def successor_nominate(*, position: Position, employee: Employee, by) -> Successor:
    """Adds ``employee`` to the pool, last in rank."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not position.is_critical:
        raise ValidationError(_("Only a critical position has a successor pool."))
    if not employee.active:
        raise ValidationError({"employee": _("This person is no longer active.")})
    if employee.position_id == position.pk:
        raise ValidationError({"employee": _("This person already holds the position.")})
    last = Successor.objects.filter(position=position).aggregate(last=Max("rank"))["last"] or 0
    successor = Successor(position=position, employee=employee, rank=last + 1, nominated_by=by)
    successor.full_clean()
    successor.save()
    return successor


@transaction.atomic
def successor_confirm(*, successor: Successor, by) -> Successor:
    successor.status, successor.confirmed_by, successor.confirmed_at = Successor.Status.CONFIRMED, by, timezone.now()
    successor.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return successor


@transaction.atomic
def successor_rank(*, successor: Successor, rank: int) -> None:
    """Moves the successor to ``rank`` (1 = first); the others keep their order around it, numbered 1, 2, 3…"""
    others = list(Successor.objects.select_for_update().filter(position_id=successor.position_id)
                  .exclude(pk=successor.pk).order_by("rank", "pk"))
    if rank < 1:
        raise ValidationError({"rank": _("The rank must be 1 or more.")})
    others.insert(min(rank, len(others) + 1) - 1, successor)
    for number, row in enumerate(others, start=1):
        row.rank = number
    Successor.objects.bulk_update(others, ["rank"])


@transaction.atomic
def successor_mark_emergency(*, successor: Successor) -> None:
    """The position's one emergency successor (whoever was before is not any more)."""
    Successor.objects.filter(position_id=successor.position_id, is_emergency=True).exclude(
        pk=successor.pk).update(is_emergency=False)
    Successor.objects.filter(pk=successor.pk).update(is_emergency=True)


@transaction.atomic
def successor_remove(*, successor: Successor) -> None:
    position_id = successor.position_id
    successor.delete()
    rows = list(Successor.objects.filter(position_id=position_id).order_by("rank", "pk"))
    for number, row in enumerate(rows, start=1):
        row.rank = number
    Successor.objects.bulk_update(rows, ["rank"])


def _plan_for(employee_id: int, today: dt.date) -> LearningPlan:
    current = LearningPlan.objects.filter(employee_id=employee_id, period_start__lte=today,
                                          period_end__gte=today).order_by("-period_start").first()
    return current or plans.learning_plan_generate(employee_id=employee_id, year=today.year)


@transaction.atomic
def successor_plan_build(*, successor: Successor, now: dt.datetime | None = None) -> LearningPlan:
    """The successor's development plan: their learning plan in force (generated if they have none), with one item
    for each requirement of the position they do not reach yet, critical ones first — the best catalogue program
    (``programs.services.learning_plans.best_program``) or, when none reaches the level, mentoring by the holders.
    Safe to run again: a competency the plan already works on gets no second item."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    plan = _plan_for(successor.employee_id, today)
    requirements = list(position_requirements(successor.position_id))
    levels = dict(valid_levels(today=today).filter(
        employee_id=successor.employee_id, competency_id__in=[r.competency_id for r in requirements],
    ).values_list("competency_id", "level"))
    planned = set(LearningPlanItem.objects.filter(plan=plan).exclude(status=LearningPlanItem.Status.RETIRED)
                  .values_list("competency_id", flat=True))
    short = [r for r in requirements if levels.get(r.competency_id, 0) < r.required_level
             and r.competency_id not in planned]
    candidates = plans.catalogue_candidates(competency_ids=[r.competency_id for r in short], now=now,
                                            until=plan.period_end)
    chosen = {r.competency_id: plans.best_program(candidates.get(r.competency_id, []),
                                                  current=levels.get(r.competency_id, 0), required=r.required_level)
              for r in short}
    programs = Program.objects.in_bulk([c.program_id for c in chosen.values() if c])
    position = successor.position
    for requirement in short:
        best = chosen[requirement.competency_id]
        due = best.next_session_on if best and best.next_session_on else plan.period_end
        due = min(max(due, plan.period_start), plan.period_end)
        if best:
            plans.learning_plan_item_add(plan=plan, kind=LearningPlanItem.Kind.PROGRAM,
                                         program=programs[best.program_id], competency=requirement.competency,
                                         target_level=requirement.required_level, due_date=due)
        else:
            title = _("Mentoring towards %(position)s: %(competency)s") % {
                "position": position.title, "competency": requirement.competency.name}
            plans.learning_plan_item_add(plan=plan, kind=LearningPlanItem.Kind.MENTORING, title=title[:200],
                                         competency=requirement.competency,
                                         target_level=requirement.required_level, due_date=due)
    successor.learning_plan = plan
    successor.save(update_fields=["learning_plan"])
    return plan


# --- The readiness list ---------------------------------------------------------------------------------------------


@transaction.atomic
def readiness_category_save(*, category: ReadinessCategory) -> ReadinessCategory:
    """Create or change a readiness category (its names, its highest weighted gap, whether it counts as ready now).
    Readiness is read live from the fits (pools and bench strength): nothing stored follows."""
    category.full_clean()
    category.save()
    return category
