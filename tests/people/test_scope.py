"""Who sees which units and which people: ``visible_to(user)`` for each persona of tests/conftest.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from clo.people import services
from clo.people.models import Employee, OrgUnit
from tests import factories as f

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it (the scope is cached on the user object)."""
    return get_user_model().objects.get(pk=user.pk)


def unit_codes(user) -> list[str]:
    qs = OrgUnit.objects.visible_to(fresh(user) if user.is_authenticated else user)
    return sorted(qs.values_list("code", flat=True))


def employee_names(user) -> list[str]:
    qs = Employee.objects.visible_to(fresh(user) if user.is_authenticated else user)
    return sorted(qs.values_list("last_name", flat=True))


@pytest.fixture
def everyone(clo_user, hr_user, director_a, employee_a, director_b, employee_b):
    """All five personas plus employee_b exist; returns the surnames of all employees."""
    return sorted(Employee.objects.values_list("last_name", flat=True))


ALL_UNITS = ["A", "A1", "AJT", "B", "B1"]


@pytest.mark.parametrize("persona", ["clo_user", "hr_user"])
def test_learning_office_and_hr_see_every_unit_and_everyone(request, everyone, persona):
    user = request.getfixturevalue(persona)
    assert unit_codes(user) == ALL_UNITS
    assert employee_names(user) == everyone
    assert len(everyone) == 6


def test_director_a_sees_units_a_and_a1_and_their_people_only(everyone, director_a, employee_a):
    assert unit_codes(director_a.user) == ["A", "A1"]
    assert employee_names(director_a.user) == sorted([director_a.last_name, employee_a.last_name])


def test_director_a_never_sees_unit_b_people(everyone, director_a, director_b, employee_b):
    visible = Employee.objects.visible_to(fresh(director_a.user))
    assert not visible.filter(pk__in=[director_b.pk, employee_b.pk]).exists()
    assert not OrgUnit.objects.visible_to(fresh(director_a.user)).filter(code__in=["B", "B1", "AJT"]).exists()


def test_employee_a_sees_only_themselves(everyone, employee_a):
    assert unit_codes(employee_a.user) == []
    assert employee_names(employee_a.user) == [employee_a.last_name]


def test_director_b_sees_only_the_b_subtree(everyone, director_b, employee_b):
    assert unit_codes(director_b.user) == ["B", "B1"]
    assert employee_names(director_b.user) == sorted([director_b.last_name, employee_b.last_name])


def test_anonymous_sees_nothing(everyone):
    assert unit_codes(AnonymousUser()) == []
    assert employee_names(AnonymousUser()) == []
    assert not OrgUnit.objects.visible_to(None).exists()


def test_a_login_with_no_role_and_no_employee_sees_nothing(everyone):
    nobody = f.UserFactory(username="sense.rol")
    assert unit_codes(nobody) == []
    assert employee_names(nobody) == []


def test_a_superuser_without_employee_record_sees_everything(everyone):
    admin = f.UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert unit_codes(admin) == ALL_UNITS
    assert employee_names(admin) == everyone


def test_a_director_heading_units_in_two_branches_sees_both_subtrees(
    org, everyone, director_a, employee_a, employee_b
):
    org.unit_b1.heads.add(director_a)
    assert unit_codes(director_a.user) == ["A", "A1", "B1"]
    expected = sorted([director_a.last_name, employee_a.last_name, employee_b.last_name])
    assert employee_names(director_a.user) == expected
    # Heading B1 does not open B, its parent: B's director stays hidden.
    assert "Mir Batlle" not in employee_names(director_a.user)


def test_a_nested_headed_unit_does_not_duplicate_rows(org, everyone, director_a, employee_a):
    org.unit_a1.heads.add(director_a)  # heads A and, redundantly, A1 under it
    user = fresh(director_a.user)
    units = list(OrgUnit.objects.visible_to(user).values_list("pk", flat=True))
    people = list(Employee.objects.visible_to(user).values_list("pk", flat=True))
    assert sorted(units) == sorted([org.unit_a.pk, org.unit_a1.pk])
    assert sorted(people) == sorted([director_a.pk, employee_a.pk])
    assert OrgUnit.objects.visible_to(user).count() == 2
    assert Employee.objects.visible_to(user).count() == 2


def test_moving_a_unit_changes_what_directors_see(org, everyone, director_a, director_b, employee_b):
    services.orgunit_move(unit=org.unit_b1, new_parent=org.unit_a)

    assert unit_codes(director_a.user) == ["A", "A1", "B1"]
    assert employee_b.last_name in employee_names(director_a.user)
    assert unit_codes(director_b.user) == ["B"]
    assert employee_names(director_b.user) == [director_b.last_name]


def test_an_inactive_head_loses_their_scope_and_sees_nothing(everyone, director_a, employee_a):
    Employee.objects.filter(pk=director_a.pk).update(active=False)
    assert unit_codes(director_a.user) == []
    assert employee_names(director_a.user) == []


def test_heading_an_inactive_unit_gives_no_scope_beyond_oneself(org, everyone, director_a, employee_a):
    OrgUnit.objects.filter(pk=org.unit_a.pk).update(active=False)
    assert unit_codes(director_a.user) == []
    assert employee_names(director_a.user) == [director_a.last_name]


def test_inactive_people_inside_a_directors_subtree_stay_visible(everyone, director_a, employee_a):
    """Leavers keep their history: a director still finds them (lists filter ``.active()`` themselves)."""
    Employee.objects.filter(pk=employee_a.pk).update(active=False)
    assert employee_a.last_name in employee_names(director_a.user)
    assert employee_a.last_name not in Employee.objects.visible_to(fresh(director_a.user)).active().values_list(
        "last_name", flat=True
    )
