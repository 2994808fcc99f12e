"""Level 2 (learning): the learning office records scores before/after or the trainer's pass/fail per attendee, all
or nothing, and the program's evaluation sums them up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import Enrolment, LearningResult
from tests.programs.feedback.conftest import attendee

pytestmark = pytest.mark.django_db


def url(session) -> str:
    return reverse("programs:learning_results", args=[session.pk])


def test_the_sheet_lists_the_attendees_with_labelled_fields(clo_client, course, employee_a):
    attendee(course.session, status=Enrolment.Status.APPROVED)  # never came: not on the sheet
    page = clo_client.get(url(course.session)).content.decode()
    assert f"Score before · {employee_a.full_name}" in page
    assert page.count('name="pre_') == 2


def test_scores_and_judgements_are_recorded_and_summed_up(clo_client, course):
    data = {f"pre_{course.mine.pk}": "40", f"post_{course.mine.pk}": "80", f"passed_{course.mine.pk}": "yes",
            f"pre_{course.other.pk}": "", f"post_{course.other.pk}": "", f"passed_{course.other.pk}": "no"}
    response = clo_client.post(url(course.session), data)
    assert response.status_code == 302
    mine = LearningResult.objects.get(enrolment=course.mine)
    assert (mine.pre_score, mine.post_score, mine.passed) == (Decimal("40"), Decimal("80"), True)
    assert LearningResult.objects.get(enrolment=course.other).passed is False
    page = clo_client.get(reverse("programs:program_evaluation", args=[course.program.pk])).content.decode()
    assert "40.00 → 80.00" in page and "1 of 2" in page


def test_an_out_of_range_score_records_nothing(clo_client, course, employee_b):
    data = {f"pre_{course.mine.pk}": "40", f"post_{course.mine.pk}": "80",
            f"post_{course.other.pk}": "120"}
    response = clo_client.post(url(course.session), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and "Nothing was recorded" in html
    assert f'aria-describedby="id_post_{course.other.pk}_error"' in html
    assert not LearningResult.objects.exists()  # all or nothing


def test_emptying_a_row_removes_its_result(clo_client, course):
    LearningResult.objects.create(enrolment=course.mine, passed=True)
    clo_client.post(url(course.session), {f"passed_{course.mine.pk}": ""})
    assert not LearningResult.objects.exists()


@pytest.mark.parametrize("who", ["employee_a", "director_a", "director_b", "hr_user"])
@pytest.mark.parametrize("htmx", [False, True])
def test_only_the_learning_office_records_results(client, course, request, who, htmx):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(url(course.session), headers=headers).status_code == 404
    data = {f"passed_{course.mine.pk}": "yes"}
    assert client.post(url(course.session), data, headers=headers).status_code == 404
    assert not LearningResult.objects.exists()
