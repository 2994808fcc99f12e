"""The demo's challenge projects, one in every state: a closed one whose owner rated its participants (evidence the gap
engine has consolidated), a running one, two open ones with applications waiting, approved, refused with a reason
and one sent to the learning office after its deadline, a draft and a cancelled one. The directora owns the projects
of her àrea and has an application of her people to answer; "empleat" has applied to nothing, so he can apply to an
open project himself. Written through the talent services, as people would; a few dozen rows whatever the size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from clo.demo.accounts import USERNAMES
from clo.demo.world import World
from clo.people.models import Employee, OrgUnit
from clo.talent.services import projects as services
from competencies.models import Competency, Framework
from evaluations.gaps.services import gaps_refresh_employee


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _competencies() -> list[Competency]:
    """The most required competencies of the published frameworks, public procurement first if there is one."""
    common = list(Competency.objects.filter(framework__status=Framework.Status.PUBLISHED)
                  .annotate(n=Count("requirements")).order_by("-n", "pk")[:6])
    # by its code: a search on the name would read the active language's (the seed runs in any language)
    procurement = (Competency.objects.filter(framework__status=Framework.Status.PUBLISHED, code="TEC-JUR-02")
                   .order_by("pk").first())
    if procurement is not None:
        common = [procurement, *[c for c in common if c.pk != procurement.pk]]
    return common


def build_challenge_projects(w: World) -> int:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=("clo", "directora"))}
    competencies = _competencies()
    staff = Employee.objects.filter(active=True, blocked_at__isnull=True).exclude(
        user__username__in=USERNAMES).order_by("pk")
    step = max(1, staff.count() // 12)  # twelve people spread over the council
    people = list(staff[: step * 12 : step])
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if len(competencies) < 4 or len(people) < 10 or root is None:
        return 0
    directora = Employee.objects.filter(user__username="directora").first()
    area = OrgUnit.objects.filter(heads=directora).order_by("path").first() if directora else None
    area = area or root
    in_area = list(Employee.objects.filter(active=True, blocked_at__isnull=True, unit__path__startswith=area.path)
                   .exclude(user__username__in=USERNAMES).order_by("pk")[:3])
    clo, director = users.get("clo"), users.get("directora") or users.get("clo")
    today = w.today
    c = competencies

    def post(title, goal, unit, owner, start, weeks, hours, required, to_learn):
        return services.project_create(
            title=title, goal=goal, unit=unit, starts_on=today + dt.timedelta(days=start),
            ends_on=today + dt.timedelta(days=start + 7 * weeks), weekly_hours=Decimal(hours),
            required=required, to_learn=to_learn, owner=owner)

    def apply(project, person, days_ago, motivation="M'interessa aprendre fent i aportar el que sé del meu servei."):
        return services.project_apply(project=project, employee=person, motivation=motivation,
                                      now=_moment(today - dt.timedelta(days=days_ago)))

    def approve(application, by, days_ago):
        return services.application_decide(application=application, approve=True, reason="", decided_by=by,
                                           now=_moment(today - dt.timedelta(days=days_ago), 12))

    made = 0
    # closed: the owner rated what the participants exercised
    closed = post("Expedient electrònic sense paper", "Eliminar el paper dels expedients de llicències d'obres.",
                  area, director, -160, 20, "4", [(c[0], 2)], [(c[1], 3), (c[2], 3)])
    services.project_move(project=closed, to="open")
    participants = [approve(apply(closed, person, 170), director, 168) for person in people[:3]]
    services.project_move(project=closed, to="running")
    ratings = {}
    for n, application in enumerate(participants):
        for k, competency in enumerate((c[0], c[1], c[2])):  # by position, never by id: ids differ between seeds
            ratings[(application.pk, competency.pk)] = min(2 + (n + k) % 2, 3)
    services.project_close(project=closed, ratings=ratings, today=today - dt.timedelta(days=7))
    for application in participants:  # here too, so the levels are there without a worker (idempotent)
        gaps_refresh_employee(application.employee_id, evidence_only=True, today=today)
    made += 1
    # running
    running = post("Dades obertes de contractació", "Publicar els contractes menors com a dades obertes.", root,
                   clo, -30, 16, "3", [(c[0], 2)], [(c[3], 3)])
    services.project_move(project=running, to="open")
    for person in people[3:5]:
        approve(apply(running, person, 45), clo, 40)
    services.project_move(project=running, to="running")
    made += 1
    # open, council-wide: waiting, escalated, approved, refused
    desk = post("Cita prèvia unificada", "Una sola agenda de cita prèvia per a totes les oficines d'atenció.", root,
                clo, 30, 12, "4", [(c[1], 2)], [(c[0], 3), (c[3], 2)])
    services.project_move(project=desk, to="open")
    apply(desk, people[5], 2)
    apply(desk, people[6], 20)  # nobody answered in time: the learning office decides
    services.project_applications_escalate(now=_moment(today, 8))
    approve(apply(desk, people[7], 6), clo, 4)
    services.application_decide(application=apply(desk, people[8], 8), approve=False, decided_by=clo,
                                reason="Coincideix amb la campanya de la renda: ho tornem a parlar a l'estiu.",
                                now=_moment(today - dt.timedelta(days=5), 12))
    made += 1
    # open, in the directora's àrea, with an application of her people to answer
    assistant = post("Assistent virtual per a tràmits", "Un assistent que guiï la ciutadania en els tràmits més "
                     "freqüents.", area, director, 45, 10, "2", [(c[2], 2)], [(c[1], 3)])
    services.project_move(project=assistant, to="open")
    for person in in_area[:1] or people[9:10]:
        apply(assistant, person, 3)
    made += 1
    post("Reutilització de mobiliari municipal", "Un inventari compartit del mobiliari que es pot reaprofitar.",
         area, director, 60, 8, "2", [], [(c[3], 2)])
    cancelled = post("Mapa de soroll del centre", "Mesurar el soroll nocturn amb sensors i voluntaris.", root, clo,
                     -10, 6, "2", [(c[2], 2)], [(c[0], 2)])
    services.project_move(project=cancelled, to="cancelled")
    return made + 2
