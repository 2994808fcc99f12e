"""Learning records against a real Learning Record Store (ralph, started by the fixtures): the LMS's completions
become completed enrolments with their hours and close the gap; a statement taken twice changes nothing; an unknown
learner waits for review; a pull that crashes midway and runs again takes each statement once; and what clo sends
can be read back from the LRS."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from clo.api import tasks
from clo.api.xapi import services
from clo.api.xapi.client import LrsUnavailable
from clo.api.xapi.models import XapiCursor, XapiStatement
from evaluations.models import Gap
from programs.models import Enrolment, Modality, Session, SessionDay
from programs.services import delivery
from tests import factories as f

pytestmark = [pytest.mark.lrs, pytest.mark.django_db]
COURSE = "https://campus.example/course/writing"
S = Enrolment.Status


@pytest.fixture
def online(employee_a):
    """An online (self-paced) program mapped to the LMS course; it certifies C-WRITE at 3, employee_a is at 2 and
    their position requires 3."""
    competency = f.CompetencyFactory(code="C-WRITE", name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.CurrentLevelFactory(employee=employee_a, competency=competency, level=2)
    program = f.ProgramFactory(code="P-ONLINE", title="Clear writing online", modality=Modality.ONLINE, hours=6)
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    services.activity_map(iri=COURSE, program=program)
    return program


def completed(actor: dict, *, course: str = COURSE, verb: str = services.COMPLETED, duration: str = "") -> dict:
    statement = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", **actor}, "verb": {"id": verb},
                 "object": {"objectType": "Activity", "id": course}}
    if duration:
        statement["result"] = {"completion": True, "duration": duration}
    return statement


def pull(capture, **kwargs) -> int:
    with capture(execute=True):
        return services.xapi_pull(**kwargs)


def test_a_completion_in_the_lms_completes_the_program_with_its_hours_and_closes_the_gap(
        lrs, online, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    lrs.post([completed({"mbox": f"mailto:{employee_a.email.upper()}"}, duration="PT3H30M")])
    assert pull(django_capture_on_commit_callbacks) == 1
    enrolment = Enrolment.objects.get(employee=employee_a, session__program=online)
    assert (enrolment.status, enrolment.hours_attended) == (S.COMPLETED, Decimal("3.5"))
    assert enrolment.completed_on <= timezone.localdate()
    record = XapiStatement.objects.get()
    assert (record.status, record.employee, record.enrolment) == ("matched", employee_a, enrolment)
    gap = Gap.objects.get(employee=employee_a, competency__code="C-WRITE")
    assert (gap.current_level, gap.gap, gap.level_source) == (3, 0, "training")


def test_a_seat_in_a_started_session_is_the_one_completed(lrs, employee_a, django_capture_on_commit_callbacks):
    program = f.ProgramFactory(code="P-ROOM", hours=8)
    services.activity_map(iri=COURSE, program=program)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=2), dt.time(9)))
    session = delivery.session_save(session=Session(program=program, code="S-ROOM", starts_at=start,
                                                    ends_at=start + dt.timedelta(hours=4), place="Aula", capacity=5))
    seat = f.EnrolmentFactory(session=session, employee=employee_a, status=S.APPROVED)
    lrs.post([completed({"account": {"homePage": "https://campus.example", "name": employee_a.user.username}},
                        verb=services.PASSED)])
    assert pull(django_capture_on_commit_callbacks) == 1
    seat.refresh_from_db()
    assert seat.status == S.COMPLETED
    assert Enrolment.objects.filter(employee=employee_a).count() == 1


def test_a_statement_taken_twice_changes_nothing(lrs, online, employee_a, django_capture_on_commit_callbacks):
    statement = completed({"mbox": f"mailto:{employee_a.email}"})
    lrs.post([statement, completed({"mbox": f"mailto:{employee_a.email}"}, verb=services.PASSED)])
    assert pull(django_capture_on_commit_callbacks) == 2
    before = list(Enrolment.objects.values_list("pk", "status", "hours_attended", "completed_on"))
    assert pull(django_capture_on_commit_callbacks) == 0  # the cursor's overlap brings them again: skipped
    XapiCursor.objects.update(since=None)  # even from the very start
    assert pull(django_capture_on_commit_callbacks) == 0
    assert list(Enrolment.objects.values_list("pk", "status", "hours_attended", "completed_on")) == before
    assert len(before) == 1 and before[0][2] == Decimal("6.0")  # the program's hours: the LMS gave none
    assert XapiStatement.objects.filter(status="matched").count() == 2


def test_an_unknown_learner_waits_for_review(lrs, online, english, clo_client, django_capture_on_commit_callbacks):
    lrs.post([completed({"mbox": "mailto:somebody@elsewhere.example", "name": "Somebody Else"}),
              completed({"account": {"homePage": "https://campus.example", "name": "nobody"}})])
    assert pull(django_capture_on_commit_callbacks) == 2
    assert not Enrolment.objects.exists()
    waiting = XapiStatement.objects.filter(status="pending")
    assert {r.actor for r in waiting} == {"mailto:somebody@elsewhere.example", "nobody"}
    page = clo_client.get("/api/xapi/").content.decode()
    assert "mailto:somebody@elsewhere.example" in page and "2 records wait for review" in page


def test_a_pull_that_crashes_midway_takes_each_statement_once_when_run_again(
        lrs, online, org, monkeypatch, django_capture_on_commit_callbacks):
    people = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(5)]
    lrs.post([completed({"mbox": f"mailto:{p.email}"}) for p in people])
    take, calls = services._take, []

    def crashing(statement, activity):
        calls.append(statement["id"])
        if len(calls) == 3:
            raise RuntimeError("the worker died")
        return take(statement, activity)

    monkeypatch.setattr(services, "_take", crashing)
    with pytest.raises(RuntimeError):
        pull(django_capture_on_commit_callbacks, batch_size=2)
    assert XapiStatement.objects.count() == 2  # the first batch, committed with its cursor; the second rolled back
    assert XapiCursor.objects.get().since is not None
    monkeypatch.setattr(services, "_take", take)
    assert pull(django_capture_on_commit_callbacks, batch_size=2) == 3
    assert XapiStatement.objects.filter(status="matched").count() == 5
    assert sorted(Enrolment.objects.filter(status=S.COMPLETED).values_list("employee_id", flat=True)) == sorted(
        p.pk for p in people)


def test_attendance_and_completions_recorded_in_clo_reach_the_lrs(
        lrs, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    program = f.ProgramFactory(code="P-SENT", title="Public procurement", hours=8)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=2), dt.time(9)))
    session = delivery.session_save(session=Session(program=program, code="S-SENT", starts_at=start,
                                                    ends_at=start + dt.timedelta(hours=4), place="Aula", capacity=5))
    seat = f.EnrolmentFactory(session=session, employee=employee_a, status=S.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.attendance_record(day=SessionDay.objects.get(session=session), hours={seat.pk: Decimal("4")})
    with django_capture_on_commit_callbacks(execute=True):
        delivery.enrolment_complete(enrolment=seat)
    sent = {s["verb"]["id"]: s for s in lrs.statements()}
    assert set(sent) == {services.ATTENDED, services.COMPLETED}
    for statement in sent.values():
        assert statement["actor"]["mbox"] == f"mailto:{employee_a.email}"
        assert statement["object"]["id"].endswith("/xapi/programs/P-SENT")
        assert statement["result"]["duration"] == "PT4H"
    assert sent[services.COMPLETED]["result"]["completion"] is True
    tasks.xapi_send("completed", [seat.pk])  # sent again (a retry): the LRS keeps one
    assert len(lrs.statements()) == 2
    services.activity_map(iri="https://clo.invalid/xapi/programs/P-SENT", program=program)
    assert pull(django_capture_on_commit_callbacks) == 0  # clo does not take back what it sent


def test_an_unreachable_lrs_is_retried(settings, employee_a):
    settings.CLO_XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    seat = f.EnrolmentFactory(employee=employee_a, status=S.COMPLETED, completed_on=timezone.localdate())
    with pytest.raises(LrsUnavailable):
        services.xapi_send(kind="completed", enrolment_ids=[seat.pk])
    assert LrsUnavailable in tasks.xapi_send.autoretry_for
