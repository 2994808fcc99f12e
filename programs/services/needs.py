"""Writes of the needs-detection campaign: campaigns, a director's needs (draft → submitted), the learning office's
triage (more information, rejection, merging duplicates) and the reminder to directors who submitted nothing.

Every change of a need is written to its history (``NeedEvent``) in the same transaction, with who and when.
Accepting a need into the annual plan lives in ``programs.services.annual_plan``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clo.core.audit import record_bulk_change
from programs.models import NeedEvent, NeedsCampaign, TrainingNeed

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Statuses in which the director may still change the need, and in which the learning office may decide on it.
EDITABLE = (TrainingNeed.Status.DRAFT, TrainingNeed.Status.MORE_INFO)
REMINDER_DAYS_BEFORE = 7

NEED_FIELDS = (
    "unit", "title", "estimated_participants", "priority", "preferred_modality", "desired_period",
    "strategic_objective", "justification",
)


def need_event(*, need: TrainingNeed, kind: str, actor: User, note: str = "") -> NeedEvent:
    return NeedEvent.objects.create(need=need, kind=kind, actor=actor, note=note)


def _locked(need: TrainingNeed) -> TrainingNeed:
    return TrainingNeed.objects.select_for_update().get(pk=need.pk)


# --- campaigns ---------------------------------------------------------------------------------------------------
@transaction.atomic
def campaign_open(*, year: int, opens_on: dt.date, deadline: dt.date, instructions: str = "", actor: User) -> NeedsCampaign:
    campaign = NeedsCampaign(year=year, opens_on=opens_on, deadline=deadline, instructions=instructions,
                             opened_by=actor)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_close(*, campaign: NeedsCampaign) -> NeedsCampaign:
    campaign.status = NeedsCampaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


def campaign_for_year(year: int) -> NeedsCampaign | None:
    return NeedsCampaign.objects.filter(year=year).first()


# --- a director's need --------------------------------------------------------------------------------------------
@transaction.atomic
def need_create(*, actor: User, submitted_by_id: int, year: int, fields: dict, competencies: Iterable = (),
                positions: Iterable = (), employees: Iterable = (), attachment=None) -> TrainingNeed:
    """A new draft need. ``fields`` holds the plain fields of ``NEED_FIELDS``."""
    need = TrainingNeed(submitted_by_id=submitted_by_id, year=year, status=TrainingNeed.Status.DRAFT,
                        **{k: v for k, v in fields.items() if k in NEED_FIELDS})
    if attachment:
        need.attachment = attachment
    need.full_clean()
    need.save()
    need.competencies.set(competencies)
    need.target_positions.set(positions)
    need.target_employees.set(employees)
    need_event(need=need, kind=NeedEvent.Kind.CREATED, actor=actor)
    return need


@transaction.atomic
def need_update(*, need: TrainingNeed, actor: User, fields: dict, competencies: Iterable = (), positions: Iterable = (),
                employees: Iterable = (), attachment=None, remove_attachment: bool = False) -> TrainingNeed:
    """Change a need that is still a draft or was sent back for more information."""
    need = _locked(need)
    if need.status not in EDITABLE:
        raise ValidationError(_("This need can no longer be changed: it is %(status)s.")
                              % {"status": need.get_status_display().lower()})
    for name, value in fields.items():
        if name in NEED_FIELDS:
            setattr(need, name, value)
    if attachment:
        need.attachment = attachment
    elif remove_attachment:
        need.attachment = ""
    need.full_clean()
    need.save()
    need.competencies.set(competencies)
    need.target_positions.set(positions)
    need.target_employees.set(employees)
    need_event(need=need, kind=NeedEvent.Kind.EDITED, actor=actor)
    return need


# What the learning office needs to decide on a need: a draft may leave these empty, submitting it needs them.
REQUIRED_TO_SUBMIT = ("competencies", "strategic_objective", "justification")


def submission_errors_of(values: dict) -> dict[str, list[str]]:
    """What a need with these ``values`` lacks before it can be submitted, by field: the one statement of the rule,
    read by ``need_submit`` (the need as saved) and by the need form (as typed). ``competencies``: anything true when
    one is chosen; the texts as typed."""
    messages = {
        "competencies": _("Choose at least one competency this training should develop."),
        "strategic_objective": _("Say which strategic objective of the council this need serves."),
        "justification": _("Explain why the unit needs this training."),
    }
    return {name: [messages[name]] for name in REQUIRED_TO_SUBMIT if not _given(values.get(name))}


def _given(value) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def submission_errors(need: TrainingNeed) -> dict[str, list[str]]:
    """What a saved need lacks before it can be submitted, by field (``submission_errors_of``)."""
    return submission_errors_of({"competencies": need.competencies.exists(),
                                 "strategic_objective": need.strategic_objective, "justification": need.justification})


@transaction.atomic
def need_submit(*, need: TrainingNeed, actor: User, today: dt.date) -> TrainingNeed:
    """Send a complete need to the learning office. A first submission needs the year's campaign open and its
    deadline not passed; an answer to a request for more information is accepted at any time."""
    need = _locked(need)
    if need.status not in EDITABLE:
        raise ValidationError(_("This need has already been submitted."))
    errors = submission_errors(need)
    if errors:
        raise ValidationError(errors)
    if need.status == TrainingNeed.Status.DRAFT:
        campaign = campaign_for_year(need.year)
        if campaign is None or campaign.status != NeedsCampaign.Status.OPEN:
            raise ValidationError(_("The needs-detection campaign for %(year)s is not open.") % {"year": need.year})
        if today > campaign.deadline:
            raise ValidationError(_("The deadline of the %(year)s campaign passed on %(date)s.")
                                  % {"year": need.year, "date": campaign.deadline.strftime("%d/%m/%Y")})
    need.status = TrainingNeed.Status.SUBMITTED
    need.submitted_at = timezone.now()
    need.save(update_fields=["status", "submitted_at"])
    need_event(need=need, kind=NeedEvent.Kind.SUBMITTED, actor=actor)
    return need


# --- triage by the learning office ---------------------------------------------------------------------------------
def _require_triageable(need: TrainingNeed) -> None:
    if need.status not in TrainingNeed.TRIAGEABLE:
        raise ValidationError(_("This need is %(status)s: there is nothing to decide.")
                              % {"status": need.get_status_display().lower()})


@transaction.atomic
def need_request_info(*, need: TrainingNeed, actor: User, reason: str) -> TrainingNeed:
    """Send the need back to its director with a question; they can edit it and submit it again."""
    need = _locked(need)
    if need.status != TrainingNeed.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted need can be sent back for more information."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what information is missing.")})
    need.status = TrainingNeed.Status.MORE_INFO
    need.status_reason = reason.strip()
    need.save(update_fields=["status", "status_reason"])
    need_event(need=need, kind=NeedEvent.Kind.MORE_INFO, actor=actor, note=need.status_reason)
    return need


@transaction.atomic
def need_reject(*, need: TrainingNeed, actor: User, reason: str) -> TrainingNeed:
    need = _locked(need)
    _require_triageable(need)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection: the director will read it.")})
    need.status = TrainingNeed.Status.REJECTED
    need.status_reason = reason.strip()
    need.full_clean()
    need.save(update_fields=["status", "status_reason"])
    need_event(need=need, kind=NeedEvent.Kind.REJECTED, actor=actor, note=need.status_reason)
    need_announce_decision(need)
    return need


def need_announce_decision(need: TrainingNeed) -> None:
    """The outbound webhooks' ``need.decided`` (accepted into the plan, or rejected)."""
    from clo.core.tasks import announce

    announce("need.decided", {"need": need.pk, "year": need.year, "status": need.status, "unit": need.unit.code,
                              "title": need.title, "plan_action": need.plan_action_id})


