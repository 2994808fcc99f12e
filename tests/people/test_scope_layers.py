"""The scope is computed in clo.people (``clo.people.roles``); clo/core's own gates (health details, imports) ask
only the roles that Django groups grant (``clo.core.roles.group_roles``). Both give the same answer for every persona,
and asking the groups first costs no extra query when the scope follows in the same request."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clo.core import roles as core_roles
from clo.people import roles

pytestmark = pytest.mark.django_db

PERSONAS = ["clo_user", "hr_user", "director_a", "employee_a"]


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def _user(request, persona):
    person = request.getfixturevalue(persona)
    return fresh(getattr(person, "user", person))


@pytest.mark.parametrize("persona", PERSONAS)
def test_group_roles_are_the_scopes_roles_that_groups_grant(request, persona):
    user = _user(request, persona)
    granted = core_roles.group_roles(user)
    assert granted == {role for role in roles.scope_of(fresh(user)).roles if role in core_roles.GROUP_FOR_ROLE}
    assert (core_roles.CLO in granted) == (persona == "clo_user")
    assert (core_roles.HR in granted) == (persona == "hr_user")


def test_nobody_signed_in_has_no_role():
    assert core_roles.group_roles(AnonymousUser()) == frozenset()
    assert core_roles.group_roles(None) == frozenset()
    assert roles.scope_of(AnonymousUser()) is roles.NO_SCOPE


@pytest.mark.parametrize("persona", PERSONAS)
def test_asking_the_groups_first_costs_no_extra_query(request, persona):
    alone = _user(request, persona)
    with CaptureQueriesContext(connection) as scope_only:
        roles.scope_of(alone)
    both = fresh(alone)
    with CaptureQueriesContext(connection) as groups_then_scope:
        core_roles.group_roles(both)
        roles.scope_of(both)
    assert len(scope_only) > 0
    assert len(groups_then_scope) == len(scope_only)
    assert roles.scope_of(both) == roles.scope_of(alone)


def test_the_scope_once_computed_answers_the_groups_question_without_a_query(clo_user, django_assert_num_queries):
    user = fresh(clo_user)
    roles.scope_of(user)
    with django_assert_num_queries(0):
        assert core_roles.CLO in core_roles.group_roles(user)
