"""In a real browser, in Catalan, Spanish and English: the pool of internal trainers (the list, adding a person with
an unknown number refused at the field, a trainer's page with a session assignment refused at the field), mentoring
(the list, starting a relationship, a relationship with a meeting refused then recorded), a person's recognition on
their career page and the credits and badges by unit and group pass axe."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from clo.careers.services.badges import badge_issue_for_enrolment
from clo.talent.models import MentoringRelationship
from clo.talent.services import trainers as trainer_services
from programs.models import Enrolment, Session, SessionDay
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def axe_in_every_language(page) -> None:
    for language in ("ca", "es", "en"):  # ends in English, as the test reads the page
        switch_language(page, language)
        assert page.get_attribute("html", "lang") == language
        axe_check(page)


@pytest.fixture
def pool(scenario, employee_a, org):
    competency = f.CompetencyFactory(name="Redacció administrativa")
    trainer = trainer_services.trainer_add(employee=employee_a, teaches=True, mentors=True, competencies=[competency],
                                           availability="Dimarts al matí")
    starts = timezone.now() - dt.timedelta(days=20)
    session = f.SessionFactory(starts_at=starts, status=Session.Status.FINISHED, internal_trainer=employee_a)
    SessionDay.objects.create(session=session, date=timezone.localdate(starts), hours=Decimal("4.0"))
    enrolment = f.EnrolmentFactory(employee=employee_a, status=Enrolment.Status.COMPLETED,
                                   completed_on=timezone.localdate() - dt.timedelta(days=40),
                                   session=f.SessionFactory(starts_at=starts - dt.timedelta(days=30),
                                                            status=Session.Status.FINISHED))
    badge_issue_for_enrolment(enrolment_id=enrolment.pk)
    return trainer


def test_the_trainer_and_mentoring_pages_pass_axe(e2e_page, live_server, pool, employee_a, director_a, org):
    page = e2e_page
    log_in(page, "clo")
    page.goto("/trainers/")
    assert "Pere Soler Camps" in page.locator("main").inner_text()
    axe_in_every_language(page)
    page.goto("/trainers/new/")
    page.fill("#id_employee", "NOBODY")
    page.check("#id_teaches")
    page.click("#trainer-form button[type=submit]")
    page.locator("#id_employee_error").wait_for()
    axe_in_every_language(page)
    page.goto(f"/trainers/{pool.pk}/")
    page.fill("#id_session", "NOPE")
    page.click("#assign-form button[type=submit]")
    page.locator("#id_session_error").wait_for()
    axe_in_every_language(page)
    page.goto("/careers/recognition/")
    axe_in_every_language(page)
    page.goto(f"/careers/people/{employee_a.pk}/")
    page.locator("#recognition").wait_for()
    axe_in_every_language(page)

    page.goto("/mentoring/new/")
    page.fill("#id_mentor", director_a.employee_number)
    page.fill("#id_mentee", employee_a.employee_number)
    page.fill("#id_starts_on", (timezone.localdate() - dt.timedelta(days=10)).isoformat())
    page.click("#mentoring-form button[type=submit]")
    page.wait_for_url(re.compile(r"/mentoring/\d+/$"))
    relationship = MentoringRelationship.objects.get()
    assert page.url.endswith(f"/mentoring/{relationship.pk}/")
    page.fill("#id_held_on", (timezone.localdate() - dt.timedelta(days=30)).isoformat())
    page.fill("#id_minutes", "60")
    page.click("#meetings button[type=submit]")
    page.locator("#id_held_on_error").wait_for()
    axe_in_every_language(page)
    page.fill("#id_held_on", (timezone.localdate() - dt.timedelta(days=2)).isoformat())  # a fresh form: the
    page.fill("#id_minutes", "60")  # language switch reloaded the page
    page.click("#meetings button[type=submit]")
    page.locator("#meetings td:has-text('60')").wait_for()
    axe_in_every_language(page)
    page.goto("/mentoring/")
    axe_in_every_language(page)
    page.goto("/mentoring/new/")
    axe_in_every_language(page)
