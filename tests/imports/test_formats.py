"""The files people actually have: Spanish Excel's CSV (Windows-1252, semicolons), UTF-8 with a BOM, XLSX, and the
downloadable templates (read back as they are: their comment lines are skipped)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from clo.core.imports import parsing, registry, template_files
from clo.people.models import Employee
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row, errors_of, preview, run, xlsx_bytes

pytestmark = pytest.mark.django_db

NAMES = [("E1", "Adrià", "Peña Ibáñez"), ("E2", "Núria", "Martí Çaballé"), ("E3", "Joan", "Puig d'Ànjou")]


def _rows():
    return [employee_row(number, first=first, last=last, hire="01/03/2015") for number, first, last in NAMES]


@pytest.mark.parametrize(("encoding", "sep", "bom"), [("cp1252", ";", False), ("utf-8", ";", True),
                                                      ("utf-8", ",", False), ("utf-8", ",", True)])
def test_csv_in_windows_1252_or_utf8_with_semicolons_or_commas_keeps_the_accents(position, encoding, sep, bom):
    data = csv_bytes(EMPLOYEE_HEADER, _rows(), sep=sep, encoding=encoding, bom=bom)
    if encoding == "cp1252":
        assert "Adrià".encode("cp1252") in data  # really not UTF-8
    plan = preview("employees", data)
    assert errors_of(plan) == [] and plan.create == 3
    run("employees", data)
    assert sorted(Employee.objects.filter(employee_number__in=["E1", "E2", "E3"])
                  .values_list("first_name", "last_name")) == sorted((first, last) for _n, first, last in NAMES)


def test_xlsx_with_real_dates_and_numeric_cells(position):
    rows = [[1001, "Adrià", "Peña", "", "A1", "LT1", "", "career", dt.datetime(2015, 3, 1), "", "ca"],
            [1002, "Núria", "Vidal", "", "A1", "LT1", 1001, "", "2016-09-15", "01/09/2050", "es"]]
    data = xlsx_bytes(EMPLOYEE_HEADER, rows)
    plan = preview("employees", data, "plantilla.xlsx")
    assert errors_of(plan) == [] and plan.create == 2
    run("employees", data, "plantilla.xlsx")
    nuria = Employee.objects.get(employee_number="1002")
    assert nuria.manager.employee_number == "1001" and nuria.hire_date == dt.date(2016, 9, 15)
    assert Employee.objects.get(employee_number="1001").hire_date == dt.date(2015, 3, 1)


def test_a_file_that_is_not_a_table_says_so():
    with pytest.raises(parsing.UnreadableFile):
        parsing.read_table(b"PK\x03\x04 not really a workbook", "x.xlsx")
    with pytest.raises(parsing.UnreadableFile):
        parsing.read_table(b"\n\n# only a comment\n", "x.csv")


def test_header_names_are_case_and_space_insensitive_and_extra_columns_ignored(position):
    header = [f" {name.upper()} " for name in EMPLOYEE_HEADER] + ["notes"]
    rows = [row + ["anything"] for row in _rows()]
    assert errors_of(preview("employees", csv_bytes(header, rows, sep=";"))) == []


@pytest.mark.parametrize("kind", ["units", "positions", "employees", "requirements", "programs", "training"])
def test_every_template_lists_the_columns_and_reads_back_with_its_example_row(kind):
    importer = registry.get(kind)
    table = parsing.read_table(template_files.template_csv(importer), "t.csv")
    assert table.header == importer.column_names()
    assert [cells for _n, cells in table.rows] == [[c.example for c in importer.columns]]
    text = template_files.template_csv(importer).decode("utf-8-sig")
    assert all(f"# {column.name}: " in text for column in importer.columns)

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_files.template_xlsx(importer)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == importer.column_names()
    assert all(c.comment and c.comment.text for c in sheet[1])
    assert [str(c.value) for c in sheet[2]] == [c.example for c in importer.columns]
    assert parsing.read_table(template_files.template_xlsx(importer), "t.xlsx").header == importer.column_names()
