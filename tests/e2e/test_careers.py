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


@pytest.fixture
def itinerary_and_badge(employee_a):
    from clo.careers.models import Itinerary, ItineraryStep
    from clo.careers.services.badges import badge_issue_for_enrolment

    itinerary = Itinerary.objects.create(title="Cap a la gestió econòmica", job_family="Gestió econòmica")
    first = ItineraryStep.objects.create(itinerary=itinerary, order=1, program=f.ProgramFactory(title="Pressupostos"))
    second = ItineraryStep.objects.create(itinerary=itinerary, order=2, program=f.ProgramFactory(title="Contractes"))
    second.prerequisites.add(first)
    starts = timezone.now() - dt.timedelta(days=3)
    session = f.SessionFactory(program=first.program, starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    completed = f.EnrolmentFactory(session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
                                   completed_on=timezone.localdate(starts))
    return {"itinerary": itinerary, "badge": badge_issue_for_enrolment(enrolment_id=completed.pk)}


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_itinerary_steps_and_badge_pages_pass_axe(e2e_page, live_server, itinerary_and_badge, clo_user, language):
    """The learning office's itinerary with its step buttons and a refused move's message; a badge and its public
    verification page."""
    page = e2e_page
    page.set_extra_http_headers({"Accept-Language": language})
    itinerary, badge = itinerary_and_badge["itinerary"], itinerary_and_badge["badge"]
    log_in(page, "clo")
    page.goto(f"/careers/itineraries/{itinerary.pk}/")
    axe_check(page)
    page.click("#itinerary-steps li:nth-child(2) form:has(input[value=up]) button")  # Contractes needs Pressupostos
    page.wait_for_selector("#itinerary-steps .field-errors")
    assert "Contractes" in page.inner_text("#itinerary-steps .field-errors")
    axe_check(page)
    log_out(page)
    log_in(page, "empleat.a")
    page.goto(f"/careers/badges/{badge.pk}/")
    axe_check(page)
    log_out(page)
    page.goto(f"/badges/verify/{badge.public_id}/")
    axe_check(page)
