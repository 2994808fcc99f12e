"""In a real browser, in Catalan, Spanish and English: the horizontal career pages (my career, the eligibility list,
the rules with a form error, a re-evaluation, the training records' bulk job) pass axe."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from clo.careers.models import CareerEvaluationJob, CareerRule, RecordPdfJob
from clo.careers.services.grades import career_evaluate_all
from programs.models import Enrolment
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def career(org, hr_user, director_a, employee_a):
    today = timezone.localdate()
    employee_a.hire_date = today.replace(year=today.year - 10, day=1)
    employee_a.save(update_fields=["hire_date"])
    session = f.SessionFactory(program=f.ProgramFactory(hours=Decimal("30")),
                               starts_at=timezone.now() - dt.timedelta(days=90))
    f.EnrolmentFactory(session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
                       hours_attended=Decimal("30"), completed_on=today - dt.timedelta(days=89))
    rule = CareerRule.objects.create(group="A2", grade=1, amount=Decimal("20"), period_years=5, min_years=5)
    career_evaluate_all(today=today)
    return {"rule": rule, "job": CareerEvaluationJob.objects.create(status=CareerEvaluationJob.Status.DONE),
            "records": RecordPdfJob.objects.create(unit=org.unit_a)}


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_careers_pages_pass_axe(e2e_page, live_server, career, language):
    page = e2e_page
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "empleat.a")
    page.goto("/careers/my-career/")
    axe_check(page)
    log_out(page)
    log_in(page, "rrhh")
    page.goto("/careers/eligibility/")
    assert "Pere Soler Camps" in page.content()
    axe_check(page)
    page.goto("/careers/rules/")
    page.fill("input[name=amount]", "-1")
    page.click("#rule-form button[type=submit]")
    page.wait_for_selector("#rule-form .form-errors")
    axe_check(page)
    page.goto(f"/careers/rules/{career['rule'].pk}/")
    axe_check(page)
    page.goto(f"/careers/re-evaluations/{career['job'].pk}/")
    axe_check(page)
    page.goto("/careers/training-records/")
    axe_check(page)
    page.goto(f"/careers/training-records/{career['records'].pk}/")
    axe_check(page)
