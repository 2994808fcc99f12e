"""Writes of the pool of internal trainers: add a person, change what they cover, deactivate them, and assign a
trainer of the pool to a session (through ``programs.services.delivery.session_trainer_assign``: programs keeps the
session's rules, this module who may teach)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clo.people.models import Employee
from clo.talent.models import InternalTrainer
from programs.models import Session
from programs.services.delivery import session_trainer_assign


@transaction.atomic
def trainer_add(*, employee: Employee, teaches: bool, mentors: bool, competencies,
                availability: str = "") -> InternalTrainer:
    """Put ``employee`` in the pool (again, if they were deactivated: their record is reused)."""
    trainer = InternalTrainer.objects.select_for_update().filter(employee=employee).first()
    if trainer is not None and trainer.active:
        raise ValidationError({"employee": _("This person is already in the pool of internal trainers.")})
    trainer = trainer or InternalTrainer(employee=employee)
    trainer.active = True
    return trainer_update(trainer=trainer, teaches=teaches, mentors=mentors, competencies=competencies,
                          availability=availability)


@transaction.atomic
def trainer_update(*, trainer: InternalTrainer, teaches: bool, mentors: bool, competencies,
                   availability: str = "") -> InternalTrainer:
    trainer.teaches, trainer.mentors, trainer.availability = teaches, mentors, availability
    trainer.full_clean()
    trainer.save()
    trainer.competencies.set(competencies)
    return trainer


@transaction.atomic
def trainer_deactivate(*, trainer: InternalTrainer) -> InternalTrainer:
    """Take the person out of the pool: they are assigned to no new session; the sessions they taught keep them."""
    trainer.active = False
    trainer.save(update_fields=["active"])
    return trainer


@transaction.atomic
def trainer_assign(*, trainer: InternalTrainer | None, session: Session, employee: Employee | None = None) -> Session:
    """Assign ``trainer`` (of the pool) to ``session``. ``employee`` without ``trainer``: a person who is not in the
    pool, refused. Refused too for a person who no longer teaches, a cancelled session and a participant of it."""
    if trainer is None or not trainer.active or not trainer.teaches:
        name = trainer.employee if trainer else employee
        raise ValidationError({"trainer": _(
            "%(name)s is not an active internal trainer: add them to the pool first."
        ) % {"name": name.full_name if name else ""}})
    return session_trainer_assign(session_id=session.pk, employee=trainer.employee)
