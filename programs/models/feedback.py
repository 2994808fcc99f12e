"""Training evaluation (Kirkpatrick's levels 1 to 3): reaction, learning and transfer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models.delivery import Enrolment


# --- Training evaluation (Kirkpatrick's four levels) ------------------------------------------------------------

def _one_to_five(field: str) -> Q:
    return Q(**{f"{field}__gte": 1}) & Q(**{f"{field}__lte": 5})


class ReactionInvitation(models.Model):
    """Level 1: the satisfaction questionnaire was offered to this attendee by email (sent once, by the daily job)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="reaction_invitations", verbose_name=_("enrolment")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction questionnaire invitation")
        verbose_name_plural = _("satisfaction questionnaire invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], name="programs_reactioninvitation_once",
                violation_error_message=_("This attendee has already been invited to the questionnaire."),
            ),
        ]
        indexes = [
            # the daily job: invitations created but not emailed yet.
            models.Index(fields=["sent_at"], name="programs_reactioninv_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.sent_at or '-'}"


class ReactionResponse(models.Model):
    """Level 1 (reaction): one attendee's answers to the satisfaction questionnaire of their session. Reports show
    only aggregates, never who answered what."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("enrolment")
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    trainer = models.PositiveSmallIntegerField(_("trainer"))
    organisation = models.PositiveSmallIntegerField(_("organisation"))
    applicability = models.PositiveSmallIntegerField(_("applicability"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    SCORES = ("usefulness", "trainer", "organisation", "applicability")

    class Meta:
        verbose_name = _("satisfaction questionnaire answer")
        verbose_name_plural = _("satisfaction questionnaire answers")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], name="programs_reactionresponse_one_per_enrolment",
                violation_error_message=_("You have already answered this questionnaire: answers cannot be changed."),
            ),
            models.CheckConstraint(
                condition=_one_to_five("usefulness") & _one_to_five("trainer") & _one_to_five("organisation")
                & _one_to_five("applicability"),
                name="programs_reactionresponse_scores_1_to_5",
                violation_error_message=_("Every rating goes from 1 to 5."),
            ),
        ]
        indexes = [
            # satisfaction_summary() for a period (the CLO dashboard).
            models.Index(fields=["submitted_at"], name="programs_reaction_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.submitted_at:%Y-%m-%d}"


class ReactionHour(models.Model):
    """The satisfaction answers submitted in one hour (UTC), added up: the number of answers and the sum of each
    score. Triggers on ``programs_reactionresponse`` keep it exact for every writer (the questionnaire, the
    retention purge, the demo seed; migration 0021), so a year's satisfaction on the learning office's board adds up
    a few thousand rows instead of every answer. Read only by ``selectors.feedback.satisfaction_summary``, which
    gives the same figures as adding up the answers themselves."""

    hour = models.DateTimeField(_("hour"), unique=True)
    answers = models.IntegerField(_("answers"), default=0)
    usefulness = models.BigIntegerField(_("usefulness"), default=0)
    trainer = models.BigIntegerField(_("trainer"), default=0)
    organisation = models.BigIntegerField(_("organisation"), default=0)
    applicability = models.BigIntegerField(_("applicability"), default=0)

    class Meta:
        verbose_name = _("satisfaction answers of an hour")
        verbose_name_plural = _("satisfaction answers by hour")

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} · {self.answers}"


class LearningResult(models.Model):
    """Level 2 (learning): a test score before and after the training, or the trainer's pass/fail, per enrolment."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="learning_results", verbose_name=_("enrolment")
    )
    pre_score = models.DecimalField(_("score before"), max_digits=5, decimal_places=1, null=True, blank=True)
    post_score = models.DecimalField(_("score after"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("learning result")
        verbose_name_plural = _("learning results")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], name="programs_learningresult_one_per_enrolment",
                violation_error_message=_("This enrolment already has a learning result."),
            ),
            models.CheckConstraint(
                condition=(Q(pre_score__isnull=True) | (Q(pre_score__gte=0) & Q(pre_score__lte=100)))
                & (Q(post_score__isnull=True) | (Q(post_score__gte=0) & Q(post_score__lte=100))),
                name="programs_learningresult_scores_0_to_100",
                violation_error_message=_("Scores go from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(pre_score__isnull=False) | Q(post_score__isnull=False) | Q(passed__isnull=False),
                name="programs_learningresult_not_empty",
                violation_error_message=_("Give a score or the trainer's pass or fail."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.pre_score} → {self.post_score} / {self.passed}"


class TransferFollowUp(models.Model):
    """Level 3 (transfer): 90 days after completing a program, the person and their manager are asked whether what
    was learnt is being applied (a 1–5 scale and an example)."""

    class Respondent(models.TextChoices):
        EMPLOYEE = "employee", _("The person trained")
        MANAGER = "manager", _("Their manager")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="transfer_follow_ups", verbose_name=_("enrolment")
    )
    respondent_role = models.CharField(_("asked to"), max_length=8, choices=Respondent.choices)
    respondent = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="transfer_follow_ups_to_answer",
        verbose_name=_("respondent"),
    )
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    applying = models.PositiveSmallIntegerField(_("applying it"), null=True, blank=True)
    example = models.TextField(_("example"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    class Meta:
        verbose_name = _("transfer follow-up")
        verbose_name_plural = _("transfer follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "respondent_role"], name="programs_transferfollowup_once_per_role",
                violation_error_message=_("This follow-up already exists."),
            ),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(applying__isnull=True))
                | (Q(answered_at__isnull=False) & Q(applying__isnull=False) & _one_to_five("applying")),
                name="programs_transferfollowup_answer_complete",
                violation_error_message=_("An answer needs a rating from 1 to 5."),
            ),
        ]
        indexes = [
            # the daily job (unsent) and the list of unanswered follow-ups.
            models.Index(fields=["answered_at", "due_on"], name="programs_transfer_open"),
            models.Index(fields=["respondent", "answered_at"], name="programs_transfer_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.respondent_role} · {self.due_on}"
