"""The demo's itineraries and badges: for the two largest position families, an itinerary of three programs that
develop what the family's positions require (each needing the one before); the demo "empleat" follows the one of
their family (through the service, so its programs join their plan) and a few dozen colleagues follow one too. The
personas' completed programs and the most recent completions get their badges (signed with the development key in
var/ unless CLO_BADGE_SIGNING_KEY is set), one of them revoked, so every screen shows something on ``make run``.
At most a few hundred badges whatever the size of the demo."""

from __future__ import annotations

from django.db.models import Count

from clo.careers.models import Itinerary, ItineraryEnrolment, ItineraryStep
from clo.careers.services.badges import badge_issue_for_enrolment, badge_revoke, badge_share
from clo.careers.services.itineraries import itinerary_enrol
from clo.demo.accounts import USERNAMES
from clo.demo.world import World
from clo.people.models import Employee, Position
from programs.models import Enrolment, ProgramCompetency

FAMILIES = 2
STEPS = 3
FOLLOWERS = 30
RECENT_BADGES = 150


def _itinerary_for(family: str) -> Itinerary | None:
    """Three programs that develop the competencies the family's positions require most, in order."""
    competencies = (Position.objects.filter(job_family=family, active=True).values("requirements__competency")
                    .annotate(n=Count("pk")).order_by("-n", "requirements__competency")
                    .values_list("requirements__competency", flat=True))
    programs: list[int] = []
    for program_id in (ProgramCompetency.objects.filter(competency__in=list(competencies[:12]), program__active=True)
                       .order_by("level_reached", "program__hours", "program_id")
                       .values_list("program_id", flat=True)):
        if program_id not in programs:
            programs.append(program_id)
        if len(programs) == STEPS:
            break
    if len(programs) < 2:
        return None
    itinerary, _ = Itinerary.objects.update_or_create(
        title=f"Itinerari cap a {family}"[:200], defaults={
            "job_family": family, "active": True,
            "description": "Els programes que desenvolupen el que demanen els llocs d'aquesta família, en ordre."})
    itinerary.steps.all().delete()
    previous = None
    for order, program_id in enumerate(programs, start=1):
        step = ItineraryStep.objects.create(itinerary=itinerary, order=order, program_id=program_id)
        if previous is not None:
            step.prerequisites.add(previous)
        previous = step
    return itinerary


def build_badges(w: World) -> dict[str, int]:
    families = list(Employee.objects.active().exclude(position__job_family="").values("position__job_family")
                    .annotate(n=Count("pk")).order_by("-n", "position__job_family")
                    .values_list("position__job_family", flat=True)[:FAMILIES])
    persona = Employee.objects.filter(user__username="empleat").select_related("position").first()
    if persona is not None and persona.position.job_family and persona.position.job_family not in families:
        families.append(persona.position.job_family)
    itineraries = [i for i in (_itinerary_for(family) for family in families) if i is not None]
    for itinerary in itineraries:
        people = (Employee.objects.active().filter(position__job_family=itinerary.job_family)
                  .exclude(user__username__in=USERNAMES).order_by("pk").values_list("pk", flat=True)[:FOLLOWERS])
        ItineraryEnrolment.objects.bulk_create(
            [ItineraryEnrolment(itinerary=itinerary, employee_id=pk) for pk in people], ignore_conflicts=True)
        if persona is not None and itinerary.job_family == persona.position.job_family:
            if not ItineraryEnrolment.objects.filter(itinerary=itinerary, employee=persona).exists():
                itinerary_enrol(itinerary=itinerary, employee_id=persona.pk, year=w.today.year)
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_on__isnull=False)
    chosen = list(completed.filter(employee__user__username__in=USERNAMES).values_list("pk", flat=True))
    chosen += list(completed.exclude(pk__in=chosen).order_by("-completed_on", "-pk")
                   .values_list("pk", flat=True)[:RECENT_BADGES])
    badges = [b for b in (badge_issue_for_enrolment(enrolment_id=pk) for pk in chosen) if b is not None]
    mine = [b for b in badges if persona is not None and b.employee_id == persona.pk]
    if mine:
        badge_share(badge=mine[0], share_name=True)
    others = [b for b in badges if persona is None or b.employee_id != persona.pk]
    if others:
        badge_revoke(badge=others[-1], reason="Assistència no acreditada: la compleció s'ha anul·lat.")
    return {"itineraries": len(itineraries), "badges": len(badges)}
