"""Writing the expertise directory: a person's listing and consent, and a colleague's message to a listed person."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clo.core.tasks import queue_on_commit
from clo.people.models import Employee
from clo.talent.models import ExpertiseConsent, ExpertiseListing
from clo.talent.selectors import expertise as selectors


@transaction.atomic
def expertise_listing_save(*, employee_id: int, listed: bool, as_mentor: bool, as_trainer: bool, as_adviser: bool,
                           note: str, hidden_competency_ids: list[int], now: dt.datetime | None = None
                           ) -> ExpertiseListing:
    """Save a person's listing. Joining or leaving the directory records the consent; leaving takes effect at once
    (the directory reads ``listed`` on every search)."""
    now = now or timezone.now()
    listing = (ExpertiseListing.objects.select_for_update().filter(employee_id=employee_id).first()
               or ExpertiseListing(employee_id=employee_id))
    was_listed = listing.pk is not None and listing.listed
    listing.listed, listing.as_mentor, listing.as_trainer, listing.as_adviser = listed, as_mentor, as_trainer, as_adviser
    listing.note, listing.updated_at = note.strip(), now
    listing.full_clean()
    listing.save()
    listing.hidden_competencies.set(hidden_competency_ids)
    if listed != was_listed:
        ExpertiseConsent.objects.create(employee_id=employee_id, given=listed, at=now)
    return listing


def expertise_contact(*, sender: Employee, recipient_id: int, message: str, competency_name: str = "") -> None:
    """Send a colleague's message to a person listed in the directory, by email through clo: the recipient sees the
    sender's address and answers directly; the sender never sees the recipient's."""
    if sender.pk == recipient_id:
        raise ValidationError(_("This is your own entry in the directory."))
    if selectors.listed_entry(employee_id=recipient_id) is None:
        raise ValidationError(_("This person no longer appears in the directory."))
    if not (sender.email or (sender.user and sender.user.email)):
        raise ValidationError(_("Your record has no email address for the answer: ask HR to add it."))
    queue_on_commit("talent.expertise_contact_send", sender.pk, recipient_id, message.strip(),
                    competency_name)


def _email_of(employee: Employee) -> str:
    return employee.email or (employee.user.email if employee.user_id else "")


def expertise_contact_send(*, sender_id: int, recipient_id: int, message: str, competency_name: str = "") -> bool:
    """The email itself, in the recipient's language; nothing if either person is gone or the recipient has left
    the directory since."""
    sender = Employee.objects.filter(pk=sender_id).select_related("user", "unit").first()
    entry = selectors.listed_entry(employee_id=recipient_id)
    if sender is None or entry is None or not _email_of(entry.employee) or not _email_of(sender):
        return False
    recipient = entry.employee
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {"sender": sender, "recipient": recipient, "message": message, "competency": competency_name,
                   "organisation_name": settings.CLO_ORGANISATION_NAME}
        subject = _("A colleague asks for your help: %(name)s") % {"name": sender.full_name}
        body = render_to_string("talent/expertise/email/contact.txt", context)
    EmailMessage(subject=subject, body=body, to=[_email_of(recipient)], reply_to=[_email_of(sender)]).send()
    return True
