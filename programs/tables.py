"""The programs app's lists as plain rows, for CSV and XLSX export (``clo.core.exports``): each builder takes the
same queryset, with the same filters and scope, as the page it exports, and writes the values the page shows
(choice labels, dates as dates, numbers as numbers). Every builder runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clo.core.catalan import of
from clo.core.exports import Table
from programs.models import LearningPlan
from programs.selectors.catalogue import CLOSES, CLOSES_CRITICAL, NARROWS


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as the local wall-clock time, to the minute (spreadsheets know no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def needs(queryset) -> Table:
    """The needs list (``selectors.needs.needs_list``)."""
    return Table(
        title=_("Training needs"),
        columns=[_("Title"), _("Unit"), _("Plan year"), _("Priority"), _("Status"), _("Submitted by"),
                 _("Estimated participants"), _("Submitted on")],
        rows=([n.title, str(n.unit), n.year, n.get_priority_display(), n.get_status_display(), str(n.submitted_by),
               n.estimated_participants, local(n.submitted_at)] for n in queryset.iterator(chunk_size=2000)),
    )


def triage(queryset) -> Table:
    """The triage queue (``selectors.needs.triage_queue``, competencies prefetched)."""
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
    """The catalogue (``selectors.catalogue.catalogue``): programs with their next session and competencies; the
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
    """Requests waiting for the user's decision (``selectors.delivery.requests_awaiting``)."""
    return Table(
        title=_("Enrolment requests"),
        columns=[_("Person"), _("Unit"), _("Position"), _("Program"), _("Session"), _("Starts"), _("Seats left"),
                 _("Seats"), _("Requested on")],
        rows=[[e.employee.full_name, e.employee.unit.name, e.employee.position.title,
               e.session.program.title, e.session.code, local(e.session.starts_at), e.seats_left, e.session.capacity,
               local(e.requested_at)] for e in queryset],
    )


def learning_plans(people, *, year: int) -> Table:
    """People and their learning plan for ``year`` (``selectors.learning_plans.all_plans_for_year``)."""
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
    """Follow-ups sent and not answered (``selectors.feedback.unanswered_follow_ups``)."""
    return Table(
        title=_("Unanswered training follow-ups"),
        columns=[_("Person trained"), _("Unit"), _("Program"), _("Asked to"), _("Role"), _("Due since")],
        rows=([r.enrolment.employee.full_name, r.enrolment.employee.unit.name, r.enrolment.session.program.title,
               r.respondent.full_name, r.get_respondent_role_display(), r.due_on]
              for r in queryset.iterator(chunk_size=2000)),
    )


def session_roster(session, roster) -> Table:
    """A session's enrolments with their attendance (``selectors.delivery.session_roster``)."""
    return Table(
        title=_("Enrolments · %(session)s") % {"session": session.code},
        columns=[_("Person"), _("Unit"), _("Status"), _("Hours attended"), _("Requested on")],
        rows=[[e.employee.full_name, e.employee.unit.name, e.get_status_display(), e.hours_attended,
               local(e.requested_at)] for e in roster],
    )


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# --- learning plans --------------------------------------------------------------------------------------------------


def plan_items(plan, items) -> Table:
    """The planned actions of one learning plan (the active items of ``selectors.learning_plans.plan_items``)."""
    def activity(item) -> str:
        if item.program:
            return f"{item.program.code} · {item.program.title}"
        return f"{item.get_kind_display()}: {item.title}"

    def origin(item) -> str:
        edited = item.edited and item.origin == item.Origin.GENERATED
        return f"{item.get_origin_display()} ({_('edited')})" if edited else str(item.get_origin_display())

    return Table(
        title=_("Learning plan %(year)s · %(name)s") % {"year": plan.period_start.year,
                                                           "name": plan.employee.full_name},
        columns=[_("Activity"), _("Critical requirement"), _("Competency"), _("Target level"), _("Due date"),
                 _("Status"), _("Origin")],
        rows=[[activity(i), _yes_no(i.critical), i.competency.name if i.competency else None, i.target_level,
               i.due_date, i.get_status_display(), origin(i)] for i in items],
    )


def plan_gaps(plan, gaps) -> Table:
    """The competency gaps shown on a learning plan's page (``selectors.learning_plans.plan_gaps``, with ``coverage`` from
    ``plan_gap_coverage``)."""
    return Table(
        title=_("Competency gaps · %(name)s") % {"name": plan.employee.full_name},
        columns=[_("Competency"), _("Current level"), _("Required level"), _("Gap"), _("Critical"),
                 _("Not covered by the plan")],
        rows=[[g.competency.name, _("not assessed") if g.not_assessed else g.current_level, g.required_level, g.gap,
               _yes_no(g.is_critical), str(getattr(g, "coverage_note", ""))] for g in gaps],
    )


