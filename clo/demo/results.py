"""The figures the boards read, computed for the demo as soon as it is seeded: the gap analysis (its roll-ups feed the
dashboards' headline figures, heatmap and largest gaps), the level 4 results it leads to, and a year of past trend
points so that the gap closure chart has a history to draw.

The past points are made up (the demo's evidence has no past to recompute): the weighted gap of the current run,
a little wider the further back in time, on the same number of requirements.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from evaluations.models import GapFigures, GapRun, GapTrendPoint
from clo.demo.world import World, add_months

HISTORY_MONTHS = 12
# How much wider the weighted gap was a year ago than today (closed evenly month by month, with some noise).
YEAR_AGO_WIDER = 0.18


def build_gap_results(w: World) -> GapRun:
    """Run the gap analysis for the demo's reference day, store the level 4 snapshots of that run and the past trend
    points. Returns the run. Level 4 is computed here, in this process, so the panel is filled even when the
    snapshot task the run queues waits for a worker that is not started yet (it then finds nothing left to do)."""
    from evaluations.gaps.services import gaps_full_run
    from programs.services.results import results_snapshot

    with transaction.atomic():  # the snapshot task queued on commit runs after the one below (eager mode)
        run = gaps_full_run(trigger=GapRun.Trigger.COMMAND, today=w.today)
        _trend_history(w, run)
        results_snapshot(run_id=run.pk, today=w.today)
    return run


def _trend_history(w: World, run: GapRun) -> None:
    """One nightly run a month over the past year, each with its trend point, finished before ``run``."""
    current = GapTrendPoint.objects.get(run=run)
    rng = w.rng("gap-trend")
    zone = timezone.get_current_timezone()
    for months_back in range(HISTORY_MONTHS, 0, -1):
        day = add_months(w.today, -months_back)
        finished = min(
            dt.datetime(day.year, day.month, day.day, 1, 30, tzinfo=zone) + dt.timedelta(seconds=rng.randint(40, 90)),
            run.finished_at - dt.timedelta(days=months_back),
        )
        wider = 1 + YEAR_AGO_WIDER * months_back / HISTORY_MONTHS + rng.uniform(-0.015, 0.015)
        figures = _scaled(current, wider)
        past = GapRun.objects.create(
            status=GapRun.Status.DONE, trigger=GapRun.Trigger.NIGHTLY, started_at=finished - dt.timedelta(seconds=30),
            finished_at=finished, as_of=day, employees=figures["people"], pairs=figures["requirements"],
        )
        GapTrendPoint.objects.create(run=past, as_of=day, **figures)


def _scaled(point: GapTrendPoint, wider: float) -> dict:
    """The figures of ``point`` with every gap ``wider`` times as wide (and as many fewer requirements met)."""
    figures = {name: getattr(point, name) for name in GapFigures.FIGURES}
    for name in ("gap_sum", "weighted_gap_sum", "critical_gaps", "people_with_gap", "people_not_assessed",
                 "not_assessed"):
        figures[name] = round(figures[name] * wider)
    figures["people_with_gap"] = min(figures["people_with_gap"], figures["people"])
    figures["people_not_assessed"] = min(figures["people_not_assessed"], figures["people"])
    figures["not_assessed"] = min(figures["not_assessed"], figures["requirements"])
    unmet = figures["requirements"] - figures["requirements_met"]
    figures["requirements_met"] = max(figures["requirements"] - round(unmet * wider), 0)
    return figures
