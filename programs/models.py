"""Training catalogue and delivery: programs, sessions, enrolments; needs, the annual plan, learning plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    COMMUNITY = "community", _("Community of practice")


class Program(models.Model):
    class CostBasis(models.TextChoices):
        PER_SEAT = "seat", _("Per seat")
        PER_SESSION = "session", _("Per session")

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True)
    contents = models.TextField(_("contents"), blank=True)
    modality = models.CharField(_("modality"), max_length=14, choices=Modality.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (€)"), max_digits=10, decimal_places=2, default=0)
    cost_basis = models.CharField(_("cost basis"), max_length=8, choices=CostBasis.choices, default=CostBasis.PER_SEAT)
    is_open = models.BooleanField(
        _("open enrolment"), default=False, help_text=_("Requests are approved without the director's decision.")
    )
    target_groups = models.JSONField(_("target civil-service groups"), default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by", verbose_name=_("prerequisites")
    )
    competencies = models.ManyToManyField(
        "competencies.Competency", through="ProgramCompetency", related_name="programs", verbose_name=_("competencies")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="programs_program_hours_positive",
                violation_error_message=_("A program must last more than zero hours."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="programs_program_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgramCompetency(models.Model):
    """A program develops a competency up to a level; completing it certifies that level."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="developed", verbose_name=_("program"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="developed_by", verbose_name=_("competency")
    )
    level_reached = models.PositiveSmallIntegerField(_("level reached"))

    class Meta:
        verbose_name = _("competency developed")
        verbose_name_plural = _("competencies developed")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "competency"],
                name="programs_programcompetency_unique",
                violation_error_message=_("This program already lists this competency."),
            ),
        ]
        indexes = [models.Index(fields=["competency", "level_reached"], name="programs_pc_comp_level")]

    def __str__(self) -> str:
        return f"{self.program.code} → {self.competency.code} {self.level_reached}"

    def clean(self) -> None:
        from competencies.selectors import level_in_scale_error

        error = level_in_scale_error(self.competency_id, self.level_reached, allow_zero=False)
        if error:
            raise ValidationError({"level_reached": error})


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timetable = models.CharField(_("timetable"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="programs_session_capacity_positive",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="programs_session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="programs_session_has_venue",
                violation_error_message=_("Give a place or an online link."),
            ),
        ]
        indexes = [
            # dashboards and catalogue: upcoming scheduled sessions.
            models.Index(fields=["status", "starts_at"], name="programs_session_upcoming"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} · {self.starts_at:%Y-%m-%d}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ATTENDED = "attended", _("Attended")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # Statuses that hold a seat of the session.
    SEAT_HOLDING = (Status.APPROVED, Status.ATTENDED, Status.COMPLETED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session"))
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("employee")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours_attended = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                name="programs_enrolment_one_per_session",
                violation_error_message=_("This person is already enrolled in this session."),
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__gte=0),
                name="programs_enrolment_hours_not_negative",
                violation_error_message=_("Hours attended cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="programs_enrolment_completed_dated",
                violation_error_message=_("A completed enrolment needs its completion date."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="programs_enrolment_seats"),
            models.Index(fields=["employee", "status"], name="programs_enrolment_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.session}"


class TrainingPlan(models.Model):
    """The council's annual training plan (pla de formació)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    budget = models.DecimalField(_("available budget (€)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual training plan")
        verbose_name_plural = _("annual training plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="programs_trainingplan_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="programs_trainingplan_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    """An action of the annual plan: one or more accepted needs served by a program."""

    class Funding(models.TextChoices):
        OWN = "own", _("Own budget")
        AFEDAP = "afedap", _("AFEDAP grant")
        OTHER = "other", _("Other funding")

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    estimated_cost = models.DecimalField(_("estimated cost (€)"), max_digits=12, decimal_places=2, default=0)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=7, decimal_places=1, default=0)
    estimated_participants = models.PositiveIntegerField(_("estimated participants"), default=0)
    funding = models.CharField(_("funding source"), max_length=8, choices=Funding.choices, default=Funding.OWN)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0) & Q(estimated_hours__gte=0),
                name="programs_planaction_estimates_not_negative",
                violation_error_message=_("Estimated cost and hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingNeed(models.Model):
    """A training need a director submits for a unit (needs detection, the first step of the cycle)."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged into another need")

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="training_needs", verbose_name=_("unit"))
    submitted_by = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="training_needs", verbose_name=_("submitted by")
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    competencies = models.ManyToManyField("competencies.Competency", blank=True, verbose_name=_("competencies"))
    target_positions = models.ManyToManyField("people.Position", blank=True, verbose_name=_("target positions"))
    estimated_participants = models.PositiveIntegerField(_("estimated participants"), default=1)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    preferred_modality = models.CharField(_("preferred modality"), max_length=14, choices=Modality.choices, blank=True)
    desired_period = models.CharField(_("desired period"), max_length=100, blank=True)
    strategic_objective = models.CharField(_("strategic objective"), max_length=200, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="needs/%Y/", blank=True,
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv"])],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_needs", verbose_name=_("merged into")
    )
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("plan action")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_participants__gte=1),
                name="programs_trainingneed_participants_positive",
                violation_error_message=_("Estimate at least one participant."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""),
                name="programs_trainingneed_rejection_reason",
                violation_error_message=_("A rejected need must say why."),
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="programs_trainingneed_merged_target",
                violation_error_message=_("A merged need must point to the need it was merged into."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="programs_trainingneed_not_merged_into_self",
                violation_error_message=_("A need cannot be merged into itself."),
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="programs_need_triage")]

    def __str__(self) -> str:
        return self.title


