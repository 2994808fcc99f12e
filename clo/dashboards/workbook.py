"""The whole organisation's data as one XLSX workbook, for the learning office: units, positions, employees,
competencies, requirements, current levels, the gaps (per unit and competency, and every person's unmet
requirement), programs, sessions, enrolments, training needs, the annual plans' actions and the learning plans.

A worker builds it (``organisation_workbook_run``): rows are streamed from the database (``iterator``) into
openpyxl's write-only workbook, so memory stays flat whatever the size; a sheet that would pass Excel's limit of
1 048 576 rows goes on in a continuation sheet ("Enrolments (2)"). Codes link the sheets (the unit code of an
employee is in Units), as an HR system's exports do. Dates and times are local; text is written as every export
writes it (``clo.core.exports.cell_text``: no control characters, never a formula).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clo.core.exports import cell_text, sheet_title
from clo.core.jobs import LOST
from clo.dashboards.models import OrganisationWorkbook

logger = logging.getLogger(__name__)

SHEET_ROWS = 1_048_575  # rows below the header that one sheet holds (Excel's limit is 1 048 576 in all)
CHUNK = 5000


@dataclass
class Sheet:
    title: Callable[[], str]
    columns: Callable[[], list[str]]
    rows: Callable[[], Iterable[tuple]]


def _values(queryset, *fields):
    return lambda: queryset().values_list(*fields).iterator(chunk_size=CHUNK)


def _headline():
    """The learning office's headline figures of the whole organisation for this year, as the dashboard and its
    export give them (``tables.headline``): the workbook's first sheet."""
    from clo.dashboards import boards, tables
    from clo.dashboards.reports import ORGANISATION

    place = boards.place_of(ORGANISATION, None)
    filters = boards.Filters(unit_id=place.unit.pk)
    board = boards.learning_office_board(place, boards.board_rows(place), filters, now=timezone.now())
    return tables.headline(board)


