"""What the programs hold about one employee, for their right of access (``clo.core.personal_data``): enrolments
and attendance, certificates (completed trainings), learning plans, the feedback they gave, needs they submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.personal_data import Section
from programs.models import Attendance, LearningPlanItem, ReactionResponse, TrainingNeed, TransferFollowUp
from programs.selectors.delivery import _credits, training_by_year, training_enrolments

if TYPE_CHECKING:
    from clo.people.models import Employee


def _enrolments(employee: Employee) -> list[Section]:
    enrolments = training_enrolments(employee.pk)
    rows = [[e.session.program.code, e.session.program.title, e.session.code, e.session.starts_at,
             e.get_status_display(), e.requested_at, e.decided_at, e.decision_reason, e.hours_attended,
             e.completed_on] for e in enrolments]
    columns = [("program_code", _("Code")), ("program", _("Program")), ("session", _("Session")),
               ("starts_at", _("Starts at")), ("status", _("Status")), ("requested_at", _("Requested at")),
               ("decided_at", _("Decided at")), ("decision_reason", _("Reason for the decision")),
               ("hours_attended", _("Hours attended")), ("completed_on", _("Completed on"))]
    certificates = [[e.session.program.code, e.session.program.title, e.completed_on, e.session.program.hours,
                     _credits(e.session.program.hours)] for e in enrolments if e.completed_on]
    cert_columns = [("program_code", _("Code")), ("program", _("Program")), ("completed_on", _("Completed on")),
                    ("hours", _("Hours")), ("credits", _("Credits"))]
    years = [[r["year"], r["hours"], r["completed"], r["credits"]] for r in training_by_year(employee.pk)]
    year_columns = [("year", _("Year")), ("hours", _("Hours attended")), ("completed", _("Completed")),
                    ("credits", _("Credits"))]
    return [
        Section("enrolments", _("Enrolments"), columns, rows),
        Section("certificates", _("Completed trainings (certificates)"), cert_columns, certificates),
        Section("training_by_year", _("Training by year"), year_columns, years),
    ]


def _attendance(employee: Employee) -> Section:
    """The hours attended, as the enrolments count them (``Enrolment.hours_attended``, the one figure every page,
    record and export reads): day by day where attendance was taken per day, else one line with the session's
    total (attendance recorded for the whole session). Two queries."""
    from programs.models import Enrolment

    per_day = [[a.enrolment.session.code, a.day.date, a.hours, _("Per day")] for a in Attendance.objects.filter(
        enrolment__employee=employee).select_related("enrolment__session", "day").order_by("day__date", "pk")]
    totals = Enrolment.objects.filter(employee=employee, hours_attended__gt=0).exclude(
        pk__in=Attendance.objects.filter(enrolment__employee=employee).values("enrolment_id")).select_related(
        "session").order_by("session__starts_at", "pk")
    whole = [[e.session.code, timezone.localdate(e.session.starts_at), e.hours_attended, _("Whole session")]
             for e in totals]
    rows = sorted(per_day + whole, key=lambda row: (row[1], row[0]))
    columns = [("session", _("Session")), ("date", _("Date")), ("hours", _("Hours attended")),
               ("recorded", _("Recorded"))]
    return Section("attendance", _("Attendance"), columns, rows,
                   note=_("Hours are recorded day by day or, for some sessions, as a total for the whole session "
                          "(dated on its first day). They add up to the hours attended of your enrolments."))


def _plans(employee: Employee) -> Section:
    items = (
        LearningPlanItem.objects.filter(plan__employee=employee)
        .select_related("plan", "program", "competency").order_by("-plan__period_start", "due_date", "pk")
    )
    rows = [[i.plan.period_start, i.plan.period_end, i.plan.get_status_display(), i.plan.goal,
             i.get_kind_display(), str(i), i.competency.code if i.competency else "", i.target_level, i.due_date,
             i.get_status_display()] for i in items]
    columns = [("plan_start", _("Period start")), ("plan_end", _("Period end")), ("plan_status", _("Plan status")),
               ("goal", _("Goal")), ("kind", _("Kind")), ("activity", _("Activity")),
               ("competency_code", _("Target competency")), ("target_level", _("Target level")),
               ("due_date", _("Due date")), ("status", _("Status"))]
    return Section("learning_plans", _("Learning plans"), columns, rows)


def _feedback(employee: Employee) -> list[Section]:
    reactions = ReactionResponse.objects.filter(enrolment__employee=employee, blocked_at__isnull=True).select_related(
        "enrolment__session").order_by("submitted_at", "pk")
    rows = [[r.enrolment.session.code, r.submitted_at, r.usefulness, r.trainer, r.organisation, r.applicability,
             r.comment] for r in reactions]
    columns = [("session", _("Session")), ("submitted_at", _("Submitted at")), ("usefulness", _("Usefulness")),
               ("trainer", _("Trainer")), ("organisation", _("Organisation")),
               ("applicability", _("Applicability")), ("comment", _("Comment"))]
    transfers = TransferFollowUp.objects.filter(respondent=employee, answered_at__isnull=False,
                                                blocked_at__isnull=True).select_related(
        "enrolment__session", "enrolment__employee").order_by("answered_at", "pk")
    transfer_rows = [[t.enrolment.session.code, t.get_respondent_role_display(), t.answered_at, t.applying,
                      t.example] for t in transfers]
    transfer_columns = [("session", _("Session")), ("asked_as", _("Asked to")), ("answered_at", _("Answered at")),
                        ("applying", _("Applying it")), ("example", _("Example"))]
    return [
        Section("satisfaction_answers", _("My satisfaction questionnaire answers"), columns, rows),
        Section("transfer_answers", _("My answers to transfer follow-ups"), transfer_columns, transfer_rows),
    ]


def _needs(employee: Employee) -> Section:
    needs = TrainingNeed.objects.filter(submitted_by=employee).select_related("unit").order_by("-created_at", "pk")
    rows = [[n.year, n.title, n.unit.name, n.get_priority_display(), n.get_status_display(), n.justification,
             n.created_at, n.submitted_at] for n in needs]
    columns = [("year", _("Plan year")), ("title", _("Title")), ("unit", _("Unit")), ("priority", _("Priority")),
               ("status", _("Status")), ("justification", _("Justification")), ("created_at", _("Created at")),
               ("submitted_at", _("Submitted at"))]
    return Section("needs_submitted", _("Training needs I submitted"), columns, rows)


def personal_data(employee: Employee) -> list[Section]:
    return [*_enrolments(employee), _attendance(employee), _plans(employee), *_feedback(employee), _needs(employee)]
