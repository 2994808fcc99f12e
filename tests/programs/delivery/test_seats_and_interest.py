"""What the people asking for, and approving, a seat are told: the seats a session has left (one definition,
``selectors.delivery.seats_left``, on the page and in the export), a program the person already completed, and a
way to register interest in a program with no session, counted where the learning office triages the needs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.selectors import catalogue as selectors_catalogue
from programs.selectors import delivery as selectors_delivery
from programs.models import Enrolment, ProgramInterest
from programs.services import catalogue as interest_services
from tests import factories as f
from tests.exports import csv_rows

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(english):
    """Pages in English, as the assertions read them."""


@pytest.fixture
def program(db):
    return f.ProgramFactory(title="Clear administrative writing")


@pytest.fixture
def completed(program, employee_a):
    past = f.SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=200))
    return f.EnrolmentFactory(session=past, employee=employee_a, status=Enrolment.Status.COMPLETED,
                              completed_on=dt.date(2025, 11, 14))


# --- Seats left -------------------------------------------------------------------------------------------------


def test_the_approver_sees_the_seats_left_not_the_capacity(director_a_client, program, employee_a, employee_b):
    session = f.SessionFactory(program=program, capacity=5)
    for _ in range(3):
        f.EnrolmentFactory(session=session, status=Enrolment.Status.APPROVED)
    f.EnrolmentFactory(session=session, status=Enrolment.Status.CANCELLED)  # holds no seat
    f.EnrolmentFactory(session=session, employee=employee_a)
    html = director_a_client.get(reverse("programs:enrolment_requests")).content.decode()
    seats = re.search(r'<span class="seats-left">([^<]*)</span>', html).group(1)
    assert seats == "2 seats left of 5"
    rows = csv_rows(director_a_client.get(reverse("programs:enrolment_requests"), {"export": "csv"}))
    assert rows[0][6:8] == ["Seats left", "Seats"] and rows[1][6:8] == ["2", "5"]  # the same figure
    figure = selectors_delivery.sessions_with_seats().get(pk=session.pk).seats_left
    assert figure == 2


def test_a_full_session_has_no_seat_left_never_below_zero(director_a_client, program, employee_a):
    session = f.SessionFactory(program=program, capacity=1)
    f.EnrolmentFactory.create_batch(2, session=session, status=Enrolment.Status.APPROVED)
    f.EnrolmentFactory(session=session, employee=employee_a)
    html = director_a_client.get(reverse("programs:enrolment_requests")).content.decode()
    assert re.search(r'<span class="seats-left">0 seats left of 1</span>', html)


def test_the_row_returned_after_a_refusal_keeps_the_seats_left(director_a_client, program, employee_a):
    session = f.SessionFactory(program=program, capacity=4)
    f.EnrolmentFactory(session=session, status=Enrolment.Status.APPROVED)
    request = f.EnrolmentFactory(session=session, employee=employee_a)
    response = director_a_client.post(reverse("programs:enrolment_reject", args=[request.pk]), {"reason": ""}, **HX)
    assert response.status_code == 422
    assert "3 seats left of 4" in response.content.decode()


# --- A program already completed --------------------------------------------------------------------------------


def test_the_employee_is_warned_a_program_was_already_completed(employee_a_client, program, completed):
    f.SessionFactory(program=program)
    html = employee_a_client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
    warning = re.search(r'<p id="completed-warning"[^>]*>(.*?)</p>', html, re.S)
    assert warning and "You already completed this program on 14 November 2025" in warning.group(1)


def test_no_warning_for_a_program_never_completed(employee_a_client, program, employee_a):
    f.SessionFactory(program=program)
    cancelled = f.SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=90))
    f.EnrolmentFactory(session=cancelled, employee=employee_a, status=Enrolment.Status.NO_SHOW)
    html = employee_a_client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
    assert "completed-warning" not in html


def test_the_approver_is_warned_the_person_already_completed_the_program(director_a_client, program, completed,
                                                                         employee_a):
    f.EnrolmentFactory(session=f.SessionFactory(program=program), employee=employee_a)
    html = director_a_client.get(reverse("programs:enrolment_requests")).content.decode()
    assert re.search(r'class="completed-before"><strong>Already completed this program on 14 November 2025', html)


# --- Interest in a program with no session ----------------------------------------------------------------------


def test_an_employee_registers_then_withdraws_interest_in_a_program_without_session(employee_a_client, program,
                                                                                   employee_a):
    url = reverse("programs:program_detail", args=[program.pk])
    html = employee_a_client.get(url).content.decode()
    assert "Register my interest" in html
    response = employee_a_client.post(reverse("programs:program_interest", args=[program.pk]), **HX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Your interest has been registered" in response.content.decode()
    assert "Withdraw my interest" in response.content.decode()
    assert ProgramInterest.objects.filter(employee=employee_a, program=program).count() == 1
    # twice is still one interest
    assert employee_a_client.post(reverse("programs:program_interest", args=[program.pk])).status_code == 302
    assert ProgramInterest.objects.filter(employee=employee_a, program=program).count() == 1
    response = employee_a_client.post(reverse("programs:program_interest", args=[program.pk]), {"withdraw": "1"},
                                      follow=True)
    assert "Your interest has been withdrawn." in response.content.decode()
    assert not ProgramInterest.objects.exists()


def test_a_program_with_an_open_session_offers_a_seat_not_interest(employee_a_client, program):
    f.SessionFactory(program=program)
    html = employee_a_client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
    assert "Request a seat" in html and "Register my interest" not in html


def test_interest_in_an_inactive_program_is_refused(employee_a_client, program):
    program.active = False
    program.save()
    assert employee_a_client.post(reverse("programs:program_interest", args=[program.pk])).status_code == 404
    assert not ProgramInterest.objects.exists()


def test_a_person_without_employee_record_cannot_register_interest(client, program, org):
    client.force_login(f.UserFactory())
    assert client.post(reverse("programs:program_interest", args=[program.pk])).status_code == 404


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_interest_is_only_ever_the_persons_own(outsider_client, director_b, program, employee_a, headers):
    interest_services.program_interest_register(employee_id=employee_a.pk, program_id=program.pk)
    assert outsider_client.get(reverse("programs:program_interest", args=[program.pk]), **headers).status_code == 405
    outsider_client.post(reverse("programs:program_interest", args=[program.pk]), {"withdraw": "1"}, **headers)
    assert ProgramInterest.objects.filter(employee=employee_a).count() == 1  # withdrawing touches only their own


def test_the_learning_office_sees_the_interest_counted_at_triage(clo_client, program, employee_a, employee_b):
    other = f.ProgramFactory(title="Data protection in the council")
    for person in (employee_a, employee_b):
        interest_services.program_interest_register(employee_id=person.pk, program_id=program.pk)
    interest_services.program_interest_register(employee_id=employee_a.pk, program_id=other.pk)
    html = clo_client.get(reverse("programs:triage")).content.decode()
    section = html[html.index('id="interest-demand"'):]
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>.*?<td class="numeric">(\d+)</td>', section, re.S)
    assert rows == [("Clear administrative writing", "2"), ("Data protection in the council", "1")]


def test_the_interest_demand_costs_the_same_queries_at_two_sizes(clo_client, program, django_assert_max_num_queries,
                                                                 employee_a):
    interest_services.program_interest_register(employee_id=employee_a.pk, program_id=program.pk)
    with django_assert_max_num_queries(1):
        assert len(selectors_catalogue.interest_demand()) == 1
    for _ in range(15):
        interest_services.program_interest_register(employee_id=f.EmployeeFactory().pk,
                                                    program_id=f.ProgramFactory().pk)
    with django_assert_max_num_queries(1):
        assert len(selectors_catalogue.interest_demand()) == 16


def test_the_annual_plan_shows_the_interest_in_each_actions_program(clo_client, program, employee_a, employee_b):
    plan = f.TrainingPlanFactory(year=timezone.localdate().year + 1)
    f.PlanActionFactory(plan=plan, title="Writing for the front desk", program=program)
    f.PlanActionFactory(plan=plan, title="Nobody asked", program=f.ProgramFactory())
    for person in (employee_a, employee_b):
        interest_services.program_interest_register(employee_id=person.pk, program_id=program.pk)
    html = clo_client.get(reverse("programs:training_plan_detail", args=[plan.year])).content.decode()
    counts = re.findall(r'<small class="muted interest-count">([^<]+)</small>', html)
    assert counts == ["2 people interested"]
