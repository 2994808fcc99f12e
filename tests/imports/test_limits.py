"""Files that must not take a worker down: workbooks that expand to gigabytes or millions of texts, a sheet whose
<dimension> lies, too many cells, too long a cell, too slow a reading, a NUL byte in a CSV. Each is refused with a
message that says which limit it passed (nothing is imported, never a 500), and a workbook is never read in the
web request."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clo.core.imports import parsing, services
from clo.core.imports.models import ImportJob
from clo.people.models import OrgUnit
from tests.imports.helpers import (
    MAIN,
    UNIT_HEADER,
    csv_bytes,
    preview,
    sheet_xml,
    understate,
    workbook_zip,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def tiny_texts(count: int):
    """The shared texts' part with ``count`` one-letter texts, as a stream of chunks."""
    yield f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    for _ in range(count // 100_000):
        yield b"<si><t>a</t></si>" * 100_000
    yield b"</sst>"


def one_huge_text(megabytes: int):
    """The shared texts' part holding one text of ``megabytes`` MB."""
    yield f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    for _ in range(megabytes):
        yield b"a" * MB
    yield b"</t></si></sst>"


def refusal(data: bytes, name: str = "units.xlsx") -> str:
    with pytest.raises(parsing.UnreadableFile) as refused:
        parsing.read_table(data, name)
    return refused.value.message % refused.value.params


def upload_and_show(client, data: bytes, name: str, django_capture_on_commit_callbacks) -> str:
    """Upload through the page (the job reads the workbook), then the job's page as the person sees it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:index"), {
            "kind": "units", "file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


# --- Workbooks that expand -------------------------------------------------------------------------------------------


def test_a_small_workbook_with_millions_of_tiny_shared_texts_is_refused_before_they_are_read(
        hr_client, media, eager_tasks, english, monkeypatch, django_capture_on_commit_callbacks):
    data = workbook_zip(shared=tiny_texts(3_000_000))  # 51 MB of texts in a few hundred kilobytes
    assert len(data) < 400 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse this workbook")

    monkeypatch.setattr(parsing, "_open_workbook", never)
    page = upload_and_show(hr_client, data, "unitats.xlsx", django_capture_on_commit_callbacks)
    assert "The workbook cannot be read safely: a part of it expands" in page
    assert "(at most 100)" in page
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert not OrgUnit.objects.filter(code="code").exists()


def test_shared_texts_beyond_the_cell_limit_are_refused_while_read(settings, english):
    settings.CLO_IMPORTS_XLSX_MAX_RATIO = 100_000  # past the ratio check: the reader itself counts them
    settings.CLO_IMPORTS_MAX_CELLS = 100_000
    data = workbook_zip(shared=tiny_texts(3_000_000))
    assert refusal(data) == "The workbook holds more than 100000 different texts: split it into smaller files."


def test_a_workbook_holding_a_200_mb_text_is_refused_by_its_compression(english):
    data = workbook_zip(shared=one_huge_text(200))
    assert len(data) < 400 * 1024
    assert refusal(data).startswith("The workbook cannot be read safely: a part of it expands")


def test_a_200_mb_text_is_refused_before_it_is_built_even_within_the_size_and_ratio_limits(settings, english):
    settings.CLO_IMPORTS_XLSX_MAX_RATIO = 100_000
    data = workbook_zip(shared=one_huge_text(200))  # within the 256 MB the workbook may expand to
    tracemalloc.start()
    try:
        message = refusal(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == "The workbook holds a text of more than 32767 characters, longer than a cell can hold."
    assert peak < 20 * MB  # read a chunk at a time: never the 200 MB string (nor the 480 MB openpyxl would take)


def test_a_workbook_larger_than_the_limit_once_uncompressed_is_refused(settings, english):
    settings.CLO_IMPORTS_XLSX_MAX_MB = 1
    rows = [[f"U{i}", f"Unitat {i}", "service", ""] for i in range(20_000)]
    data = workbook_zip(sheet_xml([UNIT_HEADER, *rows]))
    assert refusal(data) == ("The workbook is too large once uncompressed (more than 1 MB): split it into smaller "
                             "files, or save it as CSV.")


def test_a_part_that_holds_more_than_it_declares_is_refused(settings, english):
    sheet = sheet_xml([UNIT_HEADER, *[[f"U{i}", f"Unitat {i}", "", ""] for i in range(2000)]])
    data = understate(workbook_zip(sheet), "xl/worksheets/sheet1.xml", 1000)  # declares 1 000 bytes of 150 000
    assert refusal(data) == "The file could not be read as CSV or XLSX."


def test_a_workbook_that_declares_xml_entities_is_refused(english):
    sheet = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lololololololololol">]>'
             + sheet_xml([UNIT_HEADER, ["X", "&lol;", "", ""]]))
    assert refusal(workbook_zip(sheet)) == ("The workbook cannot be read safely: it declares XML entities. Save it "
                                            "again from your spreadsheet program, or as CSV.")


# --- The sheet's dimension, cells, length, time -----------------------------------------------------------------------


def test_a_sheet_whose_dimension_understates_it_is_read_to_its_last_row_and_column(org):
    rows = [[f"U{i:03d}", f"Unitat {i}", "service", "A", "extra"] for i in range(1, 61)]
    data = workbook_zip(sheet_xml([[*UNIT_HEADER, "notes"], *rows], dimension="A1:B3"))  # says 3 rows, 2 columns
    table = parsing.read_table(data, "u.xlsx")
    assert table.header == [*UNIT_HEADER, "notes"]
    assert len(table.rows) == 60 and table.rows[-1] == (61, ["U060", "Unitat 60", "service", "A", "extra"])
    plan = preview("units", data, "u.xlsx")
    assert plan.errors == [] and plan.create == 60


def test_a_sheet_that_jumps_to_a_far_row_is_refused_by_the_cell_limit(settings, english):
    settings.CLO_IMPORTS_MAX_CELLS = 10_000
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
             '</row><row r="1000000"><c r="A1000000" t="inlineStr"><is><t>X</t></is></c></row></sheetData>'
             '</worksheet>').encode()
    assert refusal(workbook_zip(sheet)) == "The file has more than 10000 cells: split it into smaller files."


def test_too_many_cells_in_a_csv_are_refused(settings, english):
    settings.CLO_IMPORTS_MAX_CELLS = 100
    data = csv_bytes(UNIT_HEADER, [[f"U{i}", "Unitat", "", ""] for i in range(30)])
    assert refusal(data, "u.csv") == "The file has more than 100 cells: split it into smaller files."


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cell_longer_than_the_limit_is_refused_with_its_row(english, fmt):
    rows = [["U1", "Unitat", "", ""], ["U2", "x" * 40_000, "", ""]]  # (openpyxl itself would cut it at 32 767)
    data = csv_bytes(UNIT_HEADER, rows) if fmt == "csv" else workbook_zip(sheet_xml([UNIT_HEADER, *rows]))
    assert refusal(data, f"u.{fmt}") == "Row 3 has a cell of more than 32767 characters."


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_that_takes_too_long_to_read_is_refused(settings, monkeypatch, english, fmt):
    settings.CLO_IMPORTS_READ_SECONDS = 60
    ticks = iter(range(0, 10**9, 30))  # a clock that moves 30 s each time it is read
    monkeypatch.setattr(parsing.time, "monotonic", lambda: next(ticks))
    rows = [[f"U{i}", "Unitat", "", ""] for i in range(5000)]
    data = csv_bytes(UNIT_HEADER, rows) if fmt == "csv" else xlsx_bytes(UNIT_HEADER, rows)
    assert refusal(data, f"u.{fmt}") == ("Reading the file took more than 60 seconds: split it into smaller files, "
                                         "or save it as CSV.")


# --- Where a workbook is read ------------------------------------------------------------------------------------------


def test_a_workbook_is_never_read_in_the_request_neither_previewed_nor_imported(media, org, eager_tasks, monkeypatch,
                                                                                django_capture_on_commit_callbacks):
    data = xlsx_bytes(UNIT_HEADER, [["X1", "Unitat X", "", "A"]])
    read = []
    original = parsing.read_xlsx
    monkeypatch.setattr(parsing, "read_xlsx", lambda *args, **kwargs: read.append(1) or original(*args, **kwargs))
    with django_capture_on_commit_callbacks() as queued:
        job = services.import_job_create(kind="units", data=data, original_name="u.xlsx")
    assert job.status == ImportJob.Status.PENDING and read == []  # one row, yet queued: the request did not read it
    [task] = queued
    task()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.total == 1 and read == [1]
    with django_capture_on_commit_callbacks() as queued:
        assert services.import_job_confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and read == [1] and not OrgUnit.objects.filter(code="X1").exists()
    [task] = queued
    task()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and OrgUnit.objects.filter(code="X1").exists()


def test_a_small_csv_is_still_previewed_in_the_request(media, org):
    job = services.import_job_create(kind="units", data=csv_bytes(UNIT_HEADER, [["X1", "X", "", "A"]]),
                                     original_name="u.csv")
    assert job.status == ImportJob.Status.PREVIEWED


def test_a_refusal_is_shown_in_the_language_of_the_reader(media, settings, eager_tasks,
                                                          django_capture_on_commit_callbacks):
    settings.CLO_IMPORTS_MAX_CELLS = 10
    data = xlsx_bytes(UNIT_HEADER, [["X1", "X", "", "A"]] * 5)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(kind="units", data=data, original_name="u.xlsx")
    job.refresh_from_db()
    from django.utils import translation

    with translation.override("ca"):
        assert job.failure_display() == "El fitxer té més de 10 cel·les: dividiu-lo en fitxers més petits."
    with translation.override("en"):
        assert job.failure_display() == "The file has more than 10 cells: split it into smaller files."


# --- A NUL byte in a CSV -----------------------------------------------------------------------------------------------


def nul_past_4_kb() -> bytes:
    return csv_bytes(UNIT_HEADER, [[f"U{i}", "Unitat", "", ""] for i in range(400)]) + b"U999,Uni\x00tat,,\r\n"


def test_a_csv_with_a_nul_byte_past_its_first_4_kb_is_refused_at_the_upload(hr_client, media, english):
    data = nul_past_4_kb()
    assert data.index(b"\x00") > 4096
    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "file": SimpleUploadedFile("unitats.csv", data, content_type="text/csv")})
    assert response.status_code == 422
    assert ("The file contains a NUL byte, which a text file cannot hold: save it again as .csv from your "
            "program.") in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_csv_with_a_nul_byte_is_refused_by_the_reader_too(media, english):
    assert refusal(nul_past_4_kb(), "u.csv") == ("The file contains a NUL byte, which a CSV text file cannot hold: "
                                                 "save it again as CSV or XLSX from your spreadsheet program.")
    job = services.import_job_create(kind="units", data=nul_past_4_kb(), original_name="u.csv")
    assert job.status == ImportJob.Status.FAILED
    assert job.failure_display().startswith("The file contains a NUL byte")
