"""The annual plan's downloads as a person opens them: the spreadsheet's header row followed by the actions, costs in
euros; the PDF's action rows kept whole on a page and its table inside the margins; file names in the reader's
language."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import TrainingNeed
from tests import factories as f

pytestmark = pytest.mark.django_db

EURO = "#,##0.00 €"


@pytest.fixture
def plan(campaign, submitted_need):
    plan = f.TrainingPlanFactory(year=campaign.year, budget=Decimal("5000"))
    action = f.PlanActionFactory(plan=plan, title="Plain language", estimated_cost=Decimal("1200.50"),
                                 estimated_hours=Decimal("20"), funding="afedap")
    TrainingNeed.objects.filter(pk=submitted_need.pk).update(status="accepted", plan_action=action)
    f.PlanActionFactory(plan=plan, title="Data protection", estimated_cost=Decimal("300"), funding="own")
    return plan


def test_the_spreadsheet_header_is_followed_by_the_actions_with_costs_in_euros(clo_client, plan):
    response = clo_client.get(reverse("programs:training_plan_xlsx", args=[plan.year]) + "?lang=en")
    sheet = load_workbook(io.BytesIO(response.content))["Actions"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Action")
    actions = {row[0].value: row for row in sheet.iter_rows(min_row=header[0].row + 1)}
    assert set(actions) == {"Plain language", "Data protection"}  # no empty row between the header and the actions
    assert actions["Plain language"][3].value == 1200.5
    assert {row[3].number_format for row in actions.values()} == {EURO}
    assert not any(all(cell.value is None for cell in row) for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row))
    budget = load_workbook(io.BytesIO(response.content))["Budget"]
    money = [row[2] for row in budget.iter_rows(min_row=2) if isinstance(row[2].value, (int, float))]
    assert money and all(cell.number_format == EURO for cell in money)


def _layout(html: str):
    """WeasyPrint's pages of ``html``, laid out as the PDF draws them."""
    from weasyprint import HTML

    from clo.core.pdf import _fetcher

    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).render().pages


def test_the_pdf_keeps_each_action_row_on_one_page_and_the_table_inside_the_margins(clo_client, plan, monkeypatch):
    from weasyprint.formatting_structure import boxes

    from clo.core import pdf
    from programs.views import annual_plan as plan_views

    long_code = "ciberseguretat" * 6  # one unbreakable word wider than a column
    for number in range(30):
        f.PlanActionFactory(plan=plan, title=f"Action {number} {long_code}", estimated_cost=Decimal("12345.67"),
                            funding="own")
    rendered = []
    monkeypatch.setattr(plan_views, "render_pdf", lambda *args, **kwargs: rendered.append(
        pdf.render_html(*args, **kwargs)) or pdf.html_to_pdf(rendered[-1]))
    response = clo_client.get(reverse("programs:training_plan_pdf", args=[plan.year]) + "?lang=en")
    assert response["Content-Type"] == "application/pdf"
    pages = _layout(rendered[0])
    assert len(pages) > 1
    rows_on = {}
    for number, page in enumerate(pages):
        root = page._page_box
        right = root.content_box_x() + root.width
        for box in root.descendants():
            if isinstance(box, boxes.TableRowGroupBox) and not box.is_header:  # the header repeats on each page
                for row in box.children:
                    rows_on.setdefault(id(row.element), set()).add(number)
            if isinstance(box, (boxes.TableBox, boxes.TableCellBox, boxes.TextBox)):
                assert box.position_x + box.margin_width() <= right + 0.5, box
    assert not [pages_ for pages_ in rows_on.values() if len(pages_) > 1]  # no row split between two pages
    text = " ".join(box.text for page in pages for box in page._page_box.descendants()
                    if isinstance(box, boxes.TextBox))
    assert "Plain language" in text and "Estimated participants" in text  # short words are not cut to fit


@pytest.mark.parametrize(("language", "disposition"), [
    ("en", 'attachment; filename="training-plan-{year}.{ext}"'),
    ("es", "attachment; filename=\"plan-de-formacion-{year}.{ext}\"; "
           "filename*=UTF-8''plan-de-formaci%C3%B3n-{year}.{ext}"),
    ("ca", "attachment; filename=\"pla-de-formacio-{year}.{ext}\"; filename*=UTF-8''pla-de-formaci%C3%B3-{year}.{ext}"),
])
def test_the_downloads_are_named_in_the_language_of_the_document(clo_client, plan, language, disposition):
    for ext, url in (("xlsx", "programs:training_plan_xlsx"), ("pdf", "programs:training_plan_pdf")):
        response = clo_client.get(reverse(url, args=[plan.year]) + f"?lang={language}")
        assert response["Content-Disposition"] == disposition.format(year=plan.year, ext=ext)
