"""What an importer is, and the registry the domain apps add theirs to.

An importer declares its columns and turns the file's rows into a ``Plan`` (read-only: validation and comparison
with the database, a fixed number of queries whatever the number of rows), then writes a plan it made
(``apply``, inside the engine's transaction, set-based). Messages are English ids (``gettext_noop``) with
parameters, translated when shown, so a job previewed by a worker reads in each viewer's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_noop

# --- Messages (English ids, translated when shown) ---------------------------------------------------------------

MISSING_COLUMN = gettext_noop("The required column “%(column)s” is missing from the header.")
REQUIRED = gettext_noop("This value is required.")
TOO_LONG = gettext_noop("At most %(max)s characters (this one has %(length)s).")
BAD_DATE = gettext_noop("“%(value)s” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.")
BAD_NUMBER = gettext_noop("“%(value)s” is not a number.")
BAD_INTEGER = gettext_noop("“%(value)s” is not a whole number.")
OUT_OF_RANGE = gettext_noop("The value must be between %(min)s and %(max)s.")
BAD_BOOLEAN = gettext_noop("“%(value)s” is not yes or no.")
BAD_CHOICE = gettext_noop("“%(value)s” is not one of: %(choices)s.")
BAD_EMAIL = gettext_noop("“%(value)s” is not an email address.")
DUPLICATE = gettext_noop("“%(value)s” appears more than once in the file (first in row %(first)s).")

_TRUE = {"1", "yes", "y", "true", "si", "sí", "s", "x", "verdader", "cert"}
_FALSE = {"0", "no", "n", "false", "fals", "falso", ""}
_DATE_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file (stable, lower case)
    description: Any  # lazy translated text for the templates
    required: bool = False
    example: str = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "params": self.params}


@dataclass
class Row:
    number: int
    values: dict[str, str]


@dataclass
class Plan:
    """What an import would do. ``payload`` is the importer's own (objects to create, to update, ...)."""

    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Values read as a code though not written as it: {column: [[as written, code, rows], ...]}, for the preview.
    readings: dict = field(default_factory=dict)
    create: int = 0
    update: int = 0
    unchanged: int = 0
    deactivate: int = 0
    deactivated: list[str] = field(default_factory=list)  # a few, for the preview
    active: int = 0  # the active records before the import (what a share of deactivations is measured on)
    payload: Any = None
    # What ``apply`` wrote, for the undo: {object id: (action, {"field": [before, after]})}, action "create",
    # "update" or "deactivate" (only importers that can undo fill it).
    changes: dict = field(default_factory=dict)
    # The import job that keeps what ``apply`` wrote (for the importers that write it themselves, set-based).
    job_id: int | None = None

    def counts(self) -> dict[str, int]:
        return {"create": self.create, "update": self.update, "unchanged": self.unchanged,
                "deactivate": self.deactivate}


