"""Text cannot be turned against the reader of an export, nor break it: what a form receives is kept without control
characters, and every file written from what is already stored (a list's CSV or XLSX, the annual plan's XLSX and
PDF, the organisation workbook) leaves them out and never writes a formula."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clo.core import exports
from clo.core.forms import PlainTextMixin
from clo.core.text import without_control_characters
from clo.dashboards.workbook import write_workbook
from programs.models import NeedsCampaign, TrainingNeed
from tests import factories as f
from tests.dashboards.test_boards import request_a, world  # noqa: F401  (fixtures: a request in unit A)
from tests.exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

HOSTILE = "Plain\x01 language\x0bfor\x1f letters\x7f"


def test_control_characters_are_left_out_and_breaks_stay_breaks():
    assert without_control_characters("a\x00b\x01c\x1fd\x7fe\x9bf\ufffeg") == "abcdefg"
    assert without_control_characters("line\x0bbreak\tand\r\nmore") == "line\nbreak\tand\r\nmore"
    assert without_control_characters("one\x0bline\tand\nmore", multiline=False) == "one line and more"


def test_a_cell_is_cleaned_before_it_is_defused():
    """A control character in front of ``=`` must not hide the formula from the check."""
    assert exports.cell_text("\x01=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports.cell_text("-\x01") == "'-"
    assert exports.cell_text(Decimal("1.5")) == Decimal("1.5") and exports.cell_text(None) is None


def test_a_table_with_control_characters_exports_to_csv_and_xlsx():
    table = exports.Table(title="Needs\x01", columns=["Title\x02"], rows=[[HOSTILE], ["\x03=1+1"]])
    xlsx = load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert [[cell.value for cell in row] for row in xlsx.iter_rows()] == [
        ["Title"], ["Plain language\nfor letters"], ["'=1+1"]]
    assert xlsx.title == "Needs"
    assert exports.to_csv(table, bom=False).decode() == 'Title\r\n"Plain language\nfor letters"\r\n\'=1+1\r\n'


# --- What is already stored -----------------------------------------------------------------------------------------


@pytest.fixture
def stored(org, director_a):
    """A need, a plan action, a program and a person each holding control characters (a form of an older version,
    an import or the admin let them in); the action's title is a formula."""
    plan = f.TrainingPlanFactory(year=2027, title="Pla\x01 de formació 2027")
    action = f.PlanActionFactory(plan=plan, title='=HYPERLINK("http://example.invalid","Click")',
                                 estimated_cost=Decimal("100"))
    need = f.TrainingNeedFactory(unit=org.unit_a1, submitted_by=director_a, year=2027, title=HOSTILE,
                                 justification="Because\x02", status=TrainingNeed.Status.ACCEPTED, plan_action=action)
    f.ProgramFactory(code="P-CTRL", title="Writing\x1b letters")
    director_a.first_name = "Marta\x01"
    director_a.save(update_fields=["first_name"])
    return need


def test_the_annual_plan_xlsx_writes_a_formula_as_text(clo_client):
    plan = f.TrainingPlanFactory(year=2027, title="=1+1")
    f.PlanActionFactory(plan=plan, title='=HYPERLINK("http://example.invalid","Click")')
    response = clo_client.get(reverse("programs:training_plan_xlsx", args=[2027]) + "?lang=en")
    sheet = load_workbook(io.BytesIO(response.content))["Actions"]
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "'=1+1")
    cells = [row[0] for row in sheet.iter_rows() if "HYPERLINK" in str(row[0].value)]
    assert [(cell.data_type, cell.value) for cell in cells] == [
        ("s", '\'=HYPERLINK("http://example.invalid","Click")')]


def test_the_annual_plan_xlsx_leaves_control_characters_out(clo_client, stored):
    response = clo_client.get(reverse("programs:training_plan_xlsx", args=[2027]) + "?lang=en")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Actions"]
    assert sheet["A1"].value == "Pla de formació 2027"
    row = next(row for row in sheet.iter_rows() if str(row[0].value).startswith("'=HYPERLINK"))
    assert row[0].data_type == "s"  # a text cell, not a formula
    assert row[0].value == '\'=HYPERLINK("http://example.invalid","Click")'
    assert "Plain language\nfor letters" in row[2].value


