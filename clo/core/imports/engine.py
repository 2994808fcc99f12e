"""Parse → bind to the importer's columns → plan (dry run) → apply (one transaction)."""

from __future__ import annotations

from django.db import transaction

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


def bind(importer: Importer, table: parsing.Table) -> tuple[list[Row], list[RowError]]:
    """Rows as ``{column: text}`` for the importer's columns; a missing required column is an error on row 1."""
    errors = [
        RowError(1, column.name, MISSING_COLUMN, {"column": column.name})
        for column in importer.columns if column.required and column.name not in table.header
    ]
    wanted = [(index, name) for index, name in enumerate(table.header) if name in importer.column_names()]
    rows = [
        Row(number, {name: (cells[index] if index < len(cells) else "") for index, name in wanted})
        for number, cells in table.rows
    ]
    return rows, errors


def preview(importer: Importer, data: bytes, name: str = "", *, progress=None, counted=None,
            whole_register: bool = False, table: parsing.Table | None = None) -> Plan:
    """The dry run: every error and what would change. Reads only. ``counted(rows)`` is told the number of data
    rows once the file is read. ``whole_register``: the file is the whole register, whose records absent from it are
    deactivated (for the importers that can; otherwise ignored). ``table``: rows already read (the API's sync
    sends them as JSON), instead of ``data``."""
    rows, errors = bind(importer, table if table is not None else parsing.read_table(data, name))
    if counted:
        counted(len(rows))
    if errors:  # without its required columns no row can be checked
        return Plan(total=len(rows), errors=errors)
    options = {"whole_register": whole_register} if importer.whole_register else {}
    with registry.noting_readings() as readings:
        plan = importer.plan(rows, progress=progress, **options)
    plan.readings = registry.readings_for_preview(readings)
    plan.total = len(rows)
    plan.errors.sort(key=lambda error: (error.row, error.column))
    return plan


def run(importer: Importer, data: bytes, name: str = "", *, progress=None, whole_register: bool = False,
        deactivate_at_most: int | None = None, table: parsing.Table | None = None) -> Plan:
    """Plan again (the database may have changed since the preview) and write it, all or nothing. Raises
    ``ImportRefused`` when a row is in error, ``MoreDeactivations`` when it would deactivate more than
    ``deactivate_at_most`` (what the person confirmed), or the database's error; either way nothing is written."""
    with transaction.atomic():
        plan = preview(importer, data, name, progress=progress, whole_register=whole_register, table=table)
        if plan.errors:
            raise ImportRefused(plan)
        if deactivate_at_most is not None and plan.deactivate > deactivate_at_most:
            raise MoreDeactivations(plan, deactivate_at_most)
        importer.apply(plan)
    return plan
