"""Writes of mentoring relationships: start one (from a knowledge-transfer plan if given) and record its meetings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clo.people.models import Employee
from clo.talent.models import MentoringMeeting, MentoringRelationship, TransferPlan


@transaction.atomic
def mentoring_create(*, mentor: Employee, mentee: Employee, competencies, starts_on: dt.date,
                     ends_on: dt.date | None = None, transfer_plan: TransferPlan | None = None,
                     created_by=None) -> MentoringRelationship:
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentee": _("The mentor and the mentee must be two different people.")})
    relationship = MentoringRelationship(mentor=mentor, mentee=mentee, starts_on=starts_on, ends_on=ends_on,
                                         transfer_plan=transfer_plan, created_by=created_by)
    relationship.full_clean()
    relationship.save()
    relationship.competencies.set(competencies)
    return relationship


@transaction.atomic
def meeting_add(*, relationship: MentoringRelationship, held_on: dt.date, minutes: int,
                note: str = "") -> MentoringMeeting:
    """Record a meeting of the pair; it falls within the relationship's period."""
    if held_on < relationship.starts_on or (relationship.ends_on and held_on > relationship.ends_on):
        raise ValidationError({"held_on": _("The meeting must fall within the mentoring period.")})
    meeting = MentoringMeeting(relationship=relationship, held_on=held_on, minutes=minutes, note=note)
    meeting.full_clean()
    meeting.save()
    return meeting
