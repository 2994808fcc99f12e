"""Training catalogue and delivery: programs, sessions, enrolments; needs, the annual plan, learning plans."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.jobs import Job


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
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level_reached, field="level_reached", allow_zero=False)


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
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

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
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="programs_enrolment_rejection_reason",
                violation_error_message=_("A rejected request must say why."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="programs_enrolment_seats"),
            models.Index(fields=["employee", "status"], name="programs_enrolment_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.session}"


class ProgramInterest(models.Model):
    """A person's interest in a program, registered when it has no session they can ask a seat in: it counts as
    demand where the learning office triages the needs and plans the year. One per person and program; the person
    may withdraw it (the row is deleted)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="program_interests", verbose_name=_("employee")
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="interests", verbose_name=_("program"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interest in a program")
        verbose_name_plural = _("interests in programs")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "program"],
                name="programs_programinterest_one_per_person",
                violation_error_message=_("This person has already registered their interest in this program."),
            ),
        ]
        indexes = [
            # the demand per program (selectors_delivery.interest_demand): a count grouped by program
            models.Index(fields=["program"], name="programs_interest_by_program"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.program}"


class SessionDay(models.Model):
    """One day of a session, with the hours it lasts: attendance is recorded per day."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="days", verbose_name=_("session"))
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        ordering = ["session", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date"],
                name="programs_sessionday_unique",
                violation_error_message=_("This session already has this day."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="programs_sessionday_hours_range",
                violation_error_message=_("A session day lasts more than 0 and at most 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """Hours a person attended on one day of their session."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("day"))
    hours = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"],
                name="programs_attendance_unique",
                violation_error_message=_("Attendance for this person and day is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="programs_attendance_hours_not_negative",
                violation_error_message=_("Hours attended cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.day.date:%Y-%m-%d}: {self.hours}"


class TrainingPlan(models.Model):
    """The council's annual training plan (pla de formació)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", pgettext_lazy("plan status", "Approved")
        CLOSED = "closed", pgettext_lazy("plan status", "Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    budget = models.DecimalField(_("available budget (€)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )

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


class NeedsCampaign(models.Model):
    """The yearly needs-detection campaign (detecció de necessitats formatives) for next year's plan."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign status", "Open")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("instructions for directors"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("needs-detection campaign")
        verbose_name_plural = _("needs-detection campaigns")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")),
                name="programs_needscampaign_deadline_after_opening",
                violation_error_message=_("The deadline cannot come before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="programs_needscampaign_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]
        indexes = [
            # the daily reminder job: open campaigns whose reminder is not sent yet.
            models.Index(fields=["status", "deadline"], name="programs_campaign_reminder"),
        ]

    def __str__(self) -> str:
        return str(self.year)


# Attachments of a need: PDF, office documents, images, plain text (checked again by content in the form).
NEED_ATTACHMENT_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "txt", "csv", "png", "jpg", "jpeg",
]


class TrainingNeedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TrainingNeedQuerySet":
        """Needs of the units the user may see: all for the learning office and HR, a director's subtrees."""
        from clo.people import roles

        scope = roles.scope_of(user)
        if scope.everything:
            return self
        if not scope.unit_paths:
            return self.none()
        condition = Q()
        for path in scope.unit_paths:
            condition |= Q(unit__path__startswith=path)
        return self.filter(condition)


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
    target_employees = models.ManyToManyField(
        "people.Employee", blank=True, related_name="+", verbose_name=_("target people")
    )
    estimated_participants = models.PositiveIntegerField(_("estimated participants"), default=1)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    preferred_modality = models.CharField(_("preferred modality"), max_length=14, choices=Modality.choices, blank=True)
    desired_period = models.CharField(_("desired period"), max_length=100, blank=True)
    strategic_objective = models.CharField(_("strategic objective"), max_length=200, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="needs/%Y/", blank=True,
        validators=[FileExtensionValidator(NEED_ATTACHMENT_EXTENSIONS)],
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

    objects = TrainingNeedQuerySet.as_manager()

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


class NeedEvent(models.Model):
    """One change in a training need's life, with who made it and when (the need's history)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Draft created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted into the plan")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged into another need")
        ABSORBED = "absorbed", _("Other needs merged into this one")

    need = models.ForeignKey(TrainingNeed, on_delete=models.CASCADE, related_name="events", verbose_name=_("need"))
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("need history entry")
        verbose_name_plural = _("need history entries")
        ordering = ["at", "pk"]
        indexes = [
            # the need's page: its history in order.
            models.Index(fields=["need", "at"], name="programs_needevent_need"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} · {self.kind}"


class LearningPlan(models.Model):
    """An employee's learning plan for a period, generated from their gaps and edited by HR or the director."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("plan status", "Active")
        CLOSED = "closed", pgettext_lazy("plan status", "Closed")

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
    critical = models.BooleanField(
        _("for a critical requirement"), default=False, db_default=False,
        help_text=_("Generated for a requirement the position marks as critical: listed first."),
    )

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
            # Regenerating a plan finds its own earlier suggestion (to keep, retire or bring back), never a twin.
            models.UniqueConstraint(
                fields=["plan", "competency", "program"], condition=Q(origin="generated"),
                name="programs_learningplanitem_generated_once",
                violation_error_message=_("This plan already suggests this program for this competency."),
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
            from competencies.validators import validate_level_in_scale

            try:
                validate_level_in_scale(self.competency_id, self.target_level, field="target_level", allow_zero=False)
            except ValidationError as exc:
                errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)


class PlanPdfJob(Job):
    """A bulk render of learning plan PDFs into one zip, for a unit's subtree or the whole organisation.

    A status machine (``clo.core.jobs.Job``). The worker also claims a running row whose worker was lost as soon as
    nobody holds its lock (``programs.services.plan_pdfs``); ``done_count`` of ``total`` is the progress the page
    polls; ``failures`` lists the plans that could not be rendered."""

    # CASCADE, not SET_NULL: a job whose unit was deleted must not turn into a job for the whole organisation.
    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("unit"), help_text=_("The unit and every unit under it; empty for the whole organisation."),
    )
    as_of = models.DateField(_("plans in force on"))
    total = models.PositiveIntegerField(_("plans to render"), default=0)
    done_count = models.PositiveIntegerField(_("plans rendered"), default=0)
    failures = models.JSONField(_("plans that failed"), default=list, blank=True)
    file = models.FileField(_("zip file"), upload_to="learning-plans/jobs/", blank=True, max_length=255)

    class Meta:
        verbose_name = _("learning plan PDF job")
        verbose_name_plural = _("learning plan PDF jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_count__lte=F("total")),
                name="programs_planpdfjob_progress_within_total",
                violation_error_message=_("A job cannot render more plans than it has."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="programs_planpdfjob_done_has_file",
                violation_error_message=_("A finished job must have its zip file."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done_count // self.total) if self.total else 0


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


class ProgramResultSnapshot(models.Model):
    """Level 4 (results) of one program, computed after a full gap run (``programs.services.results``): the mean
    change in the targeted competencies' gaps of its completers and of the comparison group (holders of the same
    positions who never attended). Stored so the CLO's dashboard reads it in one query; derived data, recomputed
    after every full run."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="result_snapshots", verbose_name=_("program")
    )
    run = models.ForeignKey(
        "evaluations.GapRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("gap analysis run")
    )
    completers = models.PositiveIntegerField(_("completers"), default=0)
    comparison = models.PositiveIntegerField(_("comparison group size"), default=0)
    completers_change = models.DecimalField(
        _("mean gap change of the completers"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comparison_change = models.DecimalField(
        _("mean gap change of the comparison group"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    difference = models.DecimalField(
        _("difference"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Completers' change minus the comparison group's: negative when the program closed more of the "
                    "gap than no program did."),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("program result snapshot")
        verbose_name_plural = _("program result snapshots")
        ordering = ["run", "difference", "program"]
        constraints = [
            # Also the index of the dashboard's query "snapshots of the latest run that has any".
            models.UniqueConstraint(
                fields=["run", "program"], name="programs_resultsnapshot_once_per_run",
                violation_error_message=_("This program already has results for this gap analysis run."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} · run {self.run_id} · {self.difference}"


class UnitTraining(models.Model):
    """Training figures of one year (sessions starting in it, local time) for the people of one position group in a
    unit (``subtree`` false) or in its whole subtree (true), kept by ``services.training_rollup`` so the dashboards
    add up a few rows instead of scanning the year's enrolments. ``hours``, ``completed`` and ``closed`` count
    active employees (by their current unit and position); ``seat_cost`` counts every seat paid (per-seat programs,
    attended or completed), whoever held it."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    subtree = models.BooleanField(_("whole subtree"))
    year = models.PositiveSmallIntegerField(_("year"))
    position_group = models.CharField(_("civil-service group"), max_length=2)
    hours = models.DecimalField(_("hours attended"), max_digits=12, decimal_places=1, default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    seat_cost = models.DecimalField(_("cost of the seats (€)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("training figures of a unit")
        verbose_name_plural = _("training figures of units")
        constraints = [
            # also the index of the dashboards' read (unit, subtree, year[, group]).
            models.UniqueConstraint(fields=["unit", "subtree", "year", "position_group"],
                                    name="programs_unittraining_one_per_year",
                                    violation_error_message=_("These figures already exist.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.year} · {self.position_group} · {'subtree' if self.subtree else 'own'}"
