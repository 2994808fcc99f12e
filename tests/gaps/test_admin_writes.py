"""Changes made in the admin (the only editing screen for some records until their own pages exist) reach the gap
engine like changes made through the services: the roll-ups follow on commit, and the next full run finds nothing
to correct."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory

from clo.people.models import Employee, Position
from competencies.models import Requirement
from evaluations.models import Gap, Rating, UnitGroupCompetencyGap
from tests import factories as f
from tests.gaps.conftest import MADRID, TODAY
from tests.gaps.test_refresh import assert_a_full_run_finds_nothing_to_correct, figures
from tests.gaps.test_refresh import org  # noqa: F401 - the organisation fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=MADRID), tick=False):
        yield


def _admin_save(obj, changes: dict) -> None:
    """Save ``obj`` through its ModelAdmin's form, as the change page does."""
    model_admin = admin.site._registry[type(obj)]
    request = RequestFactory().post("/")
    request.user = f.UserFactory(is_staff=True, is_superuser=True)
    form_class = model_admin.get_form(request, obj, change=True)
    data = {key: value for key, value in model_to_dict(obj).items() if value is not None}
    form = form_class({**data, **changes}, instance=obj)
    assert form.is_valid(), form.errors
    saved = form.save(commit=False)
    model_admin.save_model(request, saved, form, True)
    model_admin.save_related(request, form, [], True)


def test_a_rating_changed_in_the_admin_reaches_the_roll_ups(org, django_capture_on_commit_callbacks):  # noqa: F811
    ana, c1 = org["ana"], org["c1"]
    rating = Rating.objects.get(assessment__employee=ana, competency=c1)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(rating, {"level": 3})
    assert Gap.objects.get(employee=ana, competency=c1).gap == 0
    assert figures(org["a1"], c1, subtree=False) == (1, 0, 0)
    assert_a_full_run_finds_nothing_to_correct()


def test_a_requirement_changed_in_the_admin_refreshes_its_holders(org, django_capture_on_commit_callbacks):  # noqa: F811
    requirement = Requirement.objects.get(position=org["clerk"], competency=org["c1"])
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(requirement, {"required_level": 4})
    assert figures(org["root"], org["c1"]) == (2, 2 + 4, 1)
    assert_a_full_run_finds_nothing_to_correct()


def test_an_employee_moved_in_the_admin_leaves_the_old_units_figures(org, django_capture_on_commit_callbacks):  # noqa: F811
    ana = Employee.objects.get(pk=org["ana"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(ana, {"unit": org["b"].pk})
    assert figures(org["a1"], org["c1"]) is None
    assert figures(org["b"], org["c1"]) == (2, 4, 1)
    assert_a_full_run_finds_nothing_to_correct()


def test_a_position_moved_to_another_group_in_the_admin_takes_its_holders_figures_along(  # noqa: F811
        org, django_capture_on_commit_callbacks):
    clerk = Position.objects.get(pk=org["clerk"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(clerk, {"group": "C1"})
    assert not UnitGroupCompetencyGap.objects.exclude(position_group="C1").exists()
    row = UnitGroupCompetencyGap.objects.get(unit=org["root"], subtree=True, position_group="C1", competency=org["c1"])
    assert (row.people, row.gap_sum) == (2, 1 + 3)
    assert_a_full_run_finds_nothing_to_correct()
