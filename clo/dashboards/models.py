"""The periodic reports of the learning office: the monthly CLO report, a PDF of one period's figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.jobs import Job, status_field


class MonthlyReport(Job):
    """The CLO report of one period (a calendar month for the monthly job, any period on demand) in one language.

    A status machine (``clo.core.jobs.Job``). One row per period and language: the monthly job and a second request
    for the same period find it instead of adding another."""

    class Status(models.TextChoices):  # "Done" agrees with "report" in Catalan and Spanish
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("monthly report", "Done")
        FAILED = "failed", _("Failed")

    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    status = status_field(Status)
    file = models.FileField(_("PDF file"), upload_to="reports/monthly/", blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"), help_text=_("Empty for the reports of the monthly job."),
    )

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-period_start", "-period_end", "language", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "language"], name="dashboards_monthlyreport_one_per_period",
                violation_error_message=_("There is already a report for this period in this language."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="dashboards_monthlyreport_period_in_order",
                violation_error_message=_("The last day must not be before the first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d} ({self.language})"


class OrganisationWorkbook(Job):
    """The whole organisation's data as one XLSX workbook, for the learning office (one sheet per kind of record).

    Built by a worker (a large organisation's workbook has millions of rows), a status machine
    (``clo.core.jobs.Job``); the file is written under a temporary name and moved into place."""

    class Status(models.TextChoices):  # "Done" agrees with "workbook" in Catalan and Spanish
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("organisation workbook", "Done")
        FAILED = "failed", _("Failed")

    status = status_field(Status)
    file = models.FileField(_("XLSX file"), upload_to="exports/", blank=True, max_length=255)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("organisation workbook")
        verbose_name_plural = _("organisation workbooks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="dashboards_organisationworkbook_done_has_file",
                violation_error_message=_("A finished workbook must have its file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"
