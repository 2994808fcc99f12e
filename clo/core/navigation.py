"""The main navigation: the pages grouped by task (detect, plan, deliver, evaluate, data), each link shown only to
the roles that can open its page. ``templates/base.html`` draws each group as a disclosure menu (<details>), which
works without JavaScript; ``static/js/nav.js`` only closes the other menus, and closes one on Escape or on a click
elsewhere.

A new page gets one line in ``LINKS`` (its group, URL name, label and who may open it): the same condition as its
view's gate, so nobody is offered a page that answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core import roles
from clo.core.roles import Scope

DETECT, PLAN, DELIVER, EVALUATE, TALENT, CAREERS, DATA = (
    "detect", "plan", "deliver", "evaluate", "talent", "careers", "data")
GROUPS = {
    DETECT: pgettext_lazy("navigation group", "Detect"),
    PLAN: pgettext_lazy("navigation group", "Plan"),
    DELIVER: pgettext_lazy("navigation group", "Deliver"),
    EVALUATE: pgettext_lazy("navigation group", "Evaluate"),
    TALENT: pgettext_lazy("navigation group", "Talent"),
    CAREERS: pgettext_lazy("navigation group", "Careers"),
    DATA: pgettext_lazy("navigation group", "Data"),
}


def _learning_office(scope: Scope, user) -> bool:
    return scope.is_learning_office


def _everything(scope: Scope, user) -> bool:
    return scope.everything


def _director(scope: Scope, user) -> bool:
    return scope.has(roles.DIRECTOR)


def _director_or_everything(scope: Scope, user) -> bool:
    return scope.everything or scope.has(roles.DIRECTOR)


def _employee(scope: Scope, user) -> bool:
    return scope.employee_id is not None


def _employee_only(scope: Scope, user) -> bool:
    return scope.employee_id is not None and not _director_or_everything(scope, user)


def _director_not_learning_office(scope: Scope, user) -> bool:
    return scope.has(roles.DIRECTOR) and not _learning_office(scope, user)


def _learning_office_or_hr(scope: Scope, user) -> bool:
    return scope.has(roles.CLO) or scope.has(roles.HR) or user.is_superuser


def _data_protection(scope: Scope, user) -> bool:
    return scope.has(roles.DATA_PROTECTION) or user.is_superuser


def _staff_or_learning_office(scope: Scope, user) -> bool:
    return scope.employee_id is not None or scope.is_learning_office


def _employee_or_everything(scope: Scope, user) -> bool:
    return scope.employee_id is not None or scope.everything


def _director_or_learning_office(scope: Scope, user) -> bool:
    return scope.is_learning_office or scope.has(roles.DIRECTOR)


def _staff(scope: Scope, user) -> bool:
    return user.is_staff


def _anyone(scope: Scope, user) -> bool:
    return True


@dataclass(frozen=True)
class Link:
    group: str
    view_name: str
    label: object
    allowed: Callable[[Scope, object], bool]
    namespace: str = ""  # the link is current on every page of this URL namespace


# In the order shown, within each group.
LINKS = (
    Link(DETECT, "dashboard_clo", _("Dashboard"), _everything),
    Link(DETECT, "dashboard_director", _("My units' dashboard"), _director),
    Link(DETECT, "evaluations:gap_runs", _("Gap analysis"), _learning_office),
    Link(DETECT, "evaluations:campaign_list", _("Assessment campaigns"), _director_or_everything),
    Link(DETECT, "evaluations:my_assessments", _("My assessments"), _employee),
    Link(DETECT, "programs:need_list", _("Training needs"), _director_or_everything),
    Link(PLAN, "programs:training_plan_list", _("Training plan"), _everything),
    Link(PLAN, "programs:plan_list", _("Learning plans"), _director_or_everything),
    Link(PLAN, "programs:plan_list", _("My learning plan"), _employee_only),
    Link(PLAN, "programs:uncovered_gaps", _("Gaps the catalogue does not cover"), _learning_office),
    Link(DELIVER, "programs:catalogue", _("Catalogue"), _anyone),
    Link(DELIVER, "programs:enrolment_requests", _("Enrolment requests"), _director_or_everything),
    Link(DELIVER, "programs:my_training", _("My training"), _employee),
    Link(DELIVER, "programs:my_calendar", _("My calendar"), _employee),
    Link(EVALUATE, "programs:evaluation_index", _("Training evaluation"), _learning_office),
    Link(EVALUATE, "programs:follow_up_list", _("Training follow-ups"), _director_not_learning_office),
    Link(EVALUATE, "programs:my_feedback", _("My questionnaires"), _employee),
    Link(EVALUATE, "dashboard_reports", _("Monthly reports"), _learning_office),
    Link(TALENT, "talent:succession_positions", _("Critical positions"), _director_or_everything),
    Link(TALENT, "talent:succession_map", _("Knowledge at risk"), _director_or_everything),
    Link(TALENT, "talent:succession_bench", _("Bench strength"), _everything),
    Link(TALENT, "talent:transfer_plan_list", _("Knowledge-transfer plans"), _director_or_everything),
    Link(TALENT, "talent:review_list", _("Talent reviews"), _director_or_everything),
    Link(TALENT, "talent:trainer_list", _("Internal trainers and mentors"), _director_or_everything),
    Link(TALENT, "talent:mentoring_list", _("Mentoring"), _employee_or_everything),
    Link(TALENT, "talent:expertise_directory", _("Expertise directory"), _staff_or_learning_office),
    Link(TALENT, "talent:community_list", _("Communities of practice"), _employee_or_everything),
    Link(TALENT, "talent:project_list", _("Challenge projects"), _staff_or_learning_office),
    Link(TALENT, "talent:project_approvals", _("Project applications to answer"), _director_or_learning_office),
    Link(TALENT, "talent:project_dashboard", _("Challenge projects: figures"), _director_or_everything),
    Link(CAREERS, "careers:my_career", _("My career"), _employee),
    Link(CAREERS, "careers:explorer", _("Career explorer"), _employee),
    Link(CAREERS, "careers:itinerary_list", _("Itineraries"), _employee_or_everything),
    Link(CAREERS, "careers:badge_list", _("My badges"), _employee),
    Link(CAREERS, "careers:eligibility", _("Horizontal career"), _director_or_everything),
    Link(CAREERS, "careers:rules", _("Career rules"), _everything),
    Link(CAREERS, "careers:record_jobs", _("Training records as PDF"), _everything),
    Link(CAREERS, "careers:recognition_figures", _("Credits and badges"), _everything),
    Link(DATA, "imports:index", _("Imports"), _learning_office_or_hr, namespace="imports"),
    Link(DATA, "api:tokens", _("API tokens"), _learning_office_or_hr),
    Link(DATA, "api:webhooks", _("Webhooks"), _learning_office_or_hr),
    Link(DATA, "api:xapi_records", _("Learning records (xAPI)"), _learning_office),
    Link(DATA, "audit_log", _("Audit trail"), _learning_office_or_hr),
    Link(DATA, "accounts:account_list", _("Sign-in accounts"), _learning_office_or_hr),
    Link(DATA, "data_retention", _("Data retention"), _data_protection),
    Link(DATA, "admin:index", _("Admin"), _staff, namespace="admin"),
)


@dataclass
class NavLink:
    url: str
    label: object
    current: bool


@dataclass
class NavGroup:
    key: str
    label: object
    links: list[NavLink] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def groups_for(request, scope: Scope) -> list[NavGroup]:
    """The groups with at least one link the user may open, in order; no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    namespace = match.namespace if match else ""
    groups = {key: NavGroup(key, label) for key, label in GROUPS.items()}
    for link in LINKS:
        if link.allowed(scope, user):
            current = view_name == link.view_name or bool(link.namespace and namespace == link.namespace)
            groups[link.group].links.append(NavLink(reverse(link.view_name), link.label, current))
    return [group for group in groups.values() if group.links]
