"""Reads of the calendar sub-domain: what a person's calendar feed holds (their sessions and their deadlines) and
the feed a secret address names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from clo.core.security import secret_hash
from programs.models import CalendarFeed, Enrolment, NeedsCampaign, Session, SessionDay

# The enrolments that put a session in the person's calendar: a seat (confirmed) or a request still pending
# (tentative). Withdrawn, refused and cancelled ones leave it.
IN_CALENDAR = (*Enrolment.SEAT_HOLDING, Enrolment.Status.REQUESTED, Enrolment.Status.WAITLISTED)
FEED_PAST_DAYS = 365  # sessions that ended more than a year ago leave the feed


@dataclass(frozen=True)
class Deadline:
    """An all-day reminder in the feed: ``uid_part`` makes its UID (stable for the same campaign and person)."""

    uid_part: str
    on: dt.date
    title: str
    path: str


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed the secret ``token`` opens, with its person (None for a revoked, regenerated or unknown one)."""
    if not token or len(token) > 100:
        return None
    return CalendarFeed.objects.select_related("employee").filter(token_hash=secret_hash(token)).first()


def feed_of(employee_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(employee_id=employee_id).first()


def feed_enrolments(employee_id: int, *, now: dt.datetime | None = None) -> list[Enrolment]:
    """The person's enrolments whose sessions go in their feed (not cancelled, ended at most a year ago), with
    their session, program and days. Three queries, whatever the number."""
    now = now or timezone.now()
    return list(
        Enrolment.objects.filter(employee_id=employee_id, status__in=IN_CALENDAR,
                                 session__ends_at__gte=now - dt.timedelta(days=FEED_PAST_DAYS))
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__program")
        .prefetch_related(Prefetch("session__days", queryset=SessionDay.objects.order_by("date")))
        .order_by("session__starts_at")
    )


def feed_deadlines(employee_id: int) -> list[Deadline]:
    """The deadlines the person must meet: each open assessment campaign in which they still have assessments to
    answer, and, for the head of a unit, the open needs campaign. Two queries."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from evaluations.models import Assessment, AssessmentCampaign

    deadlines = [
        Deadline(f"assessments-{row['campaign_id']}", row["campaign__closes_on"],
                 _("Assessments to answer: %(campaign)s (%(count)d)") % {"campaign": row["campaign__name"],
                                                                        "count": row["count"]},
                 reverse("evaluations:my_assessments"))
        for row in Assessment.objects.filter(assessor_id=employee_id, status=Assessment.Status.DRAFT,
                                             campaign__status=AssessmentCampaign.Status.OPEN)
        .values("campaign_id", "campaign__name", "campaign__closes_on").annotate(count=Count("pk"))
        .order_by("campaign__closes_on", "campaign_id")
    ]
    deadlines += [
        Deadline(f"needs-{campaign.pk}", campaign.deadline,
                 _("Training needs for %(year)s: deadline") % {"year": campaign.year}, reverse("programs:need_list"))
        for campaign in NeedsCampaign.objects.filter(status=NeedsCampaign.Status.OPEN,
                                                     opens_on__lte=timezone.localdate())
        .exclude(deadline__lt=timezone.localdate()).filter(_heads(employee_id)).order_by("deadline")
    ]
    return deadlines


def _heads(employee_id: int):
    """A condition on NeedsCampaign that holds when the person heads a unit (a subquery, no extra query)."""
    from django.db.models import Exists, Q

    from clo.people.models import OrgUnit

    return Q(Exists(OrgUnit.objects.filter(heads=employee_id)))
