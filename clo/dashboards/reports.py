"""The monthly CLO report: the learning office's board for one period (headline figures, heatmap, trend, largest
gaps, training activity, satisfaction), for the whole organisation, rendered into a tagged PDF with the dashboard's
SVG charts and stored through Django's storage.

A report is a status-machine row (``MonthlyReport``), like the bulk learning plan PDFs: requested (pending) by the
learning office or by the monthly beat job, claimed by one worker with a guarded UPDATE, rendered, written under a
path that depends only on the report, then marked done. Running the task twice is harmless: the second claim changes
no row and returns; asking twice for the same period and language finds the same row.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from clo.core import pdf, roles
from clo.core.tasks import queue_on_commit
from clo.dashboards import boards
from clo.dashboards.models import MonthlyReport

logger = logging.getLogger(__name__)

TEMPLATE = "dashboards/pdf/monthly_report.html"
ORGANISATION = roles.Scope(everything=True)


@dataclass
class PeriodFilters(boards.Filters):
    """The board's filters for a period other than a calendar year: [start, end) as dates (end exclusive). The
    year (of the annual plan's figures) is the year of the first day."""

    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def period(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time(), tzinfo=zone),
                dt.datetime.combine(self.end, dt.time(), tzinfo=zone))


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar month before ``today``'s."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def report_board(period_start: dt.date, period_end: dt.date) -> boards.Board:
    """The learning office's board of the whole organisation for [period_start, period_end] (both included): the
    same figures the CLO board shows; the trend keeps the runs stored up to the night after the period's last day
    (the nightly run of the first of the month measures the month that just ended)."""
    place = boards.place_of(ORGANISATION, None)
    rows = boards.board_rows(place)
    end = period_end + dt.timedelta(days=1)
    filters = PeriodFilters(unit_id=place.unit.pk, year=period_start.year, start=period_start, end=end)
    board = boards.learning_office_board(place, rows, filters, now=timezone.now())
    board.extra["heatmaps"] = boards.framework_heatmaps(place, rows, filters)  # every framework, one after the other
    board.trend = [point for point in board.trend if point.as_of <= end]
    board.trend_change = boards._trend_change(board.trend, filters) if board.trend else None
    return board


def report_html(report: MonthlyReport) -> str:
    with translation.override(report.language):
        board = report_board(report.period_start, report.period_end)
        context = {
            "report": report, "board": board, "organisation_name": settings.CLO_ORGANISATION_NAME,
            "top_gaps_chart": board.top_gaps_chart if board.top_gaps else None,
            "trend_chart": board.trend_chart if board.trend else None,
            "printed_on": timezone.localdate(),
        }
    return pdf.render_html(TEMPLATE, context, language=report.language)


def report_pdf(report: MonthlyReport) -> bytes:
    return pdf.html_to_pdf(report_html(report))


def report_file_name(report: MonthlyReport) -> str:
    """Deterministic: one file per period and language, under the report's random folder (unguessable)."""
    return (f"{report.file_folder('reports/monthly')}/clo-report-{report.period_start:%Y%m%d}-"
            f"{report.period_end:%Y%m%d}-{report.language}.pdf")


# --- Requests ------------------------------------------------------------------------------------------------------


def monthly_report_request(*, period_start: dt.date, period_end: dt.date, language: str | None = None,
                           requested_by=None) -> MonthlyReport:
    """Ask for the report of a period: a pending row queued on commit. The period's existing report is generated
    again (its figures refreshed) if it is done, failed or lost (``Job.lost``), and left alone while it is being
    generated. Raises ``QueueUnavailable`` (after marking the report failed, so that it can be asked for again) when
    the broker cannot take it."""
    from clo.dashboards.tasks import monthly_report_run as task

    language = language or settings.LANGUAGE_CODE
    with transaction.atomic():
        report = (MonthlyReport.objects.select_for_update()
                  .filter(period_start=period_start, period_end=period_end, language=language).first())
        if report is None:
            report = MonthlyReport(period_start=period_start, period_end=period_end, language=language,
                                   requested_by=requested_by)
            report.full_clean()
            report.save()
        elif report.finished or report.lost:
            report.status, report.requested_by, report.error = MonthlyReport.Status.PENDING, requested_by, ""
            report.created_at, report.finished_at = timezone.now(), None  # requested (again) now
            report.save(update_fields=["status", "requested_by", "error", "created_at", "finished_at"])
        else:
            return report
        queue_on_commit(task, report.pk, release=partial(MonthlyReport.release_unqueued, report.pk))
    return report


def monthly_report_for_month(*, today: dt.date | None = None) -> MonthlyReport | None:
    """The monthly job: the previous month's report in the default language, once (None when it already exists).
    If the broker cannot take it, the report is marked failed (the learning office can ask for it again) and
    ``QueueUnavailable`` is raised."""
    from clo.dashboards.tasks import monthly_report_run as task

    start, end = previous_month(today or timezone.localdate())
    try:
        with transaction.atomic():
            report, created = MonthlyReport.objects.get_or_create(
                period_start=start, period_end=end, language=settings.LANGUAGE_CODE
            )
            if not created:
                return None
            queue_on_commit(task, report.pk, release=partial(MonthlyReport.release_unqueued, report.pk))
    except IntegrityError:  # another run created it at the same moment
        return None
    return report


def validate_period(period_start: dt.date, period_end: dt.date, *, today: dt.date) -> None:
    """Raise ``ValidationError`` (keyed by field) for a period a report cannot cover."""
    from django.utils.translation import gettext as _

    if period_end < period_start:
        raise ValidationError({"period_end": _("The last day must not be before the first day.")})
    if period_start > today:
        raise ValidationError({"period_start": _("The period must not start in the future.")})
    if (period_end - period_start).days > 366:
        raise ValidationError({"period_end": _("A report covers at most one year.")})


# --- The worker ----------------------------------------------------------------------------------------------------


def monthly_report_run(report_id: int) -> MonthlyReport | None:
    """Render a report: claim, render the PDF, store it under its name (replacing the previous one), mark it done.
    Returns None when the report is gone or someone else has it (safe to run twice)."""
    if not MonthlyReport.claim(report_id):
        return None
    report = MonthlyReport.objects.get(pk=report_id)
    try:
        data = report_pdf(report)
        name = report_file_name(report)
        temporary = default_storage.save(f"{name}.part", ContentFile(data))
        if default_storage.exists(name):
            default_storage.delete(name)
        with default_storage.open(temporary, "rb") as handle:
            stored = default_storage.save(name, handle)
        default_storage.delete(temporary)
        MonthlyReport.complete(report.pk, file=stored)
    except Exception as exc:
        logger.exception("monthly report %s failed", report.pk)
        MonthlyReport.fail(report.pk, exc)
    report.refresh_from_db()
    return report
