"""Assessment campaigns, assessments and ratings, and each employee's consolidated current level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class AssessmentCampaign(models.Model):
    class Kind(models.TextChoices):
        SELF_MANAGER = "self_manager", _("Self and manager")
        MANAGER = "manager", _("Manager only")
        FULL_360 = "360", _("360° (self, manager and peers)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("campaign status", "Open")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.SELF_MANAGER)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    frameworks = models.ManyToManyField("competencies.Framework", blank=True, verbose_name=_("frameworks"))
    units = models.ManyToManyField(
        "people.OrgUnit", blank=True, verbose_name=_("units in scope"), help_text=_("With their whole subtrees.")
    )
    competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name=_("competencies in scope"),
        help_text=_("Leave empty to assess the requirements of each person's position."),
    )
    peer_anonymity_threshold = models.PositiveSmallIntegerField(
        _("peer anonymity threshold"), default=3,
        help_text=_("Peer results are shown only as an aggregate of at least this many answers."),
    )
    peers_released_at = models.DateTimeField(
        _("peer results released at"), null=True, blank=True, editable=False,
        help_text=_("When the campaign closed and its peer results were fixed (``PeerResult``); never again after."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evaluations_campaign_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="evaluations_campaign_dates_order",
                violation_error_message=_("The campaign cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(peer_anonymity_threshold__gte=2),
                name="evaluations_campaign_anonymity_min",
                violation_error_message=_("The peer anonymity threshold must be at least 2."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> "AssessmentQuerySet":
        """The assessments ``user`` may read: a peer's assessment, its rater only (nobody else, whatever their role:
        peers' results reach others only as the aggregate released when the campaign closes, ``PeerResult``); any
        other, the learning office and HR; the assessed person, their own; the assessor, what they wrote; the
        employee's manager and the heads of their unit or of any unit above it."""
        from clo.people import roles

        scope = roles.scope_of(user)
        self = self.filter(blocked_at__isnull=True)  # past retention: hidden from everyone (clo.core.retention)
        me = scope.employee_id
        own_answer = Q(assessor_id=me) if me is not None else Q(pk__in=[])
        if scope.everything:
            return self.filter(~Q(role="peer") | own_answer)
        if me is None:
            return self.none()
        condition = Q(employee_id=me) | Q(employee__manager_id=me)
        for path in scope.unit_paths:
            condition |= Q(employee__unit__path__startswith=path) & ~Q(employee_id=me)
        return self.filter((condition & ~Q(role="peer")) | own_answer)


class Assessment(models.Model):
    class Role(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MANAGER = "manager", _("Manager")
        PEER = "peer", _("Peer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        # A draft left when its campaign was closed: it can no longer be answered.
        UNANSWERED = "unanswered", _("Not submitted (campaign closed)")

    campaign = models.ForeignKey(
        AssessmentCampaign, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments",
        verbose_name=_("campaign"),
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("assessed employee")
    )
    assessor = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="assessments_given", verbose_name=_("assessor")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("validated by"),
    )
    objects = AssessmentQuerySet.as_manager()
    reminded_on = models.DateField(
        _("last reminder sent on"), null=True, blank=True,
        help_text=_("The daily reminder job sends at most one reminder a day per assessment."),
    )
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee", "assessor", "role"],
                name="evaluations_assessment_unique_rater",
                violation_error_message=_("This person already assesses this employee in this campaign."),
            ),
            models.CheckConstraint(
                condition=(Q(role="self") & Q(assessor=F("employee"))) | (~Q(role="self") & ~Q(assessor=F("employee"))),
                name="evaluations_assessment_self_is_self",
                violation_error_message=_("Only a self-assessment has the employee as assessor, and it must."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "unanswered"]) | Q(submitted_at__isnull=False),
                name="evaluations_assessment_submitted_dated",
                violation_error_message=_("A submitted assessment needs its submission date."),
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "role", "status"], name="eval_assessment_employee"),
            # "my assessments": the assessments a person has to fill in, newest campaign first.
            models.Index(fields=["assessor", "status"], name="eval_assessment_assessor"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_role_display()}"

    def audit_confidential(self) -> bool:
        """A peer's answer is read by its rater only: its audit entries are kept but shown on no page
        (``clo.core.audit``)."""
        return self.role == self.Role.PEER


