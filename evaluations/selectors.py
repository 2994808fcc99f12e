"""Read access to assessments and consolidated levels: who is assessed, which requirements are met.

A current level counts while it has not expired (``expires_on`` empty or after ``today``). A requirement is met when
the employee's current level in its competency is at least the required level. Requirements of archived frameworks
do not count (``competencies.selectors.requirements_in_force``).

Every function here runs a fixed number of queries (set-based aggregates and correlated subqueries), whatever the
number of employees it looks at; ``employees`` arguments are querysets, used as SQL subqueries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from competencies.selectors import requirements_in_force
from evaluations.models import CurrentLevel


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to measure."""
    return 100.0 * part / whole if whole else None


def valid_levels(*, today: dt.date) -> QuerySet:
    """Current levels that still count on ``today``."""
    return CurrentLevel.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))


def _met_level(*, today: dt.date, employee: Employee | OuterRef) -> QuerySet:
    """Inside a requirement subquery: a valid level of ``employee`` meeting the requirement (``OuterRef`` row)."""
    return valid_levels(today=today).filter(
        employee=employee, competency=OuterRef("competency"), level__gte=OuterRef("required_level")
    )


def assessed_share(employees: QuerySet, *, today: dt.date) -> dict:
    """How many of ``employees`` have at least one valid current level: ``{"total", "assessed", "percent"}``."""
    has_level = Exists(valid_levels(today=today).filter(employee=OuterRef("pk")))
    figures = employees.order_by().aggregate(total=Count("pk"), assessed=Count("pk", filter=Q(has_level)))
    return {**figures, "percent": percent(figures["assessed"], figures["total"])}


def _count_per_position(requirements: QuerySet) -> Subquery:
    return Subquery(
        requirements.filter(position=OuterRef("position")).order_by().values("position")
        .annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def employees_with_largest_gaps(employees: QuerySet, *, today: dt.date, limit: int = 5) -> list:
    """The ``limit`` employees with the most unmet requirements (ties by name), each annotated with
    ``unmet_count`` and ``requirement_count``; employees with no gap are left out. One query."""
    unmet = requirements_in_force().exclude(Exists(_met_level(today=today, employee=OuterRef(OuterRef("pk")))))
    return list(
        employees.annotate(
            unmet_count=Coalesce(_count_per_position(unmet), 0),
            requirement_count=Coalesce(_count_per_position(requirements_in_force()), 0),
        )
        .filter(unmet_count__gt=0)
        .select_related("unit", "position")
        .order_by("-unmet_count", "last_name", "first_name", "pk")[:limit]
    )


def requirements_with_levels(*, employee_id: int, position_id: int, today: dt.date) -> list:
    """The requirements of a position, each annotated with the employee's valid ``current_level`` (None if not
    assessed) and ``met``. One query."""
    level = valid_levels(today=today).filter(employee_id=employee_id, competency=OuterRef("competency"))
    rows = list(
        requirements_in_force()
        .filter(position_id=position_id)
        .annotate(current_level=Subquery(level.values("level")[:1]))
        .select_related("competency")
        .order_by("competency__framework__code", "competency__code")
    )
    for row in rows:
        row.met = row.current_level is not None and row.current_level >= row.required_level
    return rows


# --- Assessment campaigns (issue 6) -------------------------------------------------------------------------------
# Who may read what is decided once, here and in ``Assessment.objects.visible_to``; the views only ask.

from dataclasses import dataclass, field  # noqa: E402

from clo.people import roles  # noqa: E402
from evaluations.models import Assessment, AssessmentCampaign, PeerResult, Rating  # noqa: E402

if TYPE_CHECKING:
    from clo.people.models import Employee
    from django.contrib.auth.models import AnonymousUser, User

    from competencies.models import Competency

DONE = (Assessment.Status.SUBMITTED, Assessment.Status.VALIDATED)


def _in_paths(prefix: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}__startswith": path})
    return condition


def campaigns_visible_to(scope: roles.Scope) -> QuerySet:
    """The learning office and HR: every campaign; a director: the campaigns that assess people of their units."""
    if scope.everything:
        return AssessmentCampaign.objects.all()
    if not scope.unit_paths:
        return AssessmentCampaign.objects.none()
    mine = Assessment.objects.filter(_in_paths("employee__unit__path", scope.unit_paths), campaign=OuterRef("pk"))
    return AssessmentCampaign.objects.filter(Exists(mine))


def campaign_progress(campaign: AssessmentCampaign, *, unit_paths: tuple[str, ...] | None = None) -> list[dict]:
    """Per kind of rater: how many assessments, answered (submitted or validated), validated and not answered yet,
    for the whole campaign or the people of ``unit_paths``. One query."""
    assessments = campaign.assessments.all()
    if unit_paths is not None:
        assessments = assessments.filter(_in_paths("employee__unit__path", unit_paths))
    counts = {
        row["role"]: row
        for row in assessments.order_by().values("role").annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(status__in=DONE)),
            validated=Count("pk", filter=Q(status=Assessment.Status.VALIDATED)),
        )
    }
    rows = []
    for role, label in Assessment.Role.choices:
        if role in counts:
            row = counts[role]
            rows.append({**row, "label": label, "pending": row["total"] - row["answered"],
                         "percent": percent(row["answered"], row["total"])})
    return rows