def test_the_annual_plan_pdf_leaves_control_characters_out(clo_client, stored):
    from pypdf import PdfReader

    response = clo_client.get(reverse("programs:training_plan_pdf", args=[2027]) + "?lang=en")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pla de formació 2027" in text and "\x01" not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_of_needs_with_control_characters_exports(clo_client, stored, fmt):
    response = clo_client.get(reverse("programs:need_list"), {"export": fmt})
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    titles = [row[0] for row in rows[1:]]
    assert "Plain language\nfor letters" in titles, rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_catalogue_with_control_characters_exports(clo_client, stored, fmt):
    response = clo_client.get(reverse("programs:catalogue"), {"export": fmt})
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert any("Writing letters" in (cell or "") for row in rows for cell in row if isinstance(cell, str))


def test_the_organisation_workbook_leaves_control_characters_out(stored, tmp_path):
    path = str(tmp_path / "organisation.xlsx")
    write_workbook(path)
    book = load_workbook(path, read_only=True)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
             if isinstance(cell, str)]
    assert "Plain language\nfor letters" in cells and "Marta" in cells and "Writing letters" in cells
    assert '\'=HYPERLINK("http://example.invalid","Click")' in cells
    assert not [cell for cell in cells if any(ch < " " and ch not in "\t\n\r" for ch in cell)]


# --- What a form receives -------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(clo_user):
    today = timezone.localdate()
    return NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=1),
                                        deadline=today + dt.timedelta(days=20), opened_by=clo_user)


def test_a_need_typed_with_control_characters_is_saved_without_them(director_a_client, org, campaign):
    response = director_a_client.post(reverse("programs:need_create"), {
        "unit": org.unit_a1.pk, "title": "Plain\x01 language\tfor\x0bletters", "estimated_participants": 12,
        "priority": "high", "preferred_modality": "online", "desired_period": "Spring\x00",
        "justification": "Citizens\x07 do not\x0bunderstand.", "_save": "1",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    need = TrainingNeed.objects.get()
    assert need.title == "Plain language for letters"  # a one-line field: breaks and tabs become spaces
    assert need.desired_period == "Spring"
    assert need.justification == "Citizens do not\nunderstand."  # a text area keeps its line break


def test_a_form_shown_again_shows_the_cleaned_text(director_a_client, org, campaign):
    """An invalid form comes back with the text as it is kept, control characters out."""
    response = director_a_client.post(reverse("programs:need_create"), {"title": "Plain\x01 language",
                                                                        "_save": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Plain language"' in page and "\x01" not in page


PROJECT = ("clo.", "competencies.", "evaluations.", "programs.")
NO_TEXT = {"clo.core.imports.forms.UploadForm",  # a kind to choose and a file: nothing typed
           # Django's login form: a password is checked as typed, and the username is never stored (the security
           # log quotes it with its control characters escaped)
           "clo.accounts.forms_signin.SignInForm"}


def _project_forms():
    for config in apps.get_app_configs():
        if not config.name.startswith(("clo", "competencies", "evaluations", "programs")):
            continue
        for module in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
            if not any(part in module.name for part in (".migrations", ".management", ".demo")):
                importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith(PROJECT) and ".admin" not in cls.__module__:
                found.add(cls)
    return found


def test_every_form_of_the_project_reads_text_without_control_characters():
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in _project_forms()}
    assert "programs.forms.needs.NeedForm" in names and "clo.dashboards.forms.FilterForm" in names
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in _project_forms()
                     if not issubclass(cls, PlainTextMixin) and f"{cls.__module__}.{cls.__qualname__}" not in NO_TEXT)
    assert not missing, f"make these forms PlainTextMixin forms (clo.core.forms): {missing}"


def test_a_directors_inline_refusal_is_kept_without_control_characters(director_a_client, request_a):
    url = reverse("dashboard_enrolment_decide", args=[request_a.pk, "reject"])
    response = director_a_client.post(url, {"reason": "Not\x00 this\x0byear"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    request_a.refresh_from_db()
    assert (request_a.status, request_a.decision_reason) == ("rejected", "Not this year")
