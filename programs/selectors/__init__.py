"""What other apps read from programs (the dashboards above all): import from here, never from the modules.

One module per sub-domain, with the names the models use: ``catalogue`` (programs ranked by gaps, interest in
them), ``delivery`` (sessions, enrolments, the training record), ``needs`` (needs detection and triage),
``annual_plan`` (the plan's actions and totals), ``learning_plans``, ``feedback`` (Kirkpatrick levels 1-3), ``results``
(level 4), ``personal`` (a person's data for "My data"), and ``figures`` (the counts and sums the dashboards show,
across sub-domains).
"""

from programs.selectors.delivery import can_manage_sessions, requests_awaiting
from programs.selectors.feedback import pending_feedback, satisfaction_summary
from programs.selectors.figures import (
    current_learning_plan, employee_enrolments, employees_with_plan_in_year, enrolments_awaiting_decision,
    needs_awaiting_triage, needs_by_status, plan_figures, plans_in_year_figure, training_figures,
    training_plan_budget, unit_training_figures, upcoming_sessions, upcoming_sessions_with_seats, year_bounds,
)
from programs.selectors.needs import can_triage, needs_decided_since
from programs.selectors.personal import personal_data
from programs.selectors.results import MIN_GROUP, latest_snapshots

__all__ = [
    "MIN_GROUP",
    "can_manage_sessions",
    "can_triage",
    "current_learning_plan",
    "employee_enrolments",
    "employees_with_plan_in_year",
    "enrolments_awaiting_decision",
    "latest_snapshots",
    "needs_awaiting_triage",
    "needs_by_status",
    "needs_decided_since",
    "pending_feedback",
    "personal_data",
    "plan_figures",
    "plans_in_year_figure",
    "requests_awaiting",
    "satisfaction_summary",
    "training_figures",
    "training_plan_budget",
    "unit_training_figures",
    "upcoming_sessions",
    "upcoming_sessions_with_seats",
    "year_bounds",
]
