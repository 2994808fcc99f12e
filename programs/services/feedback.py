"""Writes of training evaluation (Kirkpatrick's four levels): the attendees' satisfaction questionnaire (level 1,
reaction), test scores or pass/fail (level 2, learning) and the 90-day follow-up on applying it (level 3, transfer).
Level 4 (results) is read only: ``programs.selectors.results.program_results``.

The daily jobs claim what they send with one guarded UPDATE (``sent_at`` NULL → this run's timestamp) inside a
transaction, then send: a second run, or two runs at once, never sends anything twice; a failed send rolls the claim
back so that the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.models import (
    Enrolment,
    LearningResult,
    ReactionInvitation,
    ReactionResponse,
    Session,
    TransferFollowUp,
)
from programs.selectors.feedback import ATTENDED, REACTION_OPEN_DAYS, reaction_eligible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Level 3: the follow-up is due this many days after completion; a job that missed days catches up this far back.
TRANSFER_AFTER_DAYS = 90
TRANSFER_CATCH_UP_DAYS = 30


class FeedbackError(ValidationError):
    """An answer that cannot be recorded; the message says why and nothing was changed."""


def _email_of(employee) -> str:
    return employee.email or (employee.user.email if employee.user_id and employee.user else "")


def _absolute(path: str) -> str:
    return getattr(settings, "CLO_BASE_URL", "") + path


# --- Level 1: reaction --------------------------------------------------------------------------------------------


def reaction_refusal(enrolment: Enrolment, *, now: dt.datetime) -> str:
    """Why ``enrolment``'s person cannot answer now ("" if they can). Answers once only."""
    if enrolment.status not in ATTENDED or enrolment.session.status == Session.Status.CANCELLED:
        return _("Only the people who attended the session can answer its questionnaire.")
    if enrolment.session.ends_at > now:
        return _("The questionnaire opens when the session has ended.")
    if enrolment.session.ends_at <= now - dt.timedelta(days=REACTION_OPEN_DAYS):
        return _("The questionnaire of this session is closed.")
    if ReactionResponse.objects.filter(enrolment=enrolment).exists():
        return _("You have already answered this questionnaire: answers cannot be changed.")
    return ""


@transaction.atomic
def reaction_submit(*, enrolment: Enrolment, scores: dict[str, int], comment: str = "",
                    now: dt.datetime | None = None) -> ReactionResponse:
    """Record the attendee's answers, once. Refused (nothing written) if they did not attend, the session has not
    ended, the questionnaire is closed or they have answered already."""
    now = now or timezone.now()
    locked = Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    refusal = reaction_refusal(locked, now=now)
    if refusal:
        raise FeedbackError(refusal, code="refused")
    response = ReactionResponse(enrolment=locked, comment=(comment or "").strip(), submitted_at=now,
                                **{name: scores.get(name) for name in ReactionResponse.SCORES})
    response.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:  # answered in another tab at the same moment
        raise FeedbackError(_("You have already answered this questionnaire: answers cannot be changed."),
                            code="refused") from None
    return response


def reaction_send_invitations(*, now: dt.datetime | None = None) -> int:
    """The daily job: invite by email every attendee of a session that ended (and whose questionnaire is still open)
    who has not been invited yet; each is invited once. Returns how many emails were sent."""
    now = now or timezone.now()
    invited = ReactionInvitation.objects.filter(enrolment=OuterRef("pk"))
    due = Enrolment.objects.filter(reaction_eligible(now=now)).filter(~Exists(invited)).values_list("pk", flat=True)
    ReactionInvitation.objects.bulk_create(
        [ReactionInvitation(enrolment_id=pk) for pk in due], ignore_conflicts=True, batch_size=1000
    )
    with transaction.atomic():
        claimed = ReactionInvitation.objects.filter(sent_at__isnull=True).update(sent_at=now)
        if not claimed:
            return 0
        rows = (
            ReactionInvitation.objects.filter(sent_at=now)
            .select_related("enrolment__employee__user", "enrolment__session__program")
        )
        messages = [_reaction_message(row.enrolment) for row in rows if _email_of(row.enrolment.employee)]
        sent = (get_connection().send_messages(messages) or 0) if messages else 0
    logger.info("satisfaction questionnaires: %d invitations claimed, %d emails sent", claimed, sent)
    return sent


