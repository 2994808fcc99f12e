"""Opening a campaign and submitting an assessment cannot be undone: each asks for a confirmation that works without
JavaScript, says what cannot be undone, and a POST without it changes nothing. A campaign's pages show its scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import AssessmentCampaign
from tests.evaluations.conftest import self_assessment

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(frame, org, employee_a, employee_b):
    today = timezone.localdate()
    campaign = services.campaign_create(
        name="Avaluació de l'àrea A", kind="self_manager", period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31), opens_on=today, closes_on=today + dt.timedelta(days=20),
        units=[org.unit_a], frameworks=[frame.framework],
    )
    return campaign


def test_the_campaign_page_shows_its_units_and_frameworks(clo_client, draft, org, frame):
    html = clo_client.get(reverse("evaluations:campaign_detail", args=[draft.pk])).content.decode()
    units = html[html.index('id="campaign-units"'):]
    assert org.unit_a.name.replace("'", "&#x27;") in units[: units.index("</div>")]
    frameworks = html[html.index('id="campaign-frameworks"'):]
    assert frame.framework.name in frameworks[: frameworks.index("</div>")]


def test_a_campaign_with_no_unit_says_it_covers_the_whole_organisation(director_a_client, campaign):
    html = director_a_client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])).content.decode()
    units = html[html.index('id="campaign-units"'):]
    assert "The whole organisation" in units[: units.index("</div>")]
    frameworks = html[html.index('id="campaign-frameworks"'):]
    assert "All frameworks" in frameworks[: frameworks.index("</div>")]


def test_opening_asks_for_a_confirmation_that_says_what_cannot_be_undone(clo_client, draft, org):
    detail = clo_client.get(reverse("evaluations:campaign_detail", args=[draft.pk])).content.decode()
    url = reverse("evaluations:campaign_open", args=[draft.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation page, no longer a button that opens at once
    page = clo_client.get(url).content.decode()
    assert "Opening the campaign cannot be undone." in page
    assert 'name="confirm"' in page and 'id="campaign-people">2<' in page  # employee_a and director_a
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_post_without_the_confirmation_opens_nothing(clo_client, draft, headers):
    response = clo_client.post(reverse("evaluations:campaign_open", args=[draft.pk]), {}, **headers)
    assert response.status_code == 422
    assert "Tick the box to confirm: opening the campaign cannot be undone." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.assessments.exists()


def test_with_the_confirmation_the_campaign_opens(clo_client, draft):
    response = clo_client.post(reverse("evaluations:campaign_open", args=[draft.pk]), {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentCampaign.Status.OPEN and draft.assessments.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_outsider_cannot_open_a_campaign_of_another_unit(client, draft, director_b, employee_a, method, headers):
    for user in (director_b.user, employee_a.user):
        client.force_login(user)
        response = getattr(client, method)(reverse("evaluations:campaign_open", args=[draft.pk]), {"confirm": "on"},
                                           **headers)
        assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitting_an_assessment_without_the_confirmation_keeps_it_in_draft(employee_a_client, campaign, frame,
                                                                             employee_a):
    assessment = self_assessment(campaign, employee_a)
    url = reverse("evaluations:assessment_detail", args=[assessment.pk])
    page = employee_a_client.get(url).content.decode()
    assert 'name="confirm"' in page and "once submitted, they can no longer be changed" in page
    data = {f"level_{frame.writing.pk}": "2", f"level_{frame.teamwork.pk}": "3", "submit": "1"}
    response = employee_a_client.post(url, data, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tick the box to submit: a submitted assessment cannot be changed." in html
    assert 'href="#id_confirm"' in html  # the error summary links to the box
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert employee_a_client.post(url, {**data, "confirm": "on"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_saving_a_draft_needs_no_confirmation(employee_a_client, campaign, frame, employee_a):
    assessment = self_assessment(campaign, employee_a)
    url = reverse("evaluations:assessment_detail", args=[assessment.pk])
    assert employee_a_client.post(url, {f"level_{frame.writing.pk}": "2", "save": "1"}).status_code == 302
