"""The horizontal career: the one set-based re-evaluation, each person's progress, HR's eligibility list (page and
download agree), the rules page that re-evaluates everyone, scope (a director of another unit gets 404) and the
queries of each page at two sizes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.careers.models import CareerEligibility, CareerEvaluationJob, CareerRule, PersonGrade
from clo.careers.selectors.grades import add_months, is_eligible
from clo.careers.services.grades import career_evaluate_all, person_grade_set
from evaluations.models import Assessment
from programs.models import Enrolment
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def _trained(employee, hours: str, *, days_ago: int = 200, completed: bool = True):
    program = f.ProgramFactory(hours=Decimal(hours))
    session = f.SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=days_ago))
    status = Enrolment.Status.COMPLETED if completed else Enrolment.Status.ATTENDED
    return f.EnrolmentFactory(session=session, employee=employee, status=status, hours_attended=Decimal(hours),
                              completed_on=timezone.localdate() - dt.timedelta(days=days_ago) if completed else None)


@pytest.fixture
def career(employee_a, employee_b):
    """Group A2, grade 1: 20 hours within 5 years, 5 years in the grade. Pere (unit A) has 30 hours and was hired
    long ago; Anna (unit B) has 5."""
    today = timezone.localdate()
    hired = today.replace(year=today.year - 10, day=1)
    for employee in (employee_a, employee_b):
        employee.hire_date = hired
        employee.save(update_fields=["hire_date"])
    _trained(employee_a, "30")
    _trained(employee_a, "50", days_ago=6 * 366)  # outside the period: does not count
    _trained(employee_b, "5")
    rule = CareerRule.objects.create(group="A2", grade=1, amount=Decimal("20"), period_years=5, min_years=5)
    career_evaluate_all(today=today)
    return rule


def test_one_evaluation_stores_each_persons_evidence(career, employee_a, employee_b):
    pere = CareerEligibility.objects.get(employee=employee_a)
    anna = CareerEligibility.objects.get(employee=employee_b)
    assert (pere.training, pere.meets_training, pere.grade, pere.evaluated) == (Decimal("30"), True, 0, None)
    assert pere.years_met_on == employee_a.hire_date.replace(year=employee_a.hire_date.year + 5)
    assert (anna.training, anna.meets_training) == (Decimal("5"), False)
    today = timezone.localdate()
    assert is_eligible(pere, today) and not is_eligible(anna, today)


def test_credits_count_completed_programs_and_evaluation_needs_a_validated_manager_assessment(career, employee_a,
                                                                                              director_a):
    career.measure, career.amount, career.needs_evaluation = CareerRule.Measure.CREDITS, Decimal("3"), True
    career.save()
    career_evaluate_all(today=timezone.localdate())
    row = CareerEligibility.objects.get(employee=employee_a)
    assert (row.training, row.meets_training, row.evaluated) == (Decimal("3"), True, False)
    assert not is_eligible(row, timezone.localdate())
    f.AssessmentFactory(employee=employee_a, assessor=director_a, role=Assessment.Role.MANAGER,
                        status=Assessment.Status.VALIDATED, submitted_at=timezone.now() - dt.timedelta(days=31),
                        validated_at=timezone.now() - dt.timedelta(days=30))
    career_evaluate_all(today=timezone.localdate())
    assert CareerEligibility.objects.get(employee=employee_a).evaluated is True


def test_a_person_in_grade_1_is_evaluated_against_grade_2_from_their_grade_date(career, employee_a):
    today = timezone.localdate()
    CareerRule.objects.create(group="A2", grade=2, amount=Decimal("10"), period_years=5, min_years=3)
    since = today - dt.timedelta(days=400)
    person_grade_set(employee_id=employee_a.pk, grade=1, since=since)
    career_evaluate_all(today=today)
    row = CareerEligibility.objects.select_related("rule").get(employee=employee_a)
    assert (row.rule.grade, row.grade, row.grade_since) == (2, 1, since)
    assert row.years_met_on > today and not is_eligible(row, today)


def test_my_career_shows_the_progress(client, english, career, employee_a, employee_b):
    login(client, employee_a.user)
    page = client.get(reverse("careers:my_career")).content.decode()
    assert "Eligible for grade 1" in page and reverse("careers:my_record") in page
    login(client, employee_b.user)
    page = client.get(reverse("careers:my_career")).content.decode()
    assert "Not yet eligible for grade 1" in page and "15 to go" in page


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_hr_list_and_download_agree_and_director_sees_subtree_only(client, career, hr_user, director_a, director_b,
                                                                    employee_a, employee_b):
    login(client, hr_user)
    page = client.get(reverse("careers:eligibility"), {"months": 0}).content.decode()
    rows = _csv(client.get(reverse("careers:eligibility"), {"months": 0, "export": "csv"}))
    assert employee_a.full_name in page and employee_b.full_name not in page
    assert [r[1] for r in rows[1:]] == [employee_a.full_name]
    login(client, director_b.user)
    assert employee_a.full_name not in client.get(reverse("careers:eligibility")).content.decode()
    assert client.get(reverse("careers:person_career", args=[employee_a.pk])).status_code == 404
    assert client.get(reverse("careers:record_pdf", args=[employee_a.pk])).status_code == 404
    login(client, director_a.user)
    assert employee_a.full_name in client.get(reverse("careers:eligibility"), **HX).content.decode()
    assert client.get(reverse("careers:person_career", args=[employee_a.pk])).status_code == 200


def test_eligible_within_months(client, career, hr_user, employee_a):
    today = timezone.localdate()
    person_grade_set(employee_id=employee_a.pk, grade=0, since=add_months(today, 3).replace(
        year=add_months(today, 3).year - 5))
    career_evaluate_all(today=today)
    login(client, hr_user)
    assert employee_a.full_name not in client.get(reverse("careers:eligibility"), {"months": 0}).content.decode()
    assert employee_a.full_name in client.get(reverse("careers:eligibility"), {"months": 4}).content.decode()
    # a hostile horizon falls back to the default, never a server error
    assert client.get(reverse("careers:eligibility"), {"months": "9999999999", "group": "ZZ"}).status_code == 200


def test_changing_a_rule_re_evaluates_everyone_in_one_job(client, english, career, hr_user, employee_b, eager_tasks,
                                                         django_capture_on_commit_callbacks):
    login(client, hr_user)
    data = {"group": "A2", "grade": "1", "measure": "hours", "amount": "4", "period_years": "5", "min_years": "5"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("careers:rule_edit", args=[career.pk]), data)
    job = CareerEvaluationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("careers:evaluation_job", args=[job.pk])
    assert (job.status, job.rule_count, job.percent) == ("done", 1, 100)
    assert job.total == CareerEligibility.objects.count() >= 2
    assert CareerEligibility.objects.get(employee=employee_b).meets_training
    progress = client.get(reverse("careers:evaluation_job", args=[job.pk]), **HX).content.decode()
    assert "1 of 1 rules applied" in progress and "<html" not in progress
    bad = client.post(reverse("careers:rules"), {**data, "amount": "-1"}, **HX)
    assert bad.status_code == 422 and b"rule-form" in bad.content and b"<html" not in bad.content


def test_rules_are_hr_and_learning_office_only(client, career, director_a, employee_a):
    for user in (director_a.user, employee_a.user):
        login(client, user)
        assert client.get(reverse("careers:rules")).status_code == 404
        assert client.post(reverse("careers:rule_delete", args=[career.pk])).status_code == 404
    assert CareerRule.objects.filter(pk=career.pk).exists()


def test_demo_grades_are_rows_of_person_grade(career, employee_a):
    person_grade_set(employee_id=employee_a.pk, grade=1, since=timezone.localdate())
    assert PersonGrade.objects.get(employee=employee_a).grade == 1


def _more_people(org, n: int):
    position = f.PositionFactory(group="A2")
    today = timezone.localdate()
    for i in range(n):
        employee = f.EmployeeFactory(unit=org.unit_a1, position=position, hire_date=today.replace(year=today.year - 9))
        _trained(employee, "25", days_ago=100 + i)
    career_evaluate_all(today=today)


@pytest.mark.parametrize("extra", [2, 12])
def test_queries_do_not_grow_with_the_list(client, org, career, hr_user, employee_a, extra,
                                           django_assert_max_num_queries):
    _more_people(org, extra)
    login(client, hr_user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("careers:eligibility")).status_code == 200
    login(client, employee_a.user)
    with django_assert_max_num_queries(17):  # 12, and the recognition section's five (tests/careers/test_recognition.py)
        assert client.get(reverse("careers:my_career")).status_code == 200