def _sheets() -> list[Sheet]:
    from clo.people.models import Employee, OrgUnit, Position
    from competencies.models import Competency, Requirement
    from evaluations.models import CurrentLevel, Gap, UnitCompetencyGap
    from programs.models import Enrolment, LearningPlanItem, PlanAction, Program, Session, TrainingNeed

    headline = functools.cache(_headline)
    return [
        Sheet(lambda: _("Headline figures"), lambda: headline().columns, lambda: headline().rows),
        Sheet(lambda: _("Units"), lambda: [_("Code"), _("Name"), _("Kind"), _("Parent unit"), _("Depth"), _("Active")],
              _values(lambda: OrgUnit.objects.order_by("path"), "code", "name", "kind", "parent__code", "depth",
                      "active")),
        Sheet(lambda: _("Positions"),
              lambda: [_("Code"), _("Title"), _("Group"), _("Job family"), _("Unit"), _("Critical"), _("Active")],
              _values(lambda: Position.objects.order_by("code"), "code", "title", "group", "job_family",
                      "unit__code", "is_critical", "active")),
        Sheet(lambda: _("Employees"),
              lambda: [_("Employee number"), _("First name"), _("Surnames"), _("Email"), _("Unit"), _("Position"),
                       _("Manager"), _("Employment type"), _("Hire date"), _("Expected retirement"), _("Language"),
                       _("Active")],
              _values(lambda: Employee.objects.order_by("employee_number"), "employee_number", "first_name",
                      "last_name", "email", "unit__code", "position__code", "manager__employee_number",
                      "employment_type", "hire_date", "expected_retirement_date", "language", "active")),
        Sheet(lambda: _("Competencies"),
              lambda: [_("Framework"), _("Area"), _("Code"), _("Name"), _("Kind")],
              _values(lambda: Competency.objects.order_by("framework__code", "area__order", "order", "code"),
                      "framework__code", "area__code", "code", "name", "kind")),
        Sheet(lambda: _("Requirements"),
              lambda: [_("Position"), _("Framework"), _("Competency"), _("Required level"), _("Weight"),
                       _("Critical")],
              _values(lambda: Requirement.objects.order_by("position__code", "competency__code"), "position__code",
                      "competency__framework__code", "competency__code", "required_level", "weight", "is_critical")),
        Sheet(lambda: _("Current levels"),
              lambda: [_("Employee number"), _("Framework"), _("Competency"), _("Level"), _("Source"),
                       _("Assessed on"), _("Expires on")],
              _values(lambda: CurrentLevel.objects.order_by("employee_id", "competency_id"),
                      "employee__employee_number", "competency__framework__code", "competency__code", "level",
                      "source", "assessed_on", "expires_on")),
        Sheet(lambda: _("Gaps by unit"),
              lambda: [_("Unit"), _("Competency"), _("People concerned"), _("People with a gap"),
                       _("People not yet assessed"), _("Requirements"), _("Requirements met"),
                       _("Requirements not yet assessed"), _("Sum of gaps"), _("Sum of weighted gaps"),
                       _("Critical requirements with a gap")],
              _values(lambda: UnitCompetencyGap.objects.filter(subtree=False).order_by("unit__path",
                                                                                       "competency__code"),
                      "unit__code", "competency__code", "people", "people_with_gap", "people_not_assessed",
                      "requirements", "requirements_met", "not_assessed", "gap_sum", "weighted_gap_sum",
                      "critical_gaps")),
        Sheet(lambda: _("Unmet requirements"),
              lambda: [_("Employee number"), _("Unit"), _("Position"), _("Competency"), _("Required level"),
                       _("Current level"), _("Gap"), _("Never assessed"), _("Weight"), _("Critical")],
              _values(lambda: Gap.objects.filter(gap__gt=0).order_by("unit_id", "employee_id", "competency_id"),
                      "employee__employee_number", "unit__code", "position__code", "competency__code",
                      "required_level", "current_level", "gap", "not_assessed", "weight", "is_critical")),
        Sheet(lambda: _("Programs"),
              lambda: [_("Code"), _("Title"), _("Modality"), _("Hours"), _("Provider"), _("Cost (€)"),
                       _("Cost basis"), _("Open enrolment"), _("Active")],
              _values(lambda: Program.objects.order_by("code"), "code", "title", "modality", "hours", "provider",
                      "cost", "cost_basis", "is_open", "active")),
        Sheet(lambda: _("Sessions"),
              lambda: [_("Code"), _("Program"), _("Starts at"), _("Ends at"), _("Place"), _("Trainer"),
                       _("Capacity"), _("Status")],
              _values(lambda: Session.objects.order_by("starts_at", "code"), "code", "program__code", "starts_at",
                      "ends_at", "place", "trainer", "capacity", "status")),
        Sheet(lambda: _("Enrolments"),
              lambda: [_("Session"), _("Employee number"), _("Status"), _("Requested at"), _("Hours attended"),
                       _("Completed on")],
              _values(lambda: Enrolment.objects.order_by("session_id", "employee_id"), "session__code",
                      "employee__employee_number", "status", "requested_at", "hours_attended", "completed_on")),
        Sheet(lambda: _("Training needs"),
              lambda: [_("Year"), _("Unit"), _("Title"), _("Status"), _("Priority"), _("Estimated participants"),
                       _("Preferred modality"), _("Desired period"), _("Strategic objective")],
              _values(lambda: TrainingNeed.objects.order_by("year", "unit__path", "pk"), "year", "unit__code",
                      "title", "status", "priority", "estimated_participants", "preferred_modality",
                      "desired_period", "strategic_objective")),
        Sheet(lambda: _("Plan actions"),
              lambda: [_("Plan year"), _("Title"), _("Program"), _("Estimated cost (€)"), _("Estimated hours"),
                       _("Estimated participants"), _("Funding source")],
              _values(lambda: PlanAction.objects.order_by("plan__year", "pk"), "plan__year", "title",
                      "program__code", "estimated_cost", "estimated_hours", "estimated_participants", "funding")),
        Sheet(lambda: _("Learning plans"),
              lambda: [_("Employee number"), _("Period start"), _("Period end"), _("Kind"), _("Program"),
                       _("Activity"), _("Competency"), _("Target level"), _("Due date"), _("Status")],
              _values(lambda: LearningPlanItem.objects.order_by("plan__employee_id", "plan__period_start", "pk"),
                      "plan__employee__employee_number", "plan__period_start", "plan__period_end", "kind",
                      "program__code", "title", "competency__code", "target_level", "due_date", "status")),
    ]


