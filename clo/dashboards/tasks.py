"""Celery tasks of the dashboards: the monthly CLO report (thin wrappers that take ids and are safe to run twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dashboards.monthly_report_run")
def monthly_report_run(report_id: int) -> str | None:
    """Render one report into its PDF (returns quietly if the report is gone or already taken)."""
    from clo.dashboards.reports import monthly_report_run as run

    report = run(report_id)
    return report.status if report else None


@shared_task(name="dashboards.monthly_report")
def monthly_report(today: str | None = None) -> int | None:
    """The beat job: ask for the previous month's report (once; ``today`` as ISO date, default: today)."""
    import datetime as dt

    from clo.dashboards.reports import monthly_report_for_month

    report = monthly_report_for_month(today=dt.date.fromisoformat(today) if today else None)
    return report.pk if report else None


@shared_task(name="dashboards.organisation_workbook_run")
def organisation_workbook_run(workbook_id: int) -> str | None:
    """Build one organisation workbook (returns quietly if it is gone or already taken)."""
    from clo.dashboards.workbook import organisation_workbook_run as run

    workbook = run(workbook_id)
    return workbook.status if workbook else None