class Rating(models.Model):
    """One competency rated in one assessment. Level 0 means "not demonstrated"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    evidence = models.TextField(_("evidence"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    original_level = models.PositiveSmallIntegerField(
        _("level before adjustment"), null=True, blank=True,
        help_text=_("Set when the manager adjusted the self-assessed level while validating."),
    )
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"],
                name="evaluations_rating_unique_competency",
                violation_error_message=_("This competency is already rated in this assessment."),
            ),
            models.CheckConstraint(
                condition=Q(original_level__isnull=True) | ~Q(adjustment_reason=""),
                name="evaluations_rating_adjustment_reason",
                violation_error_message=_("An adjusted level needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} = {self.level}"

    def audit_confidential(self) -> bool:
        """A rating of a peer's assessment: see ``Assessment.audit_confidential``."""
        try:
            return self.assessment.role == Assessment.Role.PEER
        except Assessment.DoesNotExist:  # its assessment already gone: keep it out of sight too
            return True

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=True)


class PeerResult(models.Model):
    """The peers' figure of one person in one competency of a 360° campaign, released once, when the campaign closed
    (``services_campaigns.campaign_close``): the mean of the peers' levels, only where at least the campaign's
    anonymity threshold of peers rated the competency. Never written again: answers or changes after the close do
    not move it. Individual peer answers are read by their rater only; this is what everybody else sees."""

    campaign = models.ForeignKey(
        AssessmentCampaign, on_delete=models.CASCADE, related_name="peer_results", verbose_name=_("campaign"),
        db_index=False,
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="peer_results", verbose_name=_("assessed employee"),
    )
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, related_name="+", verbose_name=_("competency"),
    )
    answers = models.PositiveSmallIntegerField(_("peer answers"))
    mean = models.FloatField(_("peers' mean"))

    class Meta:
        verbose_name = _("released peer result")
        verbose_name_plural = _("released peer results")
        constraints = [
            # Also the index of "the released figures of campaign C" (the release's idempotence check).
            models.UniqueConstraint(
                fields=["campaign", "employee", "competency"], name="evaluations_peerresult_unique",
                violation_error_message=_("This person already has a released peer result in this competency."),
            ),
            models.CheckConstraint(
                condition=Q(answers__gte=2), name="evaluations_peerresult_aggregate",
                violation_error_message=_("A peer result is an aggregate of at least two answers."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.employee_id} · {self.competency_id}"


class AssessmentReadLog(models.Model):
    """One read of a page showing a person's assessment data: who read it, when, and what (audit trail)."""

    class Page(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        VALIDATION = "validation", _("Validation of an assessment")
        RESULTS = "results", _("Assessment results")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reader")
    )
    username = models.CharField(_("reader's username"), max_length=150)
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="+", verbose_name=_("person whose data was read"),
        db_index=False,
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("assessment")
    )
    page = models.CharField(_("page"), max_length=10, choices=Page.choices)
    path = models.CharField(_("address"), max_length=300)
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    class Meta:
        verbose_name = _("assessment read")
        verbose_name_plural = _("assessment reads")
        ordering = ["-read_at", "-pk"]
        indexes = [
            # audit: "who read this person's assessments", newest first.
            models.Index(fields=["employee", "-read_at"], name="eval_readlog_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_page_display()} · {self.read_at:%Y-%m-%d %H:%M}"


class CurrentLevel(models.Model):
    """An employee's consolidated level in a competency, as the gap engine reads it: derived by the consolidation from
    all the valid evidence (ratings, trainings, ``Evidence``), rewritten by the engine only."""

    class Source(models.TextChoices):
        MANAGER = "manager", _("Manager rating")
        SELF = "self", _("Self-assessment")
        AVERAGE = "average", _("Average of self and manager")
        TRAINING = "training", _("Completed training")
        IMPORT = "import", _("Imported record")
        PROJECT = "project", _("Challenge project rating")

    # No single-column indexes on the two foreign keys: the unique (employee, competency) and the (competency,
    # employee) indexes below already serve both lookups, and every index costs the gap engine's writes.
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="current_levels", verbose_name=_("employee"),
        db_index=False,
    )
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, related_name="current_levels",
        verbose_name=_("competency"), db_index=False,
    )
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    assessed_on = models.DateField(_("assessed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("current level")
        verbose_name_plural = _("current levels")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency"],
                # the level and its expiry ride in the index: the Gap view's join and the successor suggestions'
                # per-person sums (clo.talent.selectors.pools) read them without visiting the table.
                include=["level", "expires_on"],
                name="evaluations_currentlevel_unique",
                violation_error_message=_("This employee already has a current level in this competency."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("assessed_on")),
                name="evaluations_currentlevel_expiry_after",
                violation_error_message=_("The expiry date must come after the assessment date."),
            ),
        ]
        indexes = [
            # gap engine: current levels joined by competency for every employee of a position; successor
            # suggestions: the people at or above a level in a competency, read from the index alone.
            models.Index(fields=["competency", "employee"], include=["level", "expires_on"],
                         name="evaluations_cl_comp_emp"),
            # gap engine, nightly run: the levels whose evidence expired ("expires_on <= today") are re-consolidated.
            models.Index(fields=["expires_on"], name="evaluations_cl_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.competency.code} = {self.level}"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=True)


class Evidence(models.Model):
    """One piece of evidence of an employee's level in a competency recorded outside assessments and trainings (a
    level imported from another system, or a challenge project's rating at its close). Every piece is its own row and is never overwritten by the consolidation:
    the gap engine derives ``CurrentLevel`` from all the valid evidence, so when the piece that wins expires the next
    valid one takes over. Written through ``evaluations.services.evidence_record``."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported record")
        # the owner's rating of a competency exercised in a challenge project (clo.talent), at its close
        PROJECT = "project", _("Challenge project rating")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("employee"),
        db_index=False,
    )
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("competency"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    level = models.PositiveSmallIntegerField(_("level"))
    evidenced_on = models.DateField(_("date of the evidence"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True,
        help_text=_("Leave empty for the framework's evidence validity."),
    )
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("Where it comes from: system, file or document."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("piece of evidence")
        verbose_name_plural = _("pieces of evidence")
        ordering = ["-evidenced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency", "source", "evidenced_on"],
                name="evaluations_evidence_unique_piece",
                violation_error_message=_("This employee already has evidence from this source in this competency "
                                          "on this date."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("evidenced_on")),
                name="evaluations_evidence_expiry_after",
                violation_error_message=_("The expiry date must come after the date of the evidence."),
            ),
        ]
        # The unique constraint, led by the employee, is also the gap engine's index: "the evidence of employee E"
        # (incremental refreshes) and "of E in competency C" (the winner's own expiry).

    def __str__(self) -> str:
        return f"{self.employee} · {self.competency.code} = {self.level} ({self.evidenced_on})"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=True)


# --- Gap analysis (issue 3) -------------------------------------------------------------------------------------
# The engine lives in ``evaluations.gaps``; its rules are documented once, in ``evaluations/gaps/__init__.py``.


class GapRun(models.Model):
    """One full run of the gap analysis: claimed, executed in one transaction, recorded.

    At most one run is ``running`` at a time (the partial unique constraint below, plus an advisory lock on
    PostgreSQL). A run that dies half-way leaves its row ``running``: it is queued again and resumed, or the next
    new run finds it stale and marks it ``failed`` before claiming (``evaluations.gaps.runs``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly schedule")
        MANUAL = "manual", _("Recalculate now (learning office)")
        COMMAND = "command", _("Management command")
        BENCHMARK = "benchmark", _("Benchmark")
        FRAMEWORK = "framework", _("A framework's consolidation rule or evidence validity changed")

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    full_consolidation = models.BooleanField(
        _("full consolidation"), default=False,
        help_text=_("Current levels recomputed from all the evidence, not only the evidence that expired."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True, help_text=_("The day the evidence was judged on."))
    employees = models.PositiveIntegerField(_("employees measured"), default=0)
    pairs = models.PositiveIntegerField(_("employee × requirement pairs"), default=0)
    levels_changed = models.PositiveIntegerField(_("current levels written or removed"), default=0)
    rollups_changed = models.PositiveIntegerField(_("roll-up rows written or removed"), default=0)
    error = models.TextField(_("error"), blank=True)
    tree_signature = models.CharField(
        _("unit tree signature"), max_length=100, blank=True, editable=False,
        help_text=_("A fingerprint of the unit tree when the run finished; the next run compares it."),
    )

    class Meta:
        verbose_name = _("gap analysis run")
        verbose_name_plural = _("gap analysis runs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="evaluations_gaprun_one_running",
                violation_error_message=_("A gap analysis run is already in progress."),
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="pending"), name="evaluations_gaprun_one_pending",
                violation_error_message=_("A gap analysis run is already waiting to start."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(started_at__isnull=False),
                name="evaluations_gaprun_started_dated",
                violation_error_message=_("A run that has started needs its start time."),
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("started_at")),
                name="evaluations_gaprun_finish_after_start",
                violation_error_message=_("A run cannot finish before it starts."),
            ),
        ]
        indexes = [
            # dashboards and the "recalculate now" button: the latest finished run, the run in progress.
            models.Index(fields=["status", "-finished_at"], name="evaluations_gaprun_latest"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def error_display(self) -> str:
        """The error in the reader's language when it is one of the engine's own messages (stored in English)."""
        from django.utils.translation import gettext

        return gettext(self.error) if self.error else ""

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class GapRatios:
    """The derived gap figures, the one definition of each: means and percentages of the sums and counts
    ``requirements``, ``requirements_met``, ``not_assessed``, ``gap_sum``, ``weight_sum`` and ``weighted_gap_sum``
    (a stored roll-up row, ``GapFigures``, or a dashboard's sum of several, ``clo.dashboards.boards.Figures``)."""

    requirements: int
    requirements_met: int
    not_assessed: int
    gap_sum: int
    weight_sum: int
    weighted_gap_sum: int

    @property
    def mean_gap(self) -> float | None:
        return self.gap_sum / self.requirements if self.requirements else None

    @property
    def weighted_gap(self) -> float | None:
        """Mean gap weighted by the requirements' weights."""
        return self.weighted_gap_sum / self.weight_sum if self.weight_sum else None

    @property
    def percent_met(self) -> float | None:
        return 100.0 * self.requirements_met / self.requirements if self.requirements else None

    @property
    def percent_not_assessed(self) -> float | None:
        return 100.0 * self.not_assessed / self.requirements if self.requirements else None


class GapFigures(GapRatios, models.Model):
    """Sums and counts of a roll-up; means and percentages are derived (``GapRatios``), so deltas can be added and
    subtracted.

    ``requirements`` are employee × requirement pairs; ``people`` the distinct employees among them (for a single
    competency the two are equal: a position requires a competency once); ``people_not_assessed`` those with at
    least one of those requirements never assessed.
    """

    people = models.PositiveIntegerField(_("people concerned"), default=0)
    people_with_gap = models.PositiveIntegerField(_("people with a gap"), default=0)
    people_not_assessed = models.PositiveIntegerField(_("people not yet assessed"), default=0)
    requirements = models.PositiveIntegerField(_("requirements"), default=0)
    requirements_met = models.PositiveIntegerField(_("requirements met"), default=0)
    not_assessed = models.PositiveIntegerField(_("requirements not yet assessed"), default=0)
    gap_sum = models.PositiveIntegerField(_("sum of gaps"), default=0)
    weight_sum = models.PositiveIntegerField(_("sum of weights"), default=0)
    weighted_gap_sum = models.PositiveIntegerField(_("sum of weighted gaps"), default=0)
    critical_gaps = models.PositiveIntegerField(_("critical requirements with a gap"), default=0)

    FIGURES = (
        "people", "people_with_gap", "people_not_assessed", "requirements", "requirements_met", "not_assessed",
        "gap_sum", "weight_sum", "weighted_gap_sum", "critical_gaps",
    )

    class Meta:
        abstract = True


class UnitFigures(GapFigures):
    """Figures of one unit: its own people (``subtree=False``) or the unit and everything under it (``subtree=True``).

    Derived data, rewritten by the gap engine only. Foreign keys carry no database constraint (a per-row check would
    cost the full run time for rows the engine itself derives from existing units) and the unit has no index of its
    own: each table's unique constraint, which starts with it, serves "rows of unit U".
    """

    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+",
        verbose_name=_("unit"),
    )
    subtree = models.BooleanField(_("whole subtree"))

    class Meta:
        abstract = True


class UnitCompetencyGap(UnitFigures):
    """Gaps of a unit in a competency (``area`` repeated from the competency, for the per-area roll-ups)."""

    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, db_constraint=False, related_name="+",
        verbose_name=_("competency"),
    )
    area = models.ForeignKey(
        "competencies.Area", on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+",
        verbose_name=_("area"),
    )

    class Meta:
        verbose_name = _("unit gap by competency")
        verbose_name_plural = _("unit gaps by competency")
        constraints = [
            # Also the index of the dashboards' query "figures of unit U (subtree) per competency".
            models.UniqueConstraint(
                fields=["unit", "subtree", "competency"], name="evaluations_unitcompetencygap_unique",
                violation_error_message=_("This unit already has figures for this competency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.competency_id}{' (subtree)' if self.subtree else ''}"


class UnitGroupCompetencyGap(UnitFigures):
    """Gaps of a unit in a competency for the people of one civil-service position group (``people.Position.group``):
    the dashboards' position-group filter reads these instead of ``UnitCompetencyGap``. Summed over the groups, a
    unit's rows are its ``UnitCompetencyGap`` rows (each employee holds one position)."""

    position_group = models.CharField(_("position group"), max_length=2)
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, db_constraint=False, related_name="+",
        verbose_name=_("competency"),
    )
    area = models.ForeignKey(
        "competencies.Area", on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+",
        verbose_name=_("area"),
    )

    class Meta:
        verbose_name = _("unit gap by position group and competency")
        verbose_name_plural = _("unit gaps by position group and competency")
        constraints = [
            # Also the index of the dashboards' query "figures of unit U (subtree) per competency for group G".
            models.UniqueConstraint(
                fields=["unit", "subtree", "position_group", "competency"],
                name="evaluations_unitgroupcompetencygap_unique",
                violation_error_message=_("This unit already has figures for this position group and competency."),
            ),
        ]

    def __str__(self) -> str:
        return (f"{self.unit_id} · {self.position_group} · {self.competency_id}"
                f"{' (subtree)' if self.subtree else ''}")


class UnitAreaGap(UnitFigures):
    """Gaps of a unit in a competency area (``people`` counts each person once per area)."""

    area = models.ForeignKey(
        "competencies.Area", on_delete=models.CASCADE, db_constraint=False, related_name="+", verbose_name=_("area")
    )

    class Meta:
        verbose_name = _("unit gap by area")
        verbose_name_plural = _("unit gaps by area")
        constraints = [
            # Also the index of the dashboards' query "figures of unit U (subtree) per area".
            models.UniqueConstraint(
                fields=["unit", "subtree", "area"], name="evaluations_unitareagap_unique",
                violation_error_message=_("This unit already has figures for this area."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · area {self.area_id}{' (subtree)' if self.subtree else ''}"


class GapTrendPoint(GapFigures):
    """The whole organisation's figures at the end of one run: the dashboards draw gap closure from these."""

    run = models.OneToOneField(GapRun, on_delete=models.CASCADE, related_name="trend_point", verbose_name=_("run"))
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("gap trend point")
        verbose_name_plural = _("gap trend points")
        ordering = ["as_of", "run_id"]
        indexes = [
            # dashboards: the trend line, oldest first.
            models.Index(fields=["as_of"], name="evaluations_gaptrend_as_of"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} · {self.gap_sum}"


class Gap(models.Model):
    """One active employee × one requirement in force of their position, read through the view ``evaluations_gap``.

    Always current: the view joins requirements to the consolidated current levels on demand, so there are no
    per-pair rows to rewrite. ``current_level`` is 0 both when assessed at 0 and when never assessed;
    ``not_assessed`` tells the two apart. ``gap`` = max(required − current, 0).
    """

    pk = models.CompositePrimaryKey("employee_id", "requirement_id")
    employee = models.ForeignKey("people.Employee", on_delete=models.DO_NOTHING, related_name="+")
    requirement = models.ForeignKey("competencies.Requirement", on_delete=models.DO_NOTHING, related_name="+")
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.DO_NOTHING, related_name="+")
    position = models.ForeignKey("people.Position", on_delete=models.DO_NOTHING, related_name="+")
    position_group = models.CharField(_("position group"), max_length=2)
    competency = models.ForeignKey("competencies.Competency", on_delete=models.DO_NOTHING, related_name="+")
    area = models.ForeignKey("competencies.Area", on_delete=models.DO_NOTHING, related_name="+")
    required_level = models.PositiveSmallIntegerField(_("required level"))
    current_level = models.PositiveSmallIntegerField(_("current level"))
    not_assessed = models.BooleanField(_("not assessed"))
    gap = models.PositiveSmallIntegerField(_("gap"))
    weight = models.PositiveSmallIntegerField(_("weight"))
    is_critical = models.BooleanField(_("critical"))
    level_source = models.CharField(
        _("source of the level"), max_length=10, choices=CurrentLevel.Source.choices, null=True
    )
    assessed_on = models.DateField(_("assessed on"), null=True)
    expires_on = models.DateField(_("expires on"), null=True)

    class Meta:
        managed = False
        db_table = "evaluations_gap"
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.competency_id}: {self.current_level}/{self.required_level}"


class UnitGap(UnitFigures):
    """Gaps of a unit over all competencies (``people``: each person once): the unit's line on a dashboard and,
    summed over the units' own people, the organisation's trend point."""


    class Meta:
        verbose_name = _("unit gap")
        verbose_name_plural = _("unit gaps")
        constraints = [
            # Also the index of the dashboards' query "figures of unit U (subtree)".
            models.UniqueConstraint(
                fields=["unit", "subtree"], name="evaluations_unitgap_unique",
                violation_error_message=_("This unit already has figures."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}{' (subtree)' if self.subtree else ''}"
