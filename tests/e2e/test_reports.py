"""In a real browser: the CLO opens the monthly reports, asks for a period that ends before it starts and sees why
at the field, asks for October's report, watches the list update by itself once it is generated (HTMX polling) and
downloads the PDF (read back with pypdf). axe checks every page visited."""

from __future__ import annotations

import io

import pypdf
import pytest

from clo.dashboards.models import MonthlyReport
from tests.e2e.browser import axe_check, go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_clo_generates_a_report_and_downloads_it(e2e_page, live_server, scenario, settings, tmp_path,
                                                     monkeypatch):
    from clo.dashboards import reports, tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    # The report is left pending by the request; the test plays the worker once the page is polling.
    monkeypatch.setattr(tasks.monthly_report_run, "delay", lambda report_id: None)
    page = e2e_page
    log_in(page, "clo")
    go_to(page, "Monthly reports")
    assert page.locator("h1").inner_text() == "Monthly reports"
    assert "No report has been generated yet." in page.locator("#report-list").inner_text()
    axe_check(page)

    # A period ending before it starts: refused, the reason next to the field (HTMX swaps the 422 in place).
    page.fill("#id_period_start", "2026-10-31")
    page.fill("#id_period_end", "2026-10-01")
    page.click("button:has-text('Generate the report')")
    error = page.locator("#id_period_end-error")
    error.wait_for()
    assert error.inner_text() == "The last day must not be before the first day."
    assert page.get_attribute("#id_period_end", "aria-describedby") == "id_period_end-error"
    assert not MonthlyReport.objects.exists()
    axe_check(page)

    page.fill("#id_period_start", "2026-10-01")
    page.fill("#id_period_end", "2026-10-31")
    page.select_option("#id_language", "en")
    with page.expect_navigation():
        page.click("button:has-text('Generate the report')")
    assert "The report is being generated" in page.locator("#messages").inner_text()
    assert "Pending" in page.locator("#reports-table").inner_text()
    axe_check(page)

    reports.monthly_report_run(MonthlyReport.objects.get().pk)
    page.locator("#reports-table a:has-text('Download the PDF')").wait_for()  # the list polled and updated
    assert "Done" in page.locator("#reports-table").inner_text()
    axe_check(page)
    page.emulate_media(color_scheme="dark")  # contrast must hold in Pico's dark scheme too
    axe_check(page)
    with page.expect_download() as info:
        page.click("#reports-table a:has-text('Download the PDF')")
    assert info.value.suggested_filename == "monthly-report-2026-10-01-2026-10-31.pdf"  # in the report's language
    with open(info.value.path(), "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Learning office report" in text and "Period: 1 October 2026 – 31 October 2026" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_the_reports_page_keeps_to_the_content_security_policy(strict_page, scenario):
    page, errors = strict_page
    log_in(page, "clo")
    page.goto("/dashboards/reports/")
    page.fill("#id_period_start", "2026-10-31")
    page.fill("#id_period_end", "2026-10-01")
    page.click("button:has-text('Generate the report')")
    page.locator("#id_period_end-error").wait_for()
    assert page.locator("#report-list").count() == 1  # the swap replaced the form only
    # The browser logs the 422 of the refused form as a failed load: expected; nothing else may be logged.
    assert [e for e in errors if "status of 422" not in e] == []


def test_the_clo_prepares_the_organisation_workbook_and_downloads_it(e2e_page, live_server, scenario, settings,
                                                                    tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from clo.dashboards import tasks, workbook
    from clo.dashboards.models import OrganisationWorkbook

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks.organisation_workbook_run, "delay", lambda workbook_id: None)
    page = e2e_page
    log_in(page, "clo")
    go_to(page, "Monthly reports")
    page.click("text=All the organisation's data in one workbook (XLSX)")
    assert page.locator("h1").inner_text() == "The organisation's data in one workbook"
    assert "No workbook has been prepared yet." in page.locator("#workbook-list").inner_text()
    axe_check(page)
    with page.expect_navigation():
        page.click("button:has-text('Prepare a new workbook')")
    assert "The workbook is being prepared" in page.locator("#messages").inner_text()
    axe_check(page)

    workbook.organisation_workbook_run(OrganisationWorkbook.objects.get().pk)  # the worker's part
    link = page.locator("#workbooks-table a:has-text('Download the workbook')")
    link.wait_for()  # the list polled and updated
    axe_check(page)
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as handle:  # the download's path has no extension: openpyxl reads bytes
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    assert book.sheetnames[:4] == ["Headline figures", "Units", "Positions", "Employees"]
