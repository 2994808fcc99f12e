"""Internal trainers and mentors (issue 19, item 2): the pool of employees who teach the council's programs or mentor
colleagues, kept by the learning office. A session names its internal trainer (``programs.Session.internal_trainer``);
the learning office assigns only people of this pool (``services.trainers.trainer_assign``).

Who sees the pool: the learning office and HR (everyone), a director (the people of their unit subtree)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clo.people import roles


class InternalTrainerQuerySet(models.QuerySet["InternalTrainer"]):
    def active(self) -> "InternalTrainerQuerySet":
        return self.filter(active=True)

    def visible_to(self, user) -> "InternalTrainerQuerySet":
        """All for the learning office and HR, the people of their subtree for a director, none otherwise."""
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        condition = Q(pk__in=[])
        for path in scope.unit_paths:
            condition |= Q(employee__unit__path__startswith=path)
        return self.filter(condition)


class InternalTrainer(models.Model):
    employee = models.OneToOneField(
        "people.Employee", on_delete=models.CASCADE, related_name="trainer_profile", verbose_name=_("employee"),
    )
    teaches = models.BooleanField(_("teaches programs"), default=True)
    mentors = models.BooleanField(_("mentors colleagues"), default=False)
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="internal_trainers",
        verbose_name=_("competencies covered"),
    )
    availability = models.TextField(_("notes on availability"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = InternalTrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("internal trainer")
        verbose_name_plural = _("internal trainers")
        ordering = ["employee__last_name", "employee__first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(teaches=True) | Q(mentors=True), name="talent_internaltrainer_has_a_role",
                violation_error_message=_("Say whether this person teaches programs, mentors colleagues, or both."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.employee)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("talent:trainer_detail", args=[self.pk])
