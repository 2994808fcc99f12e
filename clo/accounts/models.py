"""Sign-in accounts: invitations (for councils without an identity provider), the bulk invitation job, and the last
sign-in of each login (how and when) for HR's account page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.jobs import Job


class InvitationJob(Job):
    """HR invites one person, a unit's subtree, or every active employee with no login: a status machine
    (``clo.core.jobs.Job``) that a worker claims, sends chunk by chunk (``done_count`` of ``total`` is the progress the
    page polls) and lists what could not be sent (``failures``: no email address, refused by the mail server)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("One person")
        UNIT = "unit", _("A unit and every unit under it")
        ALL = "all", _("Every active employee with no login")

    kind = models.CharField(_("who"), max_length=8, choices=Kind.choices)
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("employee"))
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("unit"))
    total = models.PositiveIntegerField(_("people to invite"), default=0)
    done_count = models.PositiveIntegerField(_("people handled"), default=0)
    sent_count = models.PositiveIntegerField(_("invitations sent"), default=0)
    failures = models.JSONField(_("invitations not sent"), default=list, blank=True)

    class Meta:
        verbose_name = _("invitation job")
        verbose_name_plural = _("invitation jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_count__lte=F("total")), name="accounts_invitationjob_progress_within_total",
                violation_error_message=_("A job cannot handle more people than it has."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="person") | Q(employee__isnull=False),
                name="accounts_invitationjob_person_has_employee",
                violation_error_message=_("Choose the person to invite."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="unit") | Q(unit__isnull=False), name="accounts_invitationjob_unit_has_unit",
                violation_error_message=_("Choose the unit whose people to invite."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done_count // self.total) if self.total else 0


class Invitation(models.Model):
    """The invitation of one employee (one row per employee; a resend updates it). The link it sends is a Django
    password-reset token whose hash includes ``sent_at``: a resend makes the earlier links useless, setting the
    password makes this one useless; past ``expires_at`` the link opens a page offering a new one."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="invitation",
                                    verbose_name=_("employee"))
    email = models.EmailField(_("sent to"), blank=True)
    job = models.ForeignKey(InvitationJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("job"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invited by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # the account page's "invitation status" filter: pending invitations by expiry.
            models.Index(fields=["expires_at"], condition=Q(accepted_at__isnull=True),
                         name="accounts_invitation_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.sent_at}"

    @property
    def expired(self) -> bool:
        return self.accepted_at is None and self.expires_at is not None and self.expires_at <= timezone.now()


class SignIn(models.Model):
    """The last sign-in of a login: how (the authentication backend, as a method) and when. Written when someone
    signs in (``services.sign_in_record``); the account page reads it."""

    class Method(models.TextChoices):
        SSO = "sso", _("Single sign-on")
        LDAP = "ldap", _("LDAP / Active Directory")
        LOCAL = "local", _("Password")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clo_sign_in",
                                verbose_name=_("user"))
    method = models.CharField(_("signs in with"), max_length=8, choices=Method.choices)
    at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
