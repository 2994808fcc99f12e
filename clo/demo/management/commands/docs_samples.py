"""``manage.py docs_samples``: the sample documents the README links to, made by clo's own code from the demo council
(``seed_demo`` first): the employee's learning plan PDF and the previous month's report, in Catalan."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clo.dashboards import reports
from clo.dashboards.models import MonthlyReport
from programs.models import LearningPlan
from programs.selectors.learning_plans import plan_for_page
from programs.services.learning_plans import pdfs as plan_pdfs

LEARNING_PLAN = "learning-plan.pdf"
MONTHLY_REPORT = "monthly-report.pdf"


class Command(BaseCommand):
    help = (
        "Write docs/samples/learning-plan.pdf (the demo employee's learning plan) and docs/samples/monthly-report.pdf "
        "(the previous month's report) from the demo council."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default="docs/samples", help="folder to write to (default docs/samples)")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        hr = get_user_model().objects.filter(username="rrhh").first()
        plan = (LearningPlan.objects.filter(employee__user__username="empleat").order_by("-period_start", "-pk")
                .first())
        if hr is None or plan is None:
            raise CommandError("No demo council here: run `manage.py seed_demo` first.")
        (out / LEARNING_PLAN).write_bytes(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr)))
        start, end = reports.previous_month(timezone.localdate())
        report = MonthlyReport(period_start=start, period_end=end, language="ca")  # not stored: only its PDF is wanted
        (out / MONTHLY_REPORT).write_bytes(reports.report_pdf(report))
        self.stdout.write(f"Wrote {out / LEARNING_PLAN} and {out / MONTHLY_REPORT}.")
