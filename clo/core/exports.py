"""Export of a table (the one on screen, with the same filters) to CSV or XLSX.

CSV is written for spreadsheet programs set to Catalan or Spanish: ``;`` as the separator (the decimal separator
there is the comma) and, by default, a UTF-8 byte-order mark so that accents open correctly. Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are prefixed with ``'``.
XLSX is written with openpyxl in write-only mode (rows streamed, memory flat), numbers kept as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A table to export: a title (the sheet's and the file's name), column headings and rows of plain values."""

    title: str
    columns: list[str]
    rows: Iterable[list]


Builder = Callable[[], Table]


def _safe_text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


safe_text = _safe_text  # for other writers of spreadsheets (the organisation workbook)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", ",")
    return _safe_text(str(value))


def to_csv(table: Table, *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe_text(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[:\\/?*\[\]]", "-", table.title)[:31] or "Data")
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=str(column))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_safe_text(str(v)) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(table: Table, fmt: str, *, bom: bool = True) -> HttpResponse:
    """An attachment download of ``table`` in ``fmt`` (``csv`` or ``xlsx``)."""
    name = slugify(table.title) or "export"
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(to_csv(table, bom=bom), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
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