def uncovered_gaps(rows) -> Table:
    """The gaps the catalogue does not cover (``selectors.learning_plans.uncovered_gaps`` with ``uncovered_gap_rows``)."""
    return Table(
        title=_("Gaps the catalogue does not cover"),
        columns=[_("Competency"), _("Level needed"), _("Why"), _("People"), _("Of them, critical requirement"),
                 _("Units"), _("Some units")],
        rows=[[r["competency"].name if r["competency"] else "", r["required_level"],
               _("No session scheduled") if r["has_program"] else _("No program"), r["people"], r["critical"],
               r["units"], ", ".join(r["unit_names"])] for r in rows],
    )


def pdf_jobs(jobs) -> Table:
    """HR's recent requests of learning plans as PDF (``selectors.learning_plans.recent_pdf_jobs``)."""
    return Table(
        title=_("Learning plans as PDF"),
        columns=[_("Requested at"), _("Unit"), _("Plans in force on"), _("Status"), _("Plans rendered"),
                 _("Plans to render")],
        rows=[[local(j.created_at), j.unit.name if j.unit else _("The whole organisation"), j.as_of,
               j.get_status_display(), j.done_count, j.total] for j in jobs],
    )


# --- delivery --------------------------------------------------------------------------------------------------------


def training_enrolments(employee, enrolments) -> Table:
    """A person's enrolments on their training record (``selectors.delivery.training_enrolments``)."""
    return Table(
        title=_("Training %(of_name)s") % {"of_name": of(employee.full_name)},
        columns=[_("Program"), _("Session"), _("Starts"), _("Status"), _("Reason"), _("Hours attended")],
        rows=[[e.session.program.title, e.session.code, local(e.session.starts_at), e.get_status_display(),
               e.decision_reason if e.status == e.Status.REJECTED else "", e.hours_attended] for e in enrolments],
    )


def training_years(employee, years: list[dict]) -> Table:
    """Hours and credits per year on a person's training record (``selectors.delivery.training_by_year``)."""
    return Table(
        title=_("Training hours %(of_name)s") % {"of_name": of(employee.full_name)},
        columns=[_("Year"), _("Hours attended"), _("Programs completed"), _("Credits")],
        rows=[[y["year"], y["hours"], y["completed"], y["credits"]] for y in years],
    )


def attendance(day, attendees, recorded: dict) -> Table:
    """One day's attendance sheet (``selectors.delivery.day_attendance``): the hours recorded, 0 where none."""
    return Table(
        title=_("Attendance on %(date)s · %(session)s") % {"date": day.date.isoformat(), "session": day.session.code},
        columns=[_("Person"), _("Status"), _("Hours attended")],
        rows=[[e.employee.full_name, e.get_status_display(), recorded.get(e.pk, Decimal("0"))] for e in attendees],
    )


def program_sessions(program, sessions, *, own: bool) -> Table:
    """A program's sessions as its page lists them (``delivery._program_context``), with the viewer's enrolment
    when they can enrol (``own``)."""
    def mine(session) -> list:
        return [session.mine.get_status_display() if session.mine else ""] if own else []

    return Table(
        title=_("Sessions · %(program)s") % {"program": program.code},
        columns=[_("Session"), _("Starts"), _("Ends"), _("Timetable"), _("Place"), _("Trainer"), _("Seats left"),
                 _("Seats"), _("Waiting"), _("Status")] + ([_("Your enrolment")] if own else []),
        rows=[[s.code, local(s.starts_at), local(s.ends_at), s.timetable, s.place or _("Online"), s.trainer,
               s.seats_left, s.capacity, s.waiting, s.get_status_display(), *mine(s)] for s in sessions],
    )


def program_competencies(program, developed, *, own: bool) -> Table:
    """The competencies a program develops (``delivery._program_context``), with the viewer's gap in each when they
    can enrol (``own``)."""
    def gap(pc) -> list:
        if pc.gap is None:
            return [None, None, None]
        return [pc.gap.current_level, pc.gap.required_level, _yes_no(pc.gap.is_critical)]

    extra = [_("Your level"), _("Level your position requires"), _("Critical")] if own else []
    return Table(
        title=_("Competencies developed · %(program)s") % {"program": program.code},
        columns=[_("Code"), _("Competency"), _("Level reached")] + extra,
        rows=[[pc.competency.code, pc.competency.name, pc.level_reached] + (gap(pc) if own else [])
              for pc in developed],
    )


