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


# --- Workbooks zipped by hand (hostile ones included) ------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>'
)
_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Full1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'worksheet" Target="worksheets/sheet1.xml"/>'
                  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list[list[str]], *, dimension: str | None = None) -> bytes:
    """A sheet of inline texts; ``dimension`` as the sheet declares it (true or not)."""
    from xml.sax.saxutils import escape

    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
                                   for c, value in enumerate(cells, start=1)) + "</row>"
        for r, cells in enumerate(rows, start=1)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{body}</sheetData></worksheet>'.encode()


def workbook_zip(sheet: bytes | None = None, *, shared=None, extra: dict | None = None) -> bytes:
    """A workbook zipped by hand. ``sheet`` and ``shared`` (the shared texts' part) are bytes, or iterables of byte
    chunks written as a stream (a part of hundreds of megabytes is never held whole)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in [("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)]:
            package.writestr(name, text)
        parts = {"xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml([["code"]]),
                 "xl/sharedStrings.xml": shared if shared is not None else f'<sst xmlns="{MAIN}"/>'.encode(),
                 **(extra or {})}
        for name, content in parts.items():
            with package.open(name, "w") as out:
                for chunk in ([content] if isinstance(content, bytes) else content):
                    out.write(chunk)
    return buffer.getvalue()


def understate(data: bytes, name: str, size: int) -> bytes:
    """The workbook with the uncompressed size of part ``name`` declared as ``size`` (a lie), in its local header
    and in the central directory."""
    import struct

    data = bytearray(data)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")  # the first local header; walk to the one of ``name``
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30:local + 30 + name_length]) == encoded:
            struct.pack_into("<I", data, local + 22, size)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, central + 24, size)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)
