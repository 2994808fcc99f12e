"""Integration tokens, the staff-register change sets sent through the API in pages, and the stored answers of
requests sent with an ``Idempotency-Key``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    FIGURES = "figures:read", _("Read the figures (gaps, headcounts, needs, plan, results)")
    REGISTER = "register:write", _("Write the staff register (units, positions, employees, requirements)")
    TRAINING = "training:read", _("Read the training figures")


class ApiToken(models.Model):
    """One integration's credential. Only the SHA-256 of the secret is stored; the secret is shown once, when the
    token is made. ``unit`` narrows what the token reads to a unit's subtree, as ``visible_to`` does for people."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ChangeSet(models.Model):
    """A staff-register sync sent in pages: written as one change, through the import engine, when committed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMMITTED = "committed", _("Committed")

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="change_sets")
    whole_register = models.BooleanField(_("whole staff register"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change set")
        verbose_name_plural = _("change sets")


class ChangeSetPage(models.Model):
    """One page of rows of one kind (``units``, ``positions``, ``employees``, ``requirements``)."""

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change_set", "kind", "number"], name="api_changesetpage_one_number",
                                    violation_error_message=_("This page was already sent.")),
        ]


class IdempotentResponse(models.Model):
    """The answer given to a write sent with an ``Idempotency-Key``: the same key and body get it again."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotentresponse_one_per_key",
                                    violation_error_message=_("This key was already used.")),
        ]


class WebhookEvent(models.TextChoices):
    ENROLMENT_DECIDED = "enrolment.decided", _("An enrolment request is approved or refused")
    NEED_DECIDED = "need.decided", _("A training need is accepted into the plan or rejected")
    PLAN_APPROVED = "plan.approved", _("The annual training plan is approved")


class Webhook(models.Model):
    """A system that wants to hear of some events: clo POSTs each to ``url``, signed with ``secret`` the Standard
    Webhooks way (``clo.api.webhooks``). The secret is kept (it signs every delivery) and shown once."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(max_length=80)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event sent to one webhook, and how its attempts went: the delivery log. ``message_id`` is the
    ``webhook-id`` header, the same on every attempt, for the receiver to drop a repeat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            # the delivery log of a webhook, newest first (selectors.webhook_deliveries)
            models.Index(fields=["webhook", "-created_at"], name="api_webhookdelivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook} · {self.event} · {self.status}"
from clo.api.xapi.models import XapiActivity, XapiCursor, XapiStatement  # noqa: E402, F401  (the app's models)