# --- evaluation (Kirkpatrick) ----------------------------------------------------------------------------------------


def pending_feedback(items) -> Table:
    """A person's questionnaires waiting for an answer (``selectors.feedback.pending_feedback``)."""
    def questionnaire(item) -> str:
        if item.kind == "reaction":
            return _("Satisfaction with the session")
        return _("Three months later: applying it (%(name)s)") % {"name": item.person}

    return Table(
        title=_("My questionnaires"),
        columns=[_("Program"), _("Questionnaire"), _("Since")],
        rows=[[item.program, questionnaire(item), item.since] for item in items],
    )


def evaluated_programs(queryset) -> Table:
    """Programs with ended sessions and their satisfaction (``selectors.feedback.evaluated_programs``); the mean is
    empty below the anonymity threshold, as the page says "too few answers"."""
    return Table(
        title=_("Training evaluation"),
        columns=[_("Code"), _("Program"), _("Sessions ended"), _("Answers"), _("Satisfaction (1–5)"),
                 _("Follow-ups unanswered")],
        rows=([p.code, p.title, p.sessions_ended, p.answers,
               None if p.satisfaction is None else round(p.satisfaction, 2), p.follow_ups_waiting]
              for p in queryset.iterator(chunk_size=2000)),
    )


def session_satisfaction(program, total: dict, sessions) -> Table:
    """Satisfaction per ended session of a program and over the sessions shown (``program_satisfaction``): means
    only from the anonymity threshold on, empty below it, as on the page; never the comments' authors."""
    scores = ("usefulness", "trainer", "organisation", "applicability", "mean")

    def figures(satisfaction: dict) -> list:
        return [satisfaction[name] if satisfaction["shown"] else None for name in scores]

    rows = [[s.code, local(s.starts_at), s.attendees, s.satisfaction["answers"], *figures(s.satisfaction)]
            for s in sessions]
    if sessions:
        rows.append([_("All sessions shown"), None, None, total["answers"], *figures(total)])
    return Table(
        title=_("Satisfaction · %(program)s") % {"program": program.code},
        columns=[_("Session"), _("Starts"), _("Attendees"), _("Answers"), _("Usefulness"), _("Trainer"),
                 _("Organisation"), _("Applicability"), _("Mean")],
        rows=rows,
    )


def program_results(program, results) -> Table:
    """Level 4 of a program (``selectors.results.program_results``): the change in the gaps of its completers and of
    their comparison group per targeted competency, and over all of them when there are several."""
    def figures(row) -> list:
        return [row.completers.people, row.completers.before, row.completers.now, row.completers.change,
                row.comparison.people, row.comparison.before, row.comparison.now, row.comparison.change,
                row.difference]

    rows = [[r.competency.code, r.competency.name, *figures(r)] for r in results.rows]
    rows = rows if results.completion_dates else []
    if rows and len(results.rows) > 1:
        rows.append(["", _("All targeted competencies"), *figures(results.overall)])
    return Table(
        title=_("Results · %(program)s") % {"program": program.code},
        columns=[_("Code"), _("Competency"), _("Completers"), _("Completers' gap before"), _("Completers' gap now"),
                 _("Completers' change"), _("Same positions, not attended"), _("Not attended: gap before"),
                 _("Not attended: gap now"), _("Not attended: change"), _("Difference in change")],
        rows=rows,
    )


def learning_results(session, enrolments) -> Table:
    """A session's learning results sheet, read only (``selectors.feedback.learning_sheet``)."""
    judgement = {True: _("Passed"), False: _("Not passed"), None: _("Not judged")}

    def row(enrolment) -> list:
        result = enrolment.result
        if result is None:
            return [enrolment.employee.full_name, None, None, judgement[None]]
        return [enrolment.employee.full_name, result.pre_score, result.post_score, judgement[result.passed]]

    return Table(
        title=_("Learning results · %(session)s") % {"session": session.code},
        columns=[_("Person"), _("Score before"), _("Score after"), _("Trainer's judgement")],
        rows=[row(e) for e in enrolments],
    )


# --- needs and the annual plan ---------------------------------------------------------------------------------------


def campaigns(campaign_list) -> Table:
    """The needs-detection campaigns (``selectors.needs.campaigns_with_counts``)."""
    return Table(
        title=_("Needs-detection campaigns"),
        columns=[_("Plan year"), _("Opens on"), _("Deadline"), _("Status"), _("Needs submitted"),
                 _("Units that submitted"), _("Reminder sent")],
        rows=[[c.year, c.opens_on, c.deadline, c.get_status_display(), c.needs_submitted, c.units_submitting,
               local(c.reminder_sent_at)] for c in campaign_list],
    )


