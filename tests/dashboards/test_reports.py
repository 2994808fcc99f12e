"""The monthly CLO report: the PDF of one period's figures (headline figures, heatmap, trend, largest gaps, training,
satisfaction), the beat job that asks for the previous month's report once, the learning office's page (list,
download, on-demand form), the scope of every persona and the list's query budget at two sizes.

Pages are requested in English."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from clo.core.jobs import NOT_QUEUED
from clo.core.tasks import QueueUnavailable
from clo.dashboards import reports, tasks
from clo.dashboards.models import MonthlyReport
from evaluations.gaps.services import gaps_full_run
from programs.models import Enrolment
from tests import factories as f

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HX = {"HTTP_HX_REQUEST": "true"}
URL = "/dashboards/reports/"
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued(monkeypatch):
    """The reports queued on commit, instead of being sent to a worker."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.monthly_report_run, "delay", lambda report_id: ids.append(report_id))
    return ids


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def world(org, clo_user, director_a, employee_a, director_b, employee_b):
    """Gaps as on the CLO board's tests (1 of 3 requirements met, weighted mean gap 1.50); training: 12 hours
    completed by employee_a in an October session, 7 hours in September (outside October)."""
    framework = f.FrameworkFactory(code="REP", name="Report framework")
    digital = f.AreaFactory(framework=framework, code="DIG", name="Digital area", order=1)
    people = f.AreaFactory(framework=framework, code="LEA", name="People area", order=2)
    writing = f.CompetencyFactory(area=digital, code="D1", name="Digital writing", kind="digital")
    leading = f.CompetencyFactory(area=people, code="L1", name="Leading teams", kind="leadership")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3, weight=2,
                         is_critical=True)
    f.RequirementFactory(position=employee_a.position, competency=leading, required_level=2)
    f.RequirementFactory(position=employee_b.position, competency=writing, required_level=2)
    assessed = timezone.localdate() - dt.timedelta(days=30)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1, source="import", assessed_on=assessed)
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=2, source="import", assessed_on=assessed)
    gaps_full_run()
    october = f.SessionFactory(starts_at=_at(dt.date(2026, 10, 14)), ends_at=_at(dt.date(2026, 10, 14), 13))
    september = f.SessionFactory(starts_at=_at(dt.date(2026, 9, 14)), ends_at=_at(dt.date(2026, 9, 14), 13))
    f.EnrolmentFactory(session=october, employee=employee_a, status=Enrolment.Status.COMPLETED,
                       completed_on=dt.date(2026, 10, 14), hours_attended=Decimal("12.0"))
    f.EnrolmentFactory(session=september, employee=employee_b, status=Enrolment.Status.COMPLETED,
                       completed_on=dt.date(2026, 9, 14), hours_attended=Decimal("7.0"))
    return {"writing": writing, "leading": leading}


