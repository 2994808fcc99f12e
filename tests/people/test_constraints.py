"""The organisation's invariants refuse bad data, in Python (full_clean) and in the database alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from clo.people import services
from clo.people.models import Employee, OrgUnit, Position, UnitHeadcount
from tests import factories as f
from tests.core.invariants import Case, assert_database_refuses, assert_full_clean_refuses, case_ids, constraint_names

pytestmark = pytest.mark.django_db

FREE_ID = 987_654  # an id no test row reaches, for rows written with an explicit id


def _unit_as_own_parent() -> OrgUnit:
    unit = f.OrgUnitFactory()
    unit.parent = unit
    return unit


def _employee_as_own_manager() -> Employee:
    employee = f.EmployeeFactory()
    employee.manager = employee
    return employee


CASES = [
    Case(
        "people_orgunit_not_own_parent",
        "A unit cannot be its own parent.",
        bad=_unit_as_own_parent,
        # A fresh row that points at itself: only the CHECK can refuse it (the tree trigger watches updates).
        write=lambda unit: OrgUnit.objects.create(id=FREE_ID, parent_id=FREE_ID, code="SELF", name="Self"),
    ),
    Case(
        "people_employee_not_own_manager",
        "An employee cannot be their own manager.",
        bad=_employee_as_own_manager,
        write=lambda employee: Employee.objects.filter(pk=employee.pk).update(manager=F("id")),
    ),
    Case(
        "people_employee_retirement_after_hire",
        "The expected retirement date must come after the hire date.",
        bad=lambda: f.EmployeeFactory.build(
            unit=f.OrgUnitFactory(), position=f.PositionFactory(),
            hire_date=dt.date(2020, 1, 1), expected_retirement_date=dt.date(2019, 12, 31),
        ),
    ),
    Case(
        "people_employee_retirement_after_hire",
        "The expected retirement date must come after the hire date.",
        label="same day",
        bad=lambda: f.EmployeeFactory.build(
            unit=f.OrgUnitFactory(), position=f.PositionFactory(),
            hire_date=dt.date(2020, 1, 1), expected_retirement_date=dt.date(2020, 1, 1),
        ),
    ),
    Case(
        "people_position_criticality_flag",
        "A critical position has a criticality from 1 to 3; any other has none.",
        bad=lambda: f.PositionFactory.build(is_critical=True, criticality=None),
    ),
    Case(
        "people_position_criticality_flag",
        "A critical position has a criticality from 1 to 3; any other has none.",
        label="criticality without the flag",
        bad=lambda: f.PositionFactory.build(is_critical=False, criticality=2),
    ),
    Case(
        "people_unitheadcount_unique",
        "This unit already has a headcount for this group.",
        # the database's triggers write these rows: a second row for a unit and group already counted
        bad=lambda: UnitHeadcount(unit=f.EmployeeFactory().unit, position_group=Position.Group.A2, active=1),
    ),
]


def test_every_people_constraint_has_a_case():
    assert {case.name for case in CASES} == constraint_names("people")


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_full_clean_refuses_with_a_readable_message(case):
    assert_full_clean_refuses(case)


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_database_refuses_a_direct_write(case):
    assert_database_refuses(case)


def test_an_employee_without_retirement_date_or_with_a_later_one_is_accepted():
    unit, position = f.OrgUnitFactory(), f.PositionFactory()
    rows = [
        f.EmployeeFactory.build(unit=unit, position=position, expected_retirement_date=None),
        f.EmployeeFactory.build(unit=unit, position=position, hire_date=dt.date(2020, 1, 1),
                                expected_retirement_date=dt.date(2020, 1, 2)),
    ]
    for row in rows:
        row.full_clean()
    Employee.objects.bulk_create(rows)
    assert Employee.objects.filter(unit=unit).count() == 2


# --- the tree trigger: a unit cannot go under itself or its own subunits ----------------------------------------


def test_update_putting_a_unit_under_its_own_descendant_is_refused_by_the_database(org):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        OrgUnit.objects.filter(pk=org.unit_a.pk).update(parent=org.unit_a1)
    assert "people_orgunit_not_under_itself" in str(caught.value)
    org.unit_a.refresh_from_db()
    assert org.unit_a.parent_id == org.root.pk


def test_update_putting_a_unit_under_a_deep_descendant_is_refused(org):
    deep = f.OrgUnitFactory(parent=f.OrgUnitFactory(parent=org.unit_a1))
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        OrgUnit.objects.filter(pk=org.root.pk).update(parent=deep)
    assert "people_orgunit_not_under_itself" in str(caught.value)


def test_update_making_a_unit_its_own_parent_is_refused(org):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        OrgUnit.objects.filter(pk=org.unit_b.pk).update(parent=org.unit_b)
    # The trigger fires before the row's CHECK on both databases; either names the rule.
    text = str(caught.value)
    assert "people_orgunit_not_under_itself" in text or "people_orgunit_not_own_parent" in text


def test_update_to_a_parent_outside_the_subtree_is_allowed(org):
    """The trigger refuses cycles only: a sibling branch is a legal parent (the service then fixes the paths)."""
    OrgUnit.objects.filter(pk=org.unit_a1.pk).update(parent=org.unit_b)
    assert OrgUnit.objects.get(pk=org.unit_a1.pk).parent_id == org.unit_b.pk


def test_orgunit_move_under_a_descendant_is_a_validation_error_on_parent(org):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.orgunit_move(unit=org.unit_a, new_parent=org.unit_a1)
    assert caught.value.message_dict["parent"] == [
        "A unit cannot be placed under itself or one of its own subunits."
    ]
    org.unit_a.refresh_from_db()
    assert org.unit_a.parent_id == org.root.pk


def test_orgunit_move_under_itself_is_a_validation_error_on_parent(org):
    with pytest.raises(ValidationError) as caught:
        services.orgunit_move(unit=org.unit_b, new_parent=org.unit_b)
    assert "parent" in caught.value.message_dict