def pending_assessments(campaign: AssessmentCampaign, *, unit_paths: tuple[str, ...] | None = None) -> QuerySet:
    """Who has not answered yet: the campaign's draft assessments (of ``unit_paths``' people), by unit and name; once
    the campaign is closed, those left unanswered. Peers are never listed (who has answered would follow): they are
    only counted (``campaign_progress``), and reminded by email like everybody else."""
    pending = campaign.assessments.filter(
        status__in=(Assessment.Status.DRAFT, Assessment.Status.UNANSWERED)).exclude(role=Assessment.Role.PEER)
    if unit_paths is not None:
        pending = pending.filter(_in_paths("employee__unit__path", unit_paths))
    return pending.select_related("employee__unit", "assessor").order_by(
        "employee__unit__path", "employee__last_name", "employee__first_name", "role", "pk"
    )


def assessments_to_fill(employee_id: int) -> list[Assessment]:
    """The assessments a person still has to answer (themselves, a report, a colleague), in open campaigns."""
    return list(
        Assessment.objects.filter(
            assessor_id=employee_id, status=Assessment.Status.DRAFT, campaign__status=AssessmentCampaign.Status.OPEN
        ).select_related("employee", "campaign").order_by("campaign__closes_on", "role", "employee__last_name")
    )


def assessments_given(employee_id: int, *, limit: int | None = 20) -> list[Assessment]:
    """The assessments a person has answered, newest first (the latest ``limit``; all with None)."""
    return list(
        Assessment.objects.filter(assessor_id=employee_id, status__in=DONE, blocked_at__isnull=True)
        .select_related("employee", "campaign").order_by("-submitted_at", "-pk")[:limit]
    )


def _validatable_condition(scope: roles.Scope) -> Q:
    me = scope.employee_id
    if me is None:
        return Q(pk__in=[])
    return (Q(employee__manager_id=me) | _in_paths("employee__unit__path", scope.unit_paths)) & ~Q(employee_id=me)


def assessments_to_validate(scope: roles.Scope) -> QuerySet:
    """Submitted self-assessments waiting for this person's validation: their reports and the people of the units
    they head (their own excepted)."""
    return (
        Assessment.objects.filter(role=Assessment.Role.SELF, status=Assessment.Status.SUBMITTED)
        .filter(_validatable_condition(scope))
        .select_related("employee__unit", "campaign").order_by("submitted_at", "pk")
    )


def can_validate(scope: roles.Scope, assessment_id: int) -> bool:
    return assessments_to_validate(scope).filter(pk=assessment_id).exists()


def may_validate_employee(scope: roles.Scope, employee_id: int) -> bool:
    """The person is one of ``scope``'s reports or in a unit they head (a validator, whatever the status)."""
    from clo.people.models import Employee

    return Employee.objects.filter(pk=employee_id).filter(
        Q(manager_id=scope.employee_id) | _in_paths("unit__path", scope.unit_paths)
    ).exclude(pk=scope.employee_id).exists() if scope.employee_id else False


def employee_readable(user: User | AnonymousUser, employee_id: int):
    """The employee whose assessment results ``user`` may read (themselves, a report, a person of a unit they head;
    everybody for HR and the learning office), with position and unit; None otherwise."""
    from clo.people.models import Employee

    scope = roles.scope_of(user)
    employees = Employee.objects.select_related("position", "unit", "manager")
    if not scope.everything:
        me = scope.employee_id
        if me is None:
            return None
        employees = employees.filter(Q(pk=me) | Q(manager_id=me) | _in_paths("unit__path", scope.unit_paths))
    return employees.filter(pk=employee_id).first()


@dataclass
class Option:
    value: int
    label: str
    indicators: list[str]


@dataclass
class FormRow:
    """One competency of an assessment form: the levels a rater can choose, each with what it means."""

    competency: Competency
    options: list[Option]
    rating: object | None = None
    required_level: int | None = None


