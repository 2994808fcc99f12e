"""Exports of the imports pages (``?export=csv|xlsx`` on the page's own URL): every stored row in error of an import,
not one page of them, for HR to correct the source file; and the list of imports. HR and the learning office only."""

from __future__ import annotations


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clo.core.imports import services, views
from tests.exports import csv_rows, xlsx_rows
from tests.imports.helpers import UNIT_HEADER, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def units_job(rows, name="unitats.csv", by=None):
    return services.import_job_create(kind="units", data=csv_bytes(UNIT_HEADER, rows), original_name=name,
                                      requested_by=by)


@pytest.fixture
def failing_job(org, hr_user):
    """A preview with more rows in error than one page shows: each row names a parent unit that does not exist."""
    rows = [[f"U{i}", f"Unitat {i}", "", f"NOPE{i}"] for i in range(views.ERRORS_PER_PAGE + 5)]
    return units_job(rows, by=hr_user)


def test_the_rows_in_error_export_has_every_row_not_one_page(hr_client, failing_job, english):
    url = reverse("imports:job", args=[failing_job.pk])
    page = hr_client.get(url).content.decode()
    assert page.count("Unknown unit code") == views.ERRORS_PER_PAGE  # the page shows one page of them
    rows = csv_rows(hr_client.get(url, {"export": "csv", "page": "1"}))
    assert rows[0] == ["Row", "Column", "Problem"]
    assert len(rows) - 1 == views.ERRORS_PER_PAGE + 5
    assert rows[1] == ["2", "parent_code", "Unknown unit code “NOPE0”."]  # row 1 is the header of the file


def test_the_rows_in_error_export_as_xlsx_keeps_row_numbers_as_numbers(clo_client, failing_job, english):
    sheet = xlsx_rows(clo_client.get(reverse("imports:job", args=[failing_job.pk]), {"export": "xlsx"}))
    assert sheet[0] == ["Row", "Column", "Problem"]
    assert [row[0] for row in sheet[1:4]] == [2, 3, 4]


def test_the_rows_in_error_are_exported_in_the_users_language(hr_client, failing_job):
    rows = csv_rows(hr_client.get(reverse("imports:job", args=[failing_job.pk]), {"export": "csv"},
                                  HTTP_ACCEPT_LANGUAGE="es"))
    assert rows[0] == ["Fila", "Columna", "Problema"]


def test_the_job_page_links_to_the_export_also_in_its_polled_partial(hr_client, failing_job):
    url = reverse("imports:job", args=[failing_job.pk])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        content = hr_client.get(url, {"page": "2"}, **headers).content.decode()
        assert f'href="{url}?export=csv"' in content and f'href="{url}?export=xlsx"' in content


def test_the_list_of_imports_exports_every_import_newest_first(hr_client, org, hr_user, english):
    units_job([["X", "X", "", "A"]], name="first.csv", by=hr_user)
    units_job([["Y", "Y", "", "NOPE"]], name="=second.csv")
    rows = csv_rows(hr_client.get(reverse("imports:index"), {"export": "csv"}))
    assert rows[0] == ["Uploaded at", "File", "Data", "Status", "By", "Rows in the file", "Rows in error",
                       "Finished at"]
    assert [row[1] for row in rows[1:]] == ["'=second.csv", "first.csv"]
    assert rows[1][2:5] == ["Organisational units", "Ready to import", ""] and rows[1][5:7] == ["1", "1"]
    assert rows[2][4] == (hr_user.get_full_name() or hr_user.get_username())
    content = hr_client.get(reverse("imports:index")).content.decode()
    assert 'href="/imports/?export=csv"' in content and 'href="/imports/?export=xlsx"' in content


def test_the_list_of_imports_export_runs_a_fixed_number_of_queries(clo_client, org, hr_user):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            sheet = xlsx_rows(clo_client.get(reverse("imports:index"), {"export": "xlsx"}))
        return len(queries), len(sheet)

    units_job([["X", "X", "", "A"]], by=hr_user)
    small, rows = count()
    for i in range(6):
        units_job([[f"Y{i}", "Y", "", "A"]], by=hr_user)
    large, more_rows = count()
    assert more_rows == rows + 6 and large <= small


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nobody_else_gets_the_exports(request, persona, fmt, failing_job):
    client = request.getfixturevalue(persona)
    for url in (reverse("imports:index"), reverse("imports:job", args=[failing_job.pk])):
        assert client.get(url, {"export": fmt}).status_code == 404
        assert client.get(url, {"export": fmt}, HTTP_HX_REQUEST="true").status_code == 404
