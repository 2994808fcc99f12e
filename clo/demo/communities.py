"""The demo's two communities of practice. "Contractació pública en xarxa" is the whole council's and open: "empleat"
is a member, two past meetings have their attendance recorded (the hours are in the training figures) and one meeting
is still to come, with the members enrolled (it is in their calendars). "Atenció ciutadana clara" is the directora's
àrea's and joined on request: she coordinates it, one request waits for her answer and one was refused with its
reason. Both have links attached to their competencies' levels, shown on the competency's page and in the learning
plans of the people with a gap on them. Written through the talent services, as people would; a few dozen rows
whatever the size."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from clo.demo.accounts import USERNAMES
from clo.demo.projects import _competencies
from clo.demo.world import World
from clo.people.models import Employee, OrgUnit
from clo.talent.models import Community
from clo.talent.services import communities as services
from competencies.selectors import scale_values
from programs.models import Enrolment


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _meeting(community: Community, day: dt.date, *, place: str, online: str = ""):
    return services.meeting_create(community=community, starts_at=_moment(day, 9, 30),
                                   ends_at=_moment(day, 11, 30), place=place, online_url=online, capacity=40)


def _past_meeting(community: Community, day: dt.date, absent_every: int, **where) -> None:
    """A meeting that took place: the members were enrolled a week before, and came but one in ``absent_every``."""
    meeting = _meeting(community, day, **where)
    services.meeting_enrol_members(community=community, meeting=meeting, now=_moment(day - dt.timedelta(days=7), 9))
    seats = list(Enrolment.objects.filter(session=meeting, status=Enrolment.Status.APPROVED)
                 .order_by("employee__employee_number").values_list("pk", flat=True))
    services.meeting_attendance_record(meeting=meeting, attended={pk for n, pk in enumerate(seats)
                                                                  if n % absent_every != absent_every - 1})


def _resources(community: Community, competency, links: list[tuple[str, str]], by) -> None:
    """Links on the competency's levels, from the second level up (one each, by position in the scale)."""
    levels = [value for value in scale_values(competency.pk) if value > 1]
    for (title, url), level in zip(links, levels):
        services.resource_add(community=community, competency=competency, level=level, title=title, url=url,
                              added_by=by)


def build_communities(w: World) -> int:
    competencies = _competencies()
    staff = list(Employee.objects.filter(active=True, blocked_at__isnull=True).exclude(
        user__username__in=USERNAMES).order_by("employee_number")[:400])
    if len(competencies) < 4 or len(staff) < 40:
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=("clo", "directora"))}
    empleat = Employee.objects.filter(user__username="empleat").first()
    directora = Employee.objects.filter(user__username="directora").first()
    area = OrgUnit.objects.filter(heads=directora).order_by("path").first() if directora else None
    today = w.today
    people = staff[::10]  # forty people spread over the council

    procurement = services.community_save(community=Community(
        name="Contractació pública en xarxa",
        description="Tècniques i tècnics que preparen plecs i expedients de contractació comparteixen models, "
                    "dubtes i canvis de la normativa. Ens trobem un cop al mes.",
        joining=Community.Joining.OPEN, published=True,
        tool_url="https://teams.microsoft.com/l/team/contractacio-publica-vilamar"),
        competencies=competencies[:2], coordinators=people[:2])
    members = people[2:14] + ([empleat] if empleat else [])
    for person in members:
        services.community_join(community=procurement, employee=person, now=_moment(today - dt.timedelta(days=90), 9))
    _past_meeting(procurement, today - dt.timedelta(days=56), 5, place="Sala de plens, Plaça de la Vila 1")
    _past_meeting(procurement, today - dt.timedelta(days=21), 4, place="Sala 2, Edifici de Serveis",
                  online="https://teams.microsoft.com/l/meetup-join/contractacio-2")
    upcoming = _meeting(procurement, today + dt.timedelta(days=12), place="Sala 2, Edifici de Serveis")
    services.meeting_enrol_members(community=procurement, meeting=upcoming, now=_moment(today, 8))
    _resources(procurement, competencies[0], [
        ("Guia de contractació pública de la Generalitat", "https://contractacio.gencat.cat/ca/inici/"),
        ("Llei 9/2017 de contractes del sector públic (BOE)", "https://www.boe.es/buscar/act.php?id=BOE-A-2017-12902"),
        ("Models de plecs de la Junta Consultiva", "https://contractacio.gencat.cat/ca/jcca/"),
    ], users.get("clo"))

    coordinator = directora or people[-1]
    clear = services.community_save(community=Community(
        name="Atenció ciutadana clara",
        description="Escrivim cartes, avisos i respostes que la ciutadania entén a la primera. Revisem textos reals "
                    "entre nosaltres.",
        unit=area, joining=Community.Joining.REQUEST, published=True,
        tool_url="https://web.yammer.com/main/groups/atencio-ciutadana-clara"),
        competencies=competencies[2:4], coordinators=[coordinator])
    in_area = list(Employee.objects.filter(active=True, blocked_at__isnull=True, unit__path__startswith=area.path)
                   .exclude(user__username__in=USERNAMES).order_by("employee_number")[:8]) if area else people[-8:-1]
    by = users.get("directora") or users.get("clo")
    for n, person in enumerate(in_area[:6]):
        membership = services.community_join(community=clear, employee=person,
                                             now=_moment(today - dt.timedelta(days=60 - n), 10))
        if n < 4:
            services.membership_decide(membership=membership, accept=True, reason="", decided_by=by,
                                       now=_moment(today - dt.timedelta(days=58 - n), 12))
        elif n == 4:
            services.membership_decide(membership=membership, accept=False, decided_by=by,
                                       reason="Aquest trimestre som al màxim de persones: torna-ho a demanar al gener.",
                                       now=_moment(today - dt.timedelta(days=55), 12))
    _past_meeting(clear, today - dt.timedelta(days=30), 3, place="Oficina d'Atenció Ciutadana, sala de reunions")
    _resources(clear, competencies[2], [
        ("Guia de llenguatge clar de l'Administració", "https://llengua.gencat.cat/ca/serveis/eines/"),
        ("Recomanacions per escriure avisos clars", "https://www.termcat.cat/ca"),
    ], by)
    return 2
