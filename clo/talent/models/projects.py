"""Challenge projects (issue 19, item 4): transversal innovation, learning by doing.

The learning office or a director posts a project of a unit (goal, dates, weekly hours, the competencies it requires
at a level and those a participant learns). While it is open, employees of the whole council apply; each applicant's
director approves or refuses (a refusal gives its reason). An application nobody answers within
``CLO_PROJECT_APPROVAL_DAYS`` escalates to the learning office, which may then decide it (the answer to managers who
keep their people from taking part). At the close the owner rates the competencies each participant exercised: each
rating is a piece of evidence (``evaluations.Evidence``, source ``project``) the gap engine consolidates like a
validated manager rating.

Who sees a project: the learning office and HR (all), the directors of its unit subtree (they manage it), and every
employee while it is open (published) or once they applied. Who decides an application: a director whose subtree
holds the applicant (never the applicant), and the learning office once it escalated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.people import roles


def _in_paths(prefix: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}__path__startswith": path})
    return condition


class ChallengeProjectQuerySet(models.QuerySet["ChallengeProject"]):
    def manageable_by(self, user) -> "ChallengeProjectQuerySet":
        """The projects ``user`` may change (open, start, close, rate): all for the learning office, the unit
        subtree for a director; nobody else."""
        scope = roles.scope_of(user)
        if scope.is_learning_office:
            return self
        return self.filter(_in_paths("unit", scope.unit_paths))

    def visible_to(self, user) -> "ChallengeProjectQuerySet":
        """The projects ``user`` may read: everything for the learning office and HR, the subtree for a director,
        and the published (open) ones and those applied to for every employee."""
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        condition = _in_paths("unit", scope.unit_paths)
        if scope.employee_id:
            applied = ProjectApplication.objects.filter(project=OuterRef("pk"), employee_id=scope.employee_id)
            condition |= Q(status=ChallengeProject.Status.OPEN) | Q(Exists(applied))
        return self.filter(condition)


class ChallengeProject(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("challenge project", "Draft")
        OPEN = "open", pgettext_lazy("challenge project", "Open for applications")
        RUNNING = "running", pgettext_lazy("challenge project", "Running")
        CLOSED = "closed", pgettext_lazy("challenge project", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("challenge project", "Cancelled")

    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), max_length=3000)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="challenge_projects",
                             verbose_name=_("unit"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    weekly_hours = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = ChallengeProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("challenge project")
        verbose_name_plural = _("challenge projects")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="talent_challengeproject_ends_after_start",
                violation_error_message=_("The project must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=40),
                name="talent_challengeproject_weekly_hours",
                violation_error_message=_("The weekly hours must be more than 0 and at most 40."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(status="closed"),
                name="talent_challengeproject_closed_on_when_closed",
                violation_error_message=_("Only a closed project has a closing date."),
            ),
        ]
        indexes = [
            # the employees' list: the open projects, by start date.
            models.Index(fields=["status", "starts_on"], name="talent_project_status_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("talent:project_detail", args=[self.pk])


class ProjectCompetency(models.Model):
    class Kind(models.TextChoices):
        REQUIRED = "required", _("Required")
        LEARN = "learn", _("To learn")

    project = models.ForeignKey(ChallengeProject, on_delete=models.CASCADE, related_name="competencies",
                                verbose_name=_("project"))
    competency = models.ForeignKey("competencies.Competency", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), help_text=_("Required: the level a participant brings. To learn: the level the project takes "
                                "a participant to."))

    class Meta:
        verbose_name = _("project competency")
        verbose_name_plural = _("project competencies")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "competency"], name="talent_projectcompetency_once",
                violation_error_message=_("This competency is already in the project."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.competency} ({self.get_kind_display()} {self.level})"


class ProjectApplicationQuerySet(models.QuerySet["ProjectApplication"]):
    def decidable_by(self, user) -> "ProjectApplicationQuerySet":
        """The pending applications ``user`` may approve or refuse: those of their subtree for a director (never
        their own), and the escalated ones for the learning office."""
        scope = roles.scope_of(user)
        condition = _in_paths("employee__unit", scope.unit_paths)
        if scope.is_learning_office:
            condition |= Q(escalated_at__isnull=False)
        pending = self.filter(condition, status=ProjectApplication.Status.PENDING)
        return pending.exclude(employee_id=scope.employee_id) if scope.employee_id else pending


class ProjectApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the director")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(ChallengeProject, on_delete=models.CASCADE, related_name="applications",
                                verbose_name=_("project"))
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="project_applications",
                                 verbose_name=_("employee"))
    motivation = models.TextField(_("why I apply"), max_length=2000)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    escalated_at = models.DateTimeField(_("sent to the learning office at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for the refusal"), max_length=500, blank=True)

    objects = ProjectApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("project application")
        verbose_name_plural = _("project applications")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "employee"], name="talent_projectapplication_once",
                violation_error_message=_("You have already applied to this project."),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="talent_projectapplication_refusal_reason",
                violation_error_message=_("A refusal needs its reason."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="talent_projectapplication_decided_at",
                violation_error_message=_("A decided application has its decision date."),
            ),
        ]
        indexes = [
            # the escalation job: pending applications past their deadline, not yet escalated.
            models.Index(fields=["due_on"], condition=Q(status="pending", escalated_at__isnull=True),
                         name="talent_projectapp_overdue"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.project}"


class ProjectRating(models.Model):
    """The owner's rating, at the close, of a competency a participant exercised; recorded as evidence."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="ratings",
                                    verbose_name=_("participant"))
    competency = models.ForeignKey("competencies.Competency", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    level = models.PositiveSmallIntegerField(_("level shown"))
    evidence = models.ForeignKey("evaluations.Evidence", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("evidence recorded"))

    class Meta:
        verbose_name = _("project rating")
        verbose_name_plural = _("project ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "competency"], name="talent_projectrating_once",
                violation_error_message=_("This competency of this participant is already rated."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.competency} = {self.level}"
