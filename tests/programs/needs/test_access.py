"""Who may reach which page: the outsider (director of unit B) gets 404 for every page of unit A's need and for the
learning office's pages, GET and POST, full page and HTMX partial; an employee gets 403/404; anonymous → login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import TrainingNeed
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def data(submitted_need, campaign):
    plan = f.TrainingPlanFactory(year=campaign.year)
    action = f.PlanActionFactory(plan=plan)
    return {"need": submitted_need, "plan": plan, "action": action, "campaign": campaign}


def need_urls(d):
    pk = d["need"].pk
    return [reverse(f"programs:{name}", args=[pk]) for name in (
        "need_detail", "need_edit", "need_submit", "need_attachment", "need_request_info", "need_reject", "need_accept",
    )]


def office_urls(d):
    year = d["plan"].year
    return [
        reverse("programs:triage"), reverse("programs:needs_merge"), reverse("programs:campaign_list"),
        reverse("programs:campaign_close", args=[d["campaign"].pk]), reverse("programs:training_plan_list"),
        reverse("programs:training_plan_detail", args=[year]), reverse("programs:training_plan_edit", args=[year]),
        reverse("programs:training_plan_action_edit", args=[year, d["action"].pk]),
        reverse("programs:training_plan_approve", args=[year]), reverse("programs:training_plan_pdf", args=[year]),
        reverse("programs:training_plan_xlsx", args=[year]),
    ]


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_outsider_gets_404_everywhere(outsider_client, data, headers):
    for url in need_urls(data) + office_urls(data):
        assert outsider_client.get(url, **headers).status_code == 404, url
        assert outsider_client.post(url, {"reject-reason": "x", "info-reason": "x", "title": "x"}, **headers).status_code == 404, url
    data["need"].refresh_from_db()
    assert data["need"].status == TrainingNeed.Status.SUBMITTED


def test_the_outsider_does_not_see_unit_a_in_the_list(outsider_client, data):
    response = outsider_client.get(reverse("programs:need_list"))
    assert response.status_code == 200
    assert data["need"].title not in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_an_employee_cannot_reach_needs_or_the_plan(employee_a_client, data, headers):
    for url in (reverse("programs:need_list"), reverse("programs:need_create")):
        assert employee_a_client.get(url, **headers).status_code == 403
        assert employee_a_client.post(url, {"title": "x"}, **headers).status_code == 403
    for url in need_urls(data) + office_urls(data):
        assert employee_a_client.get(url, **headers).status_code == 404, url
        assert employee_a_client.post(url, {"reject-reason": "x", "info-reason": "x"}, **headers).status_code == 404, url


def test_the_director_of_unit_a_sees_the_need_but_not_the_office_pages(director_a_client, data):
    assert director_a_client.get(reverse("programs:need_detail", args=[data["need"].pk])).status_code == 200
    for url in office_urls(data) + need_urls(data)[4:]:
        assert director_a_client.get(url).status_code == 404, url
    # submitted: no longer editable by the director
    assert director_a_client.get(reverse("programs:need_edit", args=[data["need"].pk])).status_code == 404


def test_hr_reads_the_plan_but_does_not_change_it(hr_client, data):
    year = data["plan"].year
    assert hr_client.get(reverse("programs:training_plan_detail", args=[year])).status_code == 200
    assert hr_client.post(reverse("programs:training_plan_approve", args=[year])).status_code == 404
    assert hr_client.get(reverse("programs:triage")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, data):
    for url in need_urls(data) + office_urls(data) + [reverse("programs:need_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_office_reads_a_directors_draft_but_does_not_change_it(clo_client, make_need):
    draft = make_need()
    assert clo_client.get(reverse("programs:need_detail", args=[draft.pk])).status_code == 200
    assert clo_client.get(reverse("programs:need_edit", args=[draft.pk])).status_code == 404
    assert clo_client.post(reverse("programs:need_submit", args=[draft.pk])).status_code == 404
