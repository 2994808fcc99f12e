"""The annual training plan as an XLSX workbook (openpyxl): one sheet of actions, one of totals by funding source.
Labels are in the active language; money and hours are numbers with a number format, so they sum in a spreadsheet.
Text is written as every export writes it (``clo.core.exports.cell_text``: no control characters, never a formula)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from django.utils.translation import gettext as _

from clo.core.exports import cell_text, sheet_title
from programs.models import TrainingPlan

MONEY = "#,##0.00 €"  # euros, two decimals, grouped thousands (Excel and LibreOffice show the locale's separators)
HOURS = "0.0"


def _append(sheet, values: list) -> None:
    sheet.append([cell_text(value) for value in values])


def _header(sheet, titles: list[str]) -> None:
    _append(sheet, titles)
    row = sheet.max_row
    for cell in sheet[row]:
        cell.font = Font(bold=True)
    # By name, not ``sheet.cell(...)``: that would create the cell below, and the next row would be appended after it
    # (an empty row between the header and the data).
    sheet.freeze_panes = f"A{row + 1}"


def plan_workbook(plan: TrainingPlan, actions: list, totals: dict) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Actions"))
    _append(sheet, [plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [_("Status"), plan.get_status_display()])
    _header(sheet, [_("Action"), _("Program"), _("Needs and units"), _("Estimated cost (€)"), _("Estimated hours"),
                    _("Estimated participants"), _("Funding source")])
    for action in actions:
        needs = "; ".join(f"{need.title} ({need.unit})" for need in action.needs.all())
        _append(sheet, [action.title, str(action.program) if action.program else "", needs, action.estimated_cost,
                        action.estimated_hours, action.estimated_participants, action.get_funding_display()])
        sheet.cell(row=sheet.max_row, column=4).number_format = MONEY
        sheet.cell(row=sheet.max_row, column=5).number_format = HOURS
    for column, width in zip(range(1, 8), (40, 36, 60, 18, 14, 14, 18)):
        sheet.column_dimensions[get_column_letter(column)].width = width

    summary = workbook.create_sheet(sheet_title(_("Budget")))
    _header(summary, [_("Funding source"), _("Actions"), _("Estimated cost (€)"), _("Estimated hours"),
                      _("Estimated participants")])
    for row in totals["by_funding"]:
        _append(summary, [str(row["label"]), row["actions"], row["cost"], row["hours"], row["participants"]])
        summary.cell(row=summary.max_row, column=3).number_format = MONEY
    _append(summary, [_("Total"), totals["actions"], totals["cost"], totals["hours"], totals["participants"]])
    _append(summary, [_("Available budget (€)"), None, plan.budget])
    _append(summary, [_("Budget left (€)"), None, totals["remaining"]])
    for row in range(summary.max_row - 2, summary.max_row + 1):
        summary.cell(row=row, column=1).font = Font(bold=True)
        summary.cell(row=row, column=3).number_format = MONEY
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["C"].width = 18
    return workbook