def assessment_competency_ids(assessment: Assessment) -> list[int]:
    """The competencies an assessment asks about: the campaign's own list if it has one, else the requirements in
    force of the person's position (of the campaign's frameworks, if it names any); plus any already rated."""
    from competencies.selectors import requirements_in_force

    campaign = assessment.campaign
    ids: list[int] = []
    if campaign is not None:
        ids = list(campaign.competencies.values_list("pk", flat=True))
        if not ids:
            requirements = requirements_in_force().filter(position_id=assessment.employee.position_id)
            framework_ids = list(campaign.frameworks.values_list("pk", flat=True))
            if framework_ids:
                requirements = requirements.filter(competency__framework_id__in=framework_ids)
            ids = list(requirements.values_list("competency_id", flat=True))
    rated = [r.competency_id for r in assessment.ratings.all()]
    return list(dict.fromkeys([*ids, *rated]))


def assessment_form_rows(assessment: Assessment) -> list[FormRow]:
    """The assessment's competencies in framework order, each with its scale's levels (0 = not demonstrated) and
    their behavioural indicators (the competency's level descriptor, else the scale level's descriptor), the rating
    given so far and the position's required level. A fixed number of queries."""
    from django.utils.translation import gettext

    from competencies.models import Competency, CompetencyLevelDescriptor, Level
    from competencies.selectors import requirements_in_force

    ids = assessment_competency_ids(assessment)
    competencies = list(
        Competency.objects.filter(pk__in=ids).select_related("framework", "area")
        .order_by("framework__code", "area__order", "order", "code")
    )
    levels: dict[int, list] = {}
    for level in Level.objects.filter(scale__frameworks__competencies__in=ids).distinct().order_by("scale", "value"):
        levels.setdefault(level.scale_id, []).append(level)
    descriptors = {
        (d.competency_id, d.level): d.indicators for d in CompetencyLevelDescriptor.objects.filter(competency__in=ids)
    }
    ratings = {r.competency_id: r for r in assessment.ratings.all()}
    required = dict(
        requirements_in_force().filter(position_id=assessment.employee.position_id, competency__in=ids)
        .values_list("competency_id", "required_level")
    )
    rows = []
    for competency in competencies:
        options = [Option(0, gettext("Not demonstrated"), [])]
        for level in levels.get(competency.framework.scale_id, []):
            text = descriptors.get((competency.pk, level.value)) or level.descriptor
            options.append(Option(level.value, level.label, [line.strip() for line in text.splitlines() if line.strip()]))
        rows.append(FormRow(competency, options, ratings.get(competency.pk), required.get(competency.pk)))
    return rows


@dataclass
class ResultRow:
    competency: Competency
    required_level: int | None
    self_level: int | None = None
    manager_level: int | None = None
    adjustment_reason: str = ""
    peer_mean: float | None = None  # released when the campaign closed (``PeerResult``), else None
    peer_answers: int | None = None  # how many peers' answers that mean is of

    @property
    def result_level(self) -> int | None:
        return self.manager_level if self.manager_level is not None else self.self_level

    @property
    def shortfall(self) -> int | None:
        if self.required_level is None or self.result_level is None:
            return None
        return max(self.required_level - self.result_level, 0)


@dataclass
class CampaignResults:
    """One campaign's block of a person's results. Peers' figures are the ones released when the campaign closed
    (``PeerResult``), never computed from the answers: ``peers_shown`` once some were released for this person."""

    campaign: AssessmentCampaign | None
    rows: list[ResultRow] = field(default_factory=list)
    peer_answers: int = 0  # the most answers behind a released figure of this person (0: none released)
    peers_shown: bool = False

    @property
    def threshold(self) -> int:
        return self.campaign.peer_anonymity_threshold if self.campaign else 3

    @property
    def has_peers(self) -> bool:
        return self.campaign is not None and self.campaign.kind == AssessmentCampaign.Kind.FULL_360

    @property
    def peers_note(self) -> str:
        """What the peers' column shows, or why it is not shown (one wording for the page, exports and my data)."""
        from django.utils.translation import gettext, ngettext

        if not self.has_peers or self.campaign is None:
            return ""
        if self.campaign.peers_released_at is None:
            return gettext("Peers' results are not released yet: they are released when the campaign closes, as a "
                           "mean of at least %(threshold)d answers, and nothing is shown before.") % {
                "threshold": self.threshold}
        if not self.peers_shown:
            return gettext("Peers' results were not released: fewer than %(threshold)d peers answered before the "
                           "campaign closed.") % {"threshold": self.threshold}
        return ngettext(
            "Peers: mean of %(count)d answer, fixed when the campaign closed; a dash where fewer than %(threshold)d "
            "peers rated the competency.",
            "Peers: mean of %(count)d answers, fixed when the campaign closed; a dash where fewer than "
            "%(threshold)d peers rated the competency.", self.peer_answers,
        ) % {"count": self.peer_answers, "threshold": self.threshold}


