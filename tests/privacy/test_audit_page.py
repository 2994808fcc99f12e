"""The audit page: the learning office and HR read every change (who, when, before → after in words) and every
read of evaluation data, filtered and exported; everybody else gets a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.context import set_actor
from django.urls import reverse
from django.utils import timezone

from clo.core.models import AuditEntry
from clo.people import services as people_services
from evaluations.models import AssessmentReadLog
from tests import factories as f

AUDIT = reverse("audit_log")


@pytest.fixture(autouse=True)
def _english(english):
    pass


def _changes_for(employee, user, n: int) -> None:
    """``n`` position changes of ``employee`` made by ``user``."""
    with set_actor(user):
        for _ in range(n):
            people_services.employee_change_position(employee=employee, position=f.PositionFactory())


def test_a_position_change_shows_who_and_the_positions_by_name(clo_client, clo_user, employee_a):
    before = employee_a.position
    after = f.PositionFactory(title="Tècnica de formació")
    with set_actor(clo_user):
        people_services.employee_change_position(employee=employee_a, position=after)
    entry = AuditEntry.objects.get(person_id=employee_a.pk, action=AuditEntry.Action.UPDATE)
    assert entry.actor == clo_user and entry.changes["position"] == [before.pk, after.pk]
    html = clo_client.get(AUDIT, {"person": employee_a.employee_number}).content.decode()
    assert "Position" in html and str(before) in html and str(after) in html
    assert clo_user.username in html and employee_a.full_name in html


def test_hr_sees_the_audit_too(hr_client, clo_user, employee_a):
    _changes_for(employee_a, clo_user, 1)
    response = hr_client.get(AUDIT)
    assert response.status_code == 200 and employee_a.full_name in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
@pytest.mark.parametrize("url", [AUDIT, reverse("audit_export", args=["csv"]), reverse("data_retention")])
def test_nobody_else_reads_the_audit(request, persona, url):
    client = request.getfixturevalue(persona)
    for htmx in ({}, {"HX-Request": "true"}):
        assert client.get(url, headers=htmx).status_code == 404
        assert client.post(url, headers=htmx).status_code in (404, 405)


def test_the_learning_office_does_not_see_the_retention_page(clo_client):
    assert clo_client.get(reverse("data_retention")).status_code == 404


def test_filters_by_kind_actor_and_dates(clo_client, clo_user, hr_user, employee_a, employee_b):
    _changes_for(employee_a, clo_user, 1)
    _changes_for(employee_b, hr_user, 1)
    enrolment = f.EnrolmentFactory(employee=employee_b)
    old = AuditEntry.objects.filter(person_id=employee_a.pk)
    old.update(timestamp=timezone.now() - dt.timedelta(days=40))
    by_hr = clo_client.get(AUDIT, {"actor": hr_user.username}).content.decode()
    assert employee_b.full_name in by_hr and employee_a.full_name not in by_hr
    recent = clo_client.get(AUDIT, {"since": (timezone.localdate() - dt.timedelta(days=7)).isoformat()}).content.decode()
    assert employee_b.full_name in recent and employee_a.full_name not in recent
    enrolment_kind = str(AuditEntry.objects.get(object_id=enrolment.pk, content_type__model="enrolment").content_type_id)
    only_enrolments = clo_client.get(AUDIT, {"kind": enrolment_kind}).content.decode().split('id="audit-results"')[1]
    assert "Requested" in only_enrolments and "Position" not in only_enrolments


def test_bad_filters_are_explained_next_to_the_field(clo_client):
    response = clo_client.get(AUDIT, {"person": "NOPE-1", "since": "2026-05-02", "until": "2026-05-01"},
                              headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "No employee has this number." in html and "The end date cannot come before the start date." in html


def test_htmx_gets_only_the_results(clo_client, clo_user, employee_a):
    _changes_for(employee_a, clo_user, 1)
    html = clo_client.get(AUDIT, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and 'id="audit-results"' in html and 'id="audit-filters"' in html


def test_the_export_has_the_same_filters(clo_client, clo_user, hr_user, employee_a, employee_b):
    _changes_for(employee_a, clo_user, 2)
    _changes_for(employee_b, hr_user, 1)
    response = clo_client.get(reverse("audit_export", args=["csv"]), {"person": employee_b.employee_number})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert employee_b.full_name in text and employee_a.full_name not in text
    assert "Position: " in text and " → " in text
    xlsx = clo_client.get(reverse("audit_export", args=["xlsx"]), {"person": employee_b.employee_number})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_reads_of_evaluation_data_are_a_tab(clo_client, director_a, employee_a):
    AssessmentReadLog.objects.create(user=director_a.user, username=director_a.user.username, employee=employee_a,
                                     page="results", path="/x/")
    html = clo_client.get(AUDIT, {"tab": "reads"}).content.decode()
    assert director_a.user.username in html and employee_a.full_name in html and "Assessment results" in html


def test_many_to_many_changes_name_the_records(clo_client, clo_user, director_a, org):
    with set_actor(clo_user):
        org.unit_a1.heads.add(director_a)
    html = clo_client.get(AUDIT).content.decode().split('id="audit-results"')[1]
    assert "Heads" in html and director_a.full_name in html and ".None" not in html


def test_blocked_entries_are_hidden(clo_client, clo_user, employee_a):
    _changes_for(employee_a, clo_user, 1)
    AuditEntry.objects.update(blocked_at=timezone.now())
    assert "Nothing recorded with these filters." in clo_client.get(AUDIT).content.decode()


@pytest.mark.parametrize("changes", [3, 30])
def test_the_page_costs_a_fixed_number_of_queries(clo_client, clo_user, employee_a, changes,
                                                  django_assert_max_num_queries):
    _changes_for(employee_a, clo_user, changes)
    with set_actor(clo_user):
        for _ in range(changes):
            f.EnrolmentFactory(employee=employee_a)
    with django_assert_max_num_queries(20):  # the entries, then one query per kind of related record named
        response = clo_client.get(AUDIT)
    assert response.status_code == 200


def test_cancelling_a_session_records_each_enrolment_cancelled(clo_client, clo_user, employee_a, employee_b):
    from programs.services import delivery

    session = f.SessionFactory()
    enrolments = [f.EnrolmentFactory(session=session, employee=e, status="approved") for e in (employee_a, employee_b)]
    session.status = "cancelled"
    with set_actor(clo_user):
        delivery.session_save(session=session)
    for enrolment in enrolments:
        entry = AuditEntry.objects.get(object_id=enrolment.pk, content_type__model="enrolment",
                                       action=AuditEntry.Action.UPDATE)
        assert entry.changes == {"status": ["approved", "cancelled"]}
        assert (entry.actor, entry.person_id) == (clo_user, enrolment.employee_id)
    html = clo_client.get(AUDIT, {"person": employee_b.employee_number}).content.decode()
    assert "Approved" in html and "Cancelled" in html


@pytest.mark.parametrize("reads", [2, 25])
def test_the_reads_tab_costs_a_fixed_number_of_queries(clo_client, director_a, employee_a, reads,
                                                       django_assert_max_num_queries):
    for _ in range(reads):
        AssessmentReadLog.objects.create(user=director_a.user, username=director_a.user.username,
                                         employee=employee_a, page="results", path="/x/")
    with django_assert_max_num_queries(12):
        response = clo_client.get(AUDIT, {"tab": "reads"})
    assert response.content.decode().count(employee_a.full_name) >= min(reads, 50)
