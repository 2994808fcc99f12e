"""``scope_of(user)``: which roles clo recognises in a login, and the units it opens."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from clo.people import roles
from clo.people.roles import NO_SCOPE, scope_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_the_clo_is_learning_office_and_sees_everything(clo_user):
    scope = scope_of(fresh(clo_user))
    assert scope.roles == {roles.CLO, roles.EMPLOYEE}
    assert scope.primary_role == roles.CLO
    assert scope.everything is True


def test_hr_is_hr_and_sees_everything(hr_user):
    scope = scope_of(fresh(hr_user))
    assert scope.roles == {roles.HR, roles.EMPLOYEE}
    assert scope.primary_role == roles.HR
    assert scope.everything is True


def test_a_unit_head_is_a_director_scoped_to_their_unit(org, director_a):
    scope = scope_of(fresh(director_a.user))
    assert scope.roles == {roles.DIRECTOR, roles.EMPLOYEE}
    assert scope.primary_role == roles.DIRECTOR
    assert scope.everything is False
    assert scope.unit_paths == (org.unit_a.path,)
    assert scope.headed_unit_ids == (org.unit_a.pk,)
    assert scope.employee_id == director_a.pk


def test_an_employee_is_only_an_employee(employee_a):
    scope = scope_of(fresh(employee_a.user))
    assert scope.roles == {roles.EMPLOYEE}
    assert scope.primary_role == roles.EMPLOYEE
    assert (scope.everything, scope.unit_paths, scope.headed_unit_ids) == (False, (), ())
    assert scope.employee_id == employee_a.pk


def test_anonymous_and_none_have_no_scope():
    assert scope_of(AnonymousUser()) is NO_SCOPE
    assert scope_of(None) is NO_SCOPE
    assert NO_SCOPE.primary_role is None


def test_a_login_without_employee_or_group_has_no_role():
    scope = scope_of(f.UserFactory(username="sense.rol"))
    assert scope.roles == frozenset()
    assert scope.primary_role is None
    assert scope.everything is False
    assert scope.employee_id is None


def test_a_superuser_sees_everything_without_a_role():
    scope = scope_of(f.UserFactory(username="admin", is_superuser=True))
    assert scope.everything is True
    assert scope.roles == frozenset()


def test_hr_group_without_an_employee_record_is_still_hr():
    scope = scope_of(f.UserFactory(username="consultora", groups=["hr"]))
    assert scope.roles == {roles.HR}
    assert scope.everything is True


def test_nested_headed_units_keep_only_the_top_path(org, director_a):
    org.unit_a1.heads.add(director_a)
    org.unit_b1.heads.add(director_a)
    scope = scope_of(fresh(director_a.user))
    assert set(scope.headed_unit_ids) == {org.unit_a.pk, org.unit_a1.pk, org.unit_b1.pk}
    assert sorted(scope.unit_paths) == sorted([org.unit_a.path, org.unit_b1.path])


def test_an_inactive_employee_has_no_employee_or_director_role(org, director_a):
    director_a.active = False
    director_a.save(update_fields=["active"])
    scope = scope_of(fresh(director_a.user))
    assert scope.roles == frozenset()
    assert scope.employee_id is None


def test_the_scope_is_computed_once_per_user_object(director_a, django_assert_num_queries):
    user = fresh(director_a.user)
    first = scope_of(user)
    with django_assert_num_queries(0):
        assert scope_of(user) is first
