"""Writes of a person's interest in a program that has no session for them: register it (once) and withdraw it.
The interest counts as demand where the learning office triages the needs (``selectors.delivery.interest_demand``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Program, ProgramInterest


@transaction.atomic
def program_interest_register(*, employee_id: int, program_id: int) -> ProgramInterest:
    """Register ``employee_id``'s interest in an active program; registering it again keeps the first one."""
    if not Program.objects.filter(pk=program_id, active=True).exists():
        raise ValidationError(_("This program is no longer offered: interest cannot be registered."))
    interest, _created = ProgramInterest.objects.get_or_create(employee_id=employee_id, program_id=program_id)
    return interest


@transaction.atomic
def program_interest_withdraw(*, employee_id: int, program_id: int) -> bool:
    """Withdraw the interest; False if there was none."""
    deleted, _rows = ProgramInterest.objects.filter(employee_id=employee_id, program_id=program_id).delete()
    return bool(deleted)