def employee_results(employee: Employee) -> list[CampaignResults]:
    """An employee's answered assessments, one block per campaign (newest first): self-assessed level, the manager's
    level (a validated self-assessment's level, or a manager assessment), and the peers' mean as released when the
    campaign closed (``PeerResult``: at least the campaign's anonymity threshold of answers, fixed since); against
    the position's required level. A 360° campaign asking this person's peers has its block from the day it opens,
    whatever has been answered. Individual peer answers are never read here. Six queries, whatever the history."""
    from competencies.models import Competency
    from competencies.selectors import requirements_in_force

    answered = Rating.objects.filter(
        assessment__employee=employee, assessment__status__in=DONE, assessment__blocked_at__isnull=True
    )
    own = list(
        answered.exclude(assessment__role=Assessment.Role.PEER).values(
            "assessment__campaign_id", "assessment__role", "assessment__status", "competency_id", "level",
            "original_level", "adjustment_reason",
        ).order_by("assessment__submitted_at", "pk")
    )
    asked = set(
        Assessment.objects.filter(
            employee=employee, role=Assessment.Role.PEER, blocked_at__isnull=True,
            campaign__status__in=(AssessmentCampaign.Status.OPEN, AssessmentCampaign.Status.CLOSED),
        ).values_list("campaign_id", flat=True).order_by().distinct()
    )
    released = list(
        PeerResult.objects.filter(employee=employee, campaign__peers_released_at__isnull=False)
        .values("campaign_id", "competency_id", "answers", "mean").order_by()
    )
    campaign_ids = {r["assessment__campaign_id"] for r in own} | asked | {p["campaign_id"] for p in released}
    campaigns = {c.pk: c for c in AssessmentCampaign.objects.filter(pk__in=[c for c in campaign_ids if c])}
    competency_ids = {r["competency_id"] for r in own} | {p["competency_id"] for p in released}
    competencies = {c.pk: c for c in Competency.objects.filter(pk__in=competency_ids)}
    required = dict(
        requirements_in_force().filter(position_id=employee.position_id).values_list("competency_id", "required_level")
    )
    blocks: dict[int | None, CampaignResults] = {}
    rows: dict[tuple, ResultRow] = {}

    def block_for(campaign_id) -> CampaignResults:
        return blocks.setdefault(campaign_id, CampaignResults(campaigns.get(campaign_id)))

    def row_for(campaign_id, competency_id) -> ResultRow:
        block = block_for(campaign_id)
        key = (campaign_id, competency_id)
        if key not in rows:
            rows[key] = ResultRow(competencies[competency_id], required.get(competency_id))
            block.rows.append(rows[key])
        return rows[key]

    for r in own:
        row = row_for(r["assessment__campaign_id"], r["competency_id"])
        if r["assessment__role"] == Assessment.Role.SELF:
            row.self_level = r["original_level"] if r["original_level"] is not None else r["level"]
            if r["assessment__status"] == Assessment.Status.VALIDATED:
                row.manager_level, row.adjustment_reason = r["level"], r["adjustment_reason"]
        else:
            row.manager_level = r["level"]
    for campaign_id in asked:
        block_for(campaign_id)
    for p in released:
        row = row_for(p["campaign_id"], p["competency_id"])
        row.peer_mean, row.peer_answers = p["mean"], p["answers"]
        block = blocks[p["campaign_id"]]
        block.peers_shown = True
        block.peer_answers = max(block.peer_answers, p["answers"])
    for block in blocks.values():
        block.rows.sort(key=lambda row: (row.competency.framework_id, row.competency.code))

    def newest(block: CampaignResults):
        return (block.campaign is not None, block.campaign.opens_on if block.campaign else dt.date.min)

    return sorted(blocks.values(), key=newest, reverse=True)


def validated_manager_assessment(*, since: dt.datetime, employee: str = "pk") -> Exists:
    """Whether the employee ``employee`` names (an outer query's employee pk) has a manager assessment validated at
    or after ``since``: the favourable evaluation a horizontal career rule may ask for."""
    return Exists(Assessment.objects.filter(employee_id=OuterRef(employee), role=Assessment.Role.MANAGER,
                                            status=Assessment.Status.VALIDATED, validated_at__gte=since))
