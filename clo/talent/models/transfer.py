"""Knowledge-transfer plans (issue 17, item 5): before the holder of a critical position retires or leaves, a plan
pairs them (the mentor) with a successor and lists what must be handed over, each item with a deadline before the
leaving date. A shadowing session the director validates becomes a piece of evidence of a competency for the
successor, written through ``evaluations.services.evidence_record`` (the gap engine consolidates it).

Who sees a plan: the learning office and HR (everything), the directors of the holder's unit subtree, and the two
people of the pair. Who acts on it (create, add items, validate): the learning office, HR and those directors
(``TransferPlanQuerySet.manageable_by``); the pair marks items done.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from clo.people import roles


def _unit_condition(prefix: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}__path__startswith": path})
    return condition


class TransferPlanQuerySet(models.QuerySet["TransferPlan"]):
    def manageable_by(self, user) -> "TransferPlanQuerySet":
        """The plans ``user`` may change: all for the learning office and HR, the holder's subtree for a director."""
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        return self.filter(_unit_condition("holder__unit", scope.unit_paths))

    def visible_to(self, user) -> "TransferPlanQuerySet":
        """The plans ``user`` may read: the ones they manage, and their own as mentor or successor."""
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        condition = _unit_condition("holder__unit", scope.unit_paths)
        if scope.employee_id:
            condition |= Q(holder_id=scope.employee_id) | Q(successor_id=scope.employee_id)
        return self.filter(condition)


class TransferPlan(models.Model):
    class Reason(models.TextChoices):
        RETIREMENT = "retirement", _("Retirement")
        DEPARTURE = "departure", _("Leaves the position")

    holder = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="transfer_plans_as_mentor",
        verbose_name=_("mentor (leaving holder)"),
    )
    position = models.ForeignKey(
        "people.Position", on_delete=models.PROTECT, related_name="transfer_plans", verbose_name=_("position"),
    )
    successor = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="transfer_plans_as_successor",
        verbose_name=_("successor"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices, default=Reason.RETIREMENT)
    leaving_on = models.DateField(_("leaving date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The reminder job's claim: the day the last reminder went out (at most one a week per plan).
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True, editable=False)

    objects = TransferPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge-transfer plan")
        verbose_name_plural = _("knowledge-transfer plans")
        ordering = ["leaving_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "position"], name="talent_transferplan_one_per_holder_position",
                violation_error_message=_("This person already has a knowledge-transfer plan for this position."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("holder")), name="talent_transferplan_successor_not_holder",
                violation_error_message=_("The successor must be another person than the leaving holder."),
            ),
        ]
        indexes = [
            # the reminder job: plans whose leaving date is still ahead.
            models.Index(fields=["leaving_on"], name="talent_transferplan_leaving"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} → {self.successor}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("talent:transfer_plan_detail", args=[self.pk])

    def clean(self) -> None:
        if self.holder_id and self.successor_id and self.holder_id == self.successor_id:
            raise ValidationError({"successor": _("The successor must be another person than the leaving holder.")})


class HandoverItem(models.Model):
    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Procedure written down")
        SHADOWING = "shadowing", _("Shadowing session")
        CONTACT = "contact", _("Key contact")
        DOCUMENT = "document", _("Document")

    plan = models.ForeignKey(TransferPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("what is handed over"), max_length=200)
    due_on = models.DateField(_("deadline"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("competency shown"),
        help_text=_("For a shadowing session: the competency the successor practises, which the director can "
                    "validate as evidence once the session is done."),
    )
    level = models.PositiveSmallIntegerField(_("level shown"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("validated by"),
    )
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    evidence = models.ForeignKey(
        "evaluations.Evidence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("evidence recorded"),
    )

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(competency__isnull=True) | Q(kind="shadowing"),
                name="talent_handoveritem_competency_for_shadowing",
                violation_error_message=_("Only a shadowing session can show a competency."),
            ),
            models.CheckConstraint(
                condition=Q(validated_on__isnull=True) | Q(done_on__isnull=False),
                name="talent_handoveritem_validated_when_done",
                violation_error_message=_("Only a session that was done can be validated."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.due_on and self.plan_id and self.due_on >= self.plan.leaving_on:
            errors["due_on"] = [_("The deadline must fall before the leaving date (%(date)s).")
                                % {"date": formats.date_format(self.plan.leaving_on, "DATE_FORMAT")}]
        if self.competency_id and self.kind != self.Kind.SHADOWING:
            errors["competency"] = [_("Only a shadowing session can show a competency.")]
        if self.competency_id and self.level is None:
            errors["level"] = [_("Give the level the successor shows in this competency.")]
        if self.level is not None and not self.competency_id:
            errors["competency"] = [_("Choose the competency of this level.")]
        if self.competency_id and self.level is not None and "level" not in errors:
            from competencies.validators import validate_level_in_scale

            try:
                validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=False)
            except ValidationError as error:
                errors.setdefault("level", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)