def normalized(value: str) -> str:
    """A value as a choice is looked up: lower case, without accents, punctuation or repeated spaces
    ("Funcionària  de Carrera." → "funcionaria de carrera", "F.C." → "f c")."""
    text = unicodedata.normalize("NFKD", str(value).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


class ChoiceMap(dict):
    """Normalised codes, labels (in every language of the site) and aliases → code, and the codes as the error
    message lists them."""

    codes: str = ""
    SEEN = 1000  # values as written remembered (a column holds few different ones: a file of any size reads fast)

    def code_of(self, value: str):
        code = self.get(value)  # already a normalised key (a code as written): normalising changes nothing
        if code is not None:
            return code
        seen = self.__dict__.setdefault("seen", {})
        if value in seen:
            return seen[value]
        code = self.get(normalized(value))
        if len(seen) < self.SEEN:
            seen[value] = code
        return code


def choice_map(choices, *, aliases: dict[str, Any] | None = None) -> ChoiceMap:
    """``aliases``: other spellings people use (``{"laboral fix": "labour"}``), matched like the labels: whatever
    their case, accents and punctuation. The codes win over the aliases, and the aliases over the labels."""
    choices = list(choices)
    mapping = ChoiceMap()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                mapping.setdefault(normalized(str(label)), code)
    for alias, code in (aliases or {}).items():
        mapping[normalized(alias)] = code
    for code, _label in choices:
        mapping[normalized(code)] = code
    mapping.codes = ", ".join(str(code) for code, _label in choices)
    return mapping


READINGS_PER_COLUMN = 50
_readings: ContextVar[dict | None] = ContextVar("import_readings", default=None)


@contextmanager
def noting_readings():
    """While an importer plans: every choice read from a value other than its code is noted (``{column: {as
    written: [code, rows]}}``), for the preview to show how the file was understood."""
    readings: dict = {}
    token = _readings.set(readings)
    try:
        yield readings
    finally:
        _readings.reset(token)


def readings_for_preview(readings: dict) -> dict:
    return {column: [[value, code, rows] for value, (code, rows) in sorted(values.items())]
            for column, values in sorted(readings.items())}


def _note_reading(column: str, value: str, code) -> None:
    readings = _readings.get()
    if readings is None or value == str(code):
        return
    values = readings.setdefault(column, {})
    if value in values:
        values[value][1] += 1
    elif len(values) < READINGS_PER_COLUMN:
        values[value] = [str(code), 1]


class RowReader:
    """Reads typed values from one row, collecting an error per bad cell instead of stopping at the first."""

    def __init__(self, row: Row, errors: list[RowError]) -> None:
        self.row, self.errors, self.ok = row, errors, True

    def error(self, column: str, message: str, **params) -> None:
        self.ok = False
        self.errors.append(RowError(self.row.number, column, message, params))

    def raw(self, column: str) -> str:
        return (self.row.values.get(column) or "").strip()

    def text(self, column: str, *, max_length: int, required: bool = False) -> str:
        value = self.raw(column)
        if required and not value:
            self.error(column, REQUIRED)
        elif len(value) > max_length:
            self.error(column, TOO_LONG, max=max_length, length=len(value))
        return value

    def email(self, column: str) -> str:
        value = self.text(column, max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(column, BAD_EMAIL, value=value)
        return value

    def choice(self, column: str, choices, *, default: str | None = None) -> str | None:
        """A value of ``choices`` (Django choices, or a ``choice_map`` of them built once outside the loop over
        the rows): its code or its label in any language, or an alias, whatever the case and accents."""
        mapping = choices if isinstance(choices, ChoiceMap) else choice_map(choices)
        value = self.raw(column)
        if not value:
            if default is None:
                self.error(column, REQUIRED)
            return default
        code = mapping.code_of(value)
        if code is None:
            self.error(column, BAD_CHOICE, value=value, choices=mapping.codes)
            return default
        _note_reading(column, value, code)
        return code

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(column)
        if not value:
            if required:
                self.error(column, REQUIRED)
            return None
        value = value.split(" ")[0].split("T")[0]
        match = _DATE_DMY.match(value)
        try:
            if match:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
            match = _DATE_ISO.match(value)
            if match:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
        self.error(column, BAD_DATE, value=self.raw(column))
        return None

    def decimal(self, column: str, *, required: bool = False, minimum=None, maximum=None, places: int = 2,
                default=None) -> Decimal | None:
        """A number with a decimal comma or point (``7,5``, ``7.5``, ``1.234,5``)."""
        value = self.raw(column).replace(" ", "").replace("\u00a0", "")
        if not value:
            if required:
                self.error(column, REQUIRED)
            return default
        if "," in value and "." in value:
            decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
            value = value.replace("." if decimal_mark == "," else ",", "")
        value = value.replace(",", ".")
        try:
            number = Decimal(value)
        except InvalidOperation:
            self.error(column, BAD_NUMBER, value=self.raw(column))
            return None
        if not number.is_finite():
            self.error(column, BAD_NUMBER, value=self.raw(column))
            return None
        number = number.quantize(Decimal(1).scaleb(-places))
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(column, OUT_OF_RANGE, min=minimum, max=maximum)
            return None
        return number

    def integer(self, column: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None, default: int | None = None) -> int | None:
        value = self.raw(column)
        if not value:
            if required:
                self.error(column, REQUIRED)
            return default
        if value.endswith(".0") or value.endswith(",0"):
            value = value[:-2]
        if not re.fullmatch(r"-?\d+", value):
            self.error(column, BAD_INTEGER, value=self.raw(column))
            return None
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.error(column, OUT_OF_RANGE, min=minimum, max=maximum)
            return None
        return number

    def boolean(self, column: str, *, default: bool = False) -> bool:
        value = self.raw(column).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.error(column, BAD_BOOLEAN, value=self.raw(column))
        return default


def unique_rows(rows: list[Row], column: str, valid, errors: list[RowError]) -> dict[str, Row]:
    """``{key: row}`` of the valid rows (``row.number in valid``) by the value of ``column``; a value repeated in
    the file (valid rows or not) is an error on every row after the first."""
    seen = first_rows(rows, lambda row: (row.values.get(column) or "").strip(), column, errors)
    return {key: row for key, row in seen.items() if row.number in valid}


def first_rows(rows: list[Row], key_of, column: str, errors: list[RowError]) -> dict:
    """``{key: row}`` of the rows with a non-empty key; a repeated key is an error on the later rows."""
    seen: dict = {}
    for row in rows:
        key = key_of(row)
        if not key:
            continue
        if key in seen:
            errors.append(RowError(row.number, column, DUPLICATE, {"value": row.values.get(column, ""),
                                                                   "first": seen[key].number}))
        else:
            seen[key] = row
    return seen


class Importer:
    """Base class. ``kind`` is the URL name; ``order`` places it on the page (units before employees...).

    ``whole_register``: a file of this kind may stand for the whole register, whose records absent from it are
    deactivated; ``plan`` then takes ``whole_register=True|False`` (the person chooses; False deactivates nobody).
    ``undoable``: ``apply`` keeps what it wrote (``plan.changes``, or the job's ``ImportChange`` rows when it writes
    them itself) and ``undo`` restores them. ``streams``: ``plan`` reads the rows once, as an iterator, a chunk at a
    time (see ``clo.core.imports.engine``); otherwise it is given a list."""

    kind: str = ""
    label: Any = ""
    description: Any = ""
    columns: list[Column] = []
    order: int = 0
    whole_register: bool = False
    undoable: bool = False
    streams: bool = False

    def plan(self, rows: Iterable[Row], *, progress=None) -> Plan:  # pragma: no cover - abstract
        raise NotImplementedError

    def release(self) -> None:
        """Drop what ``plan`` staged in the database (after the preview, or once ``apply`` wrote it)."""

    def apply(self, plan: Plan) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo(self, changes: list[tuple[int, str, dict]]) -> dict[str, int]:  # pragma: no cover - abstract
        """Restore what an import wrote (``(object id, action, {"field": [before, after]})``, as ``apply`` left
        them in ``plan.changes``), keeping what changed since. Returns counts for the page."""
        raise NotImplementedError

    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


_REGISTRY: dict[str, Importer] = {}
_discovered = False


def register(importer_class: type[Importer]) -> type[Importer]:
    """Class decorator: ``@register`` in an app's ``imports.py``."""
    _REGISTRY[importer_class.kind] = importer_class()
    return importer_class


def autodiscover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True


def get(kind: str) -> Importer | None:
    autodiscover()
    return _REGISTRY.get(kind)


def all_importers() -> list[Importer]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda importer: importer.order)
