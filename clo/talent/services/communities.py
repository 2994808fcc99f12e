"""Writes of communities of practice: create and change a community (its program comes with it), join (at once, or a
request a coordinator accepts or refuses with a reason), leave, name coordinators; its meetings are sessions of the
community's program, written through ``programs.services.delivery`` (a meeting, the members' seats, their
attendance), so the training figures, roll-ups and calendar feeds count them; and its resources are attached to its
competencies' levels through ``competencies.services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clo.talent.models import Community, Membership
from competencies import services as competency_services
from competencies.models import LevelResource
from programs.models import Enrolment, Modality, Program, Session
from programs.services import catalogue as catalogue_services
from programs.services import delivery as delivery_services

MEETING_DEFAULT_HOURS = Decimal("2")


def _program_code(name: str) -> str:
    base = f"COP-{slugify(name).upper()[:20]}".rstrip("-")
    code, n = base, 1
    while Program.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def check_tool_url(url: str) -> str:
    """The link to the community's space: an https:// address (the council's own tool), or empty."""
    url = (url or "").strip()
    if url and not url.lower().startswith("https://"):
        raise ValidationError({"tool_url": _("Give a secure address, starting with https://.")})
    return url


@transaction.atomic
def community_save(*, community: Community, competencies, coordinators=None) -> Community:
    """Create or update ``community`` (bound to the form's values) with its ``competencies``; a new one gets its
    program (modality "community of practice", open enrolment, not offered in the catalogue: its meetings are
    offered on the community's page) and ``coordinators`` as its first coordinators."""
    community.name = community.name.strip()
    community.tool_url = check_tool_url(community.tool_url)
    if community.pk is None:
        community.program = catalogue_services.program_save(program=Program(
            code=_program_code(community.name), title=community.name[:200], objectives=community.description,
            modality=Modality.COMMUNITY, hours=MEETING_DEFAULT_HOURS, is_open=True, active=False))
    else:
        program = community.program
        if program.title != community.name[:200]:
            program.title = community.name[:200]
            catalogue_services.program_save(program=program)
    community.full_clean()
    community.save()
    community.competencies.set(competencies)
    for employee in coordinators or ():
        coordinator_set(community=community, employee=employee, coordinator=True)
    return community


@transaction.atomic
def coordinator_set(*, community: Community, employee, coordinator: bool) -> Membership:
    """Make ``employee`` a coordinator (a member, whatever their request said) or a plain member again. A community
    keeps at least one coordinator."""
    membership = (Membership.objects.select_for_update().filter(community=community, employee=employee).first()
                  or Membership(community=community, employee=employee))
    if not coordinator and membership.role == Membership.Role.COORDINATOR and not community.memberships.filter(
            role=Membership.Role.COORDINATOR).exclude(pk=membership.pk).exists():
        raise ValidationError(_("A community keeps at least one coordinator."))
    membership.role = Membership.Role.COORDINATOR if coordinator else Membership.Role.MEMBER
    if membership.status != Membership.Status.MEMBER:
        membership.status, membership.decided_at, membership.refusal_reason = (
            Membership.Status.MEMBER, timezone.now(), "")
    membership.full_clean(validate_unique=membership.pk is None)
    membership.save()
    return membership


@transaction.atomic
def community_join(*, community: Community, employee, now: dt.datetime | None = None) -> Membership:
    """Join an open community at once, or ask to join one on request (a refused person may ask again)."""
    now = now or timezone.now()
    community = Community.objects.select_for_update().get(pk=community.pk)
    membership = Membership.objects.filter(community=community, employee=employee).first()
    if membership is not None and membership.status != Membership.Status.REFUSED:
        raise ValidationError(_("You are already in this community, or your request is waiting."))
    membership = membership or Membership(community=community, employee=employee)
    membership.requested_at, membership.decided_by, membership.refusal_reason = now, None, ""
    if community.joining == Community.Joining.OPEN:
        membership.status, membership.decided_at = Membership.Status.MEMBER, now
    else:
        membership.status, membership.decided_at = Membership.Status.PENDING, None
    membership.full_clean(validate_unique=membership.pk is None)
    membership.save()
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, accept: bool, reason: str, decided_by,
                      now: dt.datetime | None = None) -> Membership:
    """A coordinator (or the learning office) accepts or refuses a request to join; a refusal needs its reason."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why you refuse: the person reads it.")})
    membership.status = Membership.Status.MEMBER if accept else Membership.Status.REFUSED
    membership.refusal_reason = "" if accept else reason.strip()
    membership.decided_by, membership.decided_at = decided_by, now or timezone.now()
    membership.full_clean(validate_unique=False)
    membership.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return membership


@transaction.atomic
def community_leave(*, community: Community, employee, now: dt.datetime | None = None) -> None:
    """Leave a community (or withdraw a request): the membership goes, and so do the person's seats in meetings
    still to come (through the enrolment workflow: a freed seat goes to the waiting list). The last coordinator
    cannot leave."""
    now = now or timezone.now()
    membership = Membership.objects.select_for_update().filter(community=community, employee=employee).first()
    if membership is None or membership.status == Membership.Status.REFUSED:
        raise ValidationError(_("You are not in this community."))
    if membership.role == Membership.Role.COORDINATOR and not community.memberships.filter(
            role=Membership.Role.COORDINATOR).exclude(pk=membership.pk).exists():
        raise ValidationError(_("You are its only coordinator: name another coordinator before leaving."))
    membership.delete()
    upcoming = Enrolment.objects.filter(session__program_id=community.program_id, employee=employee,
                                        session__starts_at__gt=now, status__in=delivery_services.ACTIVE)
    for enrolment in upcoming:
        delivery_services.enrolment_cancel(enrolment=enrolment, now=now)


# --- Meetings: sessions of the community's program ------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, community: Community, starts_at: dt.datetime, ends_at: dt.datetime, place: str,
                   online_url: str, capacity: int) -> Session:
    """A meeting of the community: a session of its program, on one day, its hours those between its start and
    end."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if timezone.localtime(starts_at).date() != timezone.localtime(ends_at).date():
        raise ValidationError({"ends_at": _("A meeting starts and ends on the same day.")})
    code = f"{community.program.code}-{timezone.localtime(starts_at):%y%m%d%H%M}"
    if Session.objects.filter(code=code).exists():
        raise ValidationError({"starts_at": _("The community already meets at this time.")})
    session = Session(program=community.program, code=code, starts_at=starts_at, ends_at=ends_at,
                      place=place.strip(), online_url=online_url.strip(), capacity=capacity,
                      trainer=_("Community of practice"))
    return delivery_services.session_save(session=session)  # a meeting's hours: its duration


def meeting_sign_up(*, meeting: Session, employee, now: dt.datetime | None = None) -> Enrolment:
    """A member takes a seat in a meeting (the program is open: a seat, or the waiting list when it is full)."""
    return delivery_services.enrolment_request(session=meeting, employee=employee, now=now)


@transaction.atomic
def meeting_enrol_members(*, community: Community, meeting: Session, now: dt.datetime | None = None) -> int:
    """A coordinator gives every member without a live seat in ``meeting`` one (or a place on the waiting list),
    through the enrolment workflow, which sends each their calendar invitation. Returns how many were enrolled."""
    now = now or timezone.now()
    holding = Enrolment.objects.filter(session=meeting).exclude(
        status__in=(Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED)).values("employee_id")
    members = (community.memberships.filter(status=Membership.Status.MEMBER).exclude(employee_id__in=holding)
               .select_related("employee").order_by("pk"))
    count = 0
    for membership in members:
        delivery_services.enrolment_request(session=meeting, employee=membership.employee, now=now)
        count += 1
    return count


@transaction.atomic
def meeting_attendance_record(*, meeting: Session, attended: set[int]) -> int:
    """Record a one-day meeting's attendance: the seat holders in ``attended`` (enrolment ids) were there for the
    whole meeting, the others not (0 hours, and marked absent), through ``programs.services.delivery``'s
    ``attendance_record`` and ``enrolment_no_show``. Returns how many came."""
    day = meeting.days.get()
    holders = list(Enrolment.objects.filter(session=meeting, status__in=(
        *Enrolment.SEAT_HOLDING, Enrolment.Status.NO_SHOW)).values_list("pk", "status"))
    if not holders:
        raise ValidationError(_("Nobody holds a seat in this meeting."))
    delivery_services.attendance_record(day=day, hours={
        pk: (day.hours if pk in attended else Decimal("0")) for pk, _status in holders})
    for pk, status in holders:
        if pk not in attended and status in (Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED):
            delivery_services.enrolment_no_show(enrolment=Enrolment(pk=pk))
    return sum(1 for pk, _status in holders if pk in attended)


# --- Resources ------------------------------------------------------------------------------------------------------


def resource_add(*, community: Community, competency, level: int, title: str, url: str = "", file=None,
                 added_by=None) -> LevelResource:
    """A coordinator attaches a link or a document to a level of one of the community's competencies."""
    if not community.competencies.filter(pk=competency.pk).exists():
        raise ValidationError({"competency": _("Choose one of the community's competencies.")})
    return competency_services.resource_add(competency=competency, level=level, title=title, url=url, file=file,
                                            added_by=added_by, community=community.name)
