"""What a director and the learning office see and do through the pages, full page and HTMX."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import NeedEvent, TrainingNeed, TrainingPlan
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def need_data(org, competency, **changes):
    data = {
        "unit": org.unit_a1.pk, "title": "Plain language for letters", "competencies": [competency.pk],
        "estimated_participants": 12, "priority": "high", "preferred_modality": "online",
        "desired_period": "Spring", "strategic_objective": "Open government",
        "justification": "Citizens do not understand our letters.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_shows_the_units_of_the_directors_scope_only(director_a_client, campaign, org):
    page = html.unescape(director_a_client.get(reverse("programs:need_create")).content.decode())
    assert org.unit_a1.name in page and org.unit_b1.name not in page
    assert f"Needs-detection campaign for the {campaign.year} plan" in page


def test_an_invalid_need_comes_back_with_the_error_next_to_the_field(director_a_client, campaign, org, competency):
    response = director_a_client.post(
        reverse("programs:need_create"), need_data(org, competency, title="", estimated_participants=0), **HX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="need-form"' in html  # only the form partial
    assert 'id="id_title_error"' in html and "This field is required." in html
    assert 'aria-describedby="id_title_error"' in html and 'aria-invalid="true"' in html
    assert 'id="id_estimated_participants_error"' in html and "Estimate at least one participant." in html
    assert not TrainingNeed.objects.exists()


def test_a_submission_asks_for_what_the_office_needs(director_a_client, campaign, org, competency):
    data = need_data(org, competency, justification="", competencies=None)
    response = director_a_client.post(reverse("programs:need_create"), {**data, "_submit": "1"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Explain why the unit needs this training." in html
    assert "Choose at least one competency" in html
    # the same data saved as a draft is fine
    response = director_a_client.post(reverse("programs:need_create"), {**data, "_save": "1"})
    need = TrainingNeed.objects.get()
    assert response.status_code == 302 and response.url == reverse("programs:need_detail", args=[need.pk])
    assert need.status == "draft"


def test_a_director_submits_a_need_and_htmx_is_redirected(director_a_client, director_a, campaign, org, competency):
    response = director_a_client.post(reverse("programs:need_create"), {**need_data(org, competency), "_submit": "1"},
                                      **HX)
    need = TrainingNeed.objects.get()
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("programs:need_detail", args=[need.pk])
    assert need.status == "submitted" and need.year == campaign.year and need.submitted_by == director_a
    assert list(need.competencies.all()) == [competency]
    page = director_a_client.get(response["HX-Redirect"]).content.decode()
    assert "Need submitted to the learning office." in page
    assert "Submitted" in page and "Draft created" in page  # history


def test_searching_a_list_keeps_what_was_typed_and_filters_the_options(director_a_client, campaign, org, competency):
    f.CompetencyFactory(code="DIG9", name="Digital signature")
    response = director_a_client.post(
        reverse("programs:need_create"),
        {**need_data(org, competency, competencies=[]), "competencies_q": "signature", "_search": "competencies"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Digital signature" in html and "Administrative writing" not in html
    assert 'value="Plain language for letters"' in html
    assert "This field is required" not in html and not TrainingNeed.objects.exists()


def test_an_attachment_is_checked_for_size_type_and_content(director_a_client, campaign, org, competency, settings,
                                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("programs:need_create")
    fake_pdf = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    html = director_a_client.post(url, {**need_data(org, competency), "attachment": fake_pdf}).content.decode()
    assert "does not match its type (.pdf)" in html
    program = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    html = director_a_client.post(url, {**need_data(org, competency), "attachment": program}).content.decode()
    assert "This type of file is not accepted." in html
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 + 1))
    html = director_a_client.post(url, {**need_data(org, competency), "attachment": big}).content.decode()
    assert "the limit is 10 MB" in html
    assert not TrainingNeed.objects.exists()
    good = SimpleUploadedFile("context.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    director_a_client.post(url, {**need_data(org, competency), "attachment": good})
    need = TrainingNeed.objects.get()
    download = director_a_client.get(reverse("programs:need_attachment", args=[need.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_rejection_without_reason_returns_the_form_with_422(clo_client, submitted_need):
    url = reverse("programs:need_reject", args=[submitted_need.pk])
    response = clo_client.post(url, {"reject-reason": ""}, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="reject-form"' in html
    assert "Give the reason: the director will read it." in html
    response = clo_client.post(url, {"reject-reason": "It is already covered by the corporate plan."})
    assert response.status_code == 302
    submitted_need.refresh_from_db()
    assert submitted_need.status == "rejected"


def test_the_director_reads_the_rejection_reason(director_a_client, submitted_need, clo_user):
    from programs.services.needs import need_reject

    need_reject(need=submitted_need, actor=clo_user, reason="Covered by the corporate plan.")
    html = director_a_client.get(reverse("programs:need_detail", args=[submitted_need.pk])).content.decode()
    assert "Reason for the rejection" in html and "Covered by the corporate plan." in html
    assert "Marta Gené Vidal" in html  # who decided, in the history


def test_more_information_lets_the_director_edit_again(clo_client, submitted_need, director_a, client):
    clo_client.post(reverse("programs:need_request_info", args=[submitted_need.pk]), {"info-reason": "How many?"})
    client.force_login(director_a.user)
    html = client.get(reverse("programs:need_detail", args=[submitted_need.pk])).content.decode()
    assert "Information requested by the learning office" in html and "How many?" in html
    assert client.get(reverse("programs:need_edit", args=[submitted_need.pk])).status_code == 200


def test_the_office_accepts_a_need_into_a_new_action_and_the_plan_shows_it(clo_client, submitted_need):
    program = f.ProgramFactory(title="Plain language course")
    url = reverse("programs:need_accept", args=[submitted_need.pk])
    response = clo_client.post(url, {"mode": "new_action"}, **HX)
    assert response.status_code == 422 and "This field is required for the choice you made." in response.content.decode()
    response = clo_client.post(url, {"mode": "new_action", "program": program.pk, "estimated_cost": "2400.00",
                                     "estimated_hours": "20", "funding": "afedap"})
    assert response.status_code == 302
    submitted_need.refresh_from_db()
    assert submitted_need.status == "accepted"
    html = clo_client.get(reverse("programs:training_plan_detail", args=[submitted_need.year])).content.decode()
    assert "Plain language course" in html and submitted_need.title in html and "AFEDAP grant" in html
    assert "2,400.00" in html


def test_merging_through_the_triage(clo_client, make_need, org, director_b):
    keep = make_need(status="submitted", estimated_participants=3)
    other = make_need(status="submitted", unit=org.unit_b1, submitted_by=director_b, title="Letters B",
                      estimated_participants=4)
    response = clo_client.post(reverse("programs:needs_merge"), {"needs": [other.pk]}, **HX)
    assert response.status_code == 422
    assert "Choose the need the others are merged into." in response.content.decode()
    response = clo_client.post(reverse("programs:needs_merge"), {"needs": [keep.pk, other.pk], "target": keep.pk})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.estimated_participants == 7
    assert TrainingNeed.objects.get(pk=other.pk).status == "merged"


def test_the_triage_lists_what_waits_high_priority_first(clo_client, make_need):
    make_need(status="submitted", title="Low one", priority="low")
    make_need(status="submitted", title="High one", priority="high")
    make_need(status="draft", title="Draft one")
    html = clo_client.get(reverse("programs:triage")).content.decode()
    assert html.index("High one") < html.index("Low one") and "Draft one" not in html
    assert "2 needs waiting for a decision" in html


def test_approving_the_plan_over_budget_explains_why(clo_client, campaign):
    plan = f.TrainingPlanFactory(year=campaign.year, budget=Decimal("1000.00"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("1500.00"))
    url = reverse("programs:training_plan_approve", args=[plan.year])
    response = clo_client.post(url, **HX)
    assert response.status_code == 422
    assert "more than the available budget" in response.content.decode()
    clo_client.post(reverse("programs:training_plan_edit", args=[plan.year]), {"title": plan.title, "budget": "2000"})
    response = clo_client.post(url)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.Status.APPROVED


def test_the_plan_exports_to_xlsx_and_pdf(clo_client, campaign, submitted_need):
    plan = f.TrainingPlanFactory(year=campaign.year, budget=Decimal("5000"))
    action = f.PlanActionFactory(plan=plan, title="Plain language", estimated_cost=Decimal("1200.50"),
                                 funding="afedap")
    TrainingNeed.objects.filter(pk=submitted_need.pk).update(status="accepted", plan_action=action)
    response = clo_client.get(reverse("programs:training_plan_xlsx", args=[plan.year]) + "?lang=en")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Actions"].iter_rows(values_only=True))
    assert rows[0][0] == plan.title
    row = next(r for r in rows if r[0] == "Plain language")
    assert row[3] == 1200.5 and row[6] == "AFEDAP grant" and submitted_need.title in row[2]
    budget = {r[0]: r for r in book["Budget"].iter_rows(values_only=True)}
    assert budget["Budget left (€)"][2] == 3799.5
    pdf = clo_client.get(reverse("programs:training_plan_pdf", args=[plan.year]) + "?lang=en")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Plain language" in text and "AFEDAP grant" in text


def test_the_campaign_is_opened_with_checked_dates(clo_client, today):
    url = reverse("programs:campaign_list")
    response = clo_client.post(url, {"year": today.year + 2, "opens_on": today.isoformat(),
                                     "deadline": (today.replace(day=1)).isoformat()
                                     if today.day > 1 else "2000-01-01"}, **HX)
    assert response.status_code == 422
    assert "The deadline cannot come before the opening date." in response.content.decode()
    response = clo_client.post(url, {"year": today.year + 2, "opens_on": today.isoformat(),
                                     "deadline": today.replace(year=today.year + 1).isoformat()})
    assert response.status_code == 302
    assert f"{today.year + 2}" in clo_client.get(url).content.decode()
    assert NeedEvent.objects.count() == 0


def test_an_action_with_a_negative_cost_comes_back_with_the_error(clo_client, campaign):
    plan = f.TrainingPlanFactory(year=campaign.year)
    action = f.PlanActionFactory(plan=plan, title="Plain language")
    url = reverse("programs:training_plan_action_edit", args=[plan.year, action.pk])
    data = {"title": "Plain language", "estimated_cost": "-5", "estimated_hours": "10", "estimated_participants": 5,
            "funding": "own"}
    response = clo_client.post(url, data, **HX)
    assert response.status_code == 422 and b"<html" not in response.content
    assert "Estimated cost and hours cannot be negative." in response.content.decode()
    response = clo_client.post(url, {**data, "estimated_cost": "950"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.estimated_cost == Decimal("950")


def test_closing_a_campaign_stops_first_submissions(clo_client, campaign, make_need, director_a, client):
    clo_client.post(reverse("programs:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    need = make_need()
    client.force_login(director_a.user)
    response = client.post(reverse("programs:need_submit", args=[need.pk]), follow=True)
    assert f"The needs-detection campaign for {campaign.year} is not open." in response.content.decode()
    need.refresh_from_db()
    assert need.status == "draft"


def test_the_director_filters_their_needs_and_htmx_gets_only_the_table(director_a_client, make_need):
    make_need(title="A draft of mine")
    make_need(title="A submitted one", status="submitted")
    response = director_a_client.get(reverse("programs:need_list") + "?status=submitted", **HX)
    html = response.content.decode()
    assert "<html" not in html and 'id="need-results"' in html
    assert "A submitted one" in html and "A draft of mine" not in html and "1 training need" in html
