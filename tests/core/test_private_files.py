"""Private files (the organisation workbook, the monthly reports, the zips of learning plans, uploads) are reached
only through the views that check who asks: no URL publishes MEDIA_ROOT, not even in DEBUG (``make run``), and the
stored names cannot be guessed from an id or a date."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from clo.dashboards.reports import report_file_name
from clo.dashboards.workbook import file_name as workbook_file_name
from programs.models import PlanPdfJob
from programs.services.learning_plans.pdfs import job_zip_name

INSTANT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
TOKEN = re.compile(r"/[0-9a-f]{32}/")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def debug_urls():
    """The URLs as ``make run`` builds them (DEBUG on): ``clo/urls.py`` reads DEBUG when it is imported."""
    import clo.urls

    def rebuild():
        importlib.reload(clo.urls)
        clear_url_caches()

    with override_settings(DEBUG=True):
        rebuild()
        yield
    rebuild()


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _store(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


@pytest.fixture
def stored(org, clo_user, hr_user):
    """A finished workbook, monthly report and zip of learning plans, each stored under the name its worker gives
    it: {kind: (stored name, download URL, the user it belongs to, its bytes)}."""
    workbook = OrganisationWorkbook.objects.create(requested_by=clo_user, language="en")
    name = _store(workbook_file_name(workbook), b"the organisation workbook")
    OrganisationWorkbook.complete(workbook.pk, file=name, rows=1)
    report = MonthlyReport.objects.create(period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
                                          language="en")
    report_name = _store(report_file_name(report), b"%PDF- the monthly report")
    MonthlyReport.complete(report.pk, file=report_name)
    job = PlanPdfJob.objects.create(unit=org.unit_a, as_of=dt.date(2026, 10, 1), requested_by=hr_user)
    zip_name = _store(job_zip_name(PlanPdfJob.objects.select_related("unit").get(pk=job.pk)), b"PK the zip")
    PlanPdfJob.complete(job.pk, file=zip_name)
    return {
        "workbook": (name, reverse("dashboard_workbook_download", args=[workbook.pk]), clo_user,
                     b"the organisation workbook"),
        "report": (report_name, reverse("dashboard_report_download", args=[report.pk]), clo_user,
                   b"%PDF- the monthly report"),
        "zip": (zip_name, reverse("programs:pdf_job_download", args=[job.pk]), hr_user, b"PK the zip"),
    }


@pytest.mark.parametrize("persona", ["employee_a", "director_b", "director_a"])
def test_in_debug_mode_a_signed_in_person_cannot_fetch_a_private_file_by_its_media_url(persona, request, stored,
                                                                                      debug_urls):
    client = _client(request.getfixturevalue(persona).user)
    for kind, (name, download, _owner, _data) in stored.items():
        assert default_storage.exists(name), kind  # the file is there...
        response = client.get(f"/media/{name}")
        assert response.status_code == 404, kind  # ...and no URL publishes it
        assert client.get(download).status_code == 404, kind  # nor does the view, to someone it does not belong to


def test_in_debug_mode_not_even_the_owner_fetches_a_file_by_its_media_url_only_through_the_view(stored, debug_urls):
    for kind, (name, download, owner, data) in stored.items():
        client = _client(owner)
        assert client.get(f"/media/{name}").status_code == 404, kind
        response = client.get(download)
        assert response.status_code == 200, kind
        assert response["Content-Disposition"].startswith("attachment"), kind
        assert "no-store" in response["Cache-Control"], kind
        assert b"".join(response.streaming_content) == data, kind


@pytest.mark.parametrize("name", ["imports/2026/11/0123456789abcdef0123456789abcdef.csv",
                                  "needs/2026/0123456789abcdef-budget.pdf"])
def test_in_debug_mode_uploads_are_not_published_either(name, clo_user, debug_urls):
    stored_as = _store(name, b"an upload")
    assert _client(clo_user).get(f"/media/{stored_as}").status_code == 404


def test_the_stored_names_hold_a_random_token_and_a_job_keeps_its_own(org):
    """Two jobs with the same id, date and scope still get different names; the same job always the same one (a
    job resumed or run again writes over its own file)."""
    workbooks = [OrganisationWorkbook(pk=7, created_at=INSTANT) for _ in range(2)]
    period = {"period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 10, 31), "language": "ca"}
    reports = [MonthlyReport(pk=7, **period) for _ in range(2)]
    jobs = [PlanPdfJob(pk=7, unit=org.unit_a, as_of=dt.date(2026, 10, 1)) for _ in range(2)]
    for build, pair in [(workbook_file_name, workbooks), (report_file_name, reports), (job_zip_name, jobs)]:
        first, second = (build(row) for row in pair)
        assert first != second, build.__name__
        assert TOKEN.search(first) and TOKEN.search(second), first
        assert build(pair[0]) == first  # deterministic for the job

    saved = OrganisationWorkbook.objects.create()
    assert workbook_file_name(OrganisationWorkbook.objects.get(pk=saved.pk)) == workbook_file_name(saved)


def test_table_exports_are_never_kept_in_a_cache(clo_client, english):
    response = clo_client.get(reverse("dashboard_workbooks"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