def _read(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _report(language="en", period=OCTOBER, **kwargs) -> MonthlyReport:
    return MonthlyReport.objects.create(period_start=period[0], period_end=period[1], language=language, **kwargs)


# --- The PDF -------------------------------------------------------------------------------------------------------


def test_the_pdf_has_the_period_the_headline_figures_the_training_and_the_charts(world):
    report = reports.monthly_report_run(_report().pk)
    assert report.status == "done", report.error
    assert report.file.name == f"reports/monthly/{report.file_token}/clo-report-20261001-20261031-en.pdf"
    reader, text = _read(report.file.read())
    assert "Period: 1 October 2026 – 31 October 2026" in text
    assert "Ajuntament de Vilamar" in text
    assert "Requirements met 33.3 % (1 of 3)" in text
    assert "Weighted mean gap 1.50" in text
    assert "Employees 5" in text
    assert "Training hours 12.0" in text  # October's session only, not September's 7 hours
    assert "Enrolments completed 1" in text
    assert "Training hours per employee 2.40" in text  # 12 / 5
    assert "No satisfaction answers in the period." in text
    assert "Mean gap by unit and competency area" in text and "Àrea de Serveis a les Persones" in text
    assert "Largest gaps by weight" in text and "Digital writing" in text and "Leading teams" in text
    assert "No full gap analysis had been stored by the end of the period." in text  # the run is of today
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root
    assert reader.metadata.title == "CLO report, 1 October 2026 – 31 October 2026"


def test_the_trend_has_the_runs_stored_up_to_the_end_of_the_period(world):
    today = timezone.localdate()
    report = reports.monthly_report_run(_report(period=(today.replace(day=1), today)).pk)
    _, text = _read(report.file.read())
    assert "Weighted mean gap of the whole organisation at the end of each full gap analysis" in text
    assert f"{today:%Y-%m-%d}" in text  # the run's date under the line
    assert "No full gap analysis had been stored" not in text


def test_the_pdf_is_in_the_reports_language_catalan_by_default(world):
    report = reports.monthly_report_run(_report(language="ca").pk)
    reader, text = _read(report.file.read())
    assert reader.trailer["/Root"]["/Lang"] == "ca"
    assert "octubre" in text.lower()


def test_a_report_that_fails_to_render_says_so(world, monkeypatch):
    def broken(report):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(reports, "report_pdf", broken)
    report = reports.monthly_report_run(_report().pk)
    assert report.status == "failed" and "fonts missing" in report.error and not report.file


def test_running_a_report_twice_renders_it_once(world, monkeypatch):
    report = _report()
    assert reports.monthly_report_run(report.pk).status == "done"
    monkeypatch.setattr(reports, "report_pdf", lambda r: pytest.fail("rendered twice"))
    assert reports.monthly_report_run(report.pk) is None  # already done: the claim changes no row
    assert reports.monthly_report_run(report.pk + 1000) is None  # gone


# --- The monthly job -----------------------------------------------------------------------------------------------


def test_the_beat_entry_runs_on_the_first_of_each_month_at_six():
    entry = django_settings.CELERY_BEAT_SCHEDULE["dashboards-monthly-report"]
    assert entry["task"] == "dashboards.monthly_report"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {6} and schedule.minute == {0}


def test_the_monthly_job_makes_the_previous_months_report_once(world, django_capture_on_commit_callbacks,
                                                                eager_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.monthly_report.delay("2026-11-01").get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.monthly_report.delay("2026-11-01").get()
    assert second is None
    report = MonthlyReport.objects.get()
    assert report.pk == first
    assert (report.period_start, report.period_end, report.language) == (*OCTOBER, "ca")
    assert report.status == "done" and report.requested_by is None
    _, text = _read(report.file.read())
    assert "12,0" in text  # October's training hours, in Catalan


def test_the_previous_month_across_a_year_and_in_february():
    assert reports.previous_month(dt.date(2027, 1, 1)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert reports.previous_month(dt.date(2028, 3, 1)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_the_clo_asks_for_a_report_and_downloads_it(clo_client, clo_user, world, queued,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = clo_client.post(URL, {"period_start": "2026-10-01", "period_end": "2026-10-31",
                                         "language": "en"}, **EN)
    assert response.status_code == 302 and response.url == URL
    report = MonthlyReport.objects.get()
    assert (report.requested_by, report.status, queued) == (clo_user, "pending", [report.pk])
    pending = clo_client.get(URL, **EN, **HX).content.decode()
    assert "<html" not in pending and 'hx-trigger="every 3s"' in pending and "Pending" in pending
    assert "Download the PDF" not in pending
    reports.monthly_report_run(report.pk)
    done = clo_client.get(URL, **EN, **HX).content.decode()
    assert "hx-trigger" not in done and "Done" in done  # polling stops
    download = clo_client.get(reverse("dashboard_report_download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="monthly-report-2026-10-01-2026-10-31.pdf"' in download["Content-Disposition"]  # its language
    _, text = _read(b"".join(download.streaming_content))
    assert "Training hours 12.0" in text


def test_asking_again_for_a_period_regenerates_its_report(clo_client, world, queued,
                                                         django_capture_on_commit_callbacks):
    done = reports.monthly_report_run(_report().pk)
    data = {"period_start": "2026-10-01", "period_end": "2026-10-31", "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        clo_client.post(URL, data, **EN)
    with django_capture_on_commit_callbacks(execute=True):
        clo_client.post(URL, data, **EN)  # still pending: nothing more queued
    assert MonthlyReport.objects.get().status == "pending"
    assert queued == [done.pk]


def test_a_report_whose_worker_was_lost_is_generated_again_when_asked_for(clo_client, queued, settings,
                                                                         django_capture_on_commit_callbacks):
    limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    data = {"period_start": "2026-10-01", "period_end": "2026-10-31", "language": "en"}
    report = _report(status="running", started_at=timezone.now() - limit / 2)
    with django_capture_on_commit_callbacks(execute=True):
        clo_client.post(URL, data, **EN)
    assert (MonthlyReport.objects.get().status, queued) == ("running", [])  # being generated: left alone
    MonthlyReport.objects.filter(pk=report.pk).update(started_at=timezone.now() - limit - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        clo_client.post(URL, data, **EN)
    assert (MonthlyReport.objects.get().status, queued) == ("pending", [report.pk])  # its worker was killed


@pytest.mark.django_db(transaction=True)  # the report is queued on commit: a real commit, as in production
def test_with_the_queue_down_a_report_is_marked_failed_and_can_be_asked_for_again(clo_client, english, broker_refused):
    data = {"period_start": "2026-10-01", "period_end": "2026-10-31", "language": "en"}
    response = clo_client.post(URL, data, follow=True, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "the task queue is not available" in page and "The report is being generated" not in page
    report = MonthlyReport.objects.get()
    assert (report.status, report.error) == ("failed", NOT_QUEUED)  # not left pending for a task never queued
    assert "Ask for it again" in page and "A report is being generated" not in page

    response = clo_client.post(URL, data, follow=True, **EN)  # not "left alone while being generated": tried again
    assert "the task queue is not available" in response.content.decode()
    assert MonthlyReport.objects.get().status == "failed"


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_monthly_job_leaves_a_failed_report_that_can_be_asked_for_again(
    clo_user, broker_refused, monkeypatch
):
    with pytest.raises(QueueUnavailable):
        reports.monthly_report_for_month(today=dt.date(2026, 11, 1))
    report = MonthlyReport.objects.get()
    assert (report.period_start, report.status) == (dt.date(2026, 10, 1), "failed")

    queued: list[int] = []  # the broker is back
    monkeypatch.setattr(tasks.monthly_report_run, "delay", queued.append)
    again = reports.monthly_report_request(period_start=report.period_start, period_end=report.period_end,
                                           language=report.language, requested_by=clo_user)
    assert (again.pk, again.status, queued) == (report.pk, "pending", [report.pk])


def test_the_list_shows_the_reports_and_who_asked(clo_client, clo_user, world):
    _report(status="done", file="reports/monthly/x.pdf", requested_by=clo_user)
    _report(period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)), status="failed", error="boom")
    html = clo_client.get(URL, **EN).content.decode()
    assert "Monthly reports" in html and 'aria-current="page"' in html
    assert "Monthly job" in html and "Failed" in html and "Ask for it again" in html
    assert html.count("Download the PDF") == 1
    assert "hx-trigger" not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period_start": "2026-10-31", "period_end": "2026-10-01"}, "period_end",
         "The last day must not be before the first day."),
        ({"period_start": "2999-01-01", "period_end": "2999-01-31"}, "period_start",
         "The period must not start in the future."),
        ({"period_start": "2024-01-01", "period_end": "2025-06-30"}, "period_end", "A report covers at most one year."),
        ({"period_start": "not a date", "period_end": "2026-10-31"}, "period_start", "Enter a valid date."),
        ({"period_start": "", "period_end": "2026-10-31"}, "period_start", "This field is required."),
    ],
)
def test_a_bad_period_is_answered_next_to_the_field(clo_client, world, data, field, message):
    response = clo_client.post(URL, {**data, "language": "en"}, **EN, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="report-form"' in html
    assert f'<small id="id_{field}-error" class="field-errors">{message}</small>' in html
    assert f'aria-describedby="id_{field}-error"' in html and 'aria-invalid="true"' in html
    full = clo_client.post(URL, {**data, "language": "en"}, **EN)
    assert full.status_code == 422 and "<html" in full.content.decode() and message in full.content.decode()
    assert not MonthlyReport.objects.exists()


def test_the_form_offers_the_previous_month(clo_client, world):
    start, end = reports.previous_month(timezone.localdate())
    html = clo_client.get(URL, **EN).content.decode()
    assert f'value="{start:%Y-%m-%d}"' in html and f'value="{end:%Y-%m-%d}"' in html


@pytest.mark.parametrize("persona", ["hr_client", "director_a_client", "employee_a_client", "outsider_client"])
def test_only_the_learning_office_reaches_the_reports(request, persona, clo_user, world):
    client = request.getfixturevalue(persona)
    report = _report(status="done", file="reports/monthly/x.pdf")
    download = reverse("dashboard_report_download", args=[report.pk])
    for headers in ({}, HX):
        assert client.get(URL, **EN, **headers).status_code == 404
        assert client.post(URL, {"period_start": "2026-10-01", "period_end": "2026-10-31", "language": "en"},
                           **EN, **headers).status_code == 404
        assert client.get(download, **headers).status_code == 404
        assert client.post(download, **headers).status_code in (404, 405)
    assert MonthlyReport.objects.count() == 1
    assert "Monthly reports" not in client.get("/", **EN).content.decode()


def test_anonymous_people_are_sent_to_log_in(client, world):
    report = _report(status="done", file="reports/monthly/x.pdf")
    for url in (URL, reverse("dashboard_report_download", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(f"{reverse('login')}?next=")


def test_a_report_not_done_cannot_be_downloaded(clo_client, world):
    report = _report()
    assert clo_client.get(reverse("dashboard_report_download", args=[report.pk])).status_code == 404


def test_the_list_costs_the_same_with_more_reports(clo_client, clo_user, world, django_assert_max_num_queries):
    def add(months):
        for month in months:
            start = dt.date(2020 + month // 12, month % 12 + 1, 1)
            _report(period=(start, start + dt.timedelta(days=27)), status="done", requested_by=clo_user,
                    file=f"reports/monthly/{month}.pdf")

    add(range(2))
    with django_assert_max_num_queries(12) as small:
        assert clo_client.get(URL, **EN).status_code == 200
    add(range(2, 40))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        page = clo_client.get(URL, **EN).content.decode()
    assert page.count("Download the PDF") == 40
    assert len(large.captured_queries) == len(small.captured_queries)