class LearningPlan(models.Model):
    """An employee's learning plan for a period, generated from their gaps and edited by HR or the director."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="learning_plans", verbose_name=_("employee")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    goal = models.TextField(_("goal"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period_start"],
                name="programs_learningplan_one_per_period",
                violation_error_message=_("This employee already has a plan starting on this date."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="programs_learningplan_period_order",
                violation_error_message=_("The plan's period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.period_start:%Y}"


class LearningPlanItem(models.Model):
    class Kind(models.TextChoices):
        PROGRAM = "program", _("Training program")
        MENTORING = "mentoring", _("Mentoring")
        JOB_ROTATION = "job_rotation", _("Job rotation")
        CHALLENGE = "challenge", _("Challenge project")
        OTHER = "other", _("Other activity")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        RETIRED = "retired", _("Retired")

    class Origin(models.TextChoices):
        GENERATED = "generated", _("Generated from gaps")
        MANUAL = "manual", _("Added by a person")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.PROGRAM)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_items", verbose_name=_("program")
    )
    title = models.CharField(_("activity"), max_length=200, blank=True)
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("target competency"),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    edited = models.BooleanField(_("edited by a person"), default=False)

    class Meta:
        verbose_name = _("learning plan item")
        verbose_name_plural = _("learning plan items")
        ordering = ["plan", "due_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="program") & Q(program__isnull=False)) | (~Q(kind="program") & ~Q(title="")),
                name="programs_learningplanitem_what",
                violation_error_message=_("A program item needs a program; any other activity needs a title."),
            ),
            models.CheckConstraint(
                condition=Q(target_level__isnull=True) | Q(competency__isnull=False),
                name="programs_learningplanitem_level_needs_competency",
                violation_error_message=_("A target level needs a target competency."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.program)

    def clean(self) -> None:
        errors = {}
        if self.due_date and self.plan_id:
            plan = self.plan
            if not (plan.period_start <= self.due_date <= plan.period_end):
                errors["due_date"] = _("The due date must fall within the plan's period (%(start)s – %(end)s).") % {
                    "start": plan.period_start, "end": plan.period_end,
                }
        if self.target_level is not None and self.competency_id:
            from competencies.selectors import level_in_scale_error

            error = level_in_scale_error(self.competency_id, self.target_level, allow_zero=False)
            if error:
                errors["target_level"] = error
        if errors:
            raise ValidationError(errors)
