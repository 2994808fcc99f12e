"""Learning records (xAPI): which LMS activity is which program, the statements pulled (one row per statement id,
so a statement processed twice changes nothing), and the pull's cursor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class XapiActivity(models.Model):
    """An activity of the LMS (its IRI, the statement's ``object.id``) that is a program of the catalogue."""

    iri = models.URLField(_("activity IRI"), max_length=500, unique=True)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("program"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mapped activity")
        verbose_name_plural = _("mapped activities")
        ordering = ["iri"]

    def __str__(self) -> str:
        return self.iri


class XapiStatement(models.Model):
    """A ``completed`` or ``passed`` statement of a mapped activity, as pulled. ``matched``: it completed the
    person's enrolment; ``pending``: it waits in the review list (nobody matched, or the enrolment could not be
    completed: ``problem`` says why); ``dismissed``: the learning office set it aside."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        MATCHED = "matched", _("Matched")
        DISMISSED = "dismissed", _("Dismissed")

    statement_id = models.UUIDField(_("statement id"), unique=True)
    verb = models.CharField(_("verb"), max_length=200)
    activity = models.ForeignKey(XapiActivity, on_delete=models.CASCADE, related_name="statements",
                                 verbose_name=_("activity"))
    actor = models.CharField(_("learner"), max_length=300, help_text=_("The mbox or account name the LMS gave."))
    actor_name = models.CharField(_("name given by the LMS"), max_length=300, blank=True)
    stored = models.DateTimeField(_("stored in the LRS"))
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    employee = models.ForeignKey("people.Employee", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("employee"))
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("enrolment"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        constraints = [
            models.CheckConstraint(condition=~Q(status="matched") | Q(employee__isnull=False),
                                   name="api_xapistatement_matched_has_employee",
                                   violation_error_message=_("A matched learning record names a person.")),
        ]
        indexes = [
            # the review list: the pending statements, oldest first.
            models.Index(fields=["status", "stored"], name="api_xapistatement_review"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.activity_id} {self.actor}"


class XapiCursor(models.Model):
    """Where the pull resumes: statements stored after ``since`` (a little before, and the statement ids skip what
    was already taken). One row per LRS endpoint; advanced in the transaction of each batch it covers."""

    endpoint = models.CharField(max_length=500, unique=True)
    since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
