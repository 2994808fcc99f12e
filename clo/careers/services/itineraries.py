"""Itineraries: a person enrols in one, and its programs join their learning plan of the year (through the
learning-plan services, as a person adding an activity would)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
