"""The demo's internal trainers and mentors (issue 19, item 2): the people of the expertise directory who offer to
teach or mentor join the pool, with the competencies they master, and so does the "empleat" login (his career page
shows the hours he taught and the colleague he mentors). Each pool trainer is assigned a few delivered sessions that reached the anonymity
threshold of the satisfaction answers, so the pool shows hours and a mean; one more trainer teaches a session with
too few answers, so the pool also shows the threshold at work. Mentoring: the first knowledge-transfer plans become
mentoring relationships of their pair, and the pool's mentors each mentor a colleague of their unit, with meetings.
Written through the talent services, in a fixed order (never by random), at most a few dozen rows."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from clo.demo.world import World
from clo.people.models import Employee
from clo.talent.models import ExpertiseListing, InternalTrainer, TransferPlan
from clo.talent.services import mentoring as mentoring_services
from clo.talent.services import trainers as services
from evaluations.models import CurrentLevel
from programs.models import Enrolment, Session
from programs.selectors.feedback import MIN_ANSWERS

SESSIONS_EACH = 3
PLANS_MENTORED = 2
NOTES = ("Dimarts i dijous al matí; fins a 40 hores l'any.", "Tardes de dilluns; preferentment en línia.")


def _covered(employee_id: int) -> list[int]:
    return list(CurrentLevel.objects.filter(employee_id=employee_id, level__gte=3).exclude(source="self")
                .order_by("-level", "competency_id").values_list("competency_id", flat=True)[:3])


def _pool(w: World) -> list[InternalTrainer]:
    listings = (ExpertiseListing.objects.filter(listed=True).filter(Q(as_trainer=True) | Q(as_mentor=True))
                .order_by("employee_id"))
    people = [(listing.employee_id, listing.as_trainer or not listing.as_mentor, listing.as_mentor)
              for listing in listings]
    people.insert(0, (w.employee_id(w.personas["empleat"]), True, True))
    trainers = []
    for index, (employee_id, teaches, mentors) in enumerate(people):
        if InternalTrainer.objects.filter(employee_id=employee_id).exists():
            continue
        trainers.append(services.trainer_add(
            employee=Employee.objects.get(pk=employee_id), teaches=teaches, mentors=mentors,
            competencies=_covered(employee_id), availability=NOTES[index % len(NOTES)]))
    return trainers


def _assign_sessions(teachers: list[InternalTrainer]) -> int:
    """Delivered sessions with enough answers, latest first, dealt to the teachers in turn (never one a teacher
    took a seat in); the last teacher also gets a session with fewer answers than the threshold."""
    delivered = (Session.objects.filter(status=Session.Status.FINISHED, internal_trainer__isnull=True)
                 .annotate(answers=Count("enrolments__reactions")).order_by("-starts_at", "-pk"))
    enough = list(delivered.filter(answers__gte=MIN_ANSWERS).values_list("pk", flat=True)[:200])
    few = list(delivered.filter(answers__gt=0, answers__lt=MIN_ANSWERS).values_list("pk", flat=True)[:20])
    taken = set(Enrolment.objects.filter(session_id__in=enough + few, employee__in=[t.employee for t in teachers])
                .values_list("session_id", "employee_id"))
    assigned, used = 0, set()
    for index, trainer in enumerate(teachers):
        wanted = SESSIONS_EACH
        for session_id in enough:
            if wanted and session_id not in used and (session_id, trainer.employee_id) not in taken:
                services.trainer_assign(trainer=trainer, session=Session(pk=session_id))
                used.add(session_id)
                wanted -= 1
                assigned += 1
        if index == len(teachers) - 1:
            for session_id in few:
                if (session_id, trainer.employee_id) not in taken:
                    services.trainer_assign(trainer=trainer, session=Session(pk=session_id))
                    assigned += 1
                    break
    return assigned


def _meetings(relationship, starts_on: dt.date, count: int) -> None:
    for n in range(count):
        mentoring_services.meeting_add(relationship=relationship, held_on=starts_on + dt.timedelta(days=7 + 14 * n),
                                       minutes=(60, 45, 90)[n % 3],
                                       note=("Objectius del període", "Revisió d'un expedient real",
                                             "Preparació de la comissió")[n % 3])


def build_trainers_and_mentoring(w: World) -> dict:
    trainers = _pool(w)
    sessions = _assign_sessions([t for t in trainers if t.teaches])
    author = get_user_model().objects.filter(username="clo").first()
    starts_on = w.today - dt.timedelta(days=60)
    relationships = 0
    for plan in (TransferPlan.objects.select_related("holder", "successor").prefetch_related("items")
                 .order_by("leaving_on", "pk")[:PLANS_MENTORED]):
        relationship = mentoring_services.mentoring_create(
            mentor=plan.holder, mentee=plan.successor, starts_on=starts_on, ends_on=plan.leaving_on,
            competencies=[item.competency_id for item in plan.items.all() if item.competency_id],
            transfer_plan=plan, created_by=author)
        _meetings(relationship, starts_on, 3)
        relationships += 1
    mentored: set[int] = set()
    for trainer in (t for t in trainers if t.mentors):
        mentee = (Employee.objects.filter(unit_id=trainer.employee.unit_id, active=True, blocked_at__isnull=True)
                  .exclude(pk__in=[trainer.employee_id, *mentored]).order_by("-hire_date", "pk").first())
        if mentee is None:
            continue
        relationship = mentoring_services.mentoring_create(
            mentor=trainer.employee, mentee=mentee, starts_on=starts_on, ends_on=None,
            competencies=list(trainer.competencies.order_by("pk").values_list("pk", flat=True)[:2]),
            created_by=author)
        _meetings(relationship, starts_on, 2)
        mentored.add(mentee.pk)
        relationships += 1
    return {"trainers": len(trainers), "sessions": sessions, "relationships": relationships}
