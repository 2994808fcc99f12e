"""Building import files in tests: CSV in any encoding and separator, or XLSX."""

from __future__ import annotations

import csv
import io

from clo.core.imports import engine, registry


def csv_bytes(header: list[str], rows: list[list], *, sep: str = ",", encoding: str = "utf-8",
              bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview(kind: str, data: bytes, name: str = "file.csv", **options):
    return engine.preview(registry.get(kind), data, name, **options)


def run(kind: str, data: bytes, name: str = "file.csv", **options):
    return engine.run(registry.get(kind), data, name, **options)


def errors_of(plan) -> list[tuple[int, str, str]]:
    """(row, column, English message) of every error."""
    return [(e.row, e.column, e.message % e.params if e.params else e.message) for e in plan.errors]


UNIT_HEADER = ["code", "name", "kind", "parent_code"]
POSITION_HEADER = ["code", "title", "group", "job_family", "unit_code", "critical"]
EMPLOYEE_HEADER = ["employee_number", "first_name", "last_name", "email", "unit_code", "position_code",
                   "manager_number", "employment_type", "hire_date", "expected_retirement_date", "language"]


def employee_row(number: str, *, first="Laia", last="Puig Serra", unit="A1", position="LT1", manager="",
                 hire="01/03/2015", retirement="", email="", kind="career", language="ca") -> list[str]:
    return [number, first, last, email, unit, position, manager, kind, hire, retirement, language]