@transaction.atomic
def needs_merge(*, target: TrainingNeed, others: Iterable[TrainingNeed], actor: User) -> TrainingNeed:
    """Merge duplicate needs (often from several units) into ``target``: the others point to it and stop counting;
    the target adds up their participants and gathers their competencies and target positions and people.
    All or nothing: one need that cannot be merged stops the whole merge."""
    other_ids = sorted({n.pk for n in others} - {target.pk})
    if not other_ids:
        raise ValidationError({"needs": _("Choose at least one other need to merge into the one you keep.")})
    locked = {n.pk: n for n in TrainingNeed.objects.select_for_update().filter(pk__in=[target.pk, *other_ids])}
    target = locked[target.pk]
    _require_triageable(target)
    merged = [locked[pk] for pk in other_ids if pk in locked]
    for need in merged:
        if need.status not in TrainingNeed.TRIAGEABLE or need.year != target.year:
            raise ValidationError({"needs": _("“%(title)s” cannot be merged: only needs awaiting a decision for the "
                                              "same year can be merged.") % {"title": need.title}})
    through_c = TrainingNeed.competencies.through
    through_p = TrainingNeed.target_positions.through
    through_e = TrainingNeed.target_employees.through
    target.competencies.add(*set(through_c.objects.filter(trainingneed_id__in=other_ids)
                                 .values_list("competency_id", flat=True)))
    target.target_positions.add(*set(through_p.objects.filter(trainingneed_id__in=other_ids)
                                     .values_list("position_id", flat=True)))
    target.target_employees.add(*set(through_e.objects.filter(trainingneed_id__in=other_ids)
                                     .values_list("employee_id", flat=True)))
    target.estimated_participants += sum(n.estimated_participants for n in merged)
    target.save(update_fields=["estimated_participants"])
    TrainingNeed.objects.filter(pk__in=other_ids).update(status=TrainingNeed.Status.MERGED, merged_into=target)
    record_bulk_change(TrainingNeed, person_ids={n.pk: n.submitted_by_id for n in merged}, changes={
        n.pk: {"status": [n.status, TrainingNeed.Status.MERGED], "merged_into": [None, target.pk]} for n in merged
    })
    NeedEvent.objects.bulk_create(
        [NeedEvent(need=n, kind=NeedEvent.Kind.MERGED, actor=actor, note=target.title) for n in merged]
        + [NeedEvent(need=target, kind=NeedEvent.Kind.ABSORBED, actor=actor,
                     note=", ".join(f"{n.title} ({n.unit})" for n in merged))]
    )
    return target


