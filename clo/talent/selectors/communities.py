"""Reads of communities of practice: the communities a person may see (with their members counted), one community
with its coordinators, members, requests, meetings and resources, and the questions the views ask (may this person
manage it, join it, sign up for its meetings). Every function runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from clo.people import roles
from clo.talent.models import Community, Membership
from competencies.models import Competency, LevelResource
from programs.models import Enrolment, Session

MEMBER = Membership.Status.MEMBER


def can_create(user) -> bool:
    """The learning office creates communities and names their first coordinators."""
    return roles.scope_of(user).is_learning_office


def can_list(user) -> bool:
    scope = roles.scope_of(user)
    return scope.everything or scope.employee_id is not None


def communities_for_list(user, *, mine: bool = False) -> QuerySet[Community]:
    """The communities ``user`` may see (only their own with ``mine``), by name, with ``members`` counted and the
    unit; the competencies prefetched. Three queries."""
    communities = Community.objects.visible_to(user)
    employee_id = roles.scope_of(user).employee_id
    if mine:
        communities = communities.filter(memberships__employee_id=employee_id or 0, memberships__status=MEMBER)
    return (communities.select_related("unit")
            .annotate(members=Count("memberships", filter=Q(memberships__status=MEMBER), distinct=True))
            .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("name")))
            .order_by("name", "pk"))


def community_for_page(community_id: int, user) -> Community | None:
    return Community.objects.visible_to(user).filter(pk=community_id).select_related("unit", "program").first()


def can_manage(user, community: Community) -> bool:
    return Community.objects.manageable_by(user).filter(pk=community.pk).exists()


def own_membership(community: Community, employee_id: int | None) -> Membership | None:
    if employee_id is None:
        return None
    return community.memberships.filter(employee_id=employee_id).first()


def can_join(user, community: Community) -> bool:
    """A person may ask to join a community published to them (not a draft one they only see as a director)."""
    scope = roles.scope_of(user)
    if scope.employee_id is None or not community.published:
        return False
    from clo.talent.models.communities import published_to

    return Community.objects.filter(published_to(scope.employee_id), pk=community.pk).exists()


def competencies(community: Community) -> list[Competency]:
    return list(community.competencies.select_related("framework").order_by("name"))


def members(community: Community) -> list[Membership]:
    """The members, coordinators first, then by name."""
    return list(community.memberships.filter(status=MEMBER).select_related("employee__unit")
                .order_by("role", "employee__last_name", "employee__first_name", "pk"))


def requests(community: Community) -> list[Membership]:
    return list(community.memberships.filter(status=Membership.Status.PENDING).select_related("employee__unit")
                .order_by("requested_at", "pk"))


def pending_request(community: Community, membership_id: int) -> Membership | None:
    return community.memberships.filter(pk=membership_id, status=Membership.Status.PENDING).first()


def meetings(community: Community, *, employee_id: int | None = None) -> list[Session]:
    """The community's meetings (its program's sessions), newest first, with ``seats`` taken and ``attended``
    counted and ``mine``: the person's enrolment, if any. Two queries."""
    rows: list = list(
        Session.objects.filter(program_id=community.program_id).exclude(status=Session.Status.CANCELLED)
        .annotate(seats=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEAT_HOLDING)),
                  attended=Count("enrolments", filter=Q(enrolments__hours_attended__gt=0)))
        .order_by("-starts_at", "-pk")
    )
    enrolments = {}
    if employee_id is not None and rows:
        enrolments = {e.session_id: e for e in Enrolment.objects.filter(
            employee_id=employee_id, session__in=[r.pk for r in rows])}
    for row in rows:
        row.mine = enrolments.get(row.pk)
    return rows


def meeting_of(community: Community, meeting_id: int) -> Session | None:
    return Session.objects.filter(program_id=community.program_id, pk=meeting_id).first()


def meeting_roster(meeting: Session) -> list[Enrolment]:
    """The people holding a seat in the meeting (or marked absent), by name, with their hours. One query."""
    return list(Enrolment.objects.filter(session=meeting, status__in=(*Enrolment.SEAT_HOLDING,
                                                                     Enrolment.Status.NO_SHOW))
                .select_related("employee").order_by("employee__last_name", "employee__first_name", "pk"))


def resources(community: Community) -> list[LevelResource]:
    """The resources attached to the community's competencies (by anyone), by competency and level. One query."""
    return list(LevelResource.objects.filter(competency__in=community.competencies.values("pk"))
                .select_related("competency").order_by("competency__name", "level", "title", "pk"))


def own_resource(community: Community, resource_id: int) -> LevelResource | None:
    """A resource ``community`` added to one of its competencies (the ones its coordinators may take off), or None."""
    return (LevelResource.objects.select_related("competency")
            .filter(pk=resource_id, community=community.name, competency__in=community.competencies.values("pk"))
            .first())
