"""The per-unit headcount the dashboards read (``UnitHeadcount``) is kept by the database: whoever writes employees
(services, bulk imports, a queryset update, the admin's save, a delete), the counters equal a count of the table."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum

from clo.people import selectors, services
from clo.people.models import Employee, UnitHeadcount
from tests import factories as f

pytestmark = pytest.mark.django_db


def counters() -> dict[int, int]:
    """The stored headcount per unit, the position groups added up."""
    totals = UnitHeadcount.objects.order_by().values_list("unit_id").annotate(n=Sum("active"))
    return {unit_id: n for unit_id, n in totals if n}


def by_group() -> dict[tuple[int, str], int]:
    return {(unit, group): n for unit, group, n in UnitHeadcount.objects.values_list(
        "unit_id", "position_group", "active") if n}


def counted_by_group() -> dict[tuple[int, str], int]:
    return {(unit, group): n for unit, group, n in Employee.objects.filter(active=True).order_by().values_list(
        "unit_id", "position__group").annotate(n=Count("pk"))}


def counted() -> dict[int, int]:
    return dict(Employee.objects.filter(active=True).order_by().values_list("unit_id").annotate(n=Count("pk")))


@pytest.fixture
def units():
    root = f.OrgUnitFactory(code="AJT")
    left = f.OrgUnitFactory(code="L", parent=root)
    right = f.OrgUnitFactory(code="R", parent=root)
    return root, left, right


def test_every_way_of_writing_employees_keeps_the_counters_exact(units):
    root, left, right = units
    people = [f.EmployeeFactory(unit=left) for _ in range(3)] + [f.EmployeeFactory(unit=right)]
    assert counters() == counted() == {left.pk: 3, right.pk: 1}

    position = f.PositionFactory()
    Employee.objects.bulk_create([  # an import writes in bulk: no signal, no save()
        Employee(employee_number=f"B{n}", first_name="Aina", last_name="Pla", unit=right, position=position,
                 hire_date="2020-01-01", active=n % 2 == 0)
        for n in range(10)
    ])
    assert counters() == counted() == {left.pk: 3, right.pk: 6}

    services.employee_move(employee=people[0], unit=root)
    Employee.objects.filter(unit=right, active=False).update(active=True)  # reactivated by an import
    Employee.objects.filter(pk=people[1].pk).update(active=False)
    people[2].unit = right
    Employee.objects.bulk_update([people[2]], ["unit"])
    assert counters() == counted() == {root.pk: 1, right.pk: 12}

    people[3].delete()
    assert counters() == counted() == {root.pk: 1, right.pk: 11}
    assert by_group() == counted_by_group()


def test_counters_follow_a_change_of_position_and_a_position_moved_to_another_group(units):
    """Whoever writes: a service, a queryset update, a position saved with another group."""
    _, left, right = units
    a1, c2 = f.PositionFactory(group="A1"), f.PositionFactory(group="C2")
    people = [f.EmployeeFactory(unit=left, position=a1) for _ in range(3)] + [f.EmployeeFactory(unit=right, position=c2)]
    assert by_group() == {(left.pk, "A1"): 3, (right.pk, "C2"): 1}

    services.employee_change_position(employee=people[0], position=c2)
    Employee.objects.filter(pk=people[1].pk).update(position=c2)  # an import
    assert by_group() == counted_by_group() == {(left.pk, "A1"): 1, (left.pk, "C2"): 2, (right.pk, "C2"): 1}

    c2.group = "B"  # the position itself moves to another group: its holders' units are counted again
    c2.save()
    assert by_group() == counted_by_group() == {(left.pk, "A1"): 1, (left.pk, "B"): 2, (right.pk, "B"): 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's row version (ctid)")
def test_a_save_that_moves_nobody_leaves_the_counter_row_untouched(units):
    _, left, _ = units
    person = f.EmployeeFactory(unit=left)

    def version() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT ctid::text FROM people_unitheadcount WHERE unit_id = %s", [left.pk])
            return cursor.fetchone()[0]

    before = version()
    person.first_name = "Queralt"
    person.save()  # every column is written, unit and active included: the net change per unit is nothing
    assert version() == before
    person.active = False
    person.save()
    assert version() != before and counters() == {}


def test_a_rolled_back_change_leaves_the_counters_as_they_were(units):
    _, left, right = units
    f.EmployeeFactory(unit=left)
    with pytest.raises(RuntimeError), transaction.atomic():
        f.EmployeeFactory(unit=right)
        Employee.objects.update(active=False)
        raise RuntimeError
    assert counters() == counted() == {left.pk: 1}


def test_headcount_figure_of_a_subtree_and_of_the_whole_organisation(units):
    root, left, right = units
    director = f.EmployeeFactory(unit=left)
    f.EmployeeFactory.create_batch(4, unit=left)
    f.EmployeeFactory.create_batch(2, unit=right)
    f.EmployeeFactory(unit=right, active=False)

    def figure(**kwargs) -> int:
        return selectors.unit_figures(root.pk, {"n": selectors.headcount_figure(**kwargs)})["n"]

    assert figure() == 7
    assert figure(unit_path=left.path) == 5
    assert figure(unit_path=left.path, exclude_id=director.pk) == 4  # a director leaves themselves out
    assert figure(unit_path=right.path, exclude_id=director.pk) == 2  # ...only where they are counted
    assert figure(unit_path=f.OrgUnitFactory(parent=right).path) == 0
    group = director.position.group
    in_group = Employee.objects.filter(active=True, position__group=group)
    assert figure(group=group) == in_group.count()
    assert figure(unit_path=left.path, group=group, exclude_id=director.pk) == in_group.filter(unit=left).count() - 1
    assert figure(group="AP" if group != "AP" else "A1") == Employee.objects.filter(
        active=True, position__group="AP" if group != "AP" else "A1").count()
