"""Reads of levels and gaps are accountable: the team-gap list and its download, one person's gaps and their
download each write one entry naming the reader, the people and what was read (set-based, whatever the size); the
audit page's reads tab lists them with the assessment reads; every answer to a signed-in user and every download
says ``Cache-Control: no-store``; the retention job removes old entries with their people."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clo.core.audit import record_read
from clo.core.models import PersonalDataRead, PersonalDataReadSubject
from clo.core.retention import apply_retention
from clo.people.models import Employee
from evaluations.gaps.services import gaps_full_run
from evaluations.models import AssessmentReadLog
from tests import factories as f
from tests.conftest import login
from tests.dashboards.test_boards import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit_log")
PEOPLE = "/dashboards/people/"


@pytest.fixture(autouse=True)
def _english(english):
    pass


def _reads():
    return [(r.user, r.what, r.subject_count, sorted(r.subjects.values_list("person_id", flat=True)))
            for r in PersonalDataRead.objects.order_by("pk")]


def test_the_team_gap_list_logs_the_people_on_screen(director_a_client, director_a, org, world, employee_a):
    response = director_a_client.get(PEOPLE, {"unit": org.unit_a.pk})
    assert response.status_code == 200 and employee_a.full_name in response.content.decode()
    assert _reads() == [(director_a.user, "team_gaps", 1, [employee_a.pk])]
    read = PersonalDataRead.objects.get()
    assert read.username == "directora.a" and read.path == f"{PEOPLE}?unit={org.unit_a.pk}"


def test_the_outsider_reads_nothing_and_nothing_is_logged(outsider_client, org, world, employee_a):
    assert outsider_client.get(PEOPLE, {"unit": org.unit_a.pk}).status_code == 404
    assert outsider_client.get(f"/dashboards/people/{employee_a.pk}/").status_code == 404
    assert not PersonalDataRead.objects.exists()


def _grow(org, world, size: int) -> list[Employee]:
    people = []
    for i in range(size):
        person = f.EmployeeFactory(unit=org.unit_a1, position=f.EmployeeFactory._meta.model.objects.get(
            user__username="empleat.a").position)
        f.CurrentLevelFactory(employee=person, competency=world["writing"], level=1, source="import",
                              assessed_on=timezone.localdate())
        people.append(person)
    gaps_full_run()
    return people


@pytest.mark.parametrize("size", [4, 70])
def test_the_team_gap_download_logs_everyone_in_one_entry_in_a_fixed_number_of_queries(
        clo_client, clo_user, org, world, employee_a, size, django_assert_max_num_queries):
    people = _grow(org, world, size)
    with django_assert_max_num_queries(13):
        response = clo_client.get(f"{PEOPLE}export.csv", {"unit": org.unit_a.pk})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert _reads() == [(clo_user, "team_gaps_export", size + 1, sorted([employee_a.pk, *(p.pk for p in people)]))]


@pytest.mark.parametrize("size", [4, 70])
def test_a_page_of_the_team_gap_list_is_one_insert_for_its_people(clo_client, org, world, size,
                                                                  django_assert_max_num_queries):
    _grow(org, world, size)
    with django_assert_max_num_queries(15):
        assert clo_client.get(PEOPLE, {"unit": org.unit_a.pk}).status_code == 200
    [(_, what, count, subjects)] = _reads()
    # a page is 25 person × competency rows: each person on it named once
    assert what == "team_gaps" and count == len(subjects) and (count == size + 1 if size < 10 else 12 <= count <= 25)


@pytest.mark.parametrize("query,what", [({}, "employee_gaps"), ({"export": "csv"}, "employee_gaps_export"),
                                        ({"export": "xlsx"}, "employee_gaps_export")])
def test_one_persons_gaps_and_their_download_are_logged(director_a_client, director_a, world, employee_a,
                                                        query, what):
    response = director_a_client.get(f"/dashboards/people/{employee_a.pk}/", query)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert _reads() == [(director_a.user, what, 1, [employee_a.pk])]
    assert PersonalDataRead.objects.get().person_id == employee_a.pk


# --- The audit page -------------------------------------------------------------------------------------------


def test_the_reads_tab_shows_reads_of_gaps_and_plans_with_the_assessment_reads(
        clo_client, director_a, org, world, employee_a):
    login(Client(), director_a.user).get(f"/dashboards/people/{employee_a.pk}/")
    AssessmentReadLog.objects.create(user=director_a.user, username=director_a.user.username, employee=employee_a,
                                     page="results", path="/x/")
    html = clo_client.get(AUDIT, {"tab": "reads"}).content.decode().split('id="audit-results"')[1]
    assert "Reads of personal data" in html and "2 reads, newest first" in html
    assert html.count("directora.a") == 2 and html.count(employee_a.full_name) == 2
    assert "A person&#x27;s levels and gaps" in html and "Assessment results" in html


def test_a_read_of_many_people_is_one_row_found_by_each_of_them(clo_client, director_a, org, world, employee_a):
    others = _grow(org, world, 3)
    login(Client(), director_a.user).get(PEOPLE, {"unit": org.unit_a.pk})
    html = clo_client.get(AUDIT, {"tab": "reads"}).content.decode().split('id="audit-results"')[1]
    assert "1 read, newest first" in html and "4 people" in html
    for person in (employee_a, others[2]):
        found = clo_client.get(AUDIT, {"tab": "reads", "person": person.employee_number}).content.decode()
        assert f"{person.full_name}, among 4 people" in found
    nobody = clo_client.get(AUDIT, {"tab": "reads", "person": f.EmployeeFactory().employee_number})
    assert "Nothing recorded with these filters." in nobody.content.decode()


def test_the_reads_download_lists_both_logs_newest_first_across_chunks(clo_client, clo_user, director_a, employee_a,
                                                                       monkeypatch, rf):
    from clo.dashboards.privacy import views as views_privacy
    from tests.exports import csv_rows

    monkeypatch.setattr(views_privacy, "EXPORT_CHUNK", 2)
    start = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.timezone.utc)
    request = rf.get("/dashboards/people/")
    request.user = director_a.user
    for minute in range(3):
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            AssessmentReadLog.objects.create(user=director_a.user, username="directora.a", employee=employee_a,
                                             page="results", path="/x/")
            record_read(request, PersonalDataRead.What.EMPLOYEE_GAPS, subjects=employee_a.pk)
    rows = csv_rows(clo_client.get(reverse("audit_export", args=["csv"]), {"tab": "reads"}))
    assert rows[0] == ["When", "Reader", "Person whose data was read", "Page"]
    assert [row[3] for row in rows[1:]] == ["A person's levels and gaps", "Assessment results"] * 3
    assert [row[0] for row in rows[1:]] == sorted((row[0] for row in rows[1:]), reverse=True)


@pytest.mark.parametrize("reads", [2, 60])
def test_the_reads_tab_costs_a_fixed_number_of_queries(clo_client, director_a, employee_a, reads, rf,
                                                       django_assert_max_num_queries):
    request = rf.get("/dashboards/people/")
    request.user = director_a.user
    for _ in range(reads):
        record_read(request, PersonalDataRead.What.TEAM_GAPS, subjects=[employee_a.pk, director_a.pk])
        record_read(request, PersonalDataRead.What.PLAN, subjects=employee_a.pk)
    with django_assert_max_num_queries(12):
        response = clo_client.get(AUDIT, {"tab": "reads", "person": employee_a.employee_number})
    assert response.content.decode().count(employee_a.full_name) >= min(2 * reads, 50)


# --- Not kept by caches ---------------------------------------------------------------------------------------


def test_every_answer_to_a_signed_in_user_says_no_store(clo_client, employee_a, org, world):
    for url in ("/", "/dashboards/learning-office/", f"{PEOPLE}?unit={org.unit_a.pk}", AUDIT,
                reverse("programs:plan_list"), "/no-such-page/"):
        response = clo_client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


# --- Retention ----------------------------------------------------------------------------------------------


def test_old_reads_are_blocked_then_deleted_with_their_people(settings, director_a, employee_a, rf):
    settings.RETENTION_DAYS = {"read_logs": 500}
    settings.RETENTION_GRACE_DAYS = 90
    start = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.timezone.utc)
    request = rf.get("/dashboards/people/")
    request.user = director_a.user
    with time_machine.travel(start, tick=False):
        record_read(request, PersonalDataRead.What.TEAM_GAPS, subjects=[employee_a.pk, director_a.pk])
    with time_machine.travel(start + dt.timedelta(days=501), tick=False):
        counts = apply_retention()
    assert counts["personal_data_reads"]["blocked"] == 1 and PersonalDataRead.objects.get().blocked_at
    with time_machine.travel(start + dt.timedelta(days=592), tick=False):
        counts = apply_retention()
    assert counts["personal_data_reads"]["deleted"] == 1
    assert not PersonalDataRead.objects.exists() and not PersonalDataReadSubject.objects.exists()


# --- Right of access ------------------------------------------------------------------------------------------


def test_the_person_learns_who_read_their_levels_gaps_and_plans(employee_a_client, director_a, employee_a,
                                                                employee_b, rf):
    import json

    request = rf.get("/dashboards/people/")
    request.user = director_a.user
    record_read(request, PersonalDataRead.What.TEAM_GAPS, subjects=[employee_a.pk, employee_b.pk])
    record_read(request, PersonalDataRead.What.PLAN_PDF, subjects=employee_b.pk)  # not about them
    data = json.loads(employee_a_client.get(reverse("my_data_download", args=["json"])).content)
    reads = data["sections"]["personal_data_reads"]["records"]
    assert [(r["reader"], r["what"], r["people"]) for r in reads] == [
        ("directora.a", "Team gaps: the people with a gap", 2)]


def test_the_directors_home_logs_the_people_with_the_largest_gaps(director_a_client, director_a, world, employee_a):
    html = director_a_client.get("/").content.decode()
    assert employee_a.full_name in html
    assert _reads() == [(director_a.user, "team_gaps", 1, [employee_a.pk])]
