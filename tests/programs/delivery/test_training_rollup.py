"""The training roll-up the dashboards read (``programs.UnitTraining``): kept in step by the services that change
what it counts, for the unit of the person and every unit above it, equal to the figures computed from the
enrolments themselves, and equal to a rebuild from scratch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from clo.people import services as people_services
from programs.models import Enrolment, SessionDay, UnitTraining
from programs.selectors import training_figures, year_bounds
from programs.services import delivery
from programs.services.training_rollup import training_rollup_rebuild
from tests import factories as f


def _figures(unit, year, *, subtree: bool = True, group: str = "") -> dict:
    """The stored figures of a unit (its rows of every position group added up, or of one group)."""
    rows = UnitTraining.objects.filter(unit=unit, year=year, subtree=subtree)
    if group:
        rows = rows.filter(position_group=group)
    totals = rows.aggregate(hours=Sum("hours"), completed=Sum("completed"), closed=Sum("closed"),
                            seat_cost=Sum("seat_cost"))
    zero = {"hours": Decimal("0"), "completed": 0, "closed": 0, "seat_cost": Decimal("0")}
    return {key: zero[key] if value is None else value for key, value in totals.items()}


def _live(unit, year, *, group: str = "") -> dict:
    """The same figures computed from the enrolments of the subtree's active employees (of one group, or all)."""
    from clo.people.models import Employee, OrgUnit

    start, end = year_bounds(year)
    employees = Employee.objects.filter(active=True, unit__path__startswith=unit.path)
    if group:
        employees = employees.filter(position__group=group)
    row = OrgUnit.objects.filter(pk=unit.pk).annotate(**training_figures(employees, start=start, end=end)).values(
        "hours", "completed", "closed").get()
    return {"hours": row["hours"], "completed": row["completed"], "closed": row["closed"]}


def _rows() -> set[tuple]:
    return set(UnitTraining.objects.values_list("unit_id", "subtree", "year", "position_group", "hours", "completed",
                                                 "closed", "seat_cost"))


@pytest.fixture
def course(org):
    """A per-seat program (150 € a seat) and a two-day session that started three weeks ago, at 9:00 local time
    (whatever the hour now, it spans exactly two calendar days)."""
    program = f.ProgramFactory(title="Public procurement", hours=Decimal("8"), cost=Decimal("150.00"))
    day = timezone.localdate() - dt.timedelta(days=21)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    session = f.SessionFactory(program=program, starts_at=start, ends_at=start + dt.timedelta(days=1, hours=4))
    session = delivery.session_save(session=session)
    return session


def test_attendance_completion_and_no_show_count_in_the_person_s_unit_and_every_unit_above(
    org, employee_a, employee_b, course
):
    year = timezone.localtime(course.starts_at).year
    seat_a = f.EnrolmentFactory(session=course, employee=employee_a, status=Enrolment.Status.APPROVED)
    seat_b = f.EnrolmentFactory(session=course, employee=employee_b, status=Enrolment.Status.APPROVED)
    first_day = SessionDay.objects.filter(session=course).order_by("date").first()

    delivery.attendance_record(day=first_day, hours={seat_a.pk: Decimal("3.5")})
    for unit in (org.unit_a1, org.unit_a, org.root):
        assert _figures(unit, year)["hours"] == Decimal("3.5")
    assert _figures(org.unit_b, year)["hours"] == 0
    assert _figures(org.unit_a1, year, subtree=False)["hours"] == Decimal("3.5")
    assert _figures(org.unit_a, year, subtree=False)["hours"] == 0  # nobody of unit A's own people trained

    delivery.enrolment_complete(enrolment=seat_a)
    delivery.enrolment_no_show(enrolment=seat_b)
    assert _figures(org.root, year) == {"hours": Decimal("3.5"), "completed": 1, "closed": 2,
                                        "seat_cost": Decimal("150.00")}
    assert _figures(org.unit_b, year) == {"hours": 0, "completed": 0, "closed": 1, "seat_cost": 0}
    for unit in (org.root, org.unit_a, org.unit_b, org.unit_a1, org.unit_b1):
        stored = _figures(unit, year)
        stored.pop("seat_cost")
        assert stored == _live(unit, year), unit.code
    before = _rows()
    training_rollup_rebuild()
    assert _rows() == before


