"""The downloadable templates of each import: the expected columns, what each holds, and an example row."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from clo.core.imports.registry import Importer


def _describe(column) -> str:
    required = _("required") if column.required else _("optional")
    return f"{column.description} ({required})"


def template_csv(importer: Importer) -> bytes:
    """Comment lines (``#``) describing the columns, the header, an example row; ``;``-separated UTF-8 with BOM,
    as spreadsheet programs set to Catalan or Spanish open it. The comment lines are skipped on import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([f"# {importer.label}: {importer.description}"])
    for column in importer.columns:
        writer.writerow([f"# {column.name}: {_describe(column)}"])
    writer.writerow(importer.column_names())
    writer.writerow([column.example for column in importer.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(importer: Importer) -> bytes:
    """A workbook: the first sheet has the header (each heading with its description as a cell comment) and an
    example row; a second sheet describes every column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    data = workbook.active
    data.title = str(_("Data"))[:31]
    data.append(importer.column_names())
    for cell, column in zip(data[1], importer.columns):
        cell.font = Font(bold=True)
        cell.comment = Comment(_describe(column), "clo")
    data.append([column.example for column in importer.columns])
    for letter_cell in data[1]:
        data.column_dimensions[letter_cell.column_letter].width = max(14, len(str(letter_cell.value)) + 4)
    help_sheet = workbook.create_sheet(str(_("Columns"))[:31])
    help_sheet.append([str(_("Column")), str(_("Required")), str(_("Description")), str(_("Example"))])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        help_sheet.append([column.name, str(_("yes") if column.required else _("no")), str(column.description),
                           column.example])
    help_sheet.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