# --- the reminder a week before the deadline ----------------------------------------------------------------------
def units_without_submission(campaign: NeedsCampaign):
    """Active units with a head and no need submitted for the campaign's year anywhere in their subtree."""
    from clo.people.models import OrgUnit

    submitted = TrainingNeed.objects.filter(year=campaign.year, unit__path__startswith=OuterRef("path")).exclude(
        status=TrainingNeed.Status.DRAFT
    )
    return OrgUnit.objects.filter(active=True, heads__isnull=False).filter(~Exists(submitted)).distinct()


def campaign_send_reminders(*, today: dt.date) -> int:
    """For each open campaign whose deadline is at most a week away and whose reminder is not sent yet, claim the
    reminder (one guarded UPDATE, so two runs never both send it) and email each director of a unit that has
    submitted nothing, in the director's language. Returns how many emails were sent."""
    from clo.people.models import Employee

    due = NeedsCampaign.objects.filter(
        status=NeedsCampaign.Status.OPEN, reminder_sent_at__isnull=True,
        deadline__gte=today, deadline__lte=today + dt.timedelta(days=REMINDER_DAYS_BEFORE), opens_on__lte=today,
    )
    sent = 0
    for campaign in due:
        claimed = NeedsCampaign.objects.filter(pk=campaign.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if claimed != 1:
            continue
        units = list(units_without_submission(campaign).values("pk", "name"))
        unit_names = {u["pk"]: u["name"] for u in units}
        directors = (
            Employee.objects.filter(active=True, headed_units__in=list(unit_names))
            .filter(Q(email__gt="") | Q(user__email__gt=""))
            .select_related("user").distinct()
        )
        heads = OrgUnitHeads(unit_names)
        messages = [_reminder_message(campaign, director, heads.of(director)) for director in directors]
        if messages:
            sent += get_connection().send_messages(messages) or 0
        logger.info("needs campaign %s: reminder sent to %d directors", campaign.year, len(messages))
    return sent


class OrgUnitHeads:
    """Which of the units without a submission each director heads (one query)."""

    def __init__(self, unit_names: dict[int, str]):
        from clo.people.models import OrgUnit

        self._by_employee: dict[int, list[str]] = {}
        through = OrgUnit.heads.through
        for unit_id, employee_id in through.objects.filter(orgunit_id__in=list(unit_names)).values_list(
            "orgunit_id", "employee_id"
        ):
            self._by_employee.setdefault(employee_id, []).append(unit_names[unit_id])

    def of(self, employee) -> list[str]:
        return sorted(self._by_employee.get(employee.pk, []))


def _reminder_message(campaign: NeedsCampaign, director, unit_names: list[str]) -> EmailMessage:
    from django.urls import reverse

    with translation.override(director.language or settings.LANGUAGE_CODE):
        context = {"campaign": campaign, "director": director, "units": unit_names,
                   "organisation_name": settings.CLO_ORGANISATION_NAME,
                   "need_create_url": settings.CLO_BASE_URL + reverse("programs:need_create")}
        subject = _("Training needs %(year)s: the deadline is %(date)s") % {
            "year": campaign.year, "date": campaign.deadline.strftime("%d/%m/%Y")}
        body = render_to_string("programs/needs/email/reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[director.email or director.user.email])
