"""``manage.py bench_pdf`` prints one JSON line with its figures and leaves the database as it was."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from clo.people.models import Employee
from programs.models import LearningPlan, PlanPdfJob

pytestmark = pytest.mark.django_db


def test_bench_pdf_prints_its_figures_and_rolls_back():
    out = io.StringIO()
    call_command("bench_pdf", "--plans", "3", "--repeat", "1", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    for key in ("project_ms", "bare_ms", "ratio", "bulk_plans_per_s", "bulk_peak_rss_mb", "bulk_rss_growth_mb"):
        assert figures[key] > 0 or key == "bulk_rss_growth_mb", figures
    assert (figures["bulk_plans"], figures["bulk_failures"], figures["bulk_status"]) == (3, 0, "done")
    # the ratio is of the unrounded timings: within a rounding step of the printed ones
    assert figures["ratio"] == pytest.approx(figures["project_ms"] / figures["bare_ms"], abs=0.011)
    assert not Employee.objects.exists() and not LearningPlan.objects.exists() and not PlanPdfJob.objects.exists()


@pytest.mark.parametrize("workers", ["0", "1,x", ","])
def test_bench_pdf_refuses_worker_counts_it_cannot_start(workers):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--workers"):
        call_command("bench_pdf", "--workers", workers, stdout=io.StringIO())
    assert not Employee.objects.exists()
