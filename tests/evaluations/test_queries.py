"""Queries per page at two data sizes: the count does not grow with the organisation, nor with the number of
competencies, campaigns or raters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Assessment
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign, self_assessment

pytestmark = pytest.mark.django_db


def grow(org, director_a, frame, n: int) -> None:
    """``n`` more people in A1 (reports of director_a) and in B1, each with a submitted self-assessment."""
    for unit in (org.unit_a1, org.unit_b1):
        for employee in f.EmployeeFactory.create_batch(n, unit=unit, manager=director_a if unit == org.unit_a1 else None):
            f.RequirementFactory(position=employee.position, competency=frame.writing)
    campaign = open_campaign(kind="360", name=f"Campanya {n}")
    for assessment in Assessment.objects.filter(campaign=campaign, role="self").exclude(employee__user__isnull=False):
        services.assessment_save(assessment_id=assessment.pk, submit=True,
                                 answers={frame.writing.pk: services.Answer(2)})


PAGES = {
    # page → (persona, url builder, max queries). Of these, 6 are the request's own (session, user, groups, employee,
    # headed units, session save with its savepoint) and 1 the audit row of the pages that record reads.
    "campaign_list": ("clo", lambda w: reverse("evaluations:campaign_list"), 11),
    "campaign_create": ("clo", lambda w: reverse("evaluations:campaign_create"), 12),
    # + 3 for the campaign's scope (units, frameworks, competencies)
    "campaign_detail_clo": ("clo", lambda w: reverse("evaluations:campaign_detail", args=[w["campaign"].pk]), 16),
    "campaign_detail_director": (
        "director_a", lambda w: reverse("evaluations:campaign_detail", args=[w["campaign"].pk]), 16),
    # + 1: the 360° campaigns where the person chooses peers for their people
    "my_assessments": ("director_a", lambda w: reverse("evaluations:my_assessments"), 14),
    "assessment_form": ("employee_a", lambda w: reverse("evaluations:assessment_detail", args=[w["own"].pk]), 21),
    "validate": ("director_a", lambda w: reverse("evaluations:assessment_validate", args=[w["submitted"].pk]), 21),
    "results": ("director_a", lambda w: reverse("evaluations:employee_results", args=[w["employee_a"].pk]), 17),
}


@pytest.fixture
def world(org, frame, clo_user, director_a, employee_a, director_b, employee_b):
    campaign = open_campaign()
    own = self_assessment(campaign, employee_a)
    services.assessment_save(assessment_id=own.pk, submit=False, answers={frame.writing.pk: services.Answer(1)})
    return {"campaign": campaign, "own": own, "employee_a": employee_a, "org": org, "frame": frame,
            "director_a": director_a,
            "users": {"clo": clo_user, "director_a": director_a.user, "employee_a": employee_a.user}}


def add_competencies(world, n: int) -> None:
    """``n`` more required competencies (with descriptors) for employee_a's position."""
    position = world["employee_a"].position
    for competency in f.CompetencyFactory.create_batch(n, framework=world["frame"].framework,
                                                       area=world["frame"].writing.area):
        f.RequirementFactory(position=position, competency=competency, required_level=2)
        f.DescriptorFactory(competency=competency, level=1)


def a_submitted_report(world, n: int) -> Assessment:
    """A report of director_a with a submitted self-assessment over ``n`` + 1 competencies."""
    frame = world["frame"]
    employee = f.EmployeeFactory(unit=world["org"].unit_a1, manager=world["director_a"])
    competencies = [frame.writing, *f.CompetencyFactory.create_batch(n, framework=frame.framework,
                                                                    area=frame.writing.area)]
    for competency in competencies:
        f.RequirementFactory(position=employee.position, competency=competency)
    campaign = open_campaign(name=f"Per validar {n}", units=[world["org"].unit_a1])
    assessment = Assessment.objects.get(campaign=campaign, employee=employee, role="self")
    services.assessment_save(assessment_id=assessment.pk, submit=True,
                             answers={c.pk: services.Answer(2) for c in competencies})
    return assessment


def count(client, world, page_name: str, maximum: int, django_assert_max_num_queries) -> int:
    persona, url, _ = PAGES[page_name]
    login(client, world["users"][persona])
    with django_assert_max_num_queries(maximum) as queries:
        response = client.get(url(world))
    assert response.status_code == 200
    return len(queries)


def answered_campaign(world, name: str) -> None:
    """An earlier campaign in unit A1 where employee_a answered their self-assessment."""
    older = open_campaign(name=name, units=[world["org"].unit_a1])
    mine = self_assessment(older, world["employee_a"])
    services.assessment_save(assessment_id=mine.pk, submit=True, answers={
        c.pk: services.Answer(1) for c in (world["frame"].writing, world["frame"].teamwork)})


@pytest.mark.parametrize("page_name", PAGES)
def test_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries, world, page_name):
    world["submitted"] = a_submitted_report(world, 1)
    answered_campaign(world, "Històric 0")
    small = count(client, world, page_name, PAGES[page_name][2], django_assert_max_num_queries)
    # Bigger: more people and raters, more competencies, more campaigns in the history.
    grow(world["org"], world["director_a"], world["frame"], 6)
    add_competencies(world, 5)
    world["submitted"] = a_submitted_report(world, 6)
    answered_campaign(world, "Històric 1")
    answered_campaign(world, "Històric 2")
    count(client, world, page_name, small, django_assert_max_num_queries)
