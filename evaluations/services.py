"""Writes of assessment campaigns: open a campaign, fill in and submit an assessment, validate a self-assessment,
send the deadline reminders, and record who read whose assessment data.

Every change that can move an employee's current level (a submitted or validated self or manager assessment) calls
the gap engine's hook ``gaps_on_assessment_changed`` inside its transaction: the employee is re-consolidated on
commit (the consolidation rule itself lives in ``evaluations.gaps``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clo.core.audit import record_bulk_change
from evaluations.gaps.services import gaps_on_assessment_changed, gaps_schedule_employee_refresh
from evaluations.models import Assessment, AssessmentCampaign, AssessmentReadLog, Evidence, Rating

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A 360° campaign asks at most this many colleagues of the same unit to rate each person.
PEERS_PER_PERSON = 5
# Reminders go to the raters who have not submitted yet, this many days before the campaign closes.
REMINDER_DAYS_BEFORE = (7, 1)

Kind = AssessmentCampaign.Kind
Role = Assessment.Role
Status = Assessment.Status


# --- Campaigns ----------------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, name: str, kind: str, period_start: dt.date, period_end: dt.date, opens_on: dt.date,
                    closes_on: dt.date, peer_anonymity_threshold: int = 3, frameworks=(), competencies=(),
                    units=()) -> AssessmentCampaign:
    """A campaign in draft: nobody is asked anything until it is opened."""
    campaign = AssessmentCampaign(
        name=name, kind=kind, period_start=period_start, period_end=period_end, opens_on=opens_on,
        closes_on=closes_on, peer_anonymity_threshold=peer_anonymity_threshold,
    )
    campaign.full_clean()
    campaign.save()
    campaign.frameworks.set(frameworks)
    campaign.competencies.set(competencies)
    campaign.units.set(units)
    return campaign


def _scope_sql(campaign: AssessmentCampaign) -> tuple[str, list]:
    """The WHERE condition (on ``e``, joined to its unit ``u``) selecting the campaign's people."""
    paths = list(campaign.units.values_list("path", flat=True))
    condition, params = "e.active = %s", list[object]([True])
    if paths:
        condition += " AND (" + " OR ".join("u.path LIKE %s" for _ in paths) + ")"
        params += [f"{path}%" for path in paths]
    return condition, params


def _insert_assessments(campaign: AssessmentCampaign, role: str) -> int:
    """One INSERT ... SELECT: the assessments of ``role`` for every person in scope (set-based, whatever the size
    of the organisation). Self: the person; manager: their recorded manager; peer: up to ``PEERS_PER_PERSON``
    active colleagues of the same unit (not their manager), alphabetically."""
    where, params = _scope_sql(campaign)
    insert = "INSERT INTO evaluations_assessment (campaign_id, employee_id, assessor_id, role, status)"
    people = "FROM people_employee e JOIN people_orgunit u ON u.id = e.unit_id"
    if role == Role.SELF:
        sql = f"{insert} SELECT %s, e.id, e.id, %s, %s {people} WHERE {where}"
    elif role == Role.MANAGER:
        sql = (f"{insert} SELECT %s, e.id, e.manager_id, %s, %s {people} WHERE {where} "
               "AND e.manager_id IS NOT NULL AND e.manager_id <> e.id")
    else:
        sql = (
            f"{insert} SELECT %s, ranked.employee_id, ranked.peer_id, %s, %s FROM ("
            " SELECT e.id AS employee_id, p.id AS peer_id,"
            " ROW_NUMBER() OVER (PARTITION BY e.id ORDER BY p.last_name, p.first_name, p.id) AS n"
            f" {people} JOIN people_employee p ON p.unit_id = e.unit_id AND p.id <> e.id AND p.active = %s"
            f" AND (e.manager_id IS NULL OR p.id <> e.manager_id) WHERE {where}"
            # people whose peers were hand-picked before the campaign opened keep them
            " AND NOT EXISTS (SELECT 1 FROM evaluations_assessment a"
            "  WHERE a.campaign_id = %s AND a.employee_id = e.id AND a.role = %s)"
            ") ranked WHERE ranked.n <= %s"
        )
        params = [True, *params, campaign.pk, Role.PEER, PEERS_PER_PERSON]
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, role, Status.DRAFT, *params])
        return cursor.rowcount


ROLES_OF_KIND: dict[str, tuple[str, ...]] = {
    Kind.SELF_MANAGER: (Role.SELF,),
    Kind.MANAGER: (Role.MANAGER,),
    Kind.FULL_360: (Role.SELF, Role.PEER),
}


