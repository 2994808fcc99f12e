"""The learning office's gap analysis page: "recalculate now" queues one run, never two; the page shows the run in
progress (polled by htmx while it lasts) and the recent runs; nobody else can reach it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import GapRun

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}

RUNS = reverse("evaluations:gap_runs")
REQUEST = reverse("evaluations:gap_run_request")


def test_recalculate_now_queues_one_run_that_a_worker_executes(clo_client, clo_user, eager_tasks,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = clo_client.post(REQUEST, follow=True, headers=EN)
    # One run queued by the request; the run, once done, queues the training results (level 4) of its figures and
    # the knowledge-at-risk figures (clo.talent).
    assert len(callbacks) == 3
    run = GapRun.objects.get()
    assert (run.status, run.trigger, run.requested_by) == ("done", "manual", clo_user)
    assert f"Recalculation requested: run #{run.pk}" in response.content.decode()
    page = clo_client.get(RUNS, headers=EN).content.decode()
    assert f"#{run.pk}" in page and "Done" in page
    assert "The figures shown in the dashboards come from the run that finished" in page


def test_a_second_request_while_one_waits_queues_nothing(clo_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        clo_client.post(REQUEST)
    run = GapRun.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = clo_client.post(REQUEST, follow=True, headers=EN)
    assert callbacks == []
    assert GapRun.objects.count() == 1
    assert f"Run #{run.pk} is already waiting to start" in response.content.decode()
    page = clo_client.get(RUNS, headers=EN).content.decode()
    assert 'hx-trigger="every 3s"' in page  # the status polls while the run lasts
    assert "disabled" in page


def test_a_run_in_progress_is_reported_and_polled_through_the_partial(clo_client):
    run = GapRun.objects.create(status="running", trigger="nightly", started_at=timezone.now())
    response = clo_client.get(RUNS, headers={"HX-Request": "true", **EN})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="gap-run-status"' in body  # only the partial
    assert f"Run #{run.pk} is in progress since" in body
    run.status, run.finished_at = "done", timezone.now()
    run.save()
    body = clo_client.get(RUNS, headers={"HX-Request": "true", **EN}).content.decode()
    assert "every 3s" not in body  # finished: polling stops


def test_a_lost_run_shows_its_error_in_the_readers_language(clo_client):
    from evaluations.gaps.runs import LOST

    GapRun.objects.create(status="failed", trigger="nightly", started_at=timezone.now(),
                          finished_at=timezone.now(), error=LOST)
    page = clo_client.get(RUNS, headers={"Accept-Language": "ca"}).content.decode()
    assert "lang=\"ca\"" in page
    assert LOST not in page  # translated, not the stored English


@pytest.mark.parametrize("persona", ["hr_client", "director_a_client", "employee_a_client", "outsider_client"])
@pytest.mark.parametrize("htmx", [False, True])
def test_nobody_but_the_learning_office_reaches_it(request, persona, htmx):
    client = request.getfixturevalue(persona)
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(RUNS, headers=headers).status_code == 404
    assert client.post(REQUEST, headers=headers).status_code == 404
    assert not GapRun.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    for response in (client.get(RUNS), client.post(REQUEST)):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("runs", [1, 30])
def test_the_page_costs_the_same_queries_with_few_or_many_runs(clo_client, clo_user, runs,
                                                              django_assert_max_num_queries):
    now = timezone.now()
    GapRun.objects.bulk_create(
        GapRun(status="done", trigger="manual", requested_by=clo_user, started_at=now, finished_at=now)
        for _ in range(runs)
    )
    # 5 for the session, the user and their scope, 1 for the header's name, 3 for the page, 3 for the session save.
    with django_assert_max_num_queries(12):
        assert clo_client.get(RUNS).status_code == 200
