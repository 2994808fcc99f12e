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
from competencies import services as competency_services
from competencies.models import Framework, Requirement
from evaluations.gaps import selectors as gap_selectors
from evaluations.gaps import services
from evaluations.models import Gap, GapRun, Rating, UnitGroupCompetencyGap
from tests import factories as f
from tests.gaps.conftest import MADRID, TODAY, at
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


# --- Frameworks: archiving one, or changing how it consolidates evidence, reaches the dashboards on commit ----------


def test_a_framework_archived_in_the_admin_leaves_the_dashboards_at_once(org, django_capture_on_commit_callbacks):  # noqa: F811
    framework = Framework.objects.get(pk=org["c1"].framework_id)
    assert gap_selectors.unit_figures(org["root"].pk).requirements == 4  # two clerks × C1, C2
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(framework, {"status": Framework.Status.ARCHIVED})
    # Its requirements no longer count: no figures for C1 or C2, nobody is measured.
    assert figures(org["root"], org["c1"]) is None and figures(org["a1"], org["c2"], subtree=False) is None
    assert gap_selectors.unit_figures(org["root"].pk) is None
    assert_a_full_run_finds_nothing_to_correct()
    with django_capture_on_commit_callbacks(execute=True):  # brought back from the archive: measured again
        _admin_save(Framework.objects.get(pk=framework.pk), {"status": Framework.Status.PUBLISHED})
    assert figures(org["root"], org["c1"]) == (2, 1 + 3, 1)
    assert gap_selectors.unit_figures(org["root"].pk).requirements == 4
    assert_a_full_run_finds_nothing_to_correct()


def test_a_consolidation_rule_changed_in_the_admin_re_consolidates_the_levels(org, build,  # noqa: F811
                                                                              django_capture_on_commit_callbacks):
    ana, c1 = org["ana"], org["c1"]
    # ana rates herself at 4; her manager's validated 2 outranks it.
    build.assessment(ana, {c1: 4}, role="self", submitted=at(TODAY - dt.timedelta(days=10)))
    services.gaps_full_run(full_consolidation=True, today=TODAY)
    assert figures(org["a1"], c1, subtree=False) == (1, 1, 0)
    framework = Framework.objects.get(pk=c1.framework_id)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(framework, {"consolidation_rule": Framework.ConsolidationRule.AVERAGE_SELF_MANAGER})
    # The average of 4 and 2 is 3: ana meets C1 now, on the dashboards too.
    assert Gap.objects.get(employee=ana, competency=c1).current_level == 3
    assert figures(org["a1"], c1, subtree=False) == (1, 0, 0)
    assert figures(org["root"], c1) == (2, 3, 1)
    assert GapRun.objects.latest("pk").trigger == GapRun.Trigger.FRAMEWORK
    assert_a_full_run_finds_nothing_to_correct()


def test_an_evidence_validity_changed_in_the_admin_retires_what_it_no_longer_covers(  # noqa: F811
        org, build, django_capture_on_commit_callbacks):
    bernat, c1 = org["bernat"], org["c1"]
    # bernat's manager rated him at 3 fourteen months ago: valid for the framework's 36 months.
    build.assessment(bernat, {c1: 3}, role="manager", status="validated", submitted=at(TODAY - dt.timedelta(days=425)),
                     validated=at(TODAY - dt.timedelta(days=420)))
    services.gaps_full_run(full_consolidation=True, today=TODAY)
    assert figures(org["b"], c1) == (1, 0, 0)
    framework = Framework.objects.get(pk=c1.framework_id)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save(framework, {"evidence_validity_months": 12})
    assert Gap.objects.get(employee=bernat, competency=c1).not_assessed
    assert figures(org["b"], c1) == (1, 3, 1)  # not assessed any more
    assert_a_full_run_finds_nothing_to_correct()


def test_a_framework_changed_through_its_service_reaches_the_dashboards(org, build,  # noqa: F811
                                                                          django_capture_on_commit_callbacks):
    bernat, c1 = org["bernat"], org["c1"]
    build.assessment(bernat, {c1: 3}, role="manager", status="validated", submitted=at(TODAY - dt.timedelta(days=425)),
                     validated=at(TODAY - dt.timedelta(days=420)))
    services.gaps_full_run(full_consolidation=True, today=TODAY)
    framework = Framework.objects.get(pk=c1.framework_id)
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.framework_update(framework=framework, evidence_validity_months=6)
    assert figures(org["b"], c1) == (1, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.framework_update(framework=framework, status=Framework.Status.ARCHIVED)
    assert gap_selectors.unit_figures(org["root"].pk) is None
    assert_a_full_run_finds_nothing_to_correct()


def test_a_framework_saved_without_a_change_that_matters_queues_nothing(org, django_capture_on_commit_callbacks):  # noqa: F811
    framework = Framework.objects.get(pk=org["c1"].framework_id)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _admin_save(framework, {"version": "2.2"})
    assert callbacks == []