def need_history(need) -> Table:
    """A need's history (``selectors.needs.need_for_page``: events and actors prefetched)."""
    def actor(event) -> str:
        user = event.actor
        if user is None:
            return ""
        employee = getattr(user, "employee", None)
        return str(employee) if employee else user.get_full_name() or user.username

    return Table(
        title=_("History · %(need)s") % {"need": need.title},
        columns=[_("When"), pgettext("history: what was done", "Change"), _("By"), _("Note")],
        rows=[[local(e.at), e.get_kind_display(), actor(e), e.note] for e in need.events.all()],
    )


def training_plans(plans) -> Table:
    """The annual training plans (``selectors.annual_plan.plans``)."""
    return Table(
        title=_("Annual training plans"),
        columns=[_("Year"), _("Title"), _("Status"), _("Available budget (€)"), _("Estimated cost (€)")],
        rows=[[p.year, p.title, p.get_status_display(), p.budget, p.planned_cost] for p in plans],
    )


def plan_actions(plan, actions) -> Table:
    """The actions of an annual plan (``selectors.annual_plan.plan_actions``), each with the needs and units it serves."""
    return Table(
        title=_("Actions of the plan %(year)s") % {"year": plan.year},
        columns=[_("Action"), _("Program"), _("Needs and units"), _("Estimated cost (€)"), _("Estimated hours"),
                 _("Estimated participants"), _("Funding source")],
        rows=[[a.title, str(a.program) if a.program else None,
               "; ".join(f"{n.title} ({n.unit})" for n in a.needs.all()), a.estimated_cost, a.estimated_hours,
               a.estimated_participants, a.get_funding_display()] for a in actions],
    )


def plan_budget(plan, totals: dict) -> Table:
    """The estimated cost of an annual plan by funding source (``selectors.annual_plan.plan_totals``)."""
    return Table(
        title=_("Budget of the plan %(year)s") % {"year": plan.year},
        columns=[_("Funding source"), _("Actions"), _("Estimated cost (€)"), _("Estimated hours"),
                 _("Estimated participants")],
        rows=[[str(r["label"]), r["actions"], r["cost"], r["hours"], r["participants"]] for r in totals["by_funding"]],
    )


def funding_application(plan, report: dict) -> Table:
    """The funding application (``selectors.funding.application``), in the columns of the funding body's form,
    under its heading (who applies)."""
    return Table(
        title=_("Funding application %(year)s") % {"year": plan.year},
        columns=[str(column.heading) for column in report["columns"]],
        rows=[[cell["value"] for cell in row.cells] for row in report["rows"]],
        preamble=[[item["label"], item["value"]] for item in report["header"]],
    )


def funding_execution(plan, report: dict) -> Table:
    """Planned against delivered per action (``selectors.funding.execution``), with its alerts."""
    return Table(
        title=_("Execution of the plan %(year)s") % {"year": plan.year},
        columns=[_("Action"), _("Funding source"), _("Planned editions"), _("Sessions in the year"),
                 _("Editions run"), _("Planned participants"), _("Participants who completed"),
                 _("Completed with enough attendance"),
                 _("Planned hours"), _("Hours delivered"), _("Granted amount (€)"), _("Incurred cost (€)"),
                 _("Cost of the training delivered (€)"), _("Alerts")],
        rows=[[r.action.title, r.action.get_funding_display(), r.action.planned_editions, r.sessions, r.editions_run,
               r.action.estimated_participants, r.completed, r.justified, r.action.estimated_hours, r.hours,
               r.action.granted_amount, r.action.incurred_cost, r.cost, "; ".join(a.message for a in r.alerts)]
              for r in report["rows"]],
    )


def funding_justification_people(plan, report: dict, *, certificate_url) -> Table:
    """The justification's annex (``selectors.funding.justification``): per action, the people who completed it,
    their attendance, hours, and the link to their certificate."""
    return Table(
        title=_("Justification %(year)s: participants") % {"year": plan.year},
        columns=[_("Action"), _("Funding source"), _("Session"), _("Employee"), _("Unit"), _("Completed on"),
                 _("Hours attended"), _("Attendance (%)"), _("Enough attendance"), _("Certificate")],
        rows=[[r.action.title, r.action.get_funding_display(), e.session.code, e.employee.full_name, str(e.employee.unit),
               e.completed_on, e.hours_attended,
               None if e.attendance is None else round(e.attendance * 100, 1), _yes_no(e.justified),
               certificate_url(e)]
              for r in report["rows"] for e in r.people],
    )
