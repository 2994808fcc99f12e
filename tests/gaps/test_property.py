"""Random small organisations: every current level, gap and roll-up (per position group too) the engine stores equals
what the plain-Python oracle (tests/gaps/oracle.py) computes — after a full run, and after random changes followed by
the incremental refreshes the services queue on commit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clo.people import services as people_services
from competencies import services as competency_services
from evaluations import services as evaluation_services
from evaluations.gaps import services
from clo.people.models import Employee, Position
from competencies.models import Requirement
from evaluations.models import Gap, GapTrendPoint
from tests.gaps import oracle
from tests.gaps.conftest import MADRID, Build

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 3, 31)
RULES = ("manager_over_self", "manager_only", "average_self_manager")
GROUPS = ("A1", "C1", "AP")
HYPOTHESIS = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def moment(data, days_back: int) -> dt.datetime:
    """A moment up to ``days_back`` days before BASE, often close to midnight (the local day matters)."""
    day = BASE - dt.timedelta(days=data.draw(st.integers(0, days_back)))
    hour, minute = data.draw(st.sampled_from([(0, 15), (0, 45), (10, 0), (23, 30), (23, 59)]))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MADRID)


def build_world(data) -> dict:
    b = Build()
    competencies = []  # (competency, top level of its scale)
    for _ in range(data.draw(st.integers(1, 2))):
        levels = data.draw(st.sampled_from([4, 8]))
        framework = b.framework(
            rule=data.draw(st.sampled_from(RULES)), validity=data.draw(st.sampled_from([6, 12, 36, 36])),
            status=data.draw(st.sampled_from(["published"] * 6 + ["draft", "archived"])), levels=levels,
        )
        areas = [b.area(framework) for _ in range(data.draw(st.integers(1, 2)))]
        competencies += [(b.competency(area=data.draw(st.sampled_from(areas))), levels)
                         for _ in range(data.draw(st.integers(2, 4)))]

    units = [b.unit()]
    for _ in range(data.draw(st.integers(1, 5))):
        units.append(b.unit(parent=data.draw(st.sampled_from(units))))
    positions, required = [], {}
    for _ in range(data.draw(st.integers(1, 3))):
        position = b.position(data.draw(st.sampled_from(GROUPS)))
        positions.append(position)
        required[position.pk] = data.draw(st.lists(st.sampled_from(competencies), min_size=1, max_size=4,
                                                   unique_by=lambda c: c[0].pk))
        for competency, levels in required[position.pk]:
            b.requirement(position, competency, data.draw(st.integers(1, levels)), weight=data.draw(st.integers(1, 10)),
                          critical=data.draw(st.booleans()))
    employees = [
        b.employee(data.draw(st.sampled_from(units)), data.draw(st.sampled_from(positions)),
                   active=data.draw(st.sampled_from([True] * 5 + [False])))
        for _ in range(data.draw(st.integers(2, 6)))
    ]
    for employee in employees:
        for _ in range(data.draw(st.integers(0, 4))):
            # Mostly competencies the employee's position requires, so that ratings meet requirements.
            pool = required[employee.position_id] if data.draw(st.integers(0, 4)) else competencies
            rated = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique_by=lambda c: c[0].pk))
            role = data.draw(st.sampled_from(["self", "self", "manager", "manager", "peer"]))
            status = data.draw(st.sampled_from(["draft", "submitted", "validated", "validated"]))
            submitted = None if status == "draft" else moment(data, 800)
            validated = None
            if status == "validated" and data.draw(st.booleans()):
                later = dt.timedelta(days=data.draw(st.integers(0, 90)), hours=data.draw(st.integers(0, 23)))
                validated = submitted + later
            assessment = b.assessment(employee, {c: data.draw(st.integers(0, levels)) for c, levels in rated},
                                      role=role, status=status, submitted=submitted, validated=validated)
            if role == "self" and status == "validated" and data.draw(st.booleans()):
                # the manager adjusted one level on validation: the employee's own level is kept apart
                rating = assessment.ratings.order_by("pk").first()
                top = dict((c.pk, levels) for c, levels in rated)[rating.competency_id]
                rating.original_level, rating.level = rating.level, data.draw(st.integers(0, top))
                rating.adjustment_reason = "Adjusted on validation"
                rating.save(update_fields=["original_level", "level", "adjustment_reason"])
        if data.draw(st.integers(0, 2)) == 0:
            certified = data.draw(
                st.lists(st.sampled_from(competencies), min_size=1, max_size=2, unique_by=lambda c: c[0].pk)
            )
            b.training(employee, {c: data.draw(st.integers(1, levels)) for c, levels in certified},
                       completed_on=BASE - dt.timedelta(days=data.draw(st.integers(0, 1000))),
                       status=data.draw(st.sampled_from(["completed", "completed", "cancelled"])))
        if data.draw(st.integers(0, 4)) == 0:
            competency, levels = data.draw(st.sampled_from(competencies))
            assessed = BASE - dt.timedelta(days=data.draw(st.integers(0, 900)))
            expires = data.draw(st.sampled_from([None, assessed + dt.timedelta(days=400),
                                                 assessed + dt.timedelta(days=1500)]))
            b.imported(employee, competency, data.draw(st.integers(0, levels)), assessed_on=assessed,
                       expires_on=expires)
        if data.draw(st.integers(0, 3)) == 0:
            # An imported level outranked by a newer manager rating that expires first: once it has, the imported
            # level is the current one again.
            competency, levels = data.draw(st.sampled_from(required[employee.position_id]))
            assessed = BASE - dt.timedelta(days=data.draw(st.integers(100, 900)))
            b.imported(employee, competency, data.draw(st.integers(0, levels)), assessed_on=assessed,
                       expires_on=assessed + dt.timedelta(days=data.draw(st.sampled_from([800, 1500]))))
            b.assessment(employee, {competency: data.draw(st.integers(0, levels))}, role="manager",
                         status="validated", submitted=moment(data, 90))
        if data.draw(st.integers(0, 3)) == 0:
            # A challenge project's rating at its close: ranked like a validated manager rating, expiring like one
            # (an expiry of its own, which a project rating never has, would be ignored).
            competency, levels = data.draw(st.sampled_from(required[employee.position_id]))
            rated = BASE - dt.timedelta(days=data.draw(st.integers(0, 900)))
            b.imported(employee, competency, data.draw(st.integers(0, levels)), assessed_on=rated,
                       expires_on=data.draw(st.sampled_from([None, rated + dt.timedelta(days=30)])), source="project")
    return {"build": b, "units": units, "positions": positions, "employees": employees, "competencies": competencies,
            "required": required}


def assert_matches_oracle(today: dt.date, imports: list[dict], *, trend: bool) -> None:
    levels = oracle.consolidate(today, imports)
    assert oracle.stored_levels() == levels
    expected_gaps = oracle.gaps(levels)
    stored_gaps = {
        (g.employee_id, g.requirement_id): {
            "employee": g.employee_id, "unit": g.unit_id, "group": g.position_group, "competency": g.competency_id,
            "area": g.area_id,
            "required_level": g.required_level, "current_level": g.current_level, "not_assessed": g.not_assessed,
            "gap": g.gap, "weight": g.weight, "is_critical": g.is_critical,
        }
        for g in Gap.objects.all()
    }
    assert stored_gaps == expected_gaps
    by_competency, by_area, organisation, by_group = oracle.rollups(expected_gaps)
    stored_competency, stored_area, stored_group = oracle.stored_rollups()
    assert stored_competency == by_competency
    assert stored_area == by_area
    assert stored_group == by_group
    if trend:
        point = GapTrendPoint.objects.latest("run_id")
        assert {f: getattr(point, f) for f in oracle.FIGURES} == organisation


@HYPOTHESIS
@given(data=st.data())
def test_full_run_matches_the_oracle(db, data):
    with transaction.atomic():
        world = build_world(data)
        today = BASE + dt.timedelta(days=data.draw(st.integers(0, 300)))
        imports = oracle.imported_levels()  # all of them, whichever wins: none may be lost by a run
        run = services.gaps_full_run(full_consolidation=True, today=today)
        assert run.status == "done"
        assert_matches_oracle(today, imports, trend=True)
        # Changes that reached no refresh (an import, a script): no task runs in this transaction.
        for _ in range(data.draw(st.integers(0, 3))):
            unhooked_change(data, world)
        # The nightly run some days later (expired evidence only) lands where a complete consolidation would, and
        # repairs what the refreshes missed.
        later = today + dt.timedelta(days=data.draw(st.integers(1, 400)))
        if data.draw(st.booleans()):
            services.gaps_sweep_expired(today=later)  # the daily sweep job, before the nightly run
        services.gaps_full_run(today=later)
        assert_matches_oracle(later, imports, trend=True)
        transaction.set_rollback(True)


@HYPOTHESIS
@given(data=st.data())
def test_incremental_refreshes_match_the_oracle(db, data, eager_tasks, django_capture_on_commit_callbacks):
    today = BASE + dt.timedelta(days=data.draw(st.integers(0, 200)))
    # The refreshes judge the evidence on "today": the clock is stopped there so the oracle can use the same day.
    with transaction.atomic(), time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=MADRID), tick=False):
        world = build_world(data)
        b: Build = world["build"]
        services.gaps_full_run(full_consolidation=True, today=today)
        for _ in range(data.draw(st.integers(1, 5))):
            change = data.draw(st.sampled_from(["rating"] * 4 + ["requirement", "remove", "move", "position", "unit",
                                                                 "training", "regroup", "import", "project"]))
            employee = data.draw(st.sampled_from(world["employees"]))
            employee.refresh_from_db()
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                apply_change(data, world, b, change, employee)
        assert_matches_oracle(today, oracle.imported_levels(), trend=False)
        transaction.set_rollback(True)


def unhooked_change(data, world) -> None:
    """A change to people or requirements written straight to the database (no service, no refresh queued)."""
    employee = data.draw(st.sampled_from(world["employees"]))
    change = data.draw(st.sampled_from(["unit", "position", "group", "active", "requirement", "tree"]))
    if change == "unit":
        Employee.objects.filter(pk=employee.pk).update(unit=data.draw(st.sampled_from(world["units"])))
    elif change == "position":
        Employee.objects.filter(pk=employee.pk).update(position=data.draw(st.sampled_from(world["positions"])))
    elif change == "group":  # the job catalogue moved the position to another group
        Position.objects.filter(pk=employee.position_id).update(group=data.draw(st.sampled_from(GROUPS)))
    elif change == "active":
        Employee.objects.filter(pk=employee.pk).update(active=data.draw(st.booleans()))
    elif change == "requirement":
        requirement = Requirement.objects.filter(position=employee.position_id).first()
        if requirement:
            Requirement.objects.filter(pk=requirement.pk).update(required_level=1, weight=data.draw(st.integers(1, 10)))
    else:
        unit = data.draw(st.sampled_from(world["units"][1:]))
        parent = data.draw(st.sampled_from(world["units"]))
        unit.refresh_from_db()
        parent.refresh_from_db()
        if not parent.path.startswith(unit.path):
            # Its refresh is queued on a commit that never comes.
            people_services.orgunit_move(unit=unit, new_parent=parent)


def apply_change(data, world, b: Build, change: str, employee) -> None:
    """One change through the services that queue the refresh on commit (or, for evidence, through the hooks the
    assessment and training services call)."""
    if change == "rating":
        pool = world["required"].get(employee.position_id) or world["competencies"]
        competency, levels = data.draw(st.sampled_from(pool))
        assessment = b.assessment(employee, {competency: data.draw(st.integers(0, levels))},
                                  role=data.draw(st.sampled_from(["self", "manager"])), status="validated",
                                  submitted=moment(data, 30))
        services.gaps_on_assessment_changed(assessment.pk)
    elif change == "import":  # a level imported from another system, through the evaluations service
        competency, levels = data.draw(st.sampled_from(world["competencies"]))
        day = BASE - dt.timedelta(days=data.draw(st.integers(0, 400)))
        evaluation_services.evidence_record(
            employee_id=employee.pk, competency_id=competency.pk, level=data.draw(st.integers(0, levels)),
            evidenced_on=day, expires_on=data.draw(st.sampled_from([None, day + dt.timedelta(days=1500)])),
        )
    elif change == "project":  # a challenge project's owner rates a competency at its close
        competency, levels = data.draw(st.sampled_from(world["competencies"]))
        evaluation_services.evidence_record(
            employee_id=employee.pk, competency_id=competency.pk, level=data.draw(st.integers(0, levels)),
            evidenced_on=BASE - dt.timedelta(days=data.draw(st.integers(0, 400))), source="project",
        )
    elif change == "training":
        competency, levels = data.draw(st.sampled_from(world["competencies"]))
        enrolment = b.training(employee, {competency: data.draw(st.integers(1, levels))}, completed_on=BASE)
        services.gaps_on_training_completed(enrolment.pk)
    elif change == "requirement":
        competency, levels = data.draw(st.sampled_from(world["competencies"]))
        competency_services.requirement_set(
            position=data.draw(st.sampled_from(world["positions"])), competency=competency,
            required_level=data.draw(st.integers(1, levels)), weight=data.draw(st.integers(1, 10)),
            is_critical=data.draw(st.booleans()),
        )
    elif change == "remove":
        requirement = employee.position.requirements.first()
        if requirement:
            competency_services.requirement_remove(requirement=requirement)
    elif change == "move":
        people_services.employee_move(employee=employee, unit=data.draw(st.sampled_from(world["units"])))
    elif change == "regroup":  # the admin or the positions import, which call the people service after the write
        position = data.draw(st.sampled_from(world["positions"]))
        Position.objects.filter(pk=position.pk).update(group=data.draw(st.sampled_from(GROUPS)))
        people_services.positions_regrouped(position_ids=[position.pk])
    elif change == "position":
        people_services.employee_change_position(
            employee=employee, position=data.draw(st.sampled_from(world["positions"]))
        )
    else:
        unit = data.draw(st.sampled_from(world["units"][1:]))
        parent = data.draw(st.sampled_from(world["units"]))
        unit.refresh_from_db()
        parent.refresh_from_db()
        if not parent.path.startswith(unit.path):
            people_services.orgunit_move(unit=unit, new_parent=parent)
