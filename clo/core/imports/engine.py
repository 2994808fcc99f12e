"""Parse → bind to the importer's columns → plan (dry run) → apply (one transaction).

The file is read as it is checked, a row at a time. An importer that ``streams`` reads the rows once, in chunks,
and stages what it read in the database (a temporary table, dropped by ``release``), where it makes the checks
across rows and from which ``apply`` writes set-based: memory does not grow with the file. Every importer of clo
streams (units, positions, employees, requirements, programs, training records); one that does not is given the
rows as a list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress

from django.db import DatabaseError, transaction
from django.db.transaction import TransactionManagementError

from clo.core.imports import parsing, registry
from clo.core.imports.registry import MISSING_COLUMN, Importer, Plan, Row, RowError


class ImportRefused(Exception):
    """The file has rows in error: nothing was written."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.errors)} rows in error")
        self.plan = plan


class MoreDeactivations(Exception):
    """Planned again, the file would deactivate more records than the confirmed preview said: nothing was written."""

    def __init__(self, plan: Plan, confirmed: int) -> None:
        super().__init__(f"{plan.deactivate} to deactivate, {confirmed} confirmed")
        self.plan, self.confirmed = plan, confirmed


def bind(importer: Importer, table: parsing.Table) -> tuple[Iterator[Row], list[RowError]]:
    """Rows as ``{column: text}`` for the importer's columns, made one at a time as the table's rows are read; a
    missing required column is an error on row 1."""
    errors = [
        RowError(1, column.name, MISSING_COLUMN, {"column": column.name})
        for column in importer.columns if column.required and column.name not in table.header
    ]
    wanted = [(index, name) for index, name in enumerate(table.header) if name in importer.column_names()]
    rows = (
        Row(number, {name: (cells[index] if index < len(cells) else "") for index, name in wanted})
        for number, cells in table.rows
    )
    return rows, errors


class _Counted:
    """The rows, counted as the importer reads them."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rows:
            self.count += 1
            yield row


def _plan(importer: Importer, data: parsing.Source, name: str, *, progress, counted, whole_register: bool,
          table: parsing.Table | None) -> Plan:
    table = table if table is not None else parsing.read_table(data, name, lazy=True)
    rows, errors = bind(importer, table)
    if errors:  # without its required columns no row can be checked
        total = sum(1 for _row in rows)
        if counted:
            counted(total)
        return Plan(total=total, errors=errors)
    options = {"whole_register": whole_register} if importer.whole_register else {}
    if importer.streams:  # read once, a chunk at a time: memory does not grow with the file
        if counted and (isinstance(table.rows, list) or table.estimate):
            counted(len(table.rows) if isinstance(table.rows, list) else table.estimate)
        stream = _Counted(rows)
        with registry.noting_readings() as readings:
            plan = importer.plan(stream, progress=progress, **options)
        plan.total = stream.count
    else:  # an importer that does not stream checks the whole file at once
        listed = list(rows)
        if counted:
            counted(len(listed))
        with registry.noting_readings() as readings:
            plan = importer.plan(listed, progress=progress, **options)
        plan.total = len(listed)
    if counted and importer.streams:
        counted(plan.total)
    plan.readings = registry.readings_for_preview(readings)
    plan.errors.sort(key=lambda error: (error.row, error.column))
    return plan


def preview(importer: Importer, data: parsing.Source, name: str = "", *, progress=None, counted=None,
            whole_register: bool = False, table: parsing.Table | None = None) -> Plan:
    """The dry run: every error and what would change. Reads only. ``data``: the file's bytes, or a function that
    opens it (read as it is checked, never whole). ``counted(rows)`` is told the number of data rows (an estimate
    first, for a workbook, then the number read). ``whole_register``: the file is the whole register, whose records
    absent from it are deactivated (for the importers that can; otherwise ignored). ``table``: rows already read
    (the API's sync sends them as JSON), instead of ``data``."""
    try:
        plan = _plan(importer, data, name, progress=progress, counted=counted, whole_register=whole_register,
                     table=table)
    except BaseException:
        with suppress(DatabaseError, TransactionManagementError):  # a transaction already broken drops it anyway
            importer.release()
        raise
    importer.release()
    return plan


def run(importer: Importer, data: parsing.Source, name: str = "", *, progress=None, whole_register: bool = False,
        deactivate_at_most: int | None = None, table: parsing.Table | None = None,
        job_id: int | None = None) -> Plan:
    """Plan again (the database may have changed since the preview) and write it, all or nothing. Raises
    ``ImportRefused`` when a row is in error, ``MoreDeactivations`` when it would deactivate more than
    ``deactivate_at_most`` (what the person confirmed), or the database's error; either way nothing is written.
    ``job_id``: the ``ImportJob`` that keeps what the import changed, for its undo (importers that write it
    themselves, set-based; the others fill ``plan.changes``)."""
    with transaction.atomic():  # what the importer staged goes with it when it rolls back
        plan = _plan(importer, data, name, progress=progress, counted=None, whole_register=whole_register,
                     table=table)
        plan.job_id = job_id
        if plan.errors:
            raise ImportRefused(plan)
        if deactivate_at_most is not None and plan.deactivate > deactivate_at_most:
            raise MoreDeactivations(plan, deactivate_at_most)
        importer.apply(plan)
        importer.release()
    return plan
