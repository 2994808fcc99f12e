"""Itineraries: the learning office defines one and adds, moves and removes its steps (keeping every step after the
steps it needs); a person enrols in one, and its programs join their learning plan of the year (through the
learning-plan services, as a person adding an activity would)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.careers.models import Itinerary, ItineraryEnrolment, ItineraryStep
from programs.models import LearningPlanItem
from programs.services.learning_plans import learning_plan_for_year, learning_plan_item_add


@transaction.atomic
def itinerary_enrol(*, itinerary: Itinerary, employee_id: int, year: int | None = None) -> ItineraryEnrolment:
    """Enrol the person and add each step's program to their learning plan of ``year`` (the current one by default)
    unless the plan already has it. The badge follows once every program is completed."""
    if not itinerary.active:
        raise ValidationError(_("This itinerary is no longer offered."))
    try:
        with transaction.atomic():
            enrolment = ItineraryEnrolment.objects.create(itinerary=itinerary, employee_id=employee_id)
    except IntegrityError:
        raise ValidationError(_("You already follow this itinerary.")) from None
    plan = learning_plan_for_year(employee_id=employee_id, year=year or timezone.localdate().year)
    planned = set(plan.items.exclude(status=LearningPlanItem.Status.RETIRED).values_list("program_id", flat=True))
    for step in itinerary.steps.select_related("program").order_by("order"):
        if step.program_id not in planned:
            learning_plan_item_add(plan=plan, kind=LearningPlanItem.Kind.PROGRAM, program=step.program)
    return enrolment


@transaction.atomic
def itinerary_create(*, title: str, job_family: str, description: str = "") -> Itinerary:
    """The learning office defines an itinerary toward a position family; its steps come next."""
    itinerary = Itinerary(title=title.strip(), job_family=job_family.strip(), description=description.strip())
    itinerary.full_clean()
    itinerary.save()
    return itinerary


@transaction.atomic
def itinerary_step_add(*, itinerary: Itinerary, program, prerequisites=()) -> ItineraryStep:
    """The next step of an itinerary: a program, after the earlier steps it needs (so the order has no cycle)."""
    locked = Itinerary.objects.select_for_update().get(pk=itinerary.pk)
    steps = {step.pk: step for step in locked.steps.all()}
    needed = list(prerequisites)
    if any(step.pk not in steps for step in needed):
        raise ValidationError({"prerequisites": _("A step can only need earlier steps of the same itinerary.")})
    step = ItineraryStep(itinerary=locked, program=program,
                         order=max((s.order for s in steps.values()), default=0) + 1)
    step.full_clean()
    step.save()
    step.prerequisites.set(needed)
    return step


# The steps' orders are moved this far out of the way before they are written again, so that no UPDATE meets the
# unique (itinerary, order) constraint halfway through.
_RENUMBER_OFFSET = 10_000


def _renumber(itinerary: Itinerary, steps: list[ItineraryStep]) -> None:
    """Number ``steps`` (all of the itinerary's, in their new order) 1, 2, 3... Two UPDATEs."""
    ItineraryStep.objects.filter(itinerary=itinerary).update(order=F("order") + _RENUMBER_OFFSET)
    for number, step in enumerate(steps, start=1):
        step.order = number
    ItineraryStep.objects.bulk_update(steps, ["order"])


def _locked_steps(step: ItineraryStep) -> tuple[Itinerary, list[ItineraryStep]]:
    """The step's itinerary, locked against another edit, and its steps in order with their prerequisites."""
    itinerary = Itinerary.objects.select_for_update().get(pk=step.itinerary_id)
    steps = list(itinerary.steps.select_related("program").prefetch_related("prerequisites").order_by("order"))
    return itinerary, steps


def _titles(steps) -> str:
    return ", ".join(step.program.title for step in steps)


@transaction.atomic
def itinerary_step_remove(*, step: ItineraryStep) -> None:
    """Remove a step and close the gap in the order; refused while another step needs it first."""
    itinerary, steps = _locked_steps(step)
    dependants = [other for other in steps if any(p.pk == step.pk for p in other.prerequisites.all())]
    if dependants:
        raise ValidationError(_("%(program)s cannot be removed: it is a prerequisite of these steps: %(steps)s.")
                              % {"program": step.program.title, "steps": _titles(dependants)})
    ItineraryStep.objects.filter(pk=step.pk).delete()
    _renumber(itinerary, [other for other in steps if other.pk != step.pk])


@transaction.atomic
def itinerary_step_move(*, step: ItineraryStep, direction: str) -> None:
    """Swap a step with the one before it (``up``) or after it (``down``); refused when one of the two needs the
    other first, since a step comes after the steps it needs."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the step up or down."))
    itinerary, steps = _locked_steps(step)
    place = next((i for i, other in enumerate(steps) if other.pk == step.pk), None)
    if place is None:
        raise ValidationError(_("This step is no longer part of the itinerary."))
    neighbour = place - 1 if direction == "up" else place + 1
    if not 0 <= neighbour < len(steps):
        raise ValidationError(_("This step is already the first.") if direction == "up"
                              else _("This step is already the last."))
    earlier, later = (steps[neighbour], steps[place]) if direction == "up" else (steps[place], steps[neighbour])
    if any(p.pk == earlier.pk for p in later.prerequisites.all()):
        raise ValidationError(_("%(later)s needs %(earlier)s first: it cannot come before it.")
                              % {"later": later.program.title, "earlier": earlier.program.title})
    steps[place], steps[neighbour] = steps[neighbour], steps[place]
    _renumber(itinerary, steps)
