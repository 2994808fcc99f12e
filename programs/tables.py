"""The programs app's lists as plain rows, for CSV and XLSX export (``clo.core.exports``): each builder takes the
same queryset, with the same filters and scope, as the page it exports, and writes the values the page shows
(choice labels, dates as dates, numbers as numbers). Every builder runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.exports import Table
from programs.models import LearningPlan
from programs.selectors_delivery import CLOSES, CLOSES_CRITICAL, NARROWS


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as the local wall-clock time, to the minute (spreadsheets know no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def needs(queryset) -> Table:
    """The needs list (``selectors_needs.needs_list``)."""
    return Table(
        title=_("Training needs"),
        columns=[_("Title"), _("Unit"), _("Plan year"), _("Priority"), _("Status"), _("Submitted by"),
                 _("Estimated participants"), _("Submitted on")],
        rows=([n.title, str(n.unit), n.year, n.get_priority_display(), n.get_status_display(), str(n.submitted_by),
               n.estimated_participants, local(n.submitted_at)] for n in queryset.iterator(chunk_size=2000)),
    )


def triage(queryset) -> Table:
    """The triage queue (``selectors_needs.triage_queue``, competencies prefetched)."""
    return Table(
        title=_("Triage of training needs"),
        columns=[_("Title"), _("Unit"), _("Plan year"), _("Priority"), _("Participants"), _("Competencies"),
                 _("Status"), _("Submitted by"), _("Submitted on")],
        rows=[[n.title, str(n.unit), n.year, n.get_priority_display(), n.estimated_participants,
               ", ".join(c.name for c in n.competencies.all()), n.get_status_display(), str(n.submitted_by),
               local(n.submitted_at)] for n in queryset],
    )


def _rank_label(rank: int) -> str:
    return {CLOSES_CRITICAL: _("Closes a critical gap"), CLOSES: _("Closes a gap"),
            NARROWS: _("Narrows a gap")}.get(rank, "")


def catalogue(queryset, *, for_gaps: bool) -> Table:
    """The catalogue (``selectors_delivery.catalogue``): programs with their next session and competencies; the
    column "For your gaps" only for a person who has gaps, as on the page."""
    columns = [_("Code"), _("Program"), _("Active"), _("Modality"), _("Hours"), _("Next session"),
               _("Competencies developed")] + ([_("For your gaps")] if for_gaps else [])
    rows = []
    for p in queryset:
        developed = ", ".join(_("%(competency)s (level %(level)s)") % {"competency": pc.competency.name,
                                                                         "level": pc.level_reached}
                              for pc in p.developed.all())
        row = [p.code, p.title, _("Yes") if p.active else _("No"), p.get_modality_display(), p.hours,
               local(p.next_session), developed]
        rows.append(row + ([_rank_label(p.rank)] if for_gaps else []))
    return Table(title=_("Training catalogue"), columns=columns, rows=rows)


def enrolment_requests(queryset) -> Table:
    """Requests waiting for the user's decision (``selectors_delivery.requests_awaiting``)."""
    return Table(
        title=_("Enrolment requests"),
        columns=[_("Person"), _("Unit"), _("Position"), _("Program"), _("Session"), _("Starts"), _("Seats"),
                 _("Requested on")],
        rows=[[e.employee.full_name, e.employee.unit.name, e.employee.position.title,
               e.session.program.title, e.session.code, local(e.session.starts_at), e.session.capacity,
               local(e.requested_at)] for e in queryset],
    )


def learning_plans(people, *, year: int) -> Table:
    """People and their learning plan for ``year`` (``selectors_plans.all_plans_for_year``)."""
    statuses = dict(LearningPlan.Status.choices)

    def row(person):
        plan = person.plan or {}
        return [person.full_name, person.unit.name, person.position.title,
                str(statuses.get(plan["status"], plan["status"])) if plan else _("No plan yet"),
                plan.get("items_done"), plan.get("items_total")]

    return Table(
        title=_("People and their plan for %(year)s") % {"year": year},
        columns=[_("Employee"), _("Unit"), _("Position"), _("Plan"), _("Actions done"), _("Actions")],
        rows=(row(person) for person in people),
    )


def follow_ups(queryset) -> Table:
    """Follow-ups sent and not answered (``selectors_feedback.unanswered_follow_ups``)."""
    return Table(
        title=_("Unanswered training follow-ups"),
        columns=[_("Person trained"), _("Unit"), _("Program"), _("Asked to"), _("Role"), _("Due since")],
        rows=([r.enrolment.employee.full_name, r.enrolment.employee.unit.name, r.enrolment.session.program.title,
               r.respondent.full_name, r.get_respondent_role_display(), r.due_on]
              for r in queryset.iterator(chunk_size=2000)),
    )


def session_roster(session, roster) -> Table:
    """A session's enrolments with their attendance (``selectors_delivery.session_roster``)."""
    return Table(
        title=_("Enrolments · %(session)s") % {"session": session.code},
        columns=[_("Person"), _("Unit"), _("Status"), _("Hours attended"), _("Requested on")],
        rows=[[e.employee.full_name, e.employee.unit.name, e.get_status_display(), e.hours_attended,
               local(e.requested_at)] for e in roster],
    )
