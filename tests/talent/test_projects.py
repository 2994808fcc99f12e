"""Challenge projects: posting and states, applying, the director's answer (a refusal with its reason), the deadline
that sends an unanswered application to the learning office (time-machine, from the session's clock), the ranking of
applicants, the close whose ratings change the participants' levels and gaps through the gap engine, the figures, and
the scope (404 out of it, GET and POST, HTMX included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clo.talent.models import ChallengeProject, ProjectApplication, ProjectRating
from clo.talent.selectors import projects as selectors
from clo.talent.services import projects as services
from clo.talent.tasks import project_applications_escalate
from evaluations.gaps import services as gap_services
from evaluations.models import CurrentLevel, Evidence, Gap
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
MOTIVATION = "I drafted the school grants procedure and want to learn data analysis."


def as_(person) -> Client:
    """A client of its own for ``person`` (an employee or a user): several people act in one test."""
    client = Client()
    client.force_login(getattr(person, "user", person))
    return client


@pytest.fixture
def skills(employee_a):
    """A competency the project requires (employee A's position requires it too) and one it teaches."""
    framework = f.FrameworkFactory(evidence_validity_months=24)
    required = f.CompetencyFactory(area=f.AreaFactory(framework=framework), name="Contractació pública")
    to_learn = f.CompetencyFactory(area=f.AreaFactory(framework=framework), name="Anàlisi de dades")
    f.RequirementFactory(position=employee_a.position, competency=required, required_level=3)
    f.RequirementFactory(position=employee_a.position, competency=to_learn, required_level=4, weight=3)
    return required, to_learn


def post_project(owner, unit, skills, *, title="Dades obertes de beques") -> ChallengeProject:
    required, to_learn = skills
    today = timezone.localdate()
    return services.project_create(
        title=title, goal="Publish the grants data as open data.", unit=unit, starts_on=today + dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=120), weekly_hours=Decimal("4"), required=[(required, 2)],
        to_learn=[(to_learn, 3)], owner=owner)


@pytest.fixture
def open_project(org, clo_user, skills):
    project = post_project(clo_user, org.root, skills)
    return services.project_move(project=project, to="open")


