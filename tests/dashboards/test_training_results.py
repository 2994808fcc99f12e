"""Level 4 on the learning office's dashboard: after each full gap run the programs app stores one snapshot per
program with completers (a second delivery of the task writes nothing), and the board ranks the programs by the
difference in change, with the group sizes, a link to each program's evaluation and "not enough data" for small
groups; the page costs the same number of queries with 4 or 40 programs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations.gaps.services import gaps_full_run
from evaluations.models import GapRun
from programs.models import ProgramResultSnapshot
from programs.services.results import results_snapshot
from tests import factories as f
from tests.dashboards.pages import read
from tests.dashboards.test_boards import CLO_URL, DIRECTOR_URL, EN, get
from tests.programs.feedback.test_results import TODAY, case  # noqa: F401  (case: fixture)


def done_run(**kwargs) -> GapRun:
    now = timezone.now()
    return GapRun.objects.create(status=GapRun.Status.DONE, trigger=GapRun.Trigger.COMMAND, started_at=now,
                                 finished_at=now, as_of=timezone.localdate(), **kwargs)


def snapshot(run, title: str, completers: int, comparison: int, mine: str | None, theirs: str | None):
    program = f.ProgramFactory(title=title)
    difference = Decimal(mine) - Decimal(theirs) if mine is not None and theirs is not None else None
    return ProgramResultSnapshot.objects.create(
        program=program, run=run, completers=completers, comparison=comparison,
        completers_change=Decimal(mine) if mine is not None else None,
        comparison_change=Decimal(theirs) if theirs is not None else None, difference=difference,
        computed_at=timezone.now(),
    )


# --- The snapshots --------------------------------------------------------------------------------------------


def test_a_full_run_stores_each_programs_results_once(case, eager_tasks, django_capture_on_commit_callbacks):
    other = f.ProgramFactory(title="Nobody completed it")
    f.ProgramCompetencyFactory(program=other, competency=case["c1"])
    with django_capture_on_commit_callbacks(execute=True):
        run = gaps_full_run()
    [stored] = ProgramResultSnapshot.objects.filter(run=run)
    # The constructed case of tests/programs/feedback/test_results.py: completers E1, E2, E6; comparison E3, E4.
    assert stored.program == case["program"]
    assert (stored.completers, stored.comparison) == (3, 2)
    assert (stored.completers_change, stored.comparison_change, stored.difference) == (
        Decimal("-1.00"), Decimal("-0.50"), Decimal("-0.50"))
    # Delivered twice: nothing more.
    assert results_snapshot(run_id=run.pk, today=TODAY) == 0
    assert ProgramResultSnapshot.objects.count() == 1


def test_only_the_latest_finished_run_gets_snapshots_and_earlier_ones_go(case):
    old = gaps_full_run()
    assert results_snapshot(run_id=old.pk, today=TODAY) == 1
    new = gaps_full_run()
    assert results_snapshot(run_id=old.pk, today=TODAY) == 0
    assert results_snapshot(run_id=new.pk, today=TODAY) == 1
    assert results_snapshot(run_id=123456, today=TODAY) == 0
    assert list(ProgramResultSnapshot.objects.values_list("run_id", flat=True)) == [new.pk]


def test_a_benchmark_run_queues_nothing(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        gaps_full_run(trigger=GapRun.Trigger.BENCHMARK)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        gaps_full_run()
    # a real run: level 4 per program, and the knowledge-at-risk figures (their horizons move with the date)
    assert sorted(callback.func.__self__.name for callback in callbacks) == [
        "programs.results_snapshot", "talent.knowledge_risk_rebuild"]


# --- The panel ------------------------------------------------------------------------------------------------

RESULTS_URL = "/dashboards/learning-office/training-results/"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ranked(org):
    old = done_run()
    snapshot(old, "Superseded program", 9, 9, "-3.00", "0.00")  # an older run's: not shown
    run = done_run()
    snapshot(run, "Spreadsheets", 5, 12, "-0.40", "-0.30")  # difference -0.10
    snapshot(run, "Clear writing", 8, 20, "-1.20", "-0.20")  # difference -1.00: first
    snapshot(run, "Tiny pilot", 2, 30, "-2.00", "0.00")  # too few completers
    snapshot(run, "Rare position", 6, 1, "-1.00", "0.00")  # too few to compare with
    snapshot(run, "Made it worse", 4, 4, "0.50", "0.00")  # difference +0.50: last of the ranked
    return run


def test_the_clo_reads_the_programs_ranked_by_difference(clo_client, ranked):
    page = read(get(clo_client, RESULTS_URL))
    assert "training-results" in page.sections
    enough = "Not enough data: fewer than 3 people in a group"
    assert page.tables["training-results-table"] == [
        ["Clear writing", "8", "20", "-1.20", "-0.20", "-1.00"],
        ["Spreadsheets", "5", "12", "-0.40", "-0.30", "-0.10"],
        ["Made it worse", "4", "4", "0.50", "0.00", "0.50"],
        ["Rare position", "6", "1", enough],
        ["Tiny pilot", "2", "30", enough],
    ]
    html = get(clo_client, RESULTS_URL).content.decode()
    clear = ProgramResultSnapshot.objects.get(program__title="Clear writing").program
    assert f'href="/feedback/programs/{clear.pk}/"' in html
    assert "Back to the dashboard" in html and "<h1>" in html


def test_the_board_loads_the_panel_after_it_for_the_whole_organisation_only(clo_client, org, ranked):
    board = get(clo_client, CLO_URL).content.decode()
    assert f'hx-get="{RESULTS_URL}"' in board and f'href="{RESULTS_URL}"' in board  # loads after, or as a link
    partial = get(clo_client, CLO_URL + "?kind=digital", **HX).content.decode()
    assert f'hx-get="{RESULTS_URL}"' in partial
    unit = get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}").content.decode()
    assert RESULTS_URL not in unit
    panel = get(clo_client, RESULTS_URL, **HX).content.decode()
    assert 'id="training-results-table"' in panel and "<h1>" not in panel and "Clear writing" in panel


def test_no_results_yet_says_so(clo_client, org):
    done_run()  # a run finished, and no program has completers
    page = read(get(clo_client, RESULTS_URL))
    assert "No results yet" in page.text
    assert "training-results-table" not in page.tables


def test_before_the_first_gap_run_the_panel_says_why_and_who_can_run_it(client, clo_user, hr_user):
    client.force_login(clo_user)
    html = get(client, RESULTS_URL).content.decode()
    assert "The gap analysis has not run yet." in html and "Recalculate now" in html
    client.force_login(hr_user)  # HR sees the panel, but the run is the learning office's
    html = get(client, RESULTS_URL).content.decode()
    assert "The gap analysis has not run yet." in html and "Recalculate now" not in html
    assert "The learning office runs it every night" in html


@pytest.mark.parametrize("persona", ["director_a", "director_b", "employee_a"])
@pytest.mark.parametrize("headers", [{}, HX])
def test_only_the_learning_office_and_hr_reach_the_panel(client, request, ranked, persona, headers):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(RESULTS_URL, **EN, **headers).status_code == 404
    assert client.post(RESULTS_URL, **EN, **headers).status_code == 404


def test_hr_reads_it_and_nobody_posts_to_it(hr_client, ranked):
    assert "Clear writing" in get(hr_client, RESULTS_URL).content.decode()
    assert hr_client.post(RESULTS_URL, **EN).status_code == 405


def test_a_director_board_has_no_panel(director_a_client, ranked):
    board = get(director_a_client, DIRECTOR_URL).content.decode()
    assert RESULTS_URL not in board and "Clear writing" not in board


def test_the_panel_costs_the_same_with_more_programs(clo_client, org, django_assert_max_num_queries):
    run = done_run()
    counts = []
    for size in (4, 40):
        for i in range(size):
            snapshot(run, f"Program {size}-{i}", 3 + i % 5, 3 + i % 7, f"-{i % 3}.00", "-0.50")
        with django_assert_max_num_queries(15) as captured:
            page = read(get(clo_client, RESULTS_URL))
        counts.append(len(captured))
        assert len(page.tables["training-results-table"]) == min(size, 10)
    assert counts[0] == counts[1], counts
    assert "All the evaluated programs" in page.text  # 44 programs: the first 10 and a link to them all
