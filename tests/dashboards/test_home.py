"""The home page: one section per role, with the real figures of that role's scope, at a query cost that does not
grow with the organisation.

Pages are requested in English (the source language), so that the Catalan and Spanish catalogues, when they land,
do not change what these tests read; one test checks the Catalan number format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.people.models import Employee
from evaluations.gaps.services import gaps_full_run
from competencies.models import Competency, Framework, Requirement
from programs.models import Enrolment, LearningPlanItem, Session, TrainingNeed
from tests import factories as f
from tests.conftest import login
from tests.dashboards.pages import read

HOME = "/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def get_home(client, **headers):
    response = client.get(HOME, **{**EN, **headers})
    assert response.status_code == 200
    return read(response)


# --- The scenario -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(org, clo_user, hr_user, director_a, employee_a, director_b, employee_b):
    """A small council with known figures (see the assertions for the arithmetic)."""
    today = timezone.localdate()
    now = timezone.now()
    reference = {  # what the migrations shipped (reference frameworks), counted before this scenario adds its own
        "frameworks": Framework.objects.filter(status="published").count(),
        "competencies": Competency.objects.filter(framework__status="published").count(),
        "requirements": Requirement.objects.exclude(competency__framework__status="archived").count(),
    }

    area = f.AreaFactory(framework=f.FrameworkFactory(code="TRANS", name="Transversals"))
    writing = f.CompetencyFactory(area=area, code="T1", name="Administrative writing")
    teamwork = f.CompetencyFactory(area=area, code="T2", name="Teamwork")
    archived = f.CompetencyFactory(
        area=f.AreaFactory(framework=f.FrameworkFactory(code="OLD", status=Framework.Status.ARCHIVED)), code="OLD1"
    )
    f.FrameworkFactory(code="DRAFT", status=Framework.Status.DRAFT)

    # Requirements (archived frameworks never count):
    # employee_a: writing ≥ 3 (level 3: met), teamwork ≥ 2 (no level: unmet), archived ≥ 1 (ignored)
    # employee_b: writing ≥ 2 (level 4: met), teamwork ≥ 3 (unmet)
    # director_a: teamwork ≥ 1 (only an expired level: unmet, and not assessed)
    a_position, b_position = employee_a.position, employee_b.position
    a_position.title = "Tècnic/a d'educació"
    a_position.save(update_fields=["title"])
    f.RequirementFactory(position=a_position, competency=writing, required_level=3)
    f.RequirementFactory(position=a_position, competency=teamwork, required_level=2)
    f.RequirementFactory(position=a_position, competency=archived, required_level=1)
    f.RequirementFactory(position=b_position, competency=writing, required_level=2)
    f.RequirementFactory(position=b_position, competency=teamwork, required_level=3)
    f.RequirementFactory(position=director_a.position, competency=teamwork, required_level=1)
    # A position whose only requirement is archived, and an inactive position: neither is "in force".
    f.RequirementFactory(position=f.PositionFactory(code="ONLYOLD"), competency=archived, required_level=1)
    f.PositionFactory(code="GONE", active=False)

    # Imported levels: the gap analysis keeps them as they are (the CLO's figures are its roll-ups).
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=3, source="import")
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=4, source="import")
    f.CurrentLevelFactory(
        employee=director_a, competency=teamwork, level=2, assessed_on=today - dt.timedelta(days=900),
        expires_on=today - dt.timedelta(days=1), source="import",
    )
    # A former employee of unit A1 with the same position and a level: never counted anywhere.
    leaver = f.EmployeeFactory(unit=org.unit_a1, position=a_position, active=False, first_name="Jaume",
                               last_name="Antic Roca")
    f.CurrentLevelFactory(employee=leaver, competency=teamwork, level=4)

    # Employment and succession: employee_b is interim; director_a (critical position) retires in 2 years,
    # employee_b in 4, the CLO in 6 (outside the 5-year window).
    Employee.objects.filter(pk=employee_b.pk).update(
        employment_type=Employee.EmploymentType.INTERIM, expected_retirement_date=today + dt.timedelta(days=4 * 365)
    )
    Employee.objects.filter(pk=director_a.pk).update(expected_retirement_date=today + dt.timedelta(days=2 * 365))
    Employee.objects.filter(user=clo_user).update(expected_retirement_date=today + dt.timedelta(days=6 * 365))
    director_a.position.is_critical, director_a.position.criticality = True, 2
    director_a.position.save(update_fields=["is_critical", "criticality"])

    # Sessions: two upcoming scheduled ones (10 seats with 2 taken → 8 left; 1 seat with 2 taken → 0 left),
    # plus a past one and a cancelled one that do not count.
    writing_course = f.ProgramFactory(title="Clear administrative writing")
    open_session = f.SessionFactory(program=writing_course, capacity=10, starts_at=now + dt.timedelta(days=10))
    full_session = f.SessionFactory(capacity=1, starts_at=now + dt.timedelta(days=20))
    past_session = f.SessionFactory(program=f.ProgramFactory(title="Teamwork basics"), capacity=10,
                                    starts_at=now - dt.timedelta(days=3))
    f.SessionFactory(capacity=50, starts_at=now + dt.timedelta(days=5), status=Session.Status.CANCELLED)
    approved = Enrolment.Status.APPROVED
    f.EnrolmentFactory(session=open_session, employee=director_a, status=approved)
    f.EnrolmentFactory(session=open_session, employee=director_b, status=approved)
    f.EnrolmentFactory(session=open_session, employee=employee_a)  # requested: waits for director_a
    f.EnrolmentFactory(session=open_session, employee=employee_b, status=Enrolment.Status.CANCELLED)
    f.EnrolmentFactory(session=full_session, employee=employee_a, status=approved)
    f.EnrolmentFactory(session=full_session, employee=employee_b, status=approved)
    f.EnrolmentFactory(session=past_session, employee=employee_b)  # requested: waits for director_b

    # Training needs: unit A's subtree has one submitted, one draft, one accepted; unit B one submitted.
    status = TrainingNeed.Status
    f.TrainingNeedFactory(unit=org.unit_a1, submitted_by=director_a, status=status.SUBMITTED)
    f.TrainingNeedFactory(unit=org.unit_a, submitted_by=director_a, status=status.DRAFT)
    f.TrainingNeedFactory(unit=org.unit_a1, submitted_by=director_a, status=status.ACCEPTED)
    f.TrainingNeedFactory(unit=org.unit_b, submitted_by=director_b, status=status.SUBMITTED)

    # This year's plan: 150 000 € of budget, 12 500.50 + 7 499.50 € of actions; next year's does not show.
    plan = f.TrainingPlanFactory(year=today.year, budget=Decimal("150000.00"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("12500.50"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("7499.50"))
    f.TrainingPlanFactory(year=today.year + 1, budget=Decimal("999.00"))

    # Learning plans: employee_a has one in force; employee_b only last year's.
    current = f.LearningPlanFactory(
        employee=employee_a, period_start=today - dt.timedelta(days=30), period_end=today + dt.timedelta(days=300),
        status="active",
    )
    f.LearningPlanItemFactory(plan=current, kind=LearningPlanItem.Kind.MENTORING, title="Mentoring with the head")
    f.LearningPlanItemFactory(plan=current, kind=LearningPlanItem.Kind.PROGRAM, program=writing_course,
                              competency=writing, target_level=4, title="")
    f.LearningPlanFactory(employee=employee_b, period_start=dt.date(today.year - 1, 1, 1),
                          period_end=dt.date(today.year - 1, 12, 31))
    return {"today": today, "reference": reference}


# --- Access -------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={HOME}"


def test_only_get_and_head(clo_client):
    assert clo_client.post(HOME).status_code == 405
    assert clo_client.head(HOME).status_code == 200


def test_user_without_role_gets_a_friendly_page(client, db):
    login(client, f.UserFactory(username="nobody"))
    page = get_home(client)
    assert page.sections == ["no-role"]
    assert "Your account has no role yet" in page.text


# --- Learning office -------------------------------------------------------------------------------------------


def test_learning_office_sees_the_whole_organisation(clo_client, world):
    gaps_full_run()  # the people and requirement figures are the gap roll-ups', like the dashboard's
    page = get_home(clo_client)
    ref = world["reference"]
    assert page.sections == ["section-clo", "section-employee"]  # the CLO is also an employee
    figures = page.figures["section-clo"]
    assert figures["Active employees"] == "6"  # the leaver is not active
    assert figures["Units"] == "5"
    assert figures["Positions"] == "7"  # six people's positions + ONLYOLD; GONE is inactive
    assert figures["Published frameworks"] == str(ref["frameworks"] + 1)  # TRANS; not OLD (archived) nor DRAFT
    assert figures["Competencies in published frameworks"] == str(ref["competencies"] + 2)
    assert figures["Position requirements"] == str(ref["requirements"] + 5)  # the two archived ones left out
    # employee_a, employee_b (teamwork) and director_a (expired level) each have a requirement never assessed;
    # the CLO, HR and director_b have no requirement; the leaver is not counted.
    assert figures["People not yet assessed"] == "3 of 3 people with requirements, with a requirement never rated"
    # pairs: employee_a 2 + employee_b 2 + director_a 1 = 5; met: employee_a writing, employee_b writing.
    assert figures["Requirements met"] == "40.0% 2 of 5 employee requirements"
    assert figures["Upcoming sessions"] == "2"
    assert figures["Seats left in upcoming sessions"] == "8"  # 10 − 2, and max(0, 1 − 2)
    assert figures["Enrolments waiting for a decision"] == "2"
    assert figures["Training needs awaiting triage"] == "2"
    assert figures["Budget"] == "€150,000.00"
    assert figures["Estimated cost of the plan's actions"] == "€20,000.00"
    assert figures["Budget left"] == "€130,000.00"
    assert f"Training plan {world['today'].year}" in page.text


def test_a_plan_over_its_budget_says_so_as_its_own_page_does(clo_client, world):
    """The home page's "budget left" is the plan page's: over budget, it is negative and says so."""
    from programs.models import TrainingPlan

    TrainingPlan.objects.filter(year=world["today"].year).update(budget=Decimal("15000.00"))
    figures = get_home(clo_client).figures["section-clo"]
    assert figures["Budget left"] == "€-5,000.00 Over budget"


def test_learning_office_without_a_plan_or_data(clo_client):
    page = get_home(clo_client)
    figures = page.figures["section-clo"]
    assert figures["Requirements met"] == "Not calculated yet"
    assert f"There is no training plan for {timezone.localdate().year} yet." in page.text


def test_before_the_first_gap_run_the_gap_figures_say_why_and_the_learning_office_can_run_it(clo_client, world):
    """The roll-ups are empty until a full run: "not yet assessed: 0 of 0 people" would be false (people with every
    requirement unmet are listed below it). The card says the figure is not calculated, why, and offers the run."""
    response = clo_client.get(HOME, **EN)
    html, page = response.content.decode(), read(response)
    figures = page.figures["section-clo"]
    assert figures["People not yet assessed"] == "Not calculated yet"
    assert figures["Requirements met"] == "Not calculated yet"
    assert "0 of 0" not in page.text
    assert "The gap analysis has not run yet." in page.text
    assert f'action="{reverse("evaluations:gap_run_request")}" method="post"' in html
    assert "Recalculate now" in page.text

    gaps_full_run()
    page = get_home(clo_client)
    assert page.figures["section-clo"]["People not yet assessed"].startswith("3 of 3 people")
    assert "The gap analysis has not run yet." not in page.text and "Recalculate now" not in page.text


def test_figures_use_the_number_format_of_the_language(clo_client, world):
    gaps_full_run()
    page = get_home(clo_client, HTTP_ACCEPT_LANGUAGE="ca")
    values = " ".join(page.figures["section-clo"].values())
    assert "40,0" in values and "150.000,00" in values


# --- HR --------------------------------------------------------------------------------------------------------


def test_hr_sees_people_plans_and_succession(hr_client, world):
    page = get_home(hr_client)
    assert page.sections == ["section-hr", "section-employee"]
    figures = page.figures["section-hr"]
    assert figures["Active employees"] == "6"
    assert figures[f"Employees with a learning plan for {world['today'].year}"] == "1"
    assert figures["Expected retirements in the next 5 years"] == "2 1 in a critical position"
    assert figures["Positions with no requirements"] == "4"  # CLO's, HR's, director_b's, ONLYOLD
    rows = dict((label, count) for label, count in page.tables["employment-types"])
    assert rows == {
        str(Employee.EmploymentType.CAREER.label): "5",
        str(Employee.EmploymentType.INTERIM.label): "1",
        str(Employee.EmploymentType.LABOUR.label): "0",
        str(Employee.EmploymentType.EVENTUAL.label): "0",
    }


# --- Directors -------------------------------------------------------------------------------------------------


def test_director_sees_their_units_and_people(director_a_client, world):
    page = get_home(director_a_client)
    assert page.sections == ["section-director", "section-employee"]  # a director is an employee too
    assert "Àrea de Serveis a les Persones — 2 units" in page.text  # A and A1
    figures = page.figures["section-director"]
    assert figures["People in my units"] == "2"  # the director and employee_a: as their dashboard counts them
    assert figures["People not yet assessed"] == "Not calculated yet"  # the dashboard's figure, from the gap run
    assert figures["Enrolment requests waiting for my decision"] == "1"
    assert page.tables["director-needs"] == [["Draft", "1"], ["Submitted", "1"], ["Accepted", "1"]]
    assert page.tables["largest-gaps"] == [["Pere Soler Camps", "Servei d'Educació", "Tècnic/a d'educació", "1 of 2"]]


def test_largest_gaps_are_the_top_five_by_unmet_requirements(org, director_a_client, director_a):
    competencies = [f.CompetencyFactory(area=f.AreaFactory()) for _ in range(4)]
    position = f.PositionFactory()
    for competency in competencies:
        f.RequirementFactory(position=position, competency=competency, required_level=2)
    people = [
        f.EmployeeFactory(unit=org.unit_a1, position=position, first_name=f"Persona{i}", last_name="Test")
        for i in range(8)
    ]
    # Persons 0..6 meet 0, 1, 2, 3, 3, 3, 3 of the 4 requirements (gaps 4, 3, 2, 1, 1, 1, 1); person 7 meets all.
    for i, person in enumerate(people):
        for competency in competencies[: min(i, 3) if i < 7 else 4]:
            f.CurrentLevelFactory(employee=person, competency=competency, level=2)
    page = get_home(director_a_client)
    rows = page.tables["largest-gaps"]
    assert [(row[0], row[3]) for row in rows] == [  # ties by name; persons 5, 6 (fewer gaps) and 7 left out
        ("Persona0 Test", "4 of 4"), ("Persona1 Test", "3 of 4"), ("Persona2 Test", "2 of 4"),
        ("Persona3 Test", "1 of 4"), ("Persona4 Test", "1 of 4"),
    ]


def test_outsider_director_never_sees_unit_a(outsider_client, world, director_a, employee_a, employee_b):
    response = outsider_client.get(HOME, **EN)
    page = read(response)
    for name in (director_a.full_name, employee_a.full_name, "Jaume Antic Roca", "Servei d'Educació"):
        assert name not in page.text
    assert "Àrea de Serveis a les Persones" not in page.text
    assert page.figures["section-director"]["People in my units"] == "2"  # director_b and employee_b
    assert page.figures["section-director"]["Enrolment requests waiting for my decision"] == "1"
    assert page.tables["director-needs"] == [["Submitted", "1"]]
    assert page.tables["largest-gaps"] == [
        ["Anna Pujol Sala", "Servei de Llicències", employee_b.position.title, "1 of 2"]
    ]


# --- Employee --------------------------------------------------------------------------------------------------


def test_employee_sees_own_requirements_enrolments_and_plan(employee_a_client, employee_a, world):
    page = get_home(employee_a_client)
    assert page.sections == ["section-employee"]
    profile = page.figures["section-employee"]
    assert profile == {
        "Name": "Pere Soler Camps", "Position": "Tècnic/a d'educació", "Unit": "Servei d'Educació",
        "Manager": "Carme Roig Font",
    }
    assert "1 of 2 requirements met." in page.text
    assert page.tables["my-requirements"] == [
        ["Administrative writing", "3", "3", "Yes"],
        ["Teamwork", "2", "Not assessed", "No"],
    ]
    enrolments = {row[0]: row[2] for row in page.tables["my-enrolments"]}
    assert list(enrolments.values()).count("Approved") == 1
    assert enrolments["Clear administrative writing"] == "Requested"
    assert [row[:2] for row in page.tables["my-plan"]] == [
        ["Mentoring with the head", "—"],
        ["Clear administrative writing", "Administrative writing · level 4"],
    ]


def test_employee_without_requirements_or_plan(employee_a_client):
    page = get_home(employee_a_client)
    assert "Your position has no competency requirements yet." in page.text
    assert "You have no enrolments." in page.text
    assert "You have no learning plan in force." in page.text
    assert "Manager" in page.figures["section-employee"]


# --- Query counts ---------------------------------------------------------------------------------------------


def grow(org, size: int) -> None:
    """Add ``size`` people to each of units A1 and B1, with requirements, levels, enrolments, needs and plans."""
    today = timezone.localdate()
    framework = Framework.objects.filter(code="SCALEFW").first() or f.FrameworkFactory(code="SCALEFW")
    area = f.AreaFactory(framework=framework)
    competencies = [f.CompetencyFactory(area=area) for _ in range(3)]
    session = f.SessionFactory(capacity=size)
    plan = f.TrainingPlanFactory(year=today.year)
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("100.00"))
    for unit in (org.unit_a1, org.unit_b1):
        sub = f.OrgUnitFactory(parent=unit)
        position = f.PositionFactory(unit=sub)
        for competency in competencies:
            f.RequirementFactory(position=position, competency=competency, required_level=2)
        for i in range(size):
            person = f.EmployeeFactory(unit=sub, position=position)
            f.CurrentLevelFactory(employee=person, competency=competencies[i % 3], level=1 + i % 4)
            f.EnrolmentFactory(session=session, employee=person,
                               status=Enrolment.Status.APPROVED if i % 2 else Enrolment.Status.REQUESTED)
            f.LearningPlanFactory(employee=person, period_start=today - dt.timedelta(days=10),
                                  period_end=today + dt.timedelta(days=10))
        f.TrainingNeedFactory(unit=sub, submitted_by=person, status=TrainingNeed.Status.SUBMITTED)


# One bound per role, the same at both sizes. Each page also pays for the session, the user and the scope; a
# director's, 2 more for the read log of the people with the largest gaps; the learning office's, HR's, a
# director's and an employee's, one more for the data versions their sections are kept under (read once, whatever
# the roles).
QUERY_BOUNDS = {"clo": 27, "hr": 20, "director": 22, "employee": 15}  # notices: one more (decided needs)


@pytest.mark.parametrize("role", ["clo", "hr", "director", "employee"])
def test_query_count_does_not_grow_with_the_organisation(
    role, client, org, clo_user, hr_user, director_a, employee_a, django_assert_max_num_queries
):
    user = {"clo": clo_user, "hr": hr_user, "director": director_a.user, "employee": employee_a.user}[role]
    login(client, user)
    counts = []
    for size in (3, 30):  # 3 then 33 more people in each of A1 and B1 (on top of the personas)
        grow(org, size)
        with django_assert_max_num_queries(QUERY_BOUNDS[role]) as captured:
            assert client.get(HOME, **EN).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
