"""Export of a table (the one on screen, with the same filters) to CSV or XLSX.

CSV is written for spreadsheet programs set to Catalan or Spanish: ``;`` as the separator (the decimal separator
there is the comma) and, by default, a UTF-8 byte-order mark so that accents open correctly.
XLSX is written with openpyxl in write-only mode (rows streamed, memory flat), numbers kept as numbers.

Every text cell of every spreadsheet the project writes (these tables, the annual plan, the organisation workbook)
goes through ``cell_text``: control characters are left out (one of them would make the XLSX impossible to write,
``clo.core.text``), and text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is prefixed with ``'``, so it is shown as typed and never run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from clo.core.downloads import disposition, file_name
from clo.core.text import without_control_characters

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A table to export: a title (the sheet's and the file's name), column headings and rows of plain values; and
    optionally ``preamble`` rows (label, value...) written above the headings, then an empty row, as a form's heading
    is."""

    title: str
    columns: list[str]
    rows: Iterable[list]
    preamble: list[list] = field(default_factory=list)


Builder = Callable[[], Table]


def cell_text(value):
    """A text ``value`` as a spreadsheet cell holds it: without control characters, never a formula. Any other value
    is returned as it is."""
    if not isinstance(value, str):
        return value
    value = without_control_characters(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def sheet_title(title: str, *, suffix: str = "") -> str:
    """A worksheet's name: at most 31 characters, none of those Excel refuses, never empty."""
    title = re.sub(r"[:\\/?*\[\]]", "-", without_control_characters(title, multiline=False)) or "Data"
    return title[: 31 - len(suffix)] + suffix


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", ",")
    return cell_text(str(value))


def to_csv(table: Table, *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in table.preamble:
        writer.writerow([_csv_cell(value) for value in line])
    if table.preamble:
        writer.writerow([])
    writer.writerow([cell_text(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(table.title))
    for line in table.preamble:
        sheet.append([cell_text(str(value)) if i == 0 else cell_text(value) for i, value in enumerate(line)])
    if table.preamble:
        sheet.append([])
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=cell_text(str(column)))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([cell_text(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(table: Table, fmt: str, *, bom: bool = True) -> HttpResponse:
    """An attachment download of ``table`` in ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(to_csv(table, bom=bom), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = disposition(file_name(table.title, fmt))
    add_never_cache_headers(response)  # personal data: no browser or proxy keeps a copy
    return response


def requested_format(request) -> str | None:
    """The format a list page is asked to export with ``?export=csv`` or ``?export=xlsx``; None to render the page."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in FORMATS else None


def export_response(request, build: Builder | Mapping[str, Builder]) -> HttpResponse | None:
    """The download of the table ``build()`` makes when the page is asked for an export, else None.

    A list view calls it after its access checks, with the same (unpaginated) queryset it renders::

        if (download := exports.export_response(request, lambda: tables.needs(needs))):
            return download

    A page with several tables passes ``{"": first, "gaps": other}``: ``?table=gaps`` picks one (the include's
    ``table`` argument writes it into the link); a name the page does not have is a 404. A POST (a page that is
    also a form, sent to an address with ``?export=``) is never a download.
    """
    fmt = requested_format(request)
    if fmt is None or request.method not in ("GET", "HEAD"):
        return None
    builders = build if isinstance(build, Mapping) else {"": build}
    builder = builders.get(request.GET.get("table", ""))
    if builder is None:
        raise Http404
    return table_response(builder(), fmt)
