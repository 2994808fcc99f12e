"""Reading an uploaded table: CSV (UTF-8 with or without BOM, or Windows-1252; comma or semicolon, sniffed) or XLSX.

Rows keep the number a person sees in their spreadsheet (the header is row 1). Lines before the header that start
with ``#`` and rows whose first cell starts with ``#`` are comments (the downloadable templates describe their
columns that way) and are skipped, as are empty rows.

A file is refused, with a message saying which limit it passed, when it has more cells than
``CLO_IMPORTS_MAX_CELLS``, a cell longer than ``CLO_IMPORTS_MAX_CELL_CHARS``, a NUL byte (CSV), or takes longer
than ``CLO_IMPORTS_READ_SECONDS`` to read. A workbook is a ZIP of XML parts that a few hundred kilobytes can expand
to gigabytes: before openpyxl parses anything, its parts' declared sizes (together at most
``CLO_IMPORTS_XLSX_MAX_MB``, each compressed at most ``CLO_IMPORTS_XLSX_MAX_RATIO`` times) and then their actual
content are checked, as it is decompressed a block at a time: its real size, no text longer than a cell may be
(a block without any tag, so that a single 200 MB string is refused before it is built), and no DTD (entities
expand too). openpyxl then reads the shared texts through our reader (counted, timed) and the first sheet without
trusting its ``<dimension>`` (which may understate it). The services read workbooks only in a Celery job.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_noop

XLSX_MAGIC = b"PK\x03\x04"

UNREADABLE = gettext_noop("The file could not be read as CSV or XLSX.")
EMPTY = gettext_noop("The file has no header row.")
NUL_BYTE = gettext_noop("The file contains a NUL byte, which a CSV text file cannot hold: save it again as CSV or "
                        "XLSX from your spreadsheet program.")
TOO_MANY_CELLS = gettext_noop("The file has more than %(limit)s cells: split it into smaller files.")
CELL_TOO_LONG = gettext_noop("Row %(row)s has a cell of more than %(limit)s characters.")
TOO_SLOW = gettext_noop("Reading the file took more than %(limit)s seconds: split it into smaller files, or save it "
                        "as CSV.")
XLSX_TOO_LARGE = gettext_noop("The workbook is too large once uncompressed (more than %(limit)s MB): split it into "
                              "smaller files, or save it as CSV.")
XLSX_TOO_COMPRESSED = gettext_noop("The workbook cannot be read safely: a part of it expands %(ratio)s times when "
                                   "uncompressed (at most %(limit)s). Save it again from your spreadsheet program, "
                                   "or as CSV.")
XLSX_TEXT_TOO_LONG = gettext_noop("The workbook holds a text of more than %(limit)s characters, longer than a cell "
                                  "can hold.")
XLSX_TOO_MANY_TEXTS = gettext_noop("The workbook holds more than %(limit)s different texts: split it into smaller "
                                   "files.")
XLSX_UNSAFE = gettext_noop("The workbook cannot be read safely: it declares XML entities. Save it again from your "
                           "spreadsheet program, or as CSV.")

_TICK_EVERY = 1000  # rows or texts between two looks at the clock
_RATIO_GRACE = 1024 * 1024  # parts smaller than this are not judged by their ratio (tiny parts compress oddly)
_MAX_PARTS = 10_000
_BYTES_PER_CHAR = 8  # a character in XML is at most "&#x10FFFF;" (10 bytes); the exact length is checked per cell


class UnreadableFile(Exception):
    """The file is not a table we can read: a message id (translated when shown), its parameters and a technical
    detail."""

    def __init__(self, message: str, detail: str = "", **params) -> None:
        super().__init__(f"{message % params if params else message} {detail}".strip())
        self.message, self.detail, self.params = message, detail, params


@dataclass(frozen=True)
class Limits:
    cells: int
    cell_chars: int
    seconds: int
    xlsx_bytes: int
    xlsx_ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(cells=settings.CLO_IMPORTS_MAX_CELLS, cell_chars=settings.CLO_IMPORTS_MAX_CELL_CHARS,
                   seconds=settings.CLO_IMPORTS_READ_SECONDS, xlsx_bytes=settings.CLO_IMPORTS_XLSX_MAX_MB * 1024 * 1024,
                   xlsx_ratio=settings.CLO_IMPORTS_XLSX_MAX_RATIO)


class _Clock:
    """The reading's deadline (a monotonic clock: not the wall clock, which tests may freeze)."""

    def __init__(self, seconds: int) -> None:
        self.seconds, self.deadline = seconds, time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UnreadableFile(TOO_SLOW, limit=self.seconds)


@dataclass
class Table:
    header: list[str]
    # (row number, cells): a list, or an iterator read once (``lazy``), as the file is read
    rows: Iterable[tuple[int, list[str]]] = field(default_factory=list)
    estimate: int | None = None  # the number of rows a workbook says it has (it may be wrong), before reading them


