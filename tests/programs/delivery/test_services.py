"""The enrolment workflow through the services: requests, decisions, the waiting list, cancellations, attendance,
completion (the gap engine sees it) and the bad input that must change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations.models import Gap
from programs.selectors import delivery as selectors
from programs.models import Attendance, Enrolment, Session, SessionDay
from programs.services import delivery as services
from tests import factories as f
from tests.programs.delivery.conftest import past, person

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def test_a_request_waits_for_the_director_who_approves_it_into_a_seat(catalogue, employee_a, director_a):
    enrolment = services.enrolment_request(session=catalogue.session, employee=employee_a)
    assert enrolment.status == S.REQUESTED
    enrolment = services.enrolment_approve(enrolment=enrolment, by=director_a.user)
    assert enrolment.status == S.APPROVED
    assert enrolment.decided_by == director_a and enrolment.decided_at is not None


def test_an_open_program_confirms_at_once_and_the_next_person_waits(catalogue, employee_a, employee_b):
    first = services.enrolment_request(session=catalogue.open_session, employee=employee_a)
    second = services.enrolment_request(session=catalogue.open_session, employee=employee_b)
    assert (first.status, second.status) == (S.APPROVED, S.WAITLISTED)


def test_approval_in_a_full_session_puts_the_person_on_the_waiting_list(catalogue, employee_a, director_a, org):
    for _ in range(2):
        f.EnrolmentFactory(session=catalogue.session, employee=person(org.unit_a1), status=S.APPROVED)
    enrolment = services.enrolment_request(session=catalogue.session, employee=employee_a)
    assert services.enrolment_approve(enrolment=enrolment, by=director_a.user).status == S.WAITLISTED
    assert Enrolment.objects.filter(session=catalogue.session, status__in=Enrolment.SEAT_HOLDING).count() == 2


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list_who_is_emailed(
        catalogue, employee_a, employee_b, org, eager_tasks, django_capture_on_commit_callbacks):
    holder = services.enrolment_request(session=catalogue.open_session, employee=employee_a)
    waiting = services.enrolment_request(session=catalogue.open_session, employee=employee_b)
    later = services.enrolment_request(session=catalogue.open_session, employee=person(org.unit_b1))
    assert (waiting.status, later.status) == (S.WAITLISTED, S.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder)
    waiting.refresh_from_db(), later.refresh_from_db(), holder.refresh_from_db()
    assert (holder.status, waiting.status, later.status) == (S.CANCELLED, S.APPROVED, S.WAITLISTED)
    # the one who withdrew gets the calendar cancellation, the one promoted the seat (tests/programs/test_calendar.py)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([employee_a.email, employee_b.email])
    promoted = next(message for message in mail.outbox if message.to == [employee_b.email])
    assert "Open data basics" in promoted.subject


def test_the_promotion_email_is_in_the_persons_language(catalogue, employee_a, employee_b, eager_tasks,
                                                        django_capture_on_commit_callbacks):
    employee_b.language = "ca"
    employee_b.save(update_fields=["language"])
    holder = services.enrolment_request(session=catalogue.open_session, employee=employee_a)
    services.enrolment_request(session=catalogue.open_session, employee=employee_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder)
    promoted = next(message for message in mail.outbox if message.to == [employee_b.email])
    assert "Oficina de formació i desenvolupament" in promoted.body  # rendered in Catalan


@pytest.mark.parametrize("case", ["cancelled", "past", "twice"])
def test_bad_requests_are_refused_with_a_clear_message_and_change_nothing(case, catalogue, employee_a):
    session = catalogue.session
    if case == "cancelled":
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    elif case == "past":
        Session.objects.filter(pk=session.pk).update(starts_at=past(), ends_at=past(1))
    else:
        services.enrolment_request(session=session, employee=employee_a)
    before = list(Enrolment.objects.values_list("pk", "status", "requested_at"))
    with pytest.raises(ValidationError) as error:
        services.enrolment_request(session=session, employee=employee_a)
    expected = {"cancelled": "has been cancelled", "past": "has already started", "twice": "already asked for a seat"}
    assert expected[case] in " ".join(error.value.messages)
    assert list(Enrolment.objects.values_list("pk", "status", "requested_at")) == before


def test_confirming_beyond_capacity_is_refused_and_changes_nothing(catalogue, employee_a, employee_b, clo_user):
    services.enrolment_request(session=catalogue.open_session, employee=employee_a)
    waiting = services.enrolment_request(session=catalogue.open_session, employee=employee_b)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_confirm(enrolment=waiting)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_the_capacity_cannot_drop_below_the_seats_taken(catalogue, employee_a, employee_b, director_a, director_b):
    for employee, director in ((employee_a, director_a), (employee_b, director_b)):
        e = services.enrolment_request(session=catalogue.session, employee=employee)
        services.enrolment_approve(enrolment=e, by=director.user)
    session = Session.objects.get(pk=catalogue.session.pk)
    session.capacity = 1
    with pytest.raises(ValidationError) as error:
        services.session_save(session=session)
    assert "capacity" in error.value.message_dict
    assert Session.objects.get(pk=session.pk).capacity == 2


def test_a_cancelled_or_refused_request_can_be_made_again(catalogue, employee_a, director_a):
    e = services.enrolment_request(session=catalogue.session, employee=employee_a)
    services.enrolment_reject(enrolment=e, by=director_a.user, reason="Not this year")
    again = services.enrolment_request(session=catalogue.session, employee=employee_a)
    assert again.pk == e.pk and again.status == S.REQUESTED and again.decision_reason == ""


def test_only_the_persons_director_or_the_office_decides(catalogue, employee_a, director_b, employee_b, clo_user):
    e = services.enrolment_request(session=catalogue.session, employee=employee_a)
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(enrolment=e, by=director_b.user)
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(enrolment=e, by=employee_b.user)
    assert Enrolment.objects.get(pk=e.pk).status == S.REQUESTED
    assert services.enrolment_approve(enrolment=e, by=clo_user).status == S.APPROVED


def test_a_director_cannot_approve_their_own_request(catalogue, director_a):
    e = services.enrolment_request(session=catalogue.session, employee=director_a)
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(enrolment=e, by=director_a.user)


def test_refusing_needs_a_reason_and_a_decided_request_cannot_be_decided_again(catalogue, employee_a, director_a):
    e = services.enrolment_request(session=catalogue.session, employee=employee_a)
    with pytest.raises(ValidationError) as error:
        services.enrolment_reject(enrolment=e, by=director_a.user, reason="  ")
    assert "reason" in error.value.message_dict
    services.enrolment_reject(enrolment=e, by=director_a.user, reason="Service needs this week")
    with pytest.raises(ValidationError, match="already been decided"):
        services.enrolment_approve(enrolment=e, by=director_a.user)
    assert Enrolment.objects.get(pk=e.pk).status == S.REJECTED


def test_saving_a_session_creates_one_day_per_calendar_day_sharing_the_hours(catalogue):
    start = timezone.make_aware(dt.datetime(2030, 3, 4, 9))
    session = Session(program=catalogue.program, code="S-3D", starts_at=start, ends_at=start + dt.timedelta(days=2,
                      hours=5), place="Aula 2", capacity=10)
    services.session_save(session=session)
    days = list(SessionDay.objects.filter(session=session).values_list("date", "hours"))
    assert [d for d, _ in days] == [dt.date(2030, 3, 4), dt.date(2030, 3, 5), dt.date(2030, 3, 6)]
    assert {h for _, h in days} == {Decimal("6.7")}


def _started_session_with(program, people, status=S.APPROVED):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=3), dt.time(9)))
    session = Session(program=program, code=f"S-PAST-{program.pk}", starts_at=start, ends_at=start +
                      dt.timedelta(hours=28), place="Aula", capacity=10)  # two calendar days
    services.session_save(session=session)
    return session, [f.EnrolmentFactory(session=session, employee=p, status=status) for p in people]


def test_attendance_is_recorded_per_day_all_or_nothing(catalogue, employee_a, employee_b):
    session, (ea, eb) = _started_session_with(catalogue.program, [employee_a, employee_b])
    day1, day2 = SessionDay.objects.filter(session=session).order_by("date")
    with pytest.raises(ValidationError) as error:
        services.attendance_record(day=day1, hours={ea.pk: Decimal("3"), eb.pk: day1.hours + 1})
    assert str(eb.pk) in error.value.message_dict
    assert not Attendance.objects.exists()
    services.attendance_record(day=day1, hours={ea.pk: Decimal("3"), eb.pk: Decimal("0")})
    services.attendance_record(day=day2, hours={ea.pk: Decimal("4.5"), eb.pk: Decimal("0")})
    ea.refresh_from_db(), eb.refresh_from_db()
    assert (ea.status, ea.hours_attended) == (S.ATTENDED, Decimal("7.5"))
    assert (eb.status, eb.hours_attended) == (S.APPROVED, Decimal("0"))


def test_completion_certifies_the_competency_and_the_gap_closes_on_commit(
        catalogue, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    f.CurrentLevelFactory(employee=employee_a, competency=catalogue.competency, level=2)
    gap = Gap.objects.get(employee=employee_a, competency=catalogue.competency)
    assert (gap.current_level, gap.gap) == (2, 1)
    session, (enrolment,) = _started_session_with(catalogue.program, [employee_a])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.enrolment_complete(enrolment=enrolment)
        assert Gap.objects.get(employee=employee_a, competency=catalogue.competency).gap == 1  # not before commit
    assert callbacks
    gap = Gap.objects.get(employee=employee_a, competency=catalogue.competency)
    assert (gap.current_level, gap.gap, gap.level_source) == (3, 0, "training")


def test_a_future_session_cannot_be_completed(catalogue, employee_a, director_a):
    e = services.enrolment_request(session=catalogue.session, employee=employee_a)
    services.enrolment_approve(enrolment=e, by=director_a.user)
    with pytest.raises(ValidationError, match="not started"):
        services.enrolment_complete(enrolment=e)
    assert Enrolment.objects.get(pk=e.pk).status == S.APPROVED


def test_hours_and_credits_per_year(catalogue, employee_a):
    session, (enrolment,) = _started_session_with(catalogue.program, [employee_a])
    day1, day2 = SessionDay.objects.filter(session=session).order_by("date")
    services.attendance_record(day=day1, hours={enrolment.pk: Decimal("10")})
    services.attendance_record(day=day2, hours={enrolment.pk: Decimal("8")})
    services.enrolment_complete(enrolment=enrolment)
    old = f.SessionFactory(program=f.ProgramFactory(hours=5), starts_at=timezone.make_aware(dt.datetime(2024, 5, 6, 9)))
    f.EnrolmentFactory(session=old, employee=employee_a, status=S.ATTENDED, hours_attended=Decimal("3"))
    years = selectors.training_by_year(employee_a.pk)
    this_year = timezone.localtime(session.starts_at).year
    assert years == [
        {"year": this_year, "hours": Decimal("18.0"), "completed": 1, "credits": Decimal("2.0")},
        {"year": 2024, "hours": Decimal("3.0"), "completed": 0, "credits": Decimal("0.0")},
    ]


def test_cancelling_a_session_cancels_its_live_enrolments(catalogue, employee_a, employee_b, org):
    seat = services.enrolment_request(session=catalogue.open_session, employee=employee_a)
    waiting = services.enrolment_request(session=catalogue.open_session, employee=employee_b)
    session = Session.objects.get(pk=catalogue.open_session.pk)
    session.status = Session.Status.CANCELLED
    services.session_save(session=session)
    assert set(Enrolment.objects.filter(pk__in=[seat.pk, waiting.pk]).values_list("status", flat=True)) == {
        S.CANCELLED}


def test_a_program_with_prerequisites_needs_them_completed(catalogue, employee_a):
    basics = f.ProgramFactory(title="Writing basics")
    catalogue.program.prerequisites.add(basics)
    with pytest.raises(ValidationError, match="Complete the prerequisite programs first: Writing basics"):
        services.enrolment_request(session=catalogue.session, employee=employee_a)
    assert not Enrolment.objects.filter(employee=employee_a).exists()
    f.EnrolmentFactory(session=f.SessionFactory(program=basics), employee=employee_a, status=S.COMPLETED,
                       completed_on=timezone.localdate())
    assert services.enrolment_request(session=catalogue.session, employee=employee_a).status == S.REQUESTED


def test_someone_elses_completion_does_not_meet_my_prerequisite(catalogue, employee_a, employee_b):
    basics = f.ProgramFactory(title="Writing basics")
    catalogue.program.prerequisites.add(basics)
    session = f.SessionFactory(program=basics)
    f.EnrolmentFactory(session=session, employee=employee_a, status=S.CANCELLED)
    f.EnrolmentFactory(session=session, employee=employee_b, status=S.COMPLETED, completed_on=timezone.localdate())
    with pytest.raises(ValidationError, match="prerequisite"):
        services.enrolment_request(session=catalogue.session, employee=employee_a)
