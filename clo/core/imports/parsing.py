"""Reading an uploaded table: CSV (UTF-8 with or without BOM, or Windows-1252; comma or semicolon, sniffed) or XLSX.

Rows keep the number a person sees in their spreadsheet (the header is row 1). Lines before the header that start
with ``#`` and rows whose first cell starts with ``#`` are comments (the downloadable templates describe their
columns that way) and are skipped, as are empty rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

XLSX_MAGIC = b"PK\x03\x04"

UNREADABLE = gettext_noop("The file could not be read as CSV or XLSX.")
EMPTY = gettext_noop("The file has no header row.")


class UnreadableFile(Exception):
    """The file is not a table we can read: a message id (translated when shown) and a technical detail."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(f"{message} {detail}".strip())
        self.message, self.detail = message, detail


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


def is_xlsx(data: bytes, name: str = "") -> bool:
    return data[:4] == XLSX_MAGIC or name.lower().endswith(".xlsx")


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), or Windows-1252 when the bytes are not valid UTF-8 (Excel's "CSV" in Spain)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def _is_comment(cells: list[str]) -> bool:
    return bool(cells) and cells[0].lstrip().startswith("#")


def _is_empty(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _table(records) -> Table:
    header = None
    table = Table(header=[])
    for number, cells in records:
        if _is_empty(cells) or _is_comment(cells):
            continue
        if header is None:
            header = [cell.strip().lower().lstrip("\ufeff") for cell in cells]
            table.header = header
            continue
        table.rows.append((number, cells))
    if header is None:
        raise UnreadableFile(EMPTY)
    return table


def read_csv(data: bytes) -> Table:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _table((number, row) for number, row in enumerate(reader, start=1))
    except csv.Error as exc:
        raise UnreadableFile(UNREADABLE, str(exc)) from exc


def cell_text(value) -> str:
    """A spreadsheet cell as the text a person would type: dates ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML or openpyxl errors: all mean "not a workbook we can read"
        raise UnreadableFile(UNREADABLE, exc.__class__.__name__) from exc
    try:
        sheet = workbook.worksheets[0]
        records = (
            (number, [cell_text(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table(records)
    finally:
        workbook.close()


def read_table(data: bytes, name: str = "") -> Table:
    return read_xlsx(data) if is_xlsx(data, name) else read_csv(data)


def count_rows(data: bytes, name: str = "") -> int:
    """A cheap upper bound of the data rows (to choose between inline and a background job)."""
    if is_xlsx(data, name):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            rows = workbook.worksheets[0].max_row or 0
            workbook.close()
            return max(rows - 1, 0)
        except Exception:  # noqa: BLE001 - the preview reports it properly
            return 0
    return max(data.count(b"\n") - 1, 0) + (0 if data.endswith(b"\n") else 1)
