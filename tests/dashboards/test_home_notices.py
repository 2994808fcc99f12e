"""The home page tells a person what waits for them: an assessment to answer in an open campaign, and the learning
office's recent decisions on the training needs they asked for (a director: on their units' needs too). Nobody is
told about another unit's needs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.models import Assessment
from programs.models import NeedEvent, NeedsCampaign
from programs.services import needs as need_services
from tests import factories as f

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def home(client) -> str:
    response = client.get("/", **EN)
    assert response.status_code == 200
    return response.content.decode()


def notices(html: str) -> str:
    if 'id="notices"' not in html:
        return ""
    section = html[html.index('id="notices"'):]
    return section[: section.index("</section>")]


def open_campaign(org, *, kind: str = "self_manager", name: str = "Assessment 2026"):
    today = timezone.localdate()
    campaign = evaluation_services.campaign_create(
        name=name, kind=kind, period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31),
        opens_on=today - dt.timedelta(days=2), closes_on=today + dt.timedelta(days=12), units=[org.unit_a1])
    evaluation_services.campaign_open(campaign_id=campaign.pk)
    return campaign


@pytest.fixture
def assessment_campaign(org, employee_a, employee_b):
    framework = f.FrameworkFactory()
    competency = f.CompetencyFactory(framework=framework, area=f.AreaFactory(framework=framework))
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=2)
    return open_campaign(org)


def test_the_employee_is_told_about_their_self_assessment_to_answer(employee_a_client, assessment_campaign,
                                                                    employee_a):
    text = notices(home(employee_a_client))
    assessment = Assessment.objects.get(campaign=assessment_campaign, employee=employee_a, role="self")
    assert "Your self-assessment in the campaign “Assessment 2026” is waiting for your answers" in text
    assert f'href="/assessments/{assessment.pk}/"' in text


def test_no_notice_once_the_self_assessment_is_submitted(employee_a_client, assessment_campaign, employee_a):
    assessment = Assessment.objects.get(campaign=assessment_campaign, employee=employee_a, role="self")
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED, submitted_at=timezone.now())
    assert "self-assessment" not in notices(home(employee_a_client))


def test_the_manager_is_told_about_the_assessment_of_their_report(director_a_client, assessment_campaign, org):
    open_campaign(org, kind="manager", name="Managers 2026")
    assert "The assessment of Pere Soler Camps" in notices(home(director_a_client))


def test_nobody_outside_the_campaign_is_told(outsider_client, assessment_campaign):
    assert notices(home(outsider_client)) == ""


@pytest.fixture
def needs(org, clo_user, director_a, director_b):
    today = timezone.localdate()
    NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=10),
                                 deadline=today + dt.timedelta(days=20), opened_by=clo_user)

    def submitted(unit, by, title):
        need = f.TrainingNeedFactory(unit=unit, submitted_by=by, year=today.year + 1, title=title,
                                     strategic_objective="Open government", justification="Letters.")
        need.competencies.add(f.CompetencyFactory())
        return need_services.need_submit(need=need, actor=by.user, today=today)

    return {"a": submitted(org.unit_a1, director_a, "Plain language for letters"),
            "b": submitted(org.unit_b1, director_b, "Licences of B")}


def test_the_director_is_told_the_need_was_rejected_with_the_decision(director_a_client, needs, clo_user):
    need_services.need_reject(need=needs["a"], actor=clo_user, reason="Covered by the corporate plan.")
    text = notices(home(director_a_client))
    assert "The learning office rejected the training need “Plain language for letters”" in text
    assert f'href="/needs/{needs["a"].pk}/"' in text


def test_another_units_decisions_are_not_shown(director_a_client, director_b, needs, clo_user):
    need_services.need_reject(need=needs["b"], actor=clo_user, reason="No.")
    assert "Licences of B" not in home(director_a_client)
    outsider = Client()
    outsider.force_login(director_b.user)
    assert "rejected the training need “Licences of B”" in notices(home(outsider))


def test_a_decision_leaves_the_home_page_after_two_weeks(director_a_client, needs, clo_user):
    need_services.need_request_info(need=needs["a"], actor=clo_user, reason="Which letters?")
    assert "asked for more information on the training need" in notices(home(director_a_client))
    NeedEvent.objects.filter(need=needs["a"]).update(at=timezone.now() - dt.timedelta(days=15))
    assert notices(home(director_a_client)) == ""


def test_the_notices_cost_a_fixed_number_of_queries(director_a_client, needs, clo_user, assessment_campaign,
                                                    django_assert_max_num_queries, org, director_a):
    need_services.need_reject(need=needs["a"], actor=clo_user, reason="No.")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        home(director_a_client)
    for n in range(8):
        need = f.TrainingNeedFactory(unit=org.unit_a1, submitted_by=director_a, year=needs["a"].year,
                                     title=f"Need {n}", strategic_objective="x", justification="y")
        need.competencies.add(f.CompetencyFactory())
        need_services.need_submit(need=need, actor=director_a.user, today=timezone.localdate())
        need_services.need_reject(need=need, actor=clo_user, reason="No.")
    with CaptureQueriesContext(connection) as large:
        text = notices(home(director_a_client))
    assert text.count("notice-need") == 9
    assert len(large.captured_queries) == len(small.captured_queries)