@transaction.atomic
def campaign_open(*, campaign_id: int) -> int:
    """Open a draft campaign: create the assessments of every person in scope (self, manager or peers, by the
    campaign's kind), all at once or not at all. Returns how many assessments were created."""
    campaign = AssessmentCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.status != AssessmentCampaign.Status.DRAFT:
        raise ValidationError(_("Only a campaign in draft can be opened."))
    created = sum(_insert_assessments(campaign, role) for role in ROLES_OF_KIND[campaign.kind])
    if not created:
        raise ValidationError(_("Nobody is in the scope of this campaign: choose other units."))
    campaign.status = AssessmentCampaign.Status.OPEN
    campaign.save(update_fields=["status"])
    return created


# --- Filling in and validating ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a rater answered for one competency; ``level`` None when not chosen yet (allowed in a draft)."""

    level: int | None
    evidence: str = ""
    comment: str = ""


def _check_open(assessment: Assessment, *, today: dt.date) -> None:
    campaign = assessment.campaign
    if campaign is None:
        return
    if campaign.status != AssessmentCampaign.Status.OPEN or not (campaign.opens_on <= today <= campaign.closes_on):
        raise ValidationError(
            _("The campaign accepts answers from %(start)s to %(end)s only.")
            % {"start": campaign.opens_on.strftime("%d/%m/%Y"), "end": campaign.closes_on.strftime("%d/%m/%Y")}
        )


def _locked(assessment_id: int) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=assessment_id)


@transaction.atomic
def assessment_save(*, assessment_id: int, answers: dict[int, Answer], submit: bool,
                    now: dt.datetime | None = None) -> Assessment:
    """Save the rater's answers (competency id → ``Answer``) as a draft, or submit them. A submitted assessment can no
    longer be changed by the rater; submitting needs a level for every competency."""
    now = now or timezone.now()
    assessment = _locked(assessment_id)
    if assessment.status == Status.UNANSWERED:
        raise ValidationError(_("The campaign is closed: this assessment was not submitted in time."))
    if assessment.status != Status.DRAFT:
        raise ValidationError(_("This assessment has already been submitted and can no longer be changed."))
    _check_open(assessment, today=timezone.localdate(now))
    missing = [cid for cid, answer in answers.items() if answer.level is None]
    if submit and (missing or not answers):
        raise ValidationError(_("Choose a level for every competency before submitting."))
    Rating.objects.filter(assessment=assessment).delete()
    ratings = [
        Rating(assessment=assessment, competency_id=cid, level=answer.level, evidence=answer.evidence.strip(),
               comment=answer.comment.strip())
        for cid, answer in answers.items() if answer.level is not None
    ]
    for rating in ratings:
        rating.full_clean(exclude=["assessment"], validate_unique=False, validate_constraints=False)
    Rating.objects.bulk_create(ratings)
    record_bulk_change(Rating, action="create", changes={
        r.pk: {"competency": [None, r.competency_id], "level": [None, r.level], "evidence": [None, r.evidence],
               "comment": [None, r.comment]} for r in ratings if r.pk
    }, person_ids={r.pk: assessment.employee_id for r in ratings if r.pk},
        confidential=[r.pk for r in ratings if r.pk] if assessment.role == Role.PEER else ())
    if submit:
        assessment.status = Status.SUBMITTED
        assessment.submitted_at = now
        assessment.save(update_fields=["status", "submitted_at"])
        if assessment.role != Role.PEER:  # peers never set a level
            gaps_on_assessment_changed(assessment.pk)
    return assessment


@dataclass(frozen=True)
class Decision:
    """The validator's level for one competency, and the reason when it differs from the self-assessed level."""

    level: int
    reason: str = ""


@transaction.atomic
def assessment_validate(*, assessment_id: int, validator_id: int, decisions: dict[int, Decision],
                        now: dt.datetime | None = None) -> Assessment:
    """The manager validates a submitted self-assessment, adjusting any level with a reason (the self-assessed level
    is kept in ``original_level``). All the ratings change together, or none does."""
    now = now or timezone.now()
    assessment = _locked(assessment_id)
    if assessment.role != Role.SELF or assessment.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted self-assessment can be validated."))
    if validator_id == assessment.employee_id:
        raise ValidationError(_("Nobody validates their own self-assessment."))
    ratings = list(assessment.ratings.all())
    if {r.competency_id for r in ratings} != set(decisions):
        raise ValidationError(_("Decide a level for every competency of the assessment."))
    errors: dict[int, str] = {}
    adjusted: dict[int, dict] = {}
    for rating in ratings:
        decision = decisions[rating.competency_id]
        if decision.level == rating.level:
            continue
        if not decision.reason.strip():
            errors[rating.competency_id] = _("Give a reason for changing the level.")
            continue
        adjusted[rating.pk] = {"level": [rating.level, decision.level], "original_level": [None, rating.level],
                               "adjustment_reason": [rating.adjustment_reason, decision.reason.strip()]}
        rating.original_level, rating.level, rating.adjustment_reason = rating.level, decision.level, decision.reason.strip()
        rating.full_clean(exclude=["assessment", "competency"], validate_unique=False)
    if errors:
        raise ValidationError({f"reason_{cid}": message for cid, message in errors.items()})
    Rating.objects.bulk_update(ratings, ["level", "original_level", "adjustment_reason"])
    record_bulk_change(Rating, changes=adjusted, person_ids=dict.fromkeys(adjusted, assessment.employee_id))
    assessment.status = Status.VALIDATED
    assessment.validated_at = now
    assessment.validated_by_id = validator_id
    assessment.save(update_fields=["status", "validated_at", "validated_by"])
    gaps_on_assessment_changed(assessment.pk)
    return assessment


