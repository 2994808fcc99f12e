"""Each page of needs, triage and plan runs a bounded number of queries that does not grow with the organisation:
measured with a little data, then again after adding many more units, people, needs and actions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def grow(org, campaign, competency, director_a, plan, n: int) -> None:
    """``n`` more units under A, each with two people, a submitted need and a plan action serving it."""
    for i in range(n):
        unit = f.OrgUnitFactory(parent=org.unit_a)
        position = f.PositionFactory(unit=unit)
        for _ in range(2):
            f.EmployeeFactory(unit=unit, position=position)
        action = f.PlanActionFactory(plan=plan, estimated_cost=Decimal("100"), funding=("own", "afedap")[i % 2])
        need = f.TrainingNeedFactory(unit=unit, submitted_by=director_a, year=campaign.year, status="submitted")
        need.competencies.add(competency, f.CompetencyFactory())
        need.target_positions.add(position)
        accepted = f.TrainingNeedFactory(unit=unit, submitted_by=director_a, year=campaign.year, status="accepted",
                                         plan_action=action)
        accepted.competencies.add(competency)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def world(org, campaign, competency, director_a, submitted_need):
    plan = f.TrainingPlanFactory(year=campaign.year)
    grow(org, campaign, competency, director_a, plan, 2)
    return plan


def pages(need, plan):
    return {
        "need_list": reverse("programs:need_list"),
        "need_detail": reverse("programs:need_detail", args=[need.pk]),
        "need_create": reverse("programs:need_create"),
        "triage": reverse("programs:triage"),
        "accept": reverse("programs:need_accept", args=[need.pk]),
        "campaigns": reverse("programs:campaign_list"),
        "plan_list": reverse("programs:training_plan_list"),
        "plan_detail": reverse("programs:training_plan_detail", args=[plan.year]),
    }


@pytest.mark.parametrize("persona", ["clo", "director"])
def test_queries_do_not_grow_with_the_organisation(persona, world, org, campaign, competency, director_a,
                                                   submitted_need, clo_user, client):
    client.force_login(clo_user if persona == "clo" else director_a.user)
    urls = pages(submitted_need, world)
    if persona == "director":
        urls = {k: urls[k] for k in ("need_list", "need_detail", "need_create")}
    small = {name: count(client, url) for name, url in urls.items()}
    grow(org, campaign, competency, director_a, world, 30)
    large = {name: count(client, url) for name, url in urls.items()}
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def test_htmx_partials_are_bounded_too(world, org, campaign, competency, director_a, clo_client):
    hx = {"HTTP_HX_REQUEST": "true"}
    url = reverse("programs:need_list") + "?status=submitted"
    with CaptureQueriesContext(connection) as small:
        assert b"<html" not in clo_client.get(url, **hx).content
    grow(org, campaign, competency, director_a, world, 30)
    with CaptureQueriesContext(connection) as large:
        clo_client.get(url, **hx)
    assert len(large) == len(small) <= MAX_QUERIES