def test_a_director_posts_an_employee_applies_is_approved_and_the_close_changes_her_gaps(
        org, skills, director_a, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    required, to_learn = skills
    director_a_client, employee_a_client = as_(director_a), as_(employee_a)
    today = timezone.localdate()
    response = director_a_client.post(reverse("talent:project_create"), {
        "title": "Beques digitals", "goal": "A digital grants desk for the schools.", "unit": org.unit_a1.pk,
        "starts_on": today + dt.timedelta(days=10), "ends_on": today + dt.timedelta(days=90), "weekly_hours": "3",
        "required_1": required.pk, "required_1_level": 2, "learn_1": to_learn.pk, "learn_1_level": 3,
    })
    project = ChallengeProject.objects.get(title="Beques digitals")
    assert response.status_code == 302 and project.status == "draft" and project.owner == director_a.user
    director_a_client.post(reverse("talent:project_status", args=[project.pk]), {"to": "open"})
    assert employee_a_client.get(reverse("talent:project_list")).content.decode().count("Beques digitals") == 1
    employee_a_client.post(reverse("talent:project_apply", args=[project.pk]), {"motivation": MOTIVATION})
    application = ProjectApplication.objects.get(project=project, employee=employee_a)
    assert application.due_on == timezone.localdate() + dt.timedelta(days=settings.CLO_PROJECT_APPROVAL_DAYS)
    assert "Beques digitals" in director_a_client.get(reverse("talent:project_approvals")).content.decode()
    director_a_client.post(reverse("talent:project_application_decide", args=[application.pk]),
                           {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == director_a.user
    director_a_client.post(reverse("talent:project_status", args=[project.pk]), {"to": "running"})

    gap_services.gaps_full_run(today=timezone.localdate())
    assert Gap.objects.get(employee=employee_a, competency=to_learn).gap == 4
    close = reverse("talent:project_close", args=[project.pk])
    assert director_a_client.get(close).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = director_a_client.post(close, {f"r_{application.pk}_{to_learn.pk}": 3,
                                                  f"r_{application.pk}_{required.pk}": ""})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "closed" and project.closed_on == timezone.localdate()
    piece = Evidence.objects.get(employee=employee_a, competency=to_learn)
    assert (piece.source, piece.level) == ("project", 3)
    level = CurrentLevel.objects.get(employee=employee_a, competency=to_learn)
    assert (level.source, level.level, level.assessed_on) == ("project", 3, project.closed_on)
    # it expires like a validated manager rating: the framework's validity after the close
    assert level.expires_on == project.closed_on + relativedelta(months=24)
    assert Gap.objects.get(employee=employee_a, competency=to_learn).gap == 1
    assert not Evidence.objects.filter(competency=required).exists()  # "not rated" records nothing
    figures = selectors.project_figures(director_a.user)
    assert figures.by_status["closed"] == 1
    assert [(row["unit_name"], row["participants"]) for row in figures.participation] == [(org.unit_a1.name, 1)]
    assert [(row["competency_name"], row["people"]) for row in figures.developed] == [(to_learn.name, 1)]


def test_a_project_rating_ranks_like_a_validated_manager_rating(employee_a, skills):
    """A newer self-assessment does not outrank it; a newer validated manager rating does."""
    _required, to_learn = skills
    today = timezone.localdate()
    evidence_day = today - dt.timedelta(days=30)
    Evidence.objects.create(employee=employee_a, competency=to_learn, level=3, source="project",
                            evidenced_on=evidence_day)
    self_assessment = f.AssessmentFactory(employee=employee_a, assessor=employee_a, role="self",
                                          status="submitted", submitted_at=timezone.now())
    f.RatingFactory(assessment=self_assessment, competency=to_learn, level=1)
    gap_services.gaps_full_run(full_consolidation=True, today=today)
    level = CurrentLevel.objects.get(employee=employee_a, competency=to_learn)
    assert (level.source, level.level) == ("project", 3)


def test_a_refusal_needs_its_reason(open_project, employee_a, director_a_client):
    application = services.project_apply(project=open_project, employee=employee_a, motivation=MOTIVATION)
    url = reverse("talent:project_application_decide", args=[application.pk])
    response = director_a_client.post(url, {"decision": "refuse", "reason": " "}, **HX)
    assert response.status_code == 422
    assert 'id="approvals"' in response.content.decode() and "<html" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    with pytest.raises(ValidationError):
        services.application_decide(application=application, approve=False, reason="", decided_by=None)
    director_a_client.post(url, {"decision": "refuse", "reason": "The grants season needs her full time."})
    application.refresh_from_db()
    assert (application.status, application.refusal_reason) == ("refused", "The grants season needs her full time.")


def test_an_unanswered_application_goes_to_the_learning_office_after_the_deadline(
        open_project, employee_a, clo_user, client):
    """Time-machine from the session's clock (CLO_TEST_NOW when set): the day before the deadline nothing moves;
    after it the daily job sends the application to the learning office, which may then decide it."""
    application = services.project_apply(project=open_project, employee=employee_a, motivation=MOTIVATION)
    assert "talent.project_applications_escalate" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    decide = reverse("talent:project_application_decide", args=[application.pk])
    days = settings.CLO_PROJECT_APPROVAL_DAYS
    assert application.due_on == timezone.localdate() + dt.timedelta(days=days)

    def noon(day: dt.date) -> dt.datetime:  # by local days: a span of days may hold a 23- or a 25-hour one
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    with time_machine.travel(noon(application.due_on - dt.timedelta(days=1)), tick=False):
        client.force_login(clo_user)
        assert project_applications_escalate() == 0
        assert client.post(decide, {"decision": "approve"}).status_code == 404  # the director's to answer
    with time_machine.travel(noon(application.due_on + dt.timedelta(days=1)), tick=False):
        client.force_login(clo_user)
        assert project_applications_escalate() == 1
        assert project_applications_escalate() == 0  # a second run changes nothing
        application.refresh_from_db()
        assert application.escalated_at is not None and application.status == "pending"
        assert employee_a.full_name in client.get(reverse("talent:project_approvals")).content.decode()
        client.post(decide, {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == clo_user


def test_applicants_are_ranked_by_fit_then_learning_value_in_a_constant_number_of_queries(
        org, open_project, skills, django_assert_max_num_queries):
    required, to_learn = skills
    position = f.PositionFactory()
    f.RequirementFactory(position=position, competency=to_learn, required_level=4, weight=5)
    fits = f.EmployeeFactory(unit=org.unit_a1, last_name="Encaixa")  # reaches the required level
    f.CurrentLevelFactory(employee=fits, competency=required, level=2)
    learns = f.EmployeeFactory(unit=org.unit_b1, position=position, last_name="Aprèn")  # same fit, more to learn
    f.CurrentLevelFactory(employee=learns, competency=required, level=2)
    far = f.EmployeeFactory(unit=org.unit_b1, last_name="Lluny")  # nothing yet
    for person in (far, fits, learns):
        services.project_apply(project=open_project, employee=person, motivation=MOTIVATION)
    with django_assert_max_num_queries(2):
        ranked = selectors.ranked_applicants(open_project)
    assert [row.employee.last_name for row in ranked] == ["Aprèn", "Encaixa", "Lluny"]
    assert [(row.fit, row.fit_gap, row.learning_value) for row in ranked] == [(100, 0, 15), (100, 0, 3), (0, 2, 3)]
    for n in range(20):
        services.project_apply(project=open_project, employee=f.EmployeeFactory(unit=org.unit_a1),
                               motivation=MOTIVATION)
    with django_assert_max_num_queries(2):
        assert len(selectors.ranked_applicants(open_project)) == 23


def test_starting_needs_a_participant_and_refuses_the_pending(open_project, employee_a, employee_b, director_a):
    with pytest.raises(ValidationError):
        services.project_move(project=open_project, to="running")
    mine = services.project_apply(project=open_project, employee=employee_a, motivation=MOTIVATION)
    other = services.project_apply(project=open_project, employee=employee_b, motivation=MOTIVATION)
    services.application_decide(application=mine, approve=True, reason="", decided_by=director_a.user)
    services.project_move(project=open_project, to="running")
    other.refresh_from_db()
    assert other.status == "refused" and other.refusal_reason
    with pytest.raises(ValidationError):
        services.project_move(project=open_project, to="open")


def test_out_of_scope_answers_404_on_get_and_post_htmx_included(
        org, skills, director_a, director_b, employee_a, employee_b):
    outsider_client, employee_a_client = as_(director_b), as_(employee_a)
    draft = post_project(director_a.user, org.unit_a1, skills, title="Projecte ocult d'Educació")
    running = post_project(director_a.user, org.unit_a1, skills, title="Projecte en marxa")
    services.project_move(project=running, to="open")
    application = services.project_apply(project=running, employee=employee_a, motivation=MOTIVATION)
    urls = [reverse("talent:project_detail", args=[draft.pk]), reverse("talent:project_status", args=[draft.pk]),
            reverse("talent:project_close", args=[running.pk]), reverse("talent:project_apply", args=[draft.pk]),
            reverse("talent:project_application_decide", args=[application.pk])]
    for url in urls:
        for headers in ({}, HX):
            assert outsider_client.get(url, **headers).status_code in (404, 405), url
            response = outsider_client.post(url, {"to": "cancelled", "decision": "approve"}, **headers)
            assert response.status_code in (404, 405), url
    # the outsider reads the open project (published to the council) but not its applicants
    page = outsider_client.get(reverse("talent:project_detail", args=[running.pk])).content.decode()
    assert "Projecte en marxa" in page and employee_a.full_name not in page
    assert "Projecte ocult" not in outsider_client.get(reverse("talent:project_list")).content.decode()
    # an employee does not manage, nor decide their own application
    assert employee_a_client.post(reverse("talent:project_status", args=[running.pk]), {"to": "running"},
                                  **HX).status_code == 404
    assert employee_a_client.get(reverse("talent:project_detail", args=[draft.pk])).status_code == 404
    assert employee_a_client.get(reverse("talent:project_approvals")).status_code == 404
    assert employee_a_client.get(reverse("talent:project_dashboard")).status_code == 404
    draft.refresh_from_db()
    application.refresh_from_db()
    assert draft.status == "draft" and application.status == "pending"
    assert not ProjectRating.objects.exists()


def test_the_pages_render_and_htmx_gets_the_partial(org, open_project, employee_a, clo_client, english):
    services.project_apply(project=open_project, employee=employee_a, motivation=MOTIVATION)
    for name in ("talent:project_list", "talent:project_create", "talent:my_project_applications",
                 "talent:project_approvals", "talent:project_dashboard"):
        assert clo_client.get(reverse(name)).status_code == 200, name
    detail = clo_client.get(reverse("talent:project_detail", args=[open_project.pk]), **HX).content.decode()
    assert 'id="project-body"' in detail and "<html" not in detail and employee_a.full_name in detail
    response = clo_client.post(reverse("talent:project_create"), {"title": ""}, **HX)
    assert response.status_code == 422 and 'id="project-form"' in response.content.decode()
