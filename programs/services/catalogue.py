"""Writes of the catalogue: a program and the competencies it develops, and a person's interest in a program that has
no session for them (registered once, withdrawn). The interest counts as demand where the learning office triages the
needs (``selectors.catalogue.interest_demand``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Program, ProgramCompetency, ProgramInterest


@transaction.atomic
def program_save(*, program: Program, competencies: list[tuple[object, int]] | None = None) -> Program:
    """Create or update ``program`` (already bound to the form's values); ``competencies``, when given, replaces the
    competencies it develops with ``[(competency, level_reached)]``."""
    program.full_clean()
    program.save()
    if competencies is not None:
        keep = []
        for competency, level in competencies:
            row, _created = ProgramCompetency.objects.update_or_create(
                program=program, competency=competency, defaults={"level_reached": level}
            )
            row.full_clean()
            keep.append(row.pk)
        ProgramCompetency.objects.filter(program=program).exclude(pk__in=keep).delete()
    return program


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
