"""In a real browser: HR uploads a units file with a row in error and sees the row, column and reason; uploads it
corrected, confirms, and sees what was imported; a large file is previewed by a background job while the page polls
its progress; an employees file imported as the whole register is confirmed by typing the number of people it
deactivates, then undone. axe checks every page visited."""

from __future__ import annotations

import pytest

from clo.core.imports import services, tasks
from clo.core.imports.models import ImportJob
from clo.people.models import OrgUnit
from tests.e2e.browser import axe_check, go_to, log_in
from tests.imports.helpers import UNIT_HEADER, csv_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(page, kind: str, name: str, data: bytes) -> None:
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.click("button:has-text('Check the file')")


def test_hr_previews_corrects_and_confirms_an_import(e2e_page, live_server, scenario, media):
    page = e2e_page
    log_in(page, "rrhh")
    go_to(page, "Imports")
    assert page.locator("h1").inner_text() == "Imports"
    axe_check(page)

    bad = csv_bytes(UNIT_HEADER, [["EDU2", "Servei d'Educació Infantil", "service", "A"],
                                  ["ESC", "<script>alert(1)</script>", "section", "NOPE"]], sep=";", encoding="cp1252")
    _upload(page, "units", "unitats.csv", bad)
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t") == ["3", "parent_code", "Unknown unit code “NOPE”."]
    assert page.locator("button:has-text('Confirm the import')").count() == 0
    axe_check(page)

    go_to(page, "Imports")
    good = csv_bytes(UNIT_HEADER, [["EDU2", "Servei d'Educació Infantil", "service", "A"],
                                   ["ESC", "Secció d'Escoles", "section", "EDU2"]], sep=";", encoding="cp1252")
    _upload(page, "units", "unitats.csv", good)
    assert page.locator("#count-create").inner_text() == "2"
    axe_check(page)
    with page.expect_navigation():
        page.click("button:has-text('Confirm the import')")
    assert "Imported" in page.locator("#job-state").inner_text()
    assert OrgUnit.objects.get(code="ESC").parent.code == "EDU2"
    axe_check(page)


def test_a_large_file_shows_its_progress_until_the_preview_is_ready(e2e_page, live_server, scenario, media, settings,
                                                                   monkeypatch):
    settings.CLO_IMPORTS_INLINE_ROWS = 5
    monkeypatch.setattr(tasks.import_job_preview, "delay", lambda job_id: None)  # the test plays the worker
    page = e2e_page
    log_in(page, "rrhh")
    page.goto("/imports/")
    rows = [[f"U{i:03d}", f"Unitat {i}", "office", "A1"] for i in range(40)]
    _upload(page, "units", "moltes.csv", csv_bytes(UNIT_HEADER, rows))
    assert "Waiting" in page.locator("#job-state").inner_text()
    assert page.locator("#job-status progress").count() == 1
    axe_check(page)
    services.import_job_preview(ImportJob.objects.get().pk)
    page.wait_for_function("() => document.querySelector('#job-state').innerText.includes('Ready to import')")
    assert page.locator("#count-create").inner_text() == "40"
    axe_check(page)


def test_hr_imports_the_whole_register_types_the_number_and_undoes_it(e2e_page, live_server, scenario, media,
                                                                      employee_b):
    from clo.people.models import Employee
    from tests.imports.helpers import EMPLOYEE_HEADER, employee_row

    page = e2e_page
    log_in(page, "rrhh")
    page.goto("/imports/")
    kept = Employee.objects.exclude(unit__in=[scenario.unit_b, scenario.unit_b1]).select_related("unit", "position")
    rows = [employee_row(e.employee_number, first=e.first_name, last=e.last_name, unit=e.unit.code,
                         position=e.position.code, hire=e.hire_date.isoformat()) for e in kept]
    page.check("input[name=mode][value=register]")
    _upload(page, "employees", "plantilla.csv", csv_bytes(EMPLOYEE_HEADER, rows))
    assert page.locator("#count-deactivate").inner_text() == "2"
    assert page.locator("#id_confirmation").count() == 1
    axe_check(page)
    with page.expect_navigation():
        page.click("button:has-text('Confirm the import')")  # nothing typed: refused at the field
    assert "Type the number of employees" in page.locator("#id_confirmation_error").inner_text()
    assert Employee.objects.get(pk=employee_b.pk).active
    axe_check(page)
    page.fill("#id_confirmation", "2")
    with page.expect_navigation():
        page.click("button:has-text('Confirm the import')")
    assert "Imported" in page.locator("#job-state").inner_text()
    assert not Employee.objects.get(pk=employee_b.pk).active
    with page.expect_navigation():
        page.click("text=Undo this import…")
    assert page.locator("#undo-reactivate").inner_text() == "2"
    axe_check(page)
    with page.expect_navigation():
        page.click("button:has-text('Undo the import')")
    assert "Undone" in page.locator("#job-state").inner_text()
    assert Employee.objects.get(pk=employee_b.pk).active
    axe_check(page)
