"""Careers: verifiable badges. An Open Badges 3.0 credential (a W3C Verifiable Credential of type
OpenBadgeCredential, signed as a VC-JWT) issued when a person completes a program (one per completed enrolment) or
an itinerary; revoked when the completion behind it no longer stands."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Badge"]


class Badge(models.Model):
    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program completed")
        ITINERARY = "itinerary", _("Itinerary completed")

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="badges",
                                 verbose_name=_("employee"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    enrolment = models.OneToOneField("programs.Enrolment", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("completed enrolment"))
    itinerary_enrolment = models.OneToOneField("careers.ItineraryEnrolment", on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="badge", verbose_name=_("itinerary"))
    name = models.CharField(_("name"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    credential = models.TextField(_("signed credential (VC-JWT)"), editable=False)
    key_id = models.CharField(_("signing key"), max_length=100, editable=False)
    share_name = models.BooleanField(_("show my name on the public page"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for the revocation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="program", itinerary_enrolment__isnull=True)
                | Q(kind="itinerary", enrolment__isnull=True),
                name="careers_badge_one_source",
                violation_error_message=_("A badge is for a program or for an itinerary, not both."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="careers_badge_revocation_reason",
                violation_error_message=_("A revoked badge must say why."),
            ),
        ]
        indexes = [
            # a person's badges, newest first (their page and the profile).
            models.Index(fields=["employee", "-issued_at"], name="careers_badge_person"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.name}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
