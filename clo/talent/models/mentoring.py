"""Mentoring relationships (issue 19, item 2): a mentor, a mentee, the competencies worked on, a period and the
meetings held. A knowledge-transfer plan (``models.transfer``) already pairs a leaving holder with a successor: a
relationship may be started from it and keeps the link (``transfer_plan``).

Who sees a relationship: the learning office and HR (all), the directors of the mentee's unit subtree, and the mentor
and the mentee themselves. Who creates one and records its meetings: the learning office and HR, and those directors;
the pair records their own meetings too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clo.people import roles


def _mentee_in(paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(mentee__unit__path__startswith=path)
    return condition


class MentoringQuerySet(models.QuerySet["MentoringRelationship"]):
    def manageable_by(self, user) -> "MentoringQuerySet":
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        return self.filter(_mentee_in(scope.unit_paths))

    def visible_to(self, user) -> "MentoringQuerySet":
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        condition = _mentee_in(scope.unit_paths)
        if scope.employee_id:
            condition |= Q(mentor_id=scope.employee_id) | Q(mentee_id=scope.employee_id)
        return self.filter(condition)


class MentoringRelationship(models.Model):
    mentor = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="mentoring_given", verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="mentoring_received", verbose_name=_("mentee"),
    )
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name=_("competencies worked on"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    transfer_plan = models.ForeignKey(
        "talent.TransferPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentoring",
        verbose_name=_("knowledge-transfer plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MentoringQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring relationship")
        verbose_name_plural = _("mentoring relationships")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="talent_mentoring_mentor_not_mentee",
                violation_error_message=_("The mentor and the mentee must be two different people."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="talent_mentoring_ends_after_start",
                violation_error_message=_("The end of the period cannot come before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("talent:mentoring_detail", args=[self.pk])


class MentoringMeeting(models.Model):
    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("relationship"),
    )
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("mentoring meeting")
        verbose_name_plural = _("mentoring meetings")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=600), name="talent_mentoringmeeting_duration_range",
                violation_error_message=_("A meeting lasts from 1 to 600 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relationship} · {self.held_on}"
