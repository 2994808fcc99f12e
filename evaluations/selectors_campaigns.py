"""Reads of running an assessment campaign: progress per unit, the people whose peers can be chosen, the peers
chosen or suggested, and the colleagues matching a search. Each function runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from clo.core import roles
from evaluations.models import Assessment, AssessmentCampaign
from evaluations.selectors import DONE, _in_paths
from evaluations.services import PEERS_PER_PERSON

SEARCH_RESULTS = 20


def campaign_progress_by_unit(campaign: AssessmentCampaign, *, unit_paths: tuple[str, ...] | None = None) -> QuerySet:
    """Per unit of the people assessed (of ``unit_paths``' subtrees for a director): assessments, answered, not
    answered; ordered by the unit tree. A grouped query (paginate it: one more for the count)."""
    assessments = campaign.assessments.all()
    if unit_paths is not None:
        assessments = assessments.filter(_in_paths("employee__unit__path", unit_paths))
    return (
        assessments.order_by().values("employee__unit_id", "employee__unit__name", "employee__unit__path")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(status__in=DONE)),
                  pending=Count("pk", filter=~Q(status__in=DONE)))
        .order_by("employee__unit__path")
    )


@dataclass(frozen=True)
class CampaignScope:
    """Whom and what a campaign assesses, as its pages show it: no unit means the whole organisation, no framework
    all frameworks, no competency the requirements of each person's position."""

    units: list
    frameworks: list
    competencies: list


def campaign_scope(campaign: AssessmentCampaign) -> CampaignScope:
    """The campaign's units, frameworks and competencies, by name; three queries."""
    return CampaignScope(
        units=list(campaign.units.order_by("path")),
        frameworks=list(campaign.frameworks.order_by("code")),
        competencies=list(campaign.competencies.order_by("code")),
    )


def campaign_people_count(campaign: AssessmentCampaign) -> int:
    """How many active people the campaign's units hold (with their subtrees): whom opening it would assess."""
    return _scope_people(campaign).count()


def _scope_people(campaign: AssessmentCampaign) -> QuerySet:
    from clo.people.models import Employee

    people = Employee.objects.active()
    paths = list(campaign.units.values_list("path", flat=True))
    return people.in_units(paths) if paths else people


def peer_pickable_people(campaign: AssessmentCampaign, scope: roles.Scope) -> QuerySet:
    """The people of the campaign's scope whose peers ``scope`` may choose (the learning office: all; a manager or
    head of unit: their reports and their units' people, not themself), each with ``peer_count``. By unit and name."""
    people = _scope_people(campaign)
    if not scope.has(roles.CLO):
        me = scope.employee_id
        if me is None:
            return people.none()
        people = people.filter(Q(manager_id=me) | _in_paths("unit__path", scope.unit_paths)).exclude(pk=me)
    peers = (
        Assessment.objects.filter(campaign=campaign, role=Assessment.Role.PEER, employee=OuterRef("pk"))
        .order_by().values("employee").annotate(n=Count("pk")).values("n")
    )
    return (
        people.annotate(peer_count=Coalesce(Subquery(peers, output_field=IntegerField()), 0))
        .select_related("unit").order_by("unit__path", "last_name", "first_name", "pk")
    )


def may_pick_peers(campaign: AssessmentCampaign, scope: roles.Scope, employee_id: int):
    """The person (with unit and manager) if ``scope`` may choose their peers in ``campaign``; None otherwise."""
    return peer_pickable_people(campaign, scope).select_related("manager").filter(pk=employee_id).first()


def current_peers(campaign: AssessmentCampaign, employee_id: int) -> list[Assessment]:
    """The peer assessments of the person in the campaign, with the peer, by name."""
    return list(
        Assessment.objects.filter(campaign=campaign, employee_id=employee_id, role=Assessment.Role.PEER)
        .select_related("assessor__unit").order_by("assessor__last_name", "assessor__first_name", "pk")
    )


def suggested_peers(employee) -> list:
    """The automatic choice the campaign makes when it opens: up to ``PEERS_PER_PERSON`` active colleagues of the same
    unit (not the person's manager), alphabetically."""
    from clo.people.models import Employee

    colleagues = Employee.objects.active().filter(unit_id=employee.unit_id).exclude(pk=employee.pk)
    if employee.manager_id:
        colleagues = colleagues.exclude(pk=employee.manager_id)
    return list(colleagues.select_related("unit").order_by("last_name", "first_name", "pk")[:PEERS_PER_PERSON])


def peer_candidates(query: str, *, exclude_id: int, limit: int = SEARCH_RESULTS) -> list:
    """Active employees of the organisation whose name or employee number contains every word of ``query`` (not the
    person themself), by name; at most ``limit``. Nothing for a query shorter than 2 characters."""
    from clo.people.models import Employee

    words = query.split()
    if len(query.strip()) < 2:
        return []
    people = Employee.objects.active().exclude(pk=exclude_id).annotate(
        search_name=Concat("first_name", Value(" "), "last_name")
    )
    for word in words[:5]:
        people = people.filter(Q(search_name__icontains=word) | Q(employee_number__iexact=word))
    return list(people.select_related("unit").order_by("last_name", "first_name", "pk")[:limit])


def employees_named(ids) -> list:
    """Active employees by id (the peers a form posted back), with their unit, by name."""
    from clo.people.models import Employee

    return list(Employee.objects.active().filter(pk__in=list(ids)).select_related("unit")
                .order_by("last_name", "first_name", "pk"))


def campaigns_to_pick_peers(scope: roles.Scope, *, limit: int = 10) -> list[AssessmentCampaign]:
    """The 360° campaigns in draft or open where a manager or head of unit may choose somebody's peers (one of their
    people is in the campaign's scope), the next to open first; at most ``limit``. One query."""
    from django.db.models import CharField, Exists, ExpressionWrapper, F

    from clo.people.models import Employee

    me = scope.employee_id
    if me is None:
        return []
    mine = Employee.objects.active().filter(Q(manager_id=me) | _in_paths("unit__path", scope.unit_paths)).exclude(pk=me)
    through: Any = AssessmentCampaign.units.through  # the stubs type an auto-created through model as Never
    covered = (
        through.objects.filter(assessmentcampaign_id=OuterRef(OuterRef("pk")))
        .alias(person_path=ExpressionWrapper(OuterRef("unit__path"), output_field=CharField())).filter(person_path__startswith=F("orgunit__path"))
    )
    whole = ~Exists(through.objects.filter(assessmentcampaign_id=OuterRef("pk")))
    return list(
        AssessmentCampaign.objects.filter(
            kind=AssessmentCampaign.Kind.FULL_360,
            status__in=(AssessmentCampaign.Status.DRAFT, AssessmentCampaign.Status.OPEN),
        ).filter((whole & Exists(mine)) | Exists(mine.filter(Exists(covered))))
        .order_by("opens_on", "pk")[:limit]
    )
