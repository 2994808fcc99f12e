"""Reads of challenge projects: the projects a person may see, one project with its competencies, the applicants
ranked by fit and learning value, the applications waiting for a decision, and the projects' figures (one
definition, for the page and its tests)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from clo.people import roles
from clo.talent.models import ChallengeProject, ProjectApplication, ProjectCompetency, ProjectRating
from competencies.models import Requirement
from evaluations.models import CurrentLevel

# The applications a ranking and a close concern: a refused one is out.
IN_PLAY = (ProjectApplication.Status.PENDING, ProjectApplication.Status.APPROVED)


def can_post(user) -> bool:
    """The learning office and directors post projects (a director, for their subtree)."""
    scope = roles.scope_of(user)
    return scope.is_learning_office or bool(scope.unit_paths)


def projects_for_list(user, *, status: str = "") -> QuerySet[ChallengeProject]:
    """The projects ``user`` may see (an employee: the open ones and those they applied to), newest start first, with
    their applicants and participants counted."""
    projects = ChallengeProject.objects.visible_to(user)
    if status:
        projects = projects.filter(status=status)
    return (projects.select_related("unit")
            .annotate(applicants=Count("applications", filter=Q(applications__status__in=IN_PLAY)),
                      participants=Count("applications", filter=Q(applications__status="approved")))
            .order_by("-starts_on", "-pk"))


def project_for_page(project_id: int, user) -> ChallengeProject | None:
    return (ChallengeProject.objects.visible_to(user).filter(pk=project_id)
            .select_related("unit", "owner").first())


def can_manage(user, project: ChallengeProject) -> bool:
    return ChallengeProject.objects.manageable_by(user).filter(pk=project.pk).exists()


def project_competencies(project: ChallengeProject) -> list[ProjectCompetency]:
    return list(project.competencies.select_related("competency__framework").order_by("kind", "competency__name"))


def own_application(project: ChallengeProject, employee_id: int | None) -> ProjectApplication | None:
    if employee_id is None:
        return None
    return project.applications.filter(employee_id=employee_id).first()


def open_project_for_applying(project_id: int, user) -> ChallengeProject | None:
    """An open project an employee may apply to (published to the whole council)."""
    if roles.scope_of(user).employee_id is None:
        return None
    return ChallengeProject.objects.filter(pk=project_id, status=ChallengeProject.Status.OPEN).first()


# --- Matching -------------------------------------------------------------------------------------------------------


def _gap_sum(kind: str, *, weighted: bool) -> Subquery:
    """Per application (the outer query): the sum over the project's competencies of ``kind`` of the gap between
    the level the project names and the applicant's current level (0 without one), times the weight their
    position's requirement gives the competency (1 when it does not require it) if ``weighted``."""
    # One row at most each (unique per person and competency, per position and competency): no ordering, so no
    # join of the models' default orderings in every applicant's subquery (a sixth of the time at 200 applicants).
    current = CurrentLevel.objects.filter(
        employee_id=OuterRef(OuterRef("employee_id")), competency_id=OuterRef("competency_id"),
    ).order_by().values("level")[:1]
    gap = Greatest(F("level") - Coalesce(Subquery(current, output_field=IntegerField()), Value(0)), Value(0))
    if weighted:
        weight = Requirement.objects.filter(
            position_id=OuterRef(OuterRef("employee__position_id")), competency_id=OuterRef("competency_id"),
        ).order_by().values("weight")[:1]
        gap = gap * Coalesce(Subquery(weight, output_field=IntegerField()), Value(1))
    rows = (ProjectCompetency.objects.filter(project_id=OuterRef("project_id"), kind=kind)
            .annotate(g=gap).values("project_id").annotate(total=Sum("g")).values("total"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def ranked_applicants(project: ChallengeProject) -> list[ProjectApplication]:
    """The project's applicants (pending and approved), best first: the smallest gap to the required levels
    (``fit_gap``; ``fit`` is the share of the required levels they reach, in %), then the largest learning value
    (``learning_value``: the gaps on the competencies to learn, weighted by their position's requirements). One
    query, whatever the number of applicants."""
    required_total = sum(pc.level for pc in project.competencies.all() if pc.kind == ProjectCompetency.Kind.REQUIRED)
    rows = list(
        project.applications.filter(status__in=IN_PLAY)
        .select_related("employee__unit", "employee__position")
        .annotate(fit_gap=_gap_sum(ProjectCompetency.Kind.REQUIRED, weighted=False),
                  learning_value=_gap_sum(ProjectCompetency.Kind.LEARN, weighted=True))
        .order_by("fit_gap", "-learning_value", "applied_at", "pk")
    )
    for row in rows:
        row.fit = round(100 * (required_total - row.fit_gap) / required_total) if required_total else 100
    return rows


# --- Applications -----------------------------------------------------------------------------------------------------


def my_applications(employee_id: int) -> QuerySet[ProjectApplication]:
    return (ProjectApplication.objects.filter(employee_id=employee_id)
            .select_related("project__unit").order_by("-applied_at", "-pk"))


def applications_to_decide(user) -> QuerySet[ProjectApplication]:
    """The pending applications ``user`` may decide (their subtree's; the escalated ones for the learning office),
    the oldest deadline first."""
    return (ProjectApplication.objects.decidable_by(user)
            .select_related("employee__unit", "project__unit").order_by("due_on", "pk"))


def application_to_decide(application_id: int, user) -> ProjectApplication | None:
    return applications_to_decide(user).filter(pk=application_id).first()


def participants(project: ChallengeProject) -> list[ProjectApplication]:
    return list(project.applications.filter(status=ProjectApplication.Status.APPROVED)
                .select_related("employee__unit").order_by("employee__last_name", "employee__first_name", "pk"))


# --- Figures ----------------------------------------------------------------------------------------------------------


@dataclass
class ProjectFigures:
    by_status: dict[str, int]
    participation: list[dict]  # unit name, participants, hours a week
    developed: list[dict]  # competency name, people rated, mean level


def project_figures(user) -> ProjectFigures:
    """The projects ``user`` manages (all for the learning office; their subtree for a director) by status; the
    participants of any project by their own unit, within the same scope; and the competencies the closed
    projects' ratings developed. Three grouped queries."""
    scope = roles.scope_of(user)
    projects = ChallengeProject.objects.all() if scope.everything else ChallengeProject.objects.manageable_by(user)
    by_status = dict(projects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    people = ProjectApplication.objects.filter(status=ProjectApplication.Status.APPROVED)
    ratings = ProjectRating.objects.all()
    if not scope.everything:
        condition = Q(pk__in=[])
        for path in scope.unit_paths:
            condition |= Q(employee__unit__path__startswith=path)
        people = people.filter(condition)
        ratings = ratings.filter(application__in=people)
    participation = list(
        people.values(unit_name=F("employee__unit__name"))
        .annotate(participants=Count("employee", distinct=True), projects=Count("project", distinct=True),
                  hours=Sum("project__weekly_hours"))
        .order_by("-participants", "unit_name")
    )
    developed = list(
        ratings.values(competency_name=F("competency__name"))
        .annotate(people=Count("application__employee", distinct=True), mean_level=Avg("level"))
        .order_by("-people", "competency_name")
    )
    return ProjectFigures(
        by_status={status: by_status.get(status, 0) for status in ChallengeProject.Status.values},
        participation=participation, developed=developed,
    )
