"""Internal trainers and mentors (issue 19, item 2): the pool kept by the learning office and read by directors
(their subtree), assigning a pool trainer to a session (refused for someone outside the pool or enrolled in it),
hours taught (the days' hours of the delivered sessions, by the training figures' year), the satisfaction of their
sessions above the anonymity threshold only, mentoring relationships with meetings, started from a transfer plan.

Every date comes from one fixed instant (``NOW``, frozen for the whole module), never the wall clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from clo.talent.models import InternalTrainer, MentoringMeeting, MentoringRelationship
from clo.talent.selectors import trainers as sel
from clo.talent.services import mentoring as mentoring_services
from clo.talent.services import trainers as services
from clo.talent.services import transfer as transfer_services
from programs.models import Enrolment, ReactionResponse, Session, SessionDay
from programs.selectors.figures import delivered_sessions
from programs.services.delivery import EnrolmentError, enrolment_request
from tests import factories as f

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=MADRID)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def writing():
    framework = f.FrameworkFactory()
    return f.CompetencyFactory(framework=framework, area=f.AreaFactory(framework=framework), code="WRI",
                               name="Administrative writing")


@pytest.fixture
def trainer_a(employee_a, writing):
    return services.trainer_add(employee=employee_a, teaches=True, mentors=True, competencies=[writing],
                                availability="Tuesday mornings")


@pytest.fixture
def trainer_b(employee_b):
    return services.trainer_add(employee=employee_b, teaches=True, mentors=False, competencies=[],
                                availability="Secret availability of B")


def delivered(trainer, *, starts: dt.datetime, hours=("3.0",), code=None, status=Session.Status.FINISHED):
    session = f.SessionFactory(starts_at=starts, ends_at=starts + dt.timedelta(days=len(hours) - 1, hours=3),
                               status=status, internal_trainer=trainer.employee, **({"code": code} if code else {}))
    for n, value in enumerate(hours):
        SessionDay.objects.create(session=session, date=(starts + dt.timedelta(days=n)).date(), hours=Decimal(value))
    return session


def answers(session, scores: list[int]):
    for score in scores:
        enrolment = f.EnrolmentFactory(session=session, status=Enrolment.Status.ATTENDED)
        ReactionResponse.objects.create(enrolment=enrolment, usefulness=score, trainer=score, organisation=score,
                                        applicability=score, submitted_at=NOW)


# --- Figures ---------------------------------------------------------------------------------------------------------


def test_hours_taught_are_the_days_hours_of_the_delivered_sessions_of_the_year(trainer_a):
    first = delivered(trainer_a, starts=dt.datetime(2026, 2, 3, 9, tzinfo=MADRID), hours=("3.0", "2.5"))
    delivered(trainer_a, starts=dt.datetime(2026, 3, 3, 9, tzinfo=MADRID), hours=("4.0",))
    delivered(trainer_a, starts=dt.datetime(2026, 6, 3, 9, tzinfo=MADRID), status=Session.Status.SCHEDULED)
    delivered(trainer_a, starts=dt.datetime(2026, 4, 3, 9, tzinfo=MADRID), status=Session.Status.CANCELLED)
    # the first instant of 2026 in Barcelona is still 2025 in UTC: it counts in 2026, as the training figures do
    delivered(trainer_a, starts=dt.datetime(2026, 1, 1, 0, 30, tzinfo=MADRID), hours=("1.5",))
    delivered(trainer_a, starts=dt.datetime(2025, 12, 31, 23, 30, tzinfo=MADRID), hours=("7.0",))
    # a historic session recorded without days: its program's hours
    f.SessionFactory(starts_at=dt.datetime(2026, 4, 20, 9, tzinfo=MADRID), status=Session.Status.FINISHED,
                     internal_trainer=trainer_a.employee, program=f.ProgramFactory(hours=Decimal("2.5")))
    row = sel.pool_for_list(f.UserFactory(is_superuser=True), year=2026).get(pk=trainer_a.pk)
    taught = delivered_sessions(2026).filter(internal_trainer=trainer_a.employee)
    expected = (SessionDay.objects.filter(session__in=taught).aggregate(total=Sum("hours"))["total"]
                + taught.filter(days__isnull=True).aggregate(total=Sum("program__hours"))["total"])
    assert row.hours_taught == expected == Decimal("13.5")
    assert sel.pool_for_list(f.UserFactory(is_superuser=True), year=2025).get(pk=trainer_a.pk).hours_taught == 7
    by_year = {r["year"]: r["hours"] for r in sel.hours_taught_by_year(trainer_a.employee_id)}
    assert by_year == {2026: Decimal("13.5"), 2025: Decimal("7.0")}
    assert first.days.count() == 2


def test_a_trainer_with_too_few_answers_per_session_shows_no_mean(trainer_a, trainer_b, clo_user, english):
    few = delivered(trainer_a, starts=dt.datetime(2026, 2, 3, 9, tzinfo=MADRID))
    answers(few, [5, 5])  # below the threshold of 3 answers
    other = delivered(trainer_a, starts=dt.datetime(2026, 3, 3, 9, tzinfo=MADRID))
    answers(other, [1, 1])  # two sessions of two answers: still nothing, no session's answers can be told
    enough = delivered(trainer_b, starts=dt.datetime(2026, 2, 3, 9, tzinfo=MADRID))
    answers(enough, [4, 5, 3])
    rows = {t.pk: t for t in sel.pool_for_list(clo_user, year=2026)}
    assert rows[trainer_a.pk].reaction_mean is None and rows[trainer_a.pk].reaction_answers == 0
    assert rows[trainer_b.pk].reaction_mean == pytest.approx(4.0)
    assert rows[trainer_b.pk].reaction_answers == 3
    page = client_of(clo_user).get(reverse("talent:trainer_detail", args=[trainer_a.pk])).content.decode()
    assert "Too few answers (fewer than 3 in a session)" in page
    page = client_of(clo_user).get(reverse("talent:trainer_detail", args=[trainer_b.pk])).content.decode()
    assert "4.00 / 5 (trainer: 4.00; 3 answers)" in page
    answers(few, [1])  # a third answer: the session counts now
    row = sel.pool_for_list(clo_user, year=2026).get(pk=trainer_a.pk)
    assert row.reaction_answers == 3 and row.reaction_mean == pytest.approx(11 / 3)


def test_the_page_list_and_profile_show_the_same_hours(trainer_a, clo_user, english):
    delivered(trainer_a, starts=dt.datetime(2026, 2, 3, 9, tzinfo=MADRID), hours=("3.5", "2.0"))
    client = client_of(clo_user)
    detail = client.get(reverse("talent:trainer_detail", args=[trainer_a.pk]) + "?year=2026").content.decode()
    assert '<dd id="hours-taught">5.5</dd>' in detail
    listing = client.get(reverse("talent:trainer_list") + "?year=2026").content.decode()
    assert "<td>5.5</td>" in listing


def test_the_pool_list_runs_a_fixed_number_of_queries(clo_user, org, writing, django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            trainer = services.trainer_add(employee=f.EmployeeFactory(unit=org.unit_a1), teaches=True, mentors=False,
                                           competencies=[writing])
            answers(delivered(trainer, starts=dt.datetime(2026, 2, 3, 9, tzinfo=MADRID)), [4, 4, 4])

    client = client_of(clo_user)
    grow(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("talent:trainer_list")).status_code == 200
    grow(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("talent:trainer_list")).status_code == 200


# --- The pool --------------------------------------------------------------------------------------------------------


def test_the_learning_office_adds_edits_and_deactivates_a_trainer(clo_user, employee_a, writing, english):
    client = client_of(clo_user)
    response = client.post(reverse("talent:trainer_add"), {"employee": employee_a.employee_number, "teaches": "on",
                                                           "competencies": [writing.pk], "availability": "Mornings"})
    trainer = InternalTrainer.objects.get(employee=employee_a)
    assert response.status_code == 302 and response.url == trainer.get_absolute_url()
    assert list(trainer.competencies.all()) == [writing]
    response = client.post(reverse("talent:trainer_add"), {"employee": employee_a.employee_number, "teaches": "on"},
                           **HX)
    assert response.status_code == 422
    assert "This person is already in the pool of internal trainers." in response.content.decode()
    response = client.post(reverse("talent:trainer_edit", args=[trainer.pk]), {"availability": "x"}, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Say whether this person teaches programs, mentors colleagues, or both." in body and "<html" not in body
    client.post(reverse("talent:trainer_edit", args=[trainer.pk]), {"mentors": "on", "availability": "Afternoons"})
    trainer.refresh_from_db()
    assert (trainer.teaches, trainer.mentors, trainer.availability) == (False, True, "Afternoons")
    client.post(reverse("talent:trainer_deactivate", args=[trainer.pk]))
    trainer.refresh_from_db()
    assert not trainer.active


def test_an_unknown_employee_number_is_refused_at_the_field(clo_user, english):
    response = client_of(clo_user).post(reverse("talent:trainer_add"), {"employee": "NOBODY", "teaches": "on"}, **HX)
    assert response.status_code == 422
    assert 'id="id_employee_error"' in response.content.decode()
    assert "No active employee has this number." in response.content.decode()
    assert not InternalTrainer.objects.exists()


def test_a_director_reads_the_pool_of_their_subtree_only(trainer_a, trainer_b, director_a, employee_a):
    page = client_of(director_a.user).get(reverse("talent:trainer_list")).content.decode()
    assert "Pere Soler Camps" in page and "Anna Pujol Sala" not in page
    assert reverse("talent:trainer_add") not in page  # keeping the pool is the learning office's
    assert client_of(employee_a.user).get(reverse("talent:trainer_list")).status_code == 404


@pytest.mark.parametrize("hx", [{}, HX])
def test_the_outsider_gets_404_on_every_trainer_url(trainer_a, director_b, hx):
    client = client_of(director_b.user)
    assert client.get(reverse("talent:trainer_detail", args=[trainer_a.pk]), **hx).status_code == 404
    for name in ("trainer_edit", "trainer_deactivate", "trainer_assign"):
        assert client.get(reverse(f"talent:{name}", args=[trainer_a.pk]), **hx).status_code == 404
        assert client.post(reverse(f"talent:{name}", args=[trainer_a.pk]), {"session": "X"}, **hx).status_code == 404
    assert client.post(reverse("talent:trainer_add"), {"employee": "X"}, **hx).status_code == 404
    trainer_a.refresh_from_db()
    assert trainer_a.active


# --- Assigning a trainer to a session --------------------------------------------------------------------------------


def test_the_learning_office_assigns_a_pool_trainer_to_a_session(trainer_a, clo_user, english):
    session = f.SessionFactory(code="S-WRITE-1")
    response = client_of(clo_user).post(reverse("talent:trainer_assign", args=[trainer_a.pk]), {"session": "s-write-1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.internal_trainer == trainer_a.employee
    page = client_of(clo_user).get(reverse("programs:session_detail", args=[session.pk])).content.decode()
    assert "Pere Soler Camps (internal trainer)" in page
    with pytest.raises(EnrolmentError, match="You teach this session"):  # the trainer cannot take a seat in it
        enrolment_request(session=session, employee=trainer_a.employee)


def test_a_trainer_enrolled_in_the_session_or_out_of_the_pool_is_refused(trainer_a, clo_user, english):
    session = f.SessionFactory(code="S-WRITE-2")
    f.EnrolmentFactory(session=session, employee=trainer_a.employee, status=Enrolment.Status.APPROVED)
    client = client_of(clo_user)
    response = client.post(reverse("talent:trainer_assign", args=[trainer_a.pk]), {"session": "S-WRITE-2"}, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_session_error"' in body and "<html" not in body
    assert "Pere Soler Camps is enrolled in this session: a participant cannot be its trainer." in body
    response = client.post(reverse("talent:trainer_assign", args=[trainer_a.pk]), {"session": "NOPE"}, **HX)
    assert "No session has this code." in response.content.decode()
    services.trainer_deactivate(trainer=trainer_a)
    other = f.SessionFactory(code="S-WRITE-3")
    with pytest.raises(Exception, match="not an active internal trainer"):
        services.trainer_assign(trainer=trainer_a, session=other)
    with pytest.raises(Exception, match="not an active internal trainer"):
        services.trainer_assign(trainer=None, session=other, employee=trainer_a.employee)
    assert not Session.objects.filter(internal_trainer__isnull=False).exists()


# --- Mentoring -------------------------------------------------------------------------------------------------------


def test_a_director_starts_a_mentoring_relationship_in_their_subtree_and_the_pair_records_meetings(
        director_a, employee_a, org, writing, english):
    mentor = f.EmployeeFactory(unit=org.unit_a1, user=f.UserFactory(), first_name="Rosa", last_name="Mentora")
    outsider = f.EmployeeFactory(unit=org.unit_b1)
    client = client_of(director_a.user)
    url = reverse("talent:mentoring_create")
    data = {"mentor": mentor.employee_number, "mentee": outsider.employee_number, "starts_on": "2026-05-01",
            "competencies": [writing.pk]}
    response = client.post(url, data, **HX)
    assert response.status_code == 422
    assert "No active employee of your units has this number." in response.content.decode()
    response = client.post(url, {**data, "mentee": employee_a.employee_number, "ends_on": "2026-04-01"}, **HX)
    assert "The end of the period cannot come before its start." in response.content.decode()
    assert not MentoringRelationship.objects.exists()
    response = client.post(url, {**data, "mentee": employee_a.employee_number, "ends_on": "2026-12-31"})
    relationship = MentoringRelationship.objects.get()
    assert response.status_code == 302 and (relationship.mentor, relationship.mentee) == (mentor, employee_a)
    meeting_url = reverse("talent:mentoring_meeting_add", args=[relationship.pk])
    response = client_of(mentor.user).post(meeting_url, {"held_on": "2026-04-20", "minutes": "60"}, **HX)
    assert response.status_code == 422
    assert "The meeting must fall within the mentoring period." in response.content.decode()
    response = client_of(mentor.user).post(meeting_url, {"held_on": "2026-05-05", "minutes": "0"}, **HX)
    assert response.status_code == 422
    response = client_of(employee_a.user).post(meeting_url, {"held_on": "2026-05-05", "minutes": "45",
                                                             "note": "First steps"}, **HX)
    assert response.status_code == 200 and "First steps" in response.content.decode()
    assert MentoringMeeting.objects.get().minutes == 45
    mine = client_of(employee_a.user).get(reverse("talent:mentoring_list")).content.decode()
    assert "Rosa Mentora" in mine and "1 meeting, 45 min" in mine


@pytest.mark.parametrize("hx", [{}, HX])
def test_the_outsider_gets_404_on_a_mentoring_relationship(director_a, employee_a, director_b, hx):
    relationship = mentoring_services.mentoring_create(mentor=director_a, mentee=employee_a, competencies=[],
                                                       starts_on=dt.date(2026, 5, 1))
    client = client_of(director_b.user)
    assert client.get(reverse("talent:mentoring_detail", args=[relationship.pk]), **hx).status_code == 404
    url = reverse("talent:mentoring_meeting_add", args=[relationship.pk])
    assert client.post(url, {"held_on": "2026-05-05", "minutes": "30"}, **hx).status_code == 404
    assert "Pere Soler Camps" not in client.get(reverse("talent:mentoring_list"), **hx).content.decode()
    assert not MentoringMeeting.objects.exists()


def test_a_mentoring_relationship_starts_from_a_transfer_plan(clo_user, org, employee_a, director_b, english):
    position = f.PositionFactory(code="CAP-EDU", unit=org.unit_a1, is_critical=True, criticality=2)
    holder = f.EmployeeFactory(unit=org.unit_a1, position=position, first_name="Àngels", last_name="Font",
                               expected_retirement_date=dt.date(2027, 1, 4))
    plan = transfer_services.transfer_plan_create(holder=holder, successor=employee_a, leaving_on=None,
                                                  reason="retirement", created_by=clo_user, today=NOW.date())
    client = client_of(clo_user)
    assert f"?transfer_plan={plan.pk}" in client.get(plan.get_absolute_url()).content.decode()
    url = reverse("talent:mentoring_create") + f"?transfer_plan={plan.pk}"
    form = client.get(url).content.decode()
    assert f'value="{holder.employee_number}"' in form and 'value="2027-01-04"' in form
    assert client_of(director_b.user).get(url).status_code == 404  # not a plan of their subtree
    response = client.post(url, {"mentor": holder.employee_number, "mentee": employee_a.employee_number,
                                 "starts_on": "2026-05-12", "ends_on": "2027-01-04"})
    relationship = MentoringRelationship.objects.get()
    assert response.status_code == 302 and relationship.transfer_plan == plan


def test_the_mentoring_list_runs_a_fixed_number_of_queries(director_a, org, django_assert_max_num_queries):
    client = client_of(director_a.user)

    def grow(n):
        for _ in range(n):
            relationship = mentoring_services.mentoring_create(
                mentor=f.EmployeeFactory(unit=org.unit_a1), mentee=f.EmployeeFactory(unit=org.unit_a1),
                competencies=[], starts_on=dt.date(2026, 4, 1))
            mentoring_services.meeting_add(relationship=relationship, held_on=dt.date(2026, 4, 8), minutes=30)

    grow(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("talent:mentoring_list")).status_code == 200
    grow(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("talent:mentoring_list"))
    assert page.content.decode().count("1 meeting, 30 min") == 12