def is_xlsx(data: bytes, name: str = "") -> bool:
    return data[:4] == XLSX_MAGIC or name.lower().endswith(".xlsx")


_BLOCK = 1024 * 1024


def _delimiter(lines: Iterable[str]) -> str:
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def _is_comment(cells: list[str]) -> bool:
    return bool(cells) and cells[0].lstrip().startswith("#")


def _is_empty(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _checked(records, limits: Limits, clock: _Clock):
    """The records within the limits, without the empty rows and the comments, read as they are asked for."""
    cells_read = 0
    for number, cells in records:
        cells_read += max(len(cells), 1)  # an empty row costs a step too (a sheet may skip to row 1 000 000)
        if cells_read > limits.cells:
            raise UnreadableFile(TOO_MANY_CELLS, limit=limits.cells)
        if number % _TICK_EVERY == 0:
            clock.check()
        if cells and max(map(len, cells)) > limits.cell_chars:
            raise UnreadableFile(CELL_TOO_LONG, row=number, limit=limits.cell_chars)
        if _is_empty(cells) or _is_comment(cells):
            continue
        yield number, cells


def _table(records, limits: Limits, clock: _Clock, *, lazy: bool = False) -> Table:
    """The header, and the rows after it: a list, or (``lazy``) an iterator that reads them one at a time as they
    are asked for, refusing the file (``UnreadableFile``) when it reaches a limit."""
    rows = _checked(records, limits, clock)
    header = None
    for _number, cells in rows:
        header = [cell.strip().lower().lstrip("\ufeff") for cell in cells]
        break
    if header is None:
        raise UnreadableFile(EMPTY)
    return Table(header=header, rows=rows if lazy else list(rows))


Source = bytes | Callable[[], IO[bytes]]  # the file's bytes, or a function that opens it (binary) anew


def _opener(source: Source) -> Callable[[], IO[bytes]]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return lambda: io.BytesIO(source)
    return source


def _csv_encoding(open_file: Callable[[], IO[bytes]]) -> str:
    """UTF-8 (a BOM is dropped) when the whole file is valid UTF-8, else Windows-1252 (Excel's "CSV" in Spain):
    the file read a block at a time, never whole. A NUL byte refuses it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    with open_file() as handle:
        while block := handle.read(_BLOCK):
            if b"\x00" in block:
                raise UnreadableFile(NUL_BYTE)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return "utf-8-sig" if utf8 else "cp1252"


def _csv_records(open_file: Callable[[], IO[bytes]], encoding: str, delimiter: str):
    with open_file() as handle, io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="") as text:
        try:
            yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
        except csv.Error as exc:
            raise UnreadableFile(UNREADABLE, str(exc)) from exc


def read_csv(data: Source, limits: Limits | None = None, *, lazy: bool = False) -> Table:
    """``lazy``: the rows are read from the file as they are asked for (memory does not grow with the file)."""
    limits = limits or Limits.from_settings()
    open_file = _opener(data)
    encoding = _csv_encoding(open_file)
    with open_file() as handle, io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="") as text:
        delimiter = _delimiter(text)
    return _table(_csv_records(open_file, encoding, delimiter), limits, _Clock(limits.seconds), lazy=lazy)


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


def check_package(data: bytes, limits: Limits, clock: _Clock) -> None:
    """Refuse a workbook whose parts expand beyond the limits, before anything parses them: first by the sizes its
    ZIP directory declares, then by what its XML parts really hold, decompressed a chunk at a time."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFile(UNREADABLE, exc.__class__.__name__) from exc
    with package:
        if len(parts) > _MAX_PARTS:
            raise UnreadableFile(UNREADABLE, f"{len(parts)} parts")
        if sum(part.file_size for part in parts) > limits.xlsx_bytes:
            raise UnreadableFile(XLSX_TOO_LARGE, limit=limits.xlsx_bytes // (1024 * 1024))
        for part in parts:
            if part.file_size > _RATIO_GRACE and part.file_size > limits.xlsx_ratio * max(part.compress_size, 1):
                raise UnreadableFile(XLSX_TOO_COMPRESSED, part.filename[:200], limit=limits.xlsx_ratio,
                                     ratio=part.file_size // max(part.compress_size, 1))
        total = 0
        for part in parts:  # every part, whatever its name: the package's relations may point anywhere
            total += _check_part(package, part, limits, clock, limits.xlsx_bytes - total)


def _check_part(package: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, clock: _Clock, room: int) -> int:
    """The part's real size, read in blocks: more than declared or than ``room`` is refused, as is a DTD, and a
    block without any ``<``: a text that long (``cell_chars`` × 8 bytes, more than any cell's text escaped in XML)
    is longer than a cell may hold. A run of text twice that long always fills one block, so it is never built."""
    block_size = limits.cell_chars * _BYTES_PER_CHAR
    size, tail = 0, b""
    try:
        with package.open(part) as stream:
            while block := stream.read(block_size):
                clock.check()
                size += len(block)
                if size > part.file_size:
                    raise UnreadableFile(UNREADABLE, f"{part.filename[:200]}: larger than declared")
                if size > room:
                    raise UnreadableFile(XLSX_TOO_LARGE, limit=limits.xlsx_bytes // (1024 * 1024))
                if len(block) == block_size and b"<" not in block:
                    raise UnreadableFile(XLSX_TEXT_TOO_LONG, part.filename[:200], limit=limits.cell_chars)
                seam = tail + block[:16]
                if any(marker in block or marker in seam for marker in (b"<!DOCTYPE", b"<!ENTITY")):
                    raise UnreadableFile(XLSX_UNSAFE, part.filename[:200])
                tail = block[-16:]
    except zipfile.BadZipFile as exc:  # a CRC that does not match, a broken stream
        raise UnreadableFile(UNREADABLE, f"{part.filename[:200]}: {exc}"[:300]) from exc
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:  # zlib errors, encryption
        raise UnreadableFile(UNREADABLE, f"{part.filename[:200]}: {exc.__class__.__name__}") from exc
    return size


def _shared_texts(source, limits: Limits, clock: _Clock) -> list[str]:
    """openpyxl's table of shared texts, read faster than its own reader (which spends ~15 µs a text), counted
    (at most one per cell) and timed. Phonetic runs (``rPh``) are not part of the text, as in openpyxl."""
    from xml.etree.ElementTree import iterparse

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    si, t, r = f"{main}si", f"{main}t", f"{main}r"
    texts: list[str] = []
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        if event != "end" or node.tag != si:
            continue
        text = "".join(
            (child.text or "") if child.tag == t else "".join(run.text or "" for run in child.iter(t))
            for child in node if child.tag in (t, r)
        )
        texts.append(text.replace("x005F_", ""))  # as openpyxl does
        root.clear()  # keep neither the texts' elements nor their (cleared) husks
        if len(texts) > limits.cells:
            raise UnreadableFile(XLSX_TOO_MANY_TEXTS, limit=limits.cells)
        if len(texts) % _TICK_EVERY == 0:
            clock.check()
    return texts


def _open_workbook(data: bytes, limits: Limits, clock: _Clock):
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_texts(source, limits, clock)

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb


def _bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    with _opener(source)() as handle:
        return handle.read()


def _sheet_records(workbook, sheet):
    """The sheet's rows as texts; openpyxl's errors mean the sheet's XML cannot be read. Closes the workbook."""
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in row]
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet's XML that openpyxl cannot read
        raise UnreadableFile(UNREADABLE, exc.__class__.__name__) from exc
    finally:
        workbook.close()


def read_xlsx(data: Source, limits: Limits | None = None, *, lazy: bool = False) -> Table:
    """The workbook (bounded by the limits) is read whole; its first sheet's rows one at a time when ``lazy``."""
    data = _bytes(data)
    limits = limits or Limits.from_settings()
    clock = _Clock(limits.seconds)
    check_package(data, limits, clock)
    try:
        workbook = _open_workbook(data, limits, clock)
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML or openpyxl errors: all mean "not a workbook we can read"
        raise UnreadableFile(UNREADABLE, exc.__class__.__name__) from exc
    try:
        sheet = workbook.worksheets[0]
        estimate = max((sheet.max_row or 1) - 1, 0)  # what its <dimension> says: for the progress only
        sheet.reset_dimensions()  # the sheet's <dimension> may understate it: read every row and every cell
    except Exception as exc:  # noqa: BLE001 - a workbook without a sheet we can read
        workbook.close()
        raise UnreadableFile(UNREADABLE, exc.__class__.__name__) from exc
    records = _sheet_records(workbook, sheet)
    try:
        table = _table(records, limits, clock, lazy=lazy)
    except BaseException:
        records.close()
        raise
    table.estimate = estimate
    return table


def read_table(data: Source, name: str = "", *, lazy: bool = False) -> Table:
    """The file's header and rows (``lazy``: read as they are asked for, once). ``data``: its bytes, or a function
    that opens it."""
    if isinstance(data, bytes):
        magic = data[:4]
    else:
        with _opener(data)() as handle:
            magic = handle.read(4)
    return read_xlsx(data, lazy=lazy) if is_xlsx(magic, name) else read_csv(data, lazy=lazy)


def count_rows(data: bytes, name: str = "") -> int:
    """A cheap upper bound of a CSV's data rows (to choose between inline and a background job). 0 for a workbook:
    counting its rows means parsing it, which is done only in the background job (which then sets the count)."""
    if is_xlsx(data, name):
        return 0
    return max(data.count(b"\n") - 1, 0) + (0 if data.endswith(b"\n") else 1)
