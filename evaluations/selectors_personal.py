"""What the evaluations hold about one employee, for their right of access (``clo.core.personal_data``).

Ratings received are given as the results page shows them: the self-assessed and manager's levels, and the peers'
mean only as released when the campaign closed (at least its anonymity threshold of answers, fixed since), with why
it is or is not released; peers' individual answers never, nor who answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clo.core.personal_data import Section
from evaluations.gaps.selectors import employee_gaps
from evaluations.models import Assessment, AssessmentReadLog, Evidence, Rating
from evaluations.selectors import DONE, employee_results

if TYPE_CHECKING:
    from clo.people.models import Employee


def _gaps(employee: Employee) -> Section:
    rows = [
        [g.competency.code, g.competency.name, g.required_level, g.current_level, g.not_assessed, g.gap,
         g.is_critical, g.get_level_source_display() if g.level_source else "", g.assessed_on, g.expires_on]
        for g in employee_gaps(employee.pk)
    ]
    columns = [("competency_code", _("Code")), ("competency", _("Competency")),
               ("required_level", pgettext("competency level", "Required level")),
               ("current_level", _("Current level")), ("not_assessed", _("Not assessed")), ("gap", _("Gap")),
               ("critical", _("Critical")), ("level_source", _("Source of the level")),
               ("assessed_on", _("Assessed on")), ("expires_on", _("Expires on"))]
    return Section("requirements_and_gaps", _("Requirements of my position, current levels and gaps"), columns, rows)


def _imported(employee: Employee) -> Section:
    """Every level recorded from another system, the ones that do not set the current level today included."""
    pieces = Evidence.objects.filter(employee=employee).select_related("competency").order_by(
        "competency__code", "-evidenced_on")
    rows = [[e.competency.code, e.competency.name, e.level, e.get_source_display(), e.evidenced_on, e.expires_on,
             e.reference] for e in pieces]
    columns = [("competency_code", _("Code")), ("competency", _("Competency")), ("level", _("Level")),
               ("source", _("Source")), ("evidenced_on", _("Date")), ("expires_on", _("Expires on")),
               ("reference", _("Reference"))]
    return Section("imported_levels", _("Levels recorded from other systems"), columns, rows)


def _results(employee: Employee) -> Section:
    rows = []
    for block in employee_results(employee):
        campaign = block.campaign.name if block.campaign else _("Outside a campaign")
        for row in block.rows:
            rows.append([campaign, row.competency.code, row.competency.name, row.required_level, row.self_level,
                         row.manager_level, row.adjustment_reason,
                         round(row.peer_mean, 2) if row.peer_mean is not None else None, row.peer_answers,
                         block.peers_note])
    columns = [("campaign", _("Campaign")), ("competency_code", _("Code")), ("competency", _("Competency")),
               ("required_level", pgettext("competency level", "Required level")), ("self_level", _("Self-assessment")),
               ("manager_level", _("Manager")), ("adjustment_reason", _("Reason for the adjustment")),
               ("peer_mean", _("Peers' mean")), ("peer_answers", _("Peer answers")),
               ("peer_release", _("Peers' results"))]
    note = _("Peers' individual answers are never shown, nor who answered: their mean only as released when the "
             "campaign closed, if enough peers answered.")
    return Section("ratings_received", _("Ratings received"), columns, rows, note)


def _given(employee: Employee) -> Section:
    ratings = (
        Rating.objects.filter(assessment__assessor=employee, assessment__status__in=DONE,
                              assessment__blocked_at__isnull=True)
        .select_related("assessment__campaign", "assessment__employee", "competency")
        .order_by("-assessment__submitted_at", "assessment_id", "competency__code")
    )
    rows = [
        [r.assessment.campaign.name if r.assessment.campaign else "", r.assessment.employee.full_name,
         r.assessment.get_role_display(), r.assessment.get_status_display(), r.assessment.submitted_at,
         r.competency.code, r.level, r.evidence, r.comment]
        for r in ratings
    ]
    columns = [("campaign", _("Campaign")), ("assessed_person", _("Person assessed")), ("role", _("Role")),
               ("status", _("Status")), ("submitted_at", _("Submitted at")), ("competency_code", _("Code")),
               ("level", _("Level")), ("evidence", _("Evidence")), ("comment", _("Comment"))]
    return Section("assessments_given", _("Assessments I gave (my own answers)"), columns, rows)


def _drafts(employee: Employee) -> Section:
    pending = (
        Assessment.objects.filter(assessor=employee, status=Assessment.Status.DRAFT, blocked_at__isnull=True)
        .select_related("campaign", "employee").order_by("pk")
    )
    rows = [[a.campaign.name if a.campaign else "", a.employee.full_name, a.get_role_display()] for a in pending]
    columns = [("campaign", _("Campaign")), ("assessed_person", _("Person assessed")), ("role", _("Role"))]
    return Section("assessments_to_answer", _("Assessments I still have to answer"), columns, rows)


def _reads(employee: Employee) -> Section:
    reads = AssessmentReadLog.objects.filter(employee=employee, blocked_at__isnull=True).order_by("-read_at", "-pk")
    rows = [[r.read_at, r.username, r.get_page_display()] for r in reads]
    columns = [("read_at", _("Read at")), ("reader", _("Reader")), ("page", _("Page"))]
    return Section("evaluation_reads", _("Who read my evaluation data"), columns, rows)


def personal_data(employee: Employee) -> list[Section]:
    return [_gaps(employee), _imported(employee), _results(employee), _given(employee), _drafts(employee),
            _reads(employee)]


def own_record_ids(employee: Employee) -> dict[str, object]:
    """Subqueries of the ids of the employee's own assessments and ratings (peers' excepted): the only assessment
    records whose audit entries their right-of-access export may show."""
    own = Assessment.objects.filter(employee=employee).exclude(role=Assessment.Role.PEER)
    return {"assessment": own.values("pk"), "rating": Rating.objects.filter(assessment__in=own).values("pk")}