# --- Evidence from elsewhere ----------------------------------------------------------------------------------------


@transaction.atomic
def evidence_record(*, employee_id: int, competency_id: int, level: int, evidenced_on: dt.date,
                    expires_on: dt.date | None = None, source: str = Evidence.Source.IMPORT,
                    reference: str = "") -> Evidence:
    """Record one piece of evidence of an employee's level (an imported record): its own row, never the consolidated
    level. The same source on the same day for the same competency is the same piece, corrected in place. The
    employee is re-consolidated on commit: the consolidation rule decides whether it becomes the current level, and
    keeps it as a fallback when it does not (or once the piece that outranks it expires)."""
    piece = (
        Evidence.objects.select_for_update().filter(
            employee_id=employee_id, competency_id=competency_id, source=source, evidenced_on=evidenced_on,
        ).first()
        or Evidence(employee_id=employee_id, competency_id=competency_id, source=source, evidenced_on=evidenced_on)
    )
    piece.level, piece.expires_on, piece.reference = level, expires_on, reference
    piece.full_clean(validate_unique=piece.pk is None)
    if piece.pk is None:
        piece.save()
    else:
        piece.save(update_fields=["level", "expires_on", "reference"])
    gaps_schedule_employee_refresh(employee_id, evidence_only=True)
    return piece


# --- Audit ----------------------------------------------------------------------------------------------------------


def assessment_read_record(*, user: User, employee_id: int, page: str, path: str, assessment_id: int | None = None) -> None:
    """Record one read of a page showing ``employee_id``'s assessment data (who, when, what)."""
    AssessmentReadLog.objects.create(
        user=user, username=user.get_username(), employee_id=employee_id, assessment_id=assessment_id, page=page,
        path=path[:300],
    )


# --- Reminders ------------------------------------------------------------------------------------------------------


def assessment_reminders_send(*, today: dt.date | None = None) -> int:
    """Email every rater who still has assessments in draft in a campaign closing in 7 days or tomorrow: one message
    per rater and campaign, in the rater's language. Safe to run twice a day: an assessment is claimed (its
    ``reminded_on`` set to today by a guarded UPDATE) before its reminder is sent. Returns the messages sent."""
    today = today or timezone.localdate()
    deadlines = [today + dt.timedelta(days=days) for days in REMINDER_DAYS_BEFORE]
    with transaction.atomic():
        due = Assessment.objects.filter(
            status=Status.DRAFT, campaign__status=AssessmentCampaign.Status.OPEN, campaign__closes_on__in=deadlines,
        ).exclude(reminded_on=today)
        claimed = list(due.select_for_update().values_list("pk", flat=True))
        Assessment.objects.filter(pk__in=claimed).exclude(reminded_on=today).update(reminded_on=today)
        rows = (
            Assessment.objects.filter(pk__in=claimed)
            .values_list("assessor__email", "assessor__language", "campaign__name", "campaign__closes_on")
            .order_by("assessor__email")
        )
        grouped: dict[tuple, int] = defaultdict(int)
        for email, language, campaign, closes_on in rows:
            if email:
                grouped[(email, language, campaign, closes_on)] += 1
    base = getattr(settings, "CLO_BASE_URL", "").rstrip("/")
    messages = []
    for (email, language, campaign, closes_on), count in grouped.items():
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = _("Assessments to complete before %(date)s") % {"date": closes_on.strftime("%d/%m/%Y")}
            body = ngettext(
                "You have %(count)d assessment to complete in the campaign “%(campaign)s” before %(date)s.",
                "You have %(count)d assessments to complete in the campaign “%(campaign)s” before %(date)s.",
                count,
            ) % {"count": count, "campaign": campaign, "date": closes_on.strftime("%d/%m/%Y")}
            body += "\n\n" + _("Open them here: %(url)s") % {"url": base + reverse("evaluations:my_assessments")}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    if not messages:
        return 0
    return send_mass_mail(messages, fail_silently=False, connection=get_connection())
