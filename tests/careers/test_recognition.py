"""Recognition on the profile (issue 18, item 5): a person's career page lists their badges, the hours they taught
as an internal trainer (the same figure as the pool's page) and the mentoring they gave (relationships and
knowledge-transfer plans as the leaving holder); an employee sees their own, a director their subtree, HR everyone.
The learning office's figures of credits and badges by unit and group agree with their download, and run a fixed
number of queries at two sizes.

Every date comes from one fixed instant (``NOW``, frozen for the whole module), never the wall clock."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clo.careers.selectors.recognition import recognition_figures
from clo.careers.services.badges import badge_issue_for_enrolment
from clo.talent.selectors import trainers as trainer_selectors
from clo.talent.services import mentoring as mentoring_services
from clo.talent.services import trainers as trainer_services
from clo.talent.services import transfer as transfer_services
from programs.models import Enrolment, Session, SessionDay
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


def completed(employee, hours="20.0", *, starts=dt.datetime(2026, 2, 2, 9, tzinfo=MADRID)):
    session = f.SessionFactory(program=f.ProgramFactory(hours=Decimal(hours), title=f"Programa {hours}"),
                               starts_at=starts, status=Session.Status.FINISHED)
    return f.EnrolmentFactory(session=session, employee=employee, status=Enrolment.Status.COMPLETED,
                              completed_on=starts.date(), hours_attended=Decimal(hours))


@pytest.fixture
def recognised(org, employee_a, director_a, clo_user):
    """Pere (employee A) holds a badge, taught a session of 4.5 hours, mentors a colleague and hands over a critical
    position in a knowledge-transfer plan."""
    badge = badge_issue_for_enrolment(enrolment_id=completed(employee_a).pk)
    trainer = trainer_services.trainer_add(employee=employee_a, teaches=True, mentors=True, competencies=[])
    starts = dt.datetime(2026, 3, 3, 9, tzinfo=MADRID)
    session = f.SessionFactory(starts_at=starts, status=Session.Status.FINISHED, internal_trainer=employee_a)
    SessionDay.objects.create(session=session, date=starts.date(), hours=Decimal("4.5"))
    mentee = f.EmployeeFactory(unit=org.unit_a1, first_name="Laia", last_name="Nova Entrada")
    relationship = mentoring_services.mentoring_create(mentor=employee_a, mentee=mentee, competencies=[],
                                                       starts_on=dt.date(2026, 3, 1))
    mentoring_services.meeting_add(relationship=relationship, held_on=dt.date(2026, 3, 8), minutes=60)
    employee_a.position.is_critical, employee_a.position.criticality = True, 2
    employee_a.position.save()
    successor = f.EmployeeFactory(unit=org.unit_a1, first_name="Jordi", last_name="Successor Camps")
    transfer_services.transfer_plan_create(holder=employee_a, successor=successor, leaving_on=dt.date(2027, 3, 1),
                                           reason="departure", created_by=clo_user, today=NOW.date())
    return {"badge": badge, "trainer": trainer}


def test_my_career_lists_badges_hours_taught_and_mentoring_given(recognised, employee_a, english):
    page = client_of(employee_a.user).get(reverse("careers:my_career")).content.decode()
    section = page[page.index('id="recognition"'):]
    assert recognised["badge"].name in section
    assert "<tr><th scope=\"row\">2026</th><td>1</td><td>4.5</td></tr>" in section
    assert "Mentor of Laia Nova Entrada since 1 March 2026: 1 meeting" in section
    assert "to Jordi Successor Camps (knowledge-transfer plan: 0 of 0 items done)" in section


def test_hours_taught_on_the_profile_are_the_pools_figure(recognised, employee_a, clo_user):
    pool = trainer_selectors.pool_for_list(clo_user, year=2026).get(pk=recognised["trainer"].pk)
    profile = {row["year"]: row["hours"] for row in trainer_selectors.hours_taught_by_year(employee_a.pk)}
    assert pool.hours_taught == profile[2026] == Decimal("4.5")


@pytest.mark.parametrize("hx", [{}, HX])
def test_the_director_and_hr_see_a_persons_recognition_and_the_outsider_gets_404(recognised, employee_a, director_a,
                                                                                 hr_user, director_b, hx):
    url = reverse("careers:person_career", args=[employee_a.pk])
    for user in (director_a.user, hr_user):
        page = client_of(user).get(url, **hx).content.decode()
        assert "Laia Nova Entrada" in page and recognised["badge"].name in page
    assert client_of(director_b.user).get(url, **hx).status_code == 404


def test_the_recognition_figures_by_unit_and_group_agree_with_their_downloads(org, employee_a, employee_b,
                                                                              clo_user, english):
    badge_issue_for_enrolment(enrolment_id=completed(employee_a, "25.0").pk)
    completed(employee_b, "12.0")
    completed(employee_b, "30.0", starts=dt.datetime(2025, 12, 31, 23, 30, tzinfo=MADRID))  # another year
    figures = recognition_figures(year=2026)
    rows = {row.label: (row.completed, row.credits, row.badges) for row in figures.by_unit}
    assert rows == {org.unit_a.name: (1, Decimal("2.5"), 1), org.unit_b.name: (1, Decimal("1.2"), 0)}
    assert (figures.total.credits, figures.total.badges) == (Decimal("3.7"), 1)
    client = client_of(clo_user)
    page = client.get(reverse("careers:recognition_figures") + "?year=2026").content.decode()
    assert "<td>2.5</td>" in page and "3.7 credits (2 programs completed) and 1 badges in all." in page
    download = client.get(reverse("careers:recognition_figures") + "?year=2026&export=csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Unit", "Programs completed", "Credits", "Badges issued"]
    assert [org.unit_a.name, "1", "2,5", "1"] in lines
    groups = client.get(reverse("careers:recognition_figures") + "?year=2026&export=csv&table=groups")
    group_lines = list(csv.reader(io.StringIO(groups.content.decode("utf-8-sig")), delimiter=";"))
    assert sum(Decimal(line[2].replace(",", ".")) for line in group_lines[1:]) == Decimal("3.7")


def test_the_recognition_figures_are_hr_and_the_learning_offices(director_a, employee_a):
    for user in (director_a.user, employee_a.user):
        client = client_of(user)
        assert client.get(reverse("careers:recognition_figures")).status_code == 404
        assert client.get(reverse("careers:recognition_figures"), **HX).status_code == 404
        assert client.get(reverse("careers:recognition_figures") + "?export=csv").status_code == 404


def test_the_recognition_figures_run_a_fixed_number_of_queries(org, clo_user, django_assert_max_num_queries):
    client = client_of(clo_user)

    def grow(n):
        for index in range(n):
            employee = f.EmployeeFactory(unit=(org.unit_a1, org.unit_b1)[index % 2])
            badge_issue_for_enrolment(enrolment_id=completed(employee).pk)

    grow(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("careers:recognition_figures")).status_code == 200
    grow(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("careers:recognition_figures")).status_code == 200


def test_my_career_runs_a_fixed_number_of_queries_whatever_the_recognition(recognised, employee_a, org,
                                                                           django_assert_max_num_queries):
    client = client_of(employee_a.user)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("careers:my_career")).status_code == 200
    for n in range(5):
        mentee = f.EmployeeFactory(unit=org.unit_a1)
        mentoring_services.mentoring_create(mentor=employee_a, mentee=mentee, competencies=[],
                                            starts_on=dt.date(2026, 4, 1))
        badge_issue_for_enrolment(enrolment_id=completed(employee_a, f"{n + 1}.0").pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("careers:my_career")).status_code == 200
