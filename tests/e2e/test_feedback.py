"""In a real browser: an attendee answers the satisfaction questionnaire of a session that ended, once — the second
time the page says answers cannot be changed; the 90-day follow-up; the learning office's evaluation pages and the
director's list of unanswered follow-ups. axe checks every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import Enrolment, ReactionResponse, TransferFollowUp
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def feedback(org, clo_user, director_a, employee_a, employee_b):
    program = f.ProgramFactory(title="Clear administrative writing")
    competency = f.CompetencyFactory(name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    starts = timezone.now() - dt.timedelta(days=2)
    session = f.SessionFactory(program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=4),
                               trainer="Núria Vidal")
    mine = Enrolment.objects.create(session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
                                    completed_on=timezone.localdate() - dt.timedelta(days=1))
    other = Enrolment.objects.create(session=session, employee=employee_b, status=Enrolment.Status.ATTENDED)
    follow_up = TransferFollowUp.objects.create(enrolment=mine, respondent_role="manager", respondent=director_a,
                                                due_on=timezone.localdate(), sent_at=timezone.now())
    return {"program": program, "session": session, "mine": mine, "other": other, "follow_up": follow_up}


def test_an_attendee_answers_once_and_cannot_answer_twice(e2e_page, feedback):
    page = e2e_page
    log_in(page, "empleat.a")
    page.goto("/feedback/")
    axe_check(page)
    page.click("#pending-feedback a:has-text('Answer')")
    page.wait_for_selector("#reaction-form")
    axe_check(page)
    page.check("input[name=usefulness][value='4']")
    page.check("input[name=organisation][value='3']")
    page.check("input[name=applicability][value='5']")
    page.click("#reaction-form button[type=submit]")  # the trainer's rating is missing
    error = page.wait_for_selector("#id_trainer_error")
    assert "Choose a value from 1 to 5." in error.inner_text()
    assert "trainer" in page.get_attribute("fieldset[aria-describedby='id_trainer_error']", "aria-describedby")
    axe_check(page)  # the form with its error
    page.check("input[name=trainer][value='5']")
    page.fill("textarea[name=comment]", "Very practical examples.")
    with page.expect_navigation():
        page.click("#reaction-form button[type=submit]")
    assert page.url.endswith("/feedback/")
    assert "your answers have been recorded" in page.inner_text("#messages")
    assert "You have no questionnaire to answer." in page.inner_text("main")
    axe_check(page)
    page.goto(f"/feedback/questionnaire/{feedback['mine'].pk}/")
    assert "You have already answered this questionnaire: answers cannot be changed." in page.inner_text("main")
    assert page.locator("#reaction-form").count() == 0
    axe_check(page)
    answer = ReactionResponse.objects.get()
    assert (answer.usefulness, answer.trainer, answer.comment) == (4, 5, "Very practical examples.")


def test_a_second_tab_cannot_answer_again(e2e_page, feedback):
    page = e2e_page
    log_in(page, "empleat.a")
    page.goto(f"/feedback/questionnaire/{feedback['mine'].pk}/")
    for name in ("usefulness", "trainer", "organisation", "applicability"):
        page.check(f"input[name={name}][value='3']")
    ReactionResponse.objects.create(enrolment=feedback["mine"], submitted_at=timezone.now(), usefulness=5,
                                    trainer=5, organisation=5, applicability=5)  # answered meanwhile elsewhere
    page.click("#reaction-form button[type=submit]")
    refusal = page.wait_for_selector("#questionnaire-refusal")
    assert "answers cannot be changed" in refusal.inner_text()
    axe_check(page)
    assert ReactionResponse.objects.get().trainer == 5


def test_the_manager_answers_the_follow_up_and_the_office_reads_the_evaluation(e2e_page, feedback, employee_a):
    page = e2e_page
    log_in(page, "directora.a")
    page.goto("/feedback/follow-ups/")
    assert employee_a.full_name in page.inner_text("#follow-ups-table")
    axe_check(page)
    page.goto("/feedback/")
    page.click("#pending-feedback a:has-text('Answer')")
    page.wait_for_selector("#transfer-form")
    axe_check(page)
    page.check("input[name=applying][value='4']")
    page.fill("textarea[name=example]", "Writes the unit's letters alone now.")
    with page.expect_navigation():
        page.click("#transfer-form button[type=submit]")
    assert "your answer has been recorded" in page.inner_text("#messages")
    log_out(page)

    log_in(page, "clo")
    page.goto("/feedback/programs/")
    axe_check(page)
    page.click("#evaluated-programs a:has-text('Clear administrative writing')")
    page.wait_for_selector("#level-reaction")
    assert "Too few answers to show" in page.inner_text("#level-reaction")
    assert "1 of 1" in page.inner_text("#level-transfer")
    assert "Administrative writing" in page.inner_text("#results")  # level 4: the targeted competency's row
    axe_check(page)
    page.click("#satisfaction a:has-text('Learning results')")
    page.wait_for_selector("#learning-form")
    axe_check(page)
    page.fill(f"input[name=post_{feedback['other'].pk}]", "140")
    page.click("#learning-form button[type=submit]")
    page.wait_for_selector(f"#id_post_{feedback['other'].pk}_error")
    axe_check(page)
    page.goto("/feedback/follow-ups/")
    axe_check(page)


def test_feedback_pages_respect_the_content_security_policy(strict_page, live_server, feedback):
    page, errors = strict_page
    log_in(page, "empleat.a")
    page.goto(f"/feedback/questionnaire/{feedback['mine'].pk}/")
    page.wait_for_function("() => window.htmx !== undefined")
    for name in ("usefulness", "trainer", "organisation", "applicability"):
        page.check(f"input[name={name}][value='4']")
    with page.expect_navigation():
        page.click("#reaction-form button[type=submit]")  # through htmx: HX-Redirect to the list
    assert page.url.endswith("/feedback/")
    assert not errors, errors
