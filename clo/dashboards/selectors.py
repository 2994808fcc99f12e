"""The figures of the home page, one section per role of the user, each from the selectors of the app owning the data.

Each section runs a fixed number of queries: the page costs the same on a council of 300 people as on one of 250 000.
"""

from __future__ import annotations

import datetime as dt

from clo.core import board_cache, roles, versions
from clo.people import selectors as people
from competencies import selectors as competencies
from evaluations import selectors as evaluations
from evaluations.gaps import selectors as gaps
from programs import selectors as programs

SUCCESSION_YEARS = 5
TOP_GAPS = 5


def learning_office_section(*, today: dt.date, now: dt.datetime) -> dict:
    """The whole organisation: people and competency figures from the counters and the gap roll-ups (the same
    figures as the learning office's dashboard; counting them from the levels took seconds at 250 000 people)."""
    return {
        "organisation": people.organisation_counts(),
        "frameworks": competencies.framework_counts(),
        "gaps": gaps.organisation_figures(),
        "sessions": programs.upcoming_sessions(now=now),
        "enrolments_waiting": programs.enrolments_awaiting_decision(),
        "needs_waiting": programs.needs_awaiting_triage(),
        "plan": programs.training_plan_budget(year=today.year),
        "year": today.year,
    }


def hr_section(*, today: dt.date) -> dict:
    employees = people.employees_in_scope()
    return {
        "employees": people.headcount(),
        "employment_types": people.employment_type_breakdown(),
        "with_plan": programs.employees_with_plan_in_year(employees, year=today.year),
        "retirements": people.retirements_within(years=SUCCESSION_YEARS, today=today),
        "succession_years": SUCCESSION_YEARS,
        "positions_without_requirements": competencies.positions_without_requirements_count(),
        "year": today.year,
    }


def director_section(scope: roles.Scope, *, today: dt.date) -> dict:
    """The units a director heads (subtrees): their people and gap figures as the director's dashboard counts them
    (every active employee, the director included, and the subtree roll-ups); the lists (requests, largest gaps)
    are of the director's people, themselves left out."""
    employees = people.employees_in_scope(unit_paths=scope.unit_paths, exclude_id=scope.employee_id)
    figures = people.unit_figures(scope.headed_unit_ids[0], {  # one query: the counters and the roll-ups
        "employees": people.headcount_in_figure(scope.unit_paths),
        **gaps.scope_figure_expressions(scope.unit_paths),
    })
    return {
        "units": people.headed_units(scope.headed_unit_ids),
        "employees": figures["employees"],
        "gaps": gaps.scope_figures_of(figures),
        "enrolments_waiting": programs.enrolments_awaiting_decision(employees),
        "needs": programs.needs_by_status(people.units_in_subtrees(scope.unit_paths)),
        "largest_gaps": evaluations.employees_with_largest_gaps(employees, today=today, limit=TOP_GAPS),
    }


def employee_section(scope: roles.Scope, *, today: dt.date, counters: tuple = ()) -> dict | None:
    """The person's requirements with their levels and their enrolments, kept in the board cache per employee under
    the data's versions (``counters``); the learning plan is read on every request (its items are not versioned)."""
    kept = board_cache.kept("home-employee", (scope.employee_id,), lambda: _employee_figures(scope, today=today),
                            counters=counters)
    if kept is None:
        return None
    return {**kept, "plan": programs.current_learning_plan(kept["employee"].pk, today=today)}


def _employee_figures(scope: roles.Scope, *, today: dt.date) -> dict | None:
    employee = people.employee_profile(scope.employee_id)
    if employee is None:
        return None
    requirements = evaluations.requirements_with_levels(
        employee_id=employee.pk, position_id=employee.position_id, today=today
    )
    return {
        "employee": employee,
        "requirements": requirements,
        "met": sum(1 for requirement in requirements if requirement.met),
        "enrolments": programs.employee_enrolments(employee.pk),
    }


def home_sections(scope: roles.Scope, *, now: dt.datetime, today: dt.date) -> dict:
    """The sections the user's roles give them; an empty dict for a user with no role.

    The learning office's, HR's and a director's sections, and an employee's requirements and enrolments, are figures over thousands of people that change only when
    the data do: they are kept in the board cache (``clo.core.board_cache.kept``) under the data's versions, read
    once for the page (one query), with today's date; the learning office's until the next session starts. A
    director's is kept per director (it names their people), an employee's per employee."""
    sections: dict = {}
    kept_roles = [role for role in (roles.CLO, roles.HR, roles.DIRECTOR, roles.EMPLOYEE) if scope.has(role)]
    counters = versions.current() if kept_roles and versions.enabled() else ()
    if scope.has(roles.CLO):
        sections["clo"] = board_cache.kept(
            "home-clo", (), lambda: learning_office_section(today=today, now=now), counters=counters,
            until=_next_session_start)
    if scope.has(roles.HR):
        sections["hr"] = board_cache.kept("home-hr", (), lambda: hr_section(today=today), counters=counters)
    if scope.has(roles.DIRECTOR):
        sections["director"] = board_cache.kept(
            "home-director", (scope.employee_id, scope.headed_unit_ids, tuple(sorted(scope.unit_paths))),
            lambda: director_section(scope, today=today), counters=counters)
    if scope.has(roles.EMPLOYEE):
        employee = employee_section(scope, today=today, counters=counters)
        if employee is not None:
            sections["employee"] = employee
    if scope.has(roles.DATA_PROTECTION):
        sections["data_protection"] = data_protection_section()
    return sections


def _next_session_start(section: dict) -> float | None:
    """The learning office's section counts the sessions not started yet: it holds until the first of them starts."""
    starts = section["sessions"].get("next_starts_at")
    return starts.timestamp() if starts else None


def data_protection_section() -> dict:
    """What data protection looks after: the records blocked now (waiting for deletion or anonymisation) and the
    last run of the monthly retention job."""
    from clo.core.models import RetentionRun
    from clo.core.retention import blocked_counts

    return {
        "blocked": sum(row["count"] for row in blocked_counts()),
        "last_run": RetentionRun.objects.filter(status=RetentionRun.Status.DONE).order_by("-finished_at").first(),
    }


REPORTS_SHOWN = 60


def report_list() -> dict:
    """The most recent CLO reports (newest period first) with who asked for them, and whether one is being generated
    (the page then polls). One query."""
    from clo.dashboards.models import MonthlyReport

    reports = list(MonthlyReport.objects.select_related("requested_by")[:REPORTS_SHOWN])
    return {"reports": reports, "generating": any(not report.finished for report in reports)}


def workbook_list() -> dict:
    """The most recent organisation workbooks with who asked for them, and whether one is being built (the page then
    polls). One query."""
    from clo.dashboards.models import OrganisationWorkbook

    workbooks = list(OrganisationWorkbook.objects.select_related("requested_by")[:REPORTS_SHOWN])
    return {"workbooks": workbooks, "building": any(not workbook.finished for workbook in workbooks)}