def test_a_person_who_moves_takes_their_training_along_and_one_who_leaves_only_leaves_the_money(
    org, employee_a, course, eager_tasks, django_capture_on_commit_callbacks
):
    year = timezone.localtime(course.starts_at).year
    seat = f.EnrolmentFactory(session=course, employee=employee_a, status=Enrolment.Status.APPROVED)
    delivery.enrolment_complete(enrolment=seat)
    assert _figures(org.unit_a, year)["completed"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_move(employee=employee_a, unit=org.unit_b1)
    assert _figures(org.unit_a, year)["completed"] == 0
    assert _figures(org.unit_b, year)["completed"] == 1
    assert _figures(org.root, year)["completed"] == 1

    employee_a.refresh_from_db()
    employee_a.active = False
    employee_a.save(update_fields=["active"])
    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_saved(employee_id=employee_a.pk)
    # People who left are not counted among the staff's training, but the seat they used was paid for.
    assert _figures(org.root, year) == {"hours": 0, "completed": 0, "closed": 0, "seat_cost": Decimal("150.00")}
    before = _rows()
    training_rollup_rebuild()
    assert _rows() == before


def test_a_session_moved_to_another_year_moves_its_figures(org, employee_a, course):
    year = timezone.localtime(course.starts_at).year
    seat = f.EnrolmentFactory(session=course, employee=employee_a, status=Enrolment.Status.APPROVED)
    delivery.enrolment_complete(enrolment=seat)
    course.starts_at -= dt.timedelta(days=366)
    course.ends_at -= dt.timedelta(days=366)
    delivery.session_save(session=course)
    assert _figures(org.root, year)["completed"] == 0
    assert _figures(org.root, year - 1)["completed"] == 1
    before = _rows()
    training_rollup_rebuild()
    assert _rows() == before


def test_the_rebuild_counts_what_was_written_around_the_services(org, employee_a, employee_b, course):
    """The admin or a data fix writes enrolments directly: the nightly rebuild brings the figures back in step."""
    year = timezone.localtime(course.starts_at).year
    f.EnrolmentFactory(session=course, employee=employee_a, status=Enrolment.Status.COMPLETED,
                       completed_on=timezone.localdate(), hours_attended=Decimal("8"))
    assert _figures(org.root, year)["completed"] == 0
    training_rollup_rebuild()
    assert _figures(org.root, year) == {"hours": Decimal("8.0"), "completed": 1, "closed": 1,
                                        "seat_cost": Decimal("150.00")}
    assert _figures(org.unit_a1, year, subtree=False)["completed"] == 1


def test_figures_are_kept_per_position_group_and_follow_a_change_of_position_or_of_group(
    org, employee_a, employee_b, course, eager_tasks, django_capture_on_commit_callbacks
):
    year = timezone.localtime(course.starts_at).year
    employee_a.position.group, employee_b.position.group = "A1", "C2"
    employee_a.position.save()
    employee_b.position.save()
    for person in (employee_a, employee_b):
        seat = f.EnrolmentFactory(session=course, employee=person, status=Enrolment.Status.APPROVED)
        delivery.enrolment_complete(enrolment=seat)
    for group, closed in (("A1", 1), ("C2", 1), ("B", 0)):
        stored = _figures(org.root, year, group=group)
        assert {key: stored[key] for key in ("hours", "completed", "closed")} == _live(org.root, year, group=group)
        assert stored["closed"] == closed

    # employee_a takes a position of group B: their training counts there from now on
    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_change_position(employee=employee_a, position=f.PositionFactory(group="B"))
    # and employee_b's position moves to group A2 (the admin, an import)
    employee_b.position.group = "A2"
    employee_b.position.save()
    with django_capture_on_commit_callbacks(execute=True):
        people_services.positions_regrouped(position_ids=[employee_b.position_id])
    for group in ("A1", "A2", "B", "C2"):
        assert _figures(org.root, year, group=group)["closed"] == _live(org.root, year, group=group)["closed"]
    before = _rows()
    training_rollup_rebuild()
    assert _rows() == before
