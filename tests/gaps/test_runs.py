"""Full runs: one at a time, all or nothing, recorded; a run that died is recovered by the next one."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from evaluations.gaps import rollups, runs, services
from evaluations.models import GapRun, GapTrendPoint, UnitAreaGap, UnitCompetencyGap, UnitGroupCompetencyGap
from tests.gaps.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(build):
    """Two units (a parent and a child), one requirement, two employees: one assessed below it, one never."""
    competency = build.competency(build.framework())
    parent = build.unit()
    child = build.unit(parent)
    position = build.position()
    build.requirement(position, competency, 3, weight=2)
    assessed = build.employee(child, position)
    build.employee(parent, position)
    build.assessment(assessed, {competency: 1}, role="manager", status="validated")
    return {"competency": competency, "parent": parent, "child": child, "position": position, "assessed": assessed}


def snapshot() -> tuple:
    return (
        sorted(UnitCompetencyGap.objects.values_list("unit_id", "subtree", "competency_id", "people", "gap_sum")),
        sorted(UnitAreaGap.objects.values_list("unit_id", "subtree", "area_id", "people", "people_with_gap")),
        sorted(UnitGroupCompetencyGap.objects.values_list("unit_id", "subtree", "position_group", "competency_id",
                                                          "gap_sum")),
    )


def test_a_run_records_its_figures_and_a_trend_point(small):
    run = services.gaps_full_run(full_consolidation=True, today=TODAY)

    assert (run.status, run.employees, run.pairs, run.as_of) == ("done", 2, 2, TODAY)
    assert run.started_at <= run.finished_at and run.error == ""
    point = GapTrendPoint.objects.get(run=run)
    # Assessed at 1 (gap 2) and never assessed (gap 3).
    assert (point.people, point.people_with_gap, point.gap_sum, point.not_assessed) == (2, 2, 5, 1)
    assert point.mean_gap == 2.5 and point.weighted_gap == 2.5 and point.percent_met == 0.0
    parent_subtree = UnitCompetencyGap.objects.get(unit=small["parent"], subtree=True)
    parent_own = UnitCompetencyGap.objects.get(unit=small["parent"], subtree=False)
    assert (parent_subtree.people, parent_own.people) == (2, 1)
    assert parent_subtree.percent_not_assessed == 50.0


def test_a_second_run_is_refused_while_one_is_running(small):
    """Another process is running: on PostgreSQL it holds the run lock (taken here from a second connection), and its
    row says running (on SQLite that row, recent, is all there is to go by)."""
    running = GapRun.objects.create(status="running", trigger="nightly", started_at=timezone.now())
    with another_session_holding_the_run_lock():
        with pytest.raises(runs.GapRunInProgress) as refused:
            services.gaps_full_run(today=TODAY)
        run, created = services.gaps_request_run()
    assert refused.value.run == running and f"#{running.pk}" in str(refused.value)
    assert (run, created) == (running, False)
    assert GapRun.objects.filter(status="running").count() == 1


def test_a_failed_run_leaves_the_previous_results_in_place(small, monkeypatch):
    first = services.gaps_full_run(full_consolidation=True, today=TODAY)
    before = snapshot()
    small["assessed"].assessments.update(status="draft")  # the next run would change every figure

    # Half-way: the levels are re-consolidated, the own rows repaired and the competency subtree rows (of everyone and
    # per position group) merged when the area subtree rows fail. Raising from the third merge is the only way to stop
    # a run at that point from outside without touching its code; a monkeypatched step stands for a real failure (disk
    # full, lost connection).
    calls = []
    merge = rollups._merge

    def merge_then_fail(*args, **kwargs):
        calls.append(args[1].table)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return merge(*args, **kwargs)

    monkeypatch.setattr(rollups, "_merge", merge_then_fail)
    with pytest.raises(RuntimeError):
        services.gaps_full_run(full_consolidation=True, today=TODAY)

    failed = GapRun.objects.exclude(pk=first.pk).get()
    assert failed.status == "failed" and "disk full" in failed.error and failed.finished_at
    assert calls == [rollups.UC.table, rollups.UGC.table, rollups.UA.table]
    assert snapshot() == before  # the competency rows merged before the failure were rolled back too
    assert GapTrendPoint.objects.count() == 1
    assert small["assessed"].current_levels.get().level == 1  # consolidation rolled back as well

    monkeypatch.setattr(rollups, "_merge", merge)
    again = services.gaps_full_run(full_consolidation=True, today=TODAY)
    assert again.status == "done" and snapshot() != before


def test_a_stale_running_run_is_marked_failed_and_the_next_run_succeeds(small):
    long_ago = timezone.now() - runs.stale_after() - dt.timedelta(minutes=1)
    stale = GapRun.objects.create(status="running", trigger="nightly", started_at=long_ago)

    run = services.gaps_full_run(today=TODAY)

    stale.refresh_from_db()
    assert stale.status == "failed" and stale.error == runs.LOST
    assert run.status == "done"


def test_a_requested_run_is_pending_until_a_worker_takes_it(small, django_capture_on_commit_callbacks, eager_tasks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run, created = services.gaps_request_run()
        again, created_again = services.gaps_request_run()
    assert created and not created_again and again == run and run.status == "pending"
    assert len(callbacks) == 1  # one task queued, not two

    callbacks[0]()  # the worker takes it
    run.refresh_from_db()
    assert run.status == "done" and run.trigger == "manual"
    # The task runs twice (a redelivery): the second time the run is no longer pending and nothing happens.
    assert services.gaps_execute_requested(run.pk) is None


def test_gap_analysis_command_prints_counts(small):
    out = io.StringIO()
    call_command("gap_analysis", "--full-consolidation", "--as-of", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "done" in text and "employee × requirement pairs" in text and "people with a gap" in text
    assert GapRun.objects.get().trigger == "command"


def test_gap_analysis_command_reports_a_run_in_progress(small):
    running = GapRun.objects.create(status="running", trigger="nightly", started_at=timezone.now())
    with another_session_holding_the_run_lock(), pytest.raises(CommandError, match=f"#{running.pk}"):
        call_command("gap_analysis", stdout=io.StringIO())


def test_the_benchmark_floor_computes_what_the_engine_stores(small, on_postgresql):
    from clo.demo import gaps_bench as bench

    run = services.gaps_full_run(full_consolidation=True, today=TODAY)
    seconds, floor = bench.measure_floor()
    # Every kind of own row the engine stores, the position groups included, with the same totals of every figure.
    assert set(floor) == {"unit_competency", "unit_group_competency", "unit_area", "unit"}
    assert floor == bench.stored_own_figures()
    assert floor["unit_competency"][0] == UnitCompetencyGap.objects.filter(subtree=False).count()
    assert floor["unit"][bench.FIGURES.index("requirements") + 1] == run.pairs
    assert floor["unit"][bench.FIGURES.index("people") + 1] == run.employees
    _seconds, pair_floor = bench.measure_floor(bench.PAIR_FLOOR_SQL)  # the stricter floor: the pair kinds only
    assert pair_floor == {kind: floor[kind] for kind in ("unit_competency", "unit_group_competency")}
    figures = bench.run_benchmark(refreshes=1, seed=1, repeats=1)
    assert {"employees", "pairs", "floor_s", "full_s", "ratio", "pair_floor_s", "ratio_to_pair_floor",
            "incremental_p50_ms", "incremental_p95_ms", "peak_rss_mb"} <= set(figures)
    assert figures["floor_matches_engine"] is True
    json.dumps(figures)


class another_session_holding_the_run_lock:
    """On PostgreSQL, a second connection takes the run lock as a running worker's does; nothing on SQLite."""

    def __enter__(self):
        self.other = None
        if connection.vendor == "postgresql":
            import psycopg

            s = connection.settings_dict
            self.other = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                                         password=s["PASSWORD"], dbname=s["NAME"], autocommit=True)
            self.other.execute("SELECT pg_advisory_lock(%s)", [runs.RUN_LOCK])
        return self

    def __exit__(self, *exc):
        if self.other is not None:
            self.other.close()
        return False


def test_a_run_asked_for_by_a_framework_change_waits_for_the_run_in_progress(monkeypatch):
    """The run in progress may have read the framework before the change: the run the change asked for retries until
    it can start, where a scheduled run gives way."""
    from evaluations import tasks

    def busy(**kwargs):
        raise runs.GapRunInProgress(None)

    monkeypatch.setattr(services, "gaps_full_run", busy)
    retried = []
    monkeypatch.setattr(tasks.gaps_full_run, "retry", lambda **kwargs: retried.append(kwargs) or Exception("retry"))
    assert tasks.gaps_full_run(trigger="nightly") is None and retried == []
    with pytest.raises(Exception, match="retry"):
        tasks.gaps_full_run(trigger="framework", full_consolidation=True)
    assert retried[0]["countdown"] == 60
