"""Writes of knowledge-transfer plans: open a plan, add handover items, mark them done, validate a shadowing session
as evidence of a competency (through ``evaluations.services.evidence_record``, so the gap engine consolidates it like
any other piece), and send the weekly reminders to the mentor and the director."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from clo.core.catalan import of
from clo.people.models import Employee
from clo.talent.models import HandoverItem, TransferPlan
from evaluations.models import Evidence
from evaluations.services import evidence_record

logger = logging.getLogger(__name__)

# A plan is reminded of when it has open items overdue or due within this many days, at most once per this period.
REMINDER_DAYS_AHEAD = 7
REMINDER_EVERY_DAYS = 7


@transaction.atomic
def transfer_plan_create(*, holder: Employee, successor: Employee | None, leaving_on: dt.date | None,
                         reason: str, created_by, today: dt.date) -> TransferPlan:
    """Open the plan of ``holder`` (the holder of a critical position, the mentor) with ``successor``. The leaving
    date defaults to the holder's expected retirement date."""
    errors: dict[str, str] = {}
    if not holder.position.is_critical:
        errors["holder"] = _("Only the holder of a critical position gets a knowledge-transfer plan.")
    leaving_on = leaving_on or holder.expected_retirement_date
    if leaving_on is None:
        errors["leaving_on"] = _("Give the leaving date: this person has no expected retirement date.")
    elif leaving_on <= today:
        errors["leaving_on"] = _("The leaving date must be after today.")
    if successor is None:
        errors["successor"] = _("Choose the successor.")
    if errors:
        raise ValidationError(errors)
    plan = TransferPlan(holder=holder, position=holder.position, successor=successor, leaving_on=leaving_on,
                        reason=reason, created_by=created_by)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def handover_item_add(*, plan: TransferPlan, kind: str, title: str, due_on: dt.date,
                      competency=None, level: int | None = None) -> HandoverItem:
    item = HandoverItem(plan=plan, kind=kind, title=title, due_on=due_on, competency=competency, level=level)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def handover_item_mark_done(*, item: HandoverItem, today: dt.date) -> HandoverItem:
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on is None:
        item.done_on = today
        item.save(update_fields=["done_on"])
    return item


@transaction.atomic
def handover_item_validate(*, item: HandoverItem, validated_by, today: dt.date) -> HandoverItem:
    """The director validates a shadowing session that was done: the successor's level in the item's competency is
    recorded as one piece of evidence dated by the session, and the gap engine re-consolidates the successor on
    commit. Validating twice changes nothing."""
    item = HandoverItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    if item.validated_on is not None:
        return item
    if item.kind != HandoverItem.Kind.SHADOWING or item.competency_id is None or item.level is None:
        raise ValidationError(_("Only a shadowing session with a competency and a level can be validated."))
    if item.done_on is None:
        raise ValidationError(_("Mark the session as done before validating it."))
    piece = evidence_record(
        employee_id=item.plan.successor_id, competency_id=item.competency_id, level=item.level,
        evidenced_on=item.done_on, source=Evidence.Source.IMPORT,
        reference=(_("Knowledge-transfer plan %(plan)s: shadowing “%(title)s”")
                   % {"plan": item.plan_id, "title": item.title})[:200],
    )
    item.validated_by, item.validated_on, item.evidence = validated_by, today, piece
    item.full_clean()
    item.save(update_fields=["validated_by", "validated_on", "evidence"])
    return item


# --- Reminders ----------------------------------------------------------------------------------------------------


def transfer_reminders_send(*, today: dt.date) -> int:
    """Email the mentor and the director of every plan with open items overdue or due within a week, in each
    recipient's language, at most once a week per plan: the plan is claimed (its ``reminded_on`` set by a guarded
    UPDATE) before its emails go, so a second run the same day sends nothing. Returns the emails sent."""
    from clo.talent.selectors.transfer import plan_directors

    open_due = Q(items__done_on__isnull=True, items__due_on__lte=today + dt.timedelta(days=REMINDER_DAYS_AHEAD))
    not_recent = Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - dt.timedelta(days=REMINDER_EVERY_DAYS))
    due_ids = list(
        TransferPlan.objects.filter(open_due, not_recent, leaving_on__gte=today, holder__active=True)
        .values_list("pk", flat=True).distinct()
    )
    claimed = []
    for plan_id in due_ids:
        if TransferPlan.objects.filter(not_recent, pk=plan_id).update(reminded_on=today) == 1:
            claimed.append(plan_id)
    if not claimed:
        return 0
    plans = list(TransferPlan.objects.filter(pk__in=claimed).select_related(
        "holder", "holder__unit", "holder__user", "successor", "position").order_by("pk"))
    open_items: dict[int, list[HandoverItem]] = {}
    for item in HandoverItem.objects.filter(plan_id__in=claimed, done_on__isnull=True,
                                            due_on__lte=today + dt.timedelta(days=REMINDER_DAYS_AHEAD)
                                            ).order_by("due_on", "pk"):
        open_items.setdefault(item.plan_id, []).append(item)
    directors = plan_directors(plans)
    messages = []
    for plan in plans:
        for person in [plan.holder, *directors.get(plan.pk, [])]:
            address = person.email or (person.user.email if person.user else "")
            if address:
                messages.append(_reminder(plan, person, address, open_items.get(plan.pk, []), today=today))
    sent = get_connection().send_messages(messages) or 0 if messages else 0
    logger.info("transfer plans: %d reminded, %d emails", len(plans), sent)
    return sent


def _reminder(plan: TransferPlan, person: Employee, address: str, items: list[HandoverItem], *,
              today: dt.date) -> EmailMessage:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        due = [(item, formats.date_format(item.due_on, "DATE_FORMAT"), item.due_on < today) for item in items]
        context = {
            "plan": plan, "person": person, "is_mentor": person.pk == plan.holder_id, "items": due,
            "leaving_on": formats.date_format(plan.leaving_on, "DATE_FORMAT"),
            "url": settings.CLO_BASE_URL + reverse("talent:transfer_plan_detail", args=[plan.pk]),
            "organisation_name": settings.CLO_ORGANISATION_NAME,
        }
        subject = _("Knowledge transfer %(of_name)s: handover items due") % {"of_name": of(plan.holder.full_name)}
        body = render_to_string("talent/transfer/email/reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[address])
