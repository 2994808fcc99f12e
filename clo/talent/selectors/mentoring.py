"""Reading mentoring relationships: the ones a person may see, one with its meetings, and the mentoring a person
gave (relationships as mentor and knowledge-transfer plans as the leaving holder), which their profile shows."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from clo.people import roles
from clo.talent.models import MentoringMeeting, MentoringRelationship, TransferPlan
from competencies.models import Competency


def can_create(user) -> bool:
    """The learning office and HR (for anyone) and directors (for the people of their subtree)."""
    scope = roles.scope_of(user)
    return scope.everything or bool(scope.unit_paths)


def _with_meetings(relationships: QuerySet) -> QuerySet:
    return relationships.annotate(meetings_count=Count("meetings"),
                                  meeting_minutes=Coalesce(Sum("meetings__minutes"), 0))


def relationships_for_list(user) -> QuerySet:
    """The relationships ``user`` may see, with their meetings' count and minutes, latest start first."""
    return (_with_meetings(MentoringRelationship.objects.visible_to(user))
            .select_related("mentor__unit", "mentee__unit").order_by("-starts_on", "pk"))


def relationship_for_page(user, relationship_id: int) -> MentoringRelationship | None:
    return (
        MentoringRelationship.objects.visible_to(user).filter(pk=relationship_id)
        .select_related("mentor__unit", "mentee__unit", "transfer_plan__position")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("code")),
                          Prefetch("meetings", queryset=MentoringMeeting.objects.order_by("held_on", "pk")))
        .first()
    )


def can_manage(user, relationship: MentoringRelationship) -> bool:
    """The learning office, HR and the directors of the mentee's subtree (the mentee's unit is loaded)."""
    scope = roles.scope_of(user)
    return scope.everything or any(relationship.mentee.unit.path.startswith(p) for p in scope.unit_paths)


def can_record_meeting(user, relationship: MentoringRelationship) -> bool:
    employee_id = roles.scope_of(user).employee_id
    return can_manage(user, relationship) or employee_id in (relationship.mentor_id, relationship.mentee_id)


def transfer_plan_for_mentoring(user, plan_id: int) -> TransferPlan | None:
    """A knowledge-transfer plan ``user`` manages, to start a mentoring relationship of its pair from it."""
    return (TransferPlan.objects.manageable_by(user).filter(pk=plan_id)
            .select_related("holder", "successor__unit", "position").first())


def mentoring_given(employee_id: int) -> dict:
    """The mentoring ``employee_id`` gave: ``relationships`` as mentor (with their meetings' count and minutes) and
    ``transfer_plans`` where they hand over as the leaving holder (the mentor of the plan). Two queries."""
    relationships = list(
        _with_meetings(MentoringRelationship.objects.filter(mentor_id=employee_id))
        .select_related("mentee").order_by("-starts_on", "pk")
    )
    plans = list(TransferPlan.objects.filter(holder_id=employee_id).select_related("successor", "position")
                 .annotate(items_total=Count("items"),
                           items_done=Count("items", filter=Q(items__done_on__isnull=False)))
                 .order_by("leaving_on", "pk"))
    return {"relationships": relationships, "transfer_plans": plans}