def _cell(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return cell_text(value)


def _sheet_title(title: str, part: int) -> str:
    return sheet_title(title, suffix=f" ({part})" if part > 1 else "")


def write_workbook(path: str, *, on_rows: Callable[[int], None] | None = None) -> int:
    """Write every sheet into an XLSX file at ``path``; returns the rows written (headers not counted)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    total = 0
    for sheet in _sheets():
        title, columns, part, count, current = sheet.title(), sheet.columns(), 0, SHEET_ROWS, None

        def start():
            nonlocal part, count, current
            part += 1
            current = workbook.create_sheet(title=_sheet_title(title, part))
            header = []
            for column in columns:
                cell = WriteOnlyCell(current, value=cell_text(column))
                cell.font = bold
                header.append(cell)
            current.append(header)
            count = 0

        start()
        for row in sheet.rows():
            if count == SHEET_ROWS:
                start()
            current.append([_cell(value) for value in row])
            count += 1
            total += 1
            if on_rows and total % 50_000 == 0:
                on_rows(total)
    workbook.save(path)
    return total


# --- Requests and the worker ---------------------------------------------------------------------------------------


def organisation_workbook_request(*, requested_by, language: str | None = None) -> tuple[OrganisationWorkbook, bool]:
    """Ask for a workbook: a pending row queued on commit. While one is pending or running, that one is returned
    (``False``) instead of starting another, unless it is lost (``Job.lost``: it is marked failed). Raises
    ``QueueUnavailable`` (after marking the new row failed, so that it does not hold the slot) when the broker cannot
    take it."""
    from functools import partial

    from django.db import transaction

    from clo.core.tasks import queue_on_commit
    from clo.dashboards.tasks import organisation_workbook_run as task

    with transaction.atomic():
        busy = (OrganisationWorkbook.objects.select_for_update()
                .filter(status__in=[OrganisationWorkbook.Status.PENDING, OrganisationWorkbook.Status.RUNNING]).first())
        if busy is not None and not busy.lost:
            return busy, False
        if busy is not None:
            OrganisationWorkbook.fail(busy.pk, LOST, only_if=busy.status)
        workbook = OrganisationWorkbook.objects.create(requested_by=requested_by,
                                                       language=language or settings.LANGUAGE_CODE)
        queue_on_commit(task, workbook.pk, release=partial(OrganisationWorkbook.release_unqueued, workbook.pk))
    return workbook, True


def file_name(workbook: OrganisationWorkbook) -> str:
    """Deterministic: one file per request, under the request's random folder (unguessable)."""
    return f"{workbook.file_folder('exports')}/organisation-{workbook.created_at:%Y%m%d-%H%M}-{workbook.pk}.xlsx"


def organisation_workbook_run(workbook_id: int) -> OrganisationWorkbook | None:
    """Build a requested workbook: claim it, write the file in a temporary directory, store it under its name, mark
    it done (or failed, with the error). Returns None when it is gone or someone else has it (safe to run twice)."""
    if not OrganisationWorkbook.claim(workbook_id, rows=0):
        return None
    workbook = OrganisationWorkbook.objects.get(pk=workbook_id)

    def progress(rows: int) -> None:
        OrganisationWorkbook.objects.filter(pk=workbook.pk).update(rows=rows)

    try:
        with tempfile.TemporaryDirectory() as directory, translation.override(workbook.language):
            path = os.path.join(directory, "workbook.xlsx")
            rows = write_workbook(path, on_rows=progress)
            name = file_name(workbook)
            if default_storage.exists(name):
                default_storage.delete(name)
            with open(path, "rb") as handle:
                stored = default_storage.save(name, File(handle))
        OrganisationWorkbook.complete(workbook.pk, file=stored, rows=rows)
    except Exception as exc:
        logger.exception("organisation workbook %s failed", workbook.pk)
        OrganisationWorkbook.fail(workbook.pk, exc)
    workbook.refresh_from_db()
    return workbook
