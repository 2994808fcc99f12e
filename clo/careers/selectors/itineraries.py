"""Reading itineraries: the active ones, a person's progress on one (which steps are done, which can start), and who
in a director's subtree follows which.

A step is done when the person has a completed enrolment in its program; it is ready when its prerequisites are
done. An itinerary is finished when every step is done."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from clo.careers.models import Itinerary, ItineraryEnrolment, ItineraryStep
from clo.people import roles
from clo.people.models import Employee
from programs.models import Enrolment


def _completed(employee, program) -> QuerySet:
    return Enrolment.objects.filter(employee=employee, session__program=program, status=Enrolment.Status.COMPLETED)


def active_itineraries(*, job_family: str = "") -> QuerySet[Itinerary]:
    """Active itineraries with ``step_count``, by family and title (of one family when given)."""
    rows = Itinerary.objects.filter(active=True).annotate(step_count=Count("steps"))
    return rows.filter(job_family=job_family) if job_family else rows


def itinerary_of(itinerary_id: int) -> Itinerary | None:
    """An active itinerary with its steps in order (program, prerequisites): three queries."""
    steps = ItineraryStep.objects.select_related("program").prefetch_related("prerequisites").order_by("order")
    return (Itinerary.objects.filter(pk=itinerary_id, active=True)
            .prefetch_related(Prefetch("steps", queryset=steps)).first())


@dataclass
class StepProgress:
    step: ItineraryStep
    done: bool
    ready: bool
    waiting_for: list[ItineraryStep]


def progress(itinerary: Itinerary, *, employee_id: int | None) -> list[StepProgress]:
    """Each step of ``itinerary`` (prefetched by ``itinerary_of``) for the person: done, ready to start, or waiting
    for which earlier steps. One query."""
    steps = list(itinerary.steps.all())
    done_programs: set[int] = set()
    if employee_id is not None:
        done_programs = set(Enrolment.objects.filter(
            employee_id=employee_id, status=Enrolment.Status.COMPLETED,
            session__program__in=[s.program_id for s in steps]).values_list("session__program_id", flat=True))
    done_steps = {s.pk for s in steps if s.program_id in done_programs}
    rows = []
    for step in steps:
        waiting = [p for p in step.prerequisites.all() if p.pk not in done_steps]
        rows.append(StepProgress(step, step.pk in done_steps, not waiting, waiting))
    return rows


def enrolment_of(*, itinerary_id: int, employee_id: int | None) -> ItineraryEnrolment | None:
    if employee_id is None:
        return None
    return ItineraryEnrolment.objects.filter(itinerary_id=itinerary_id, employee_id=employee_id).first()


def _steps_left() -> QuerySet:
    """Inside an itinerary-enrolment query: the steps of its itinerary whose program the person has not completed."""
    return ItineraryStep.objects.filter(itinerary=OuterRef("itinerary")).exclude(
        Exists(_completed(OuterRef(OuterRef("employee")), OuterRef("program"))))


def finished_enrolments(*, employee_ids=None) -> list[ItineraryEnrolment]:
    """The open itinerary enrolments whose every step is done (of ``employee_ids`` when given). One query."""
    rows = (ItineraryEnrolment.objects.filter(completed_on__isnull=True, itinerary__steps__isnull=False)
            .exclude(Exists(_steps_left())).select_related("employee", "itinerary").distinct())
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=employee_ids)
    return list(rows.order_by("pk"))


def unfinished_completed_enrolments() -> QuerySet[ItineraryEnrolment]:
    """Itinerary enrolments marked complete although a step's program is no longer completed (annulled)."""
    return ItineraryEnrolment.objects.filter(completed_on__isnull=False).filter(Exists(_steps_left()))


def people_on_itineraries(user, *, itinerary_id: int | None = None) -> QuerySet[ItineraryEnrolment]:
    """Who follows which itinerary, within the user's scope (everyone for HR and the learning office, the units
    they head for a director; nobody else), with ``steps_total`` and ``steps_done``. One query per page."""
    scope = roles.scope_of(user)
    people = Employee.objects.active() if scope.everything else Employee.objects.active().in_units(scope.unit_paths)
    done = (ItineraryStep.objects.filter(itinerary=OuterRef("itinerary"))
            .filter(Exists(_completed(OuterRef(OuterRef("employee")), OuterRef("program"))))
            .order_by().values("itinerary").annotate(n=Count("pk")).values("n")[:1])
    total = (ItineraryStep.objects.filter(itinerary=OuterRef("itinerary")).order_by().values("itinerary")
             .annotate(n=Count("pk")).values("n")[:1])
    rows = ItineraryEnrolment.objects.filter(employee__in=people.values("pk"))
    if itinerary_id is not None:
        rows = rows.filter(itinerary_id=itinerary_id)
    return (rows.annotate(steps_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
                          steps_total=Coalesce(Subquery(total, output_field=IntegerField()), 0))
            .select_related("employee__unit", "itinerary")
            .order_by("itinerary__title", "employee__last_name", "employee__first_name", "pk"))


def can_see_people(user) -> bool:
    scope = roles.scope_of(user)
    return scope.everything or scope.has(roles.DIRECTOR)


def my_itineraries(employee_id: int) -> list[ItineraryEnrolment]:
    return list(ItineraryEnrolment.objects.filter(employee_id=employee_id).select_related("itinerary")
                .order_by("-enrolled_at"))




def steps_of(itinerary_id: int) -> QuerySet[ItineraryStep]:
    return ItineraryStep.objects.filter(itinerary_id=itinerary_id).select_related("program").order_by("order")


def programs_for_steps() -> QuerySet:
    """The active programs of the catalogue, by title (what an itinerary's step can be)."""
    from programs.models import Program

    return Program.objects.filter(active=True).order_by("title", "code")