def _reaction_message(enrolment: Enrolment) -> EmailMessage:
    employee, session = enrolment.employee, enrolment.session
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        context = {"employee": employee, "session": session, "program": session.program,
                   "organisation_name": settings.CLO_ORGANISATION_NAME, "days": REACTION_OPEN_DAYS,
                   "url": _absolute(reverse("programs:reaction_answer", args=[enrolment.pk]))}
        subject = _("How was the training? %(program)s") % {"program": session.program.title}
        body = render_to_string("programs/feedback/email/reaction_invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[_email_of(employee)])


# --- Level 2: learning --------------------------------------------------------------------------------------------


@transaction.atomic
def learning_results_record(*, session: Session, results: dict[int, dict], by: User | None = None) -> int:
    """Record the scores before/after (0–100) or the trainer's pass/fail of a session's attendees, all or nothing:
    ``{enrolment_id: {"pre_score", "post_score", "passed"}}``. A row with nothing given removes that person's
    result. Returns the rows written or removed."""
    enrolments = set(
        Enrolment.objects.select_for_update().filter(session=session, status__in=ATTENDED, pk__in=list(results))
        .values_list("pk", flat=True)
    )
    errors = {}
    for enrolment_id, values in results.items():
        if enrolment_id not in enrolments:
            errors[str(enrolment_id)] = _("This person did not attend this session.")
            continue
        for name in ("pre_score", "post_score"):
            value = values.get(name)
            if value is not None and not (Decimal("0") <= value <= Decimal("100")):
                errors[f"{enrolment_id}-{name}"] = _("Scores go from 0 to 100.")
    if errors:
        raise FeedbackError(errors)
    changed = 0
    for enrolment_id, values in results.items():
        given = {name: values.get(name) for name in ("pre_score", "post_score", "passed")}
        if all(value is None for value in given.values()):
            changed += LearningResult.objects.filter(enrolment_id=enrolment_id).delete()[0]
            continue
        row, _created = LearningResult.objects.update_or_create(
            enrolment_id=enrolment_id, defaults={**given, "recorded_by": by}
        )
        changed += 1
    return changed


# --- Level 3: transfer --------------------------------------------------------------------------------------------


def transfer_send_follow_ups(*, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """The daily job: for every enrolment completed TRANSFER_AFTER_DAYS days ago (or up to TRANSFER_CATCH_UP_DAYS
    more, if the job missed days), create the follow-up of the person and of their manager (if they have one), and
    email those not sent yet. Safe to run twice: each follow-up exists once and is sent once. Returns emails sent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    last = today - dt.timedelta(days=TRANSFER_AFTER_DAYS)
    completed = Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, completed_on__lte=last,
        completed_on__gt=last - dt.timedelta(days=TRANSFER_CATCH_UP_DAYS),
    )
    asked = TransferFollowUp.objects.filter(enrolment=OuterRef("pk"))
    due = completed.filter(~Exists(asked.filter(respondent_role=TransferFollowUp.Respondent.EMPLOYEE))).values_list(
        "pk", "employee_id", "completed_on")
    to_managers = completed.filter(employee__manager__isnull=False, employee__manager__active=True).filter(
        ~Exists(asked.filter(respondent_role=TransferFollowUp.Respondent.MANAGER))
    ).values_list("pk", "employee__manager_id", "completed_on")
    after = dt.timedelta(days=TRANSFER_AFTER_DAYS)
    rows = [TransferFollowUp(enrolment_id=pk, respondent_role=TransferFollowUp.Respondent.EMPLOYEE, respondent_id=who,
                             due_on=on + after) for pk, who, on in due]
    rows += [TransferFollowUp(enrolment_id=pk, respondent_role=TransferFollowUp.Respondent.MANAGER, respondent_id=who,
                              due_on=on + after) for pk, who, on in to_managers]
    TransferFollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    with transaction.atomic():
        claimed = TransferFollowUp.objects.filter(
            sent_at__isnull=True, answered_at__isnull=True, due_on__lte=today
        ).update(sent_at=now)
        if not claimed:
            return 0
        follow_ups = TransferFollowUp.objects.filter(sent_at=now).select_related(
            "respondent__user", "enrolment__employee", "enrolment__session__program"
        )
        messages = [_transfer_message(row) for row in follow_ups if _email_of(row.respondent)]
        sent = (get_connection().send_messages(messages) or 0) if messages else 0
    logger.info("transfer follow-ups: %d claimed, %d emails sent", claimed, sent)
    return sent


def _transfer_message(follow_up: TransferFollowUp) -> EmailMessage:
    respondent, enrolment = follow_up.respondent, follow_up.enrolment
    program = enrolment.session.program
    with translation.override(respondent.language or settings.LANGUAGE_CODE):
        context = {"follow_up": follow_up, "respondent": respondent, "person": enrolment.employee,
                   "program": program, "completed_on": enrolment.completed_on,
                   "is_manager": follow_up.respondent_role == TransferFollowUp.Respondent.MANAGER,
                   "organisation_name": settings.CLO_ORGANISATION_NAME,
                   "url": _absolute(reverse("programs:transfer_answer", args=[follow_up.pk]))}
        subject = _("Three months later: are you applying %(program)s?") % {"program": program.title}
        body = render_to_string("programs/feedback/email/transfer_follow_up.txt", context)
    return EmailMessage(subject=subject, body=body, to=[_email_of(respondent)])


@transaction.atomic
def transfer_answer(*, follow_up: TransferFollowUp, applying: int, example: str = "",
                    now: dt.datetime | None = None) -> TransferFollowUp:
    """Record the respondent's answer, once (refused with a message if it was answered already)."""
    locked = TransferFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.answered_at is not None:
        raise FeedbackError(_("This follow-up has already been answered: answers cannot be changed."), code="refused")
    if applying not in range(1, 6):
        raise FeedbackError({"applying": _("Choose a value from 1 to 5.")})
    locked.applying, locked.example, locked.answered_at = applying, (example or "").strip(), now or timezone.now()
    locked.save(update_fields=["applying", "example", "answered_at"])
    return locked

