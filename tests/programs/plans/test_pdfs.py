"""Learning plan PDFs: the content a person reads on paper, the chart, and the bulk job (status machine, zip,
progress, failures listed, safe to run twice)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from contextlib import contextmanager

import pypdf
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from clo.core.charts import level_bars
from competencies.models import LevelResource
from programs.models import PlanPdfJob
from programs.services import learning_plans as services
from programs.services.learning_plans import pdfs as plan_pdfs
from programs.selectors.learning_plans import plan_for_page
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(plan_world, employee_a):
    return services.learning_plan_generate(employee_id=employee_a.pk, year=plan_world.year)


def _text(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_person_the_gaps_the_actions_and_the_signatures(plan, hr_user, employee_a):
    employee_a.language = "en"
    employee_a.save()
    reader, text = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    assert "Pere Soler Camps" in text
    assert employee_a.position.title in text and "Servei d'Educació" in text
    assert "Clear administrative writing" in text and "Data protection in the council" in text
    assert "Current and required levels" in text  # the chart's legend and the table's caption
    assert "Signatures" in text and "Ajuntament de Vilamar" in text
    assert "1 / " in text  # page numbers
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root  # tagged, in the person's language
    assert reader.metadata.title == f"Learning plan {plan.period_start:%Y} · Pere Soler Camps"


def test_the_pdf_prints_the_resources_of_the_levels_each_gap_must_climb(plan, plan_world, hr_user, employee_a):
    """The page lists the resources per gap; the paper does too: the link's address written out, a document named
    as being on the competency's page. A resource of a level already reached is not printed."""
    writing = plan_world.writing  # level 1, 3 required
    LevelResource.objects.create(competency=writing, level=2, title="Plain letters guide", url="https://example.cat/guia")
    LevelResource.objects.create(competency=writing, level=3, title="Checklist for notices",
                                 file="competency-resources/checklist.txt")
    LevelResource.objects.create(competency=writing, level=1, title="First steps", url="https://example.cat/1")
    _reader, text = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    section = text[text.index("Recursos per a les bretxes"):]
    assert "Plain letters guide" in section and "https://example.cat/guia" in section
    assert "Checklist for notices" in section and "Un document a la pàgina de la competència" in section
    assert "First steps" not in text


def test_the_pdf_is_in_the_persons_language_catalan_by_default(plan, hr_user, employee_a):
    reader, _ = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    assert reader.trailer["/Root"]["/Lang"] == "ca"
    employee_a.language = "es"
    employee_a.save()
    reader, _ = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    assert reader.trailer["/Root"]["/Lang"] == "es"


def _chart(rows, **kwargs):
    return level_bars(rows, title="Levels", current_label="Current", required_label="Required",
                      not_assessed_label="Not assessed", axis_label="Levels from 0 to %(maximum)s", **kwargs)


def _widths(svg: str, kind: str) -> list[float]:
    return [float(w) for w in re.findall(rf'class="{kind}" x="[^"]*" y="[^"]*" width="([^"]*)"', svg)]


def test_the_chart_draws_current_and_required_levels_with_their_values_as_text():
    svg = _chart([("Writing <b>", 1, 3, 4), ("Privacy", 0, 2, 4)], width=400)
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>Levels</title>" in svg and "<desc>" in svg
    assert "1 / 4" in svg and "3 / 4" in svg and "0 / 4" in svg and "2 / 4" in svg  # level / top of its scale
    assert "Levels from 0 to 4" in svg  # the axis, written
    assert "Writing &lt;b&gt;" in svg  # labels are escaped
    assert "style=" not in svg  # presentation attributes only (strict CSP)


def test_the_chart_draws_every_competency_on_one_scale_of_levels():
    svg = _chart([("Four-level scale", 2, 4, 4), ("Three-level scale", 2, 3, 3), ("Zero of four", 0, 4, 4),
                  ("Zero of three", 0, 3, 3)])
    current, required, tracks = _widths(svg, "bar-current"), _widths(svg, "bar-required"), _widths(svg, "track")
    assert current[0] == current[1] > 0  # level 2 is as long on a 4-level scale as on a 3-level one
    assert current[2] == current[3] == 0
    assert required[0] == pytest.approx(2 * current[0], abs=0.2)  # lengths proportional to the level
    assert required[1] == pytest.approx(1.5 * current[1], abs=0.2)
    assert required[2] > required[3]  # required 4 of 4 is longer than 3 of 3
    assert tracks[0] == required[0] and tracks[1] == required[1]  # each scale drawn up to its own top
    assert "2 / 4" in svg and "2 / 3" in svg and "0 / 3" in svg


def test_the_chart_marks_a_competency_never_assessed_and_writes_labels_whole():
    name = "Protecció de dades personals i seguretat de la informació en l'administració electrònica municipal"
    svg = _chart([(name, None, 3, 4), ("Writing", 0, 2, 4)], width=300)
    assert len(_widths(svg, "bar-not-assessed")) == 1 and len(_widths(svg, "bar-current")) == 1
    assert "Not assessed" in svg
    lines = re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg)
    assert len(lines) > 2  # wrapped, not cut
    assert " ".join(lines[:-1]) == html.escape(name)  # every word, in order
    assert "…" not in svg


def test_the_pdf_writes_the_scale_marks_not_assessed_and_shows_every_heading_once(plan_world, hr_user,
                                                                                   employee_a):
    employee_a.language = "en"
    employee_a.save()
    long_name = "Protection of personal data and information security in the council's electronic administration"
    plan_world.privacy.name = long_name
    plan_world.privacy.save(update_fields=["name"])
    plan = services.learning_plan_generate(employee_id=employee_a.pk, year=plan_world.year)
    _, text = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    flat = " ".join(text.split())
    assert "Levels from 0 to 4" in flat
    assert "1 / 4" in flat and "3 / 4" in flat  # writing: current 1 of 4, required 3 of 4
    assert "Not assessed" in flat  # privacy was never assessed
    assert flat.count(long_name) == 3  # whole in the chart, in the gaps table and in the actions table
    assert flat.count("Planned actions") == 1


def _job(**kwargs) -> PlanPdfJob:
    return PlanPdfJob.objects.create(as_of=kwargs.pop("as_of", timezone.localdate()), **kwargs)


def _people_with_plans(org, position, n, *, unit=None):
    today = timezone.localdate()
    people = []
    for _ in range(n):
        person = f.EmployeeFactory(unit=unit or org.unit_a1, position=position)
        services.learning_plans_generate(employee_ids=[person.pk], period_start=today - dt.timedelta(days=30),
                                         period_end=today + dt.timedelta(days=300))
        people.append(person)
    return people


def test_a_bulk_job_renders_the_unit_subtree_into_a_zip(plan_world, org, employee_a, employee_b):
    _people_with_plans(org, employee_a.position, 2)
    _people_with_plans(org, employee_a.position, 1, unit=org.unit_b1)  # not in unit A
    job = _job(unit=org.unit_a)
    done = plan_pdfs.plan_pdf_job_run(job.pk)
    assert (done.status, done.total, done.done_count, done.percent, done.failures) == ("done", 2, 2, 100, [])
    assert done.file.name == plan_pdfs.job_zip_name(done)
    with default_storage.open(done.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert len(names) == 2 and all(n.startswith(f"{org.unit_a1.code.lower()}/") for n in names)
        _, text = _text(archive.read(names[0]))
        assert "Clear administrative writing" in text


@contextmanager
def _worker_on(job):
    """Another worker renders ``job``: on PostgreSQL it holds the job's lock (on SQLite a fresh start is enough)."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        yield
        return
    other = connections.create_connection("default")
    key = [plan_pdfs.JOB_LOCK_CLASS, job.pk]
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
        yield
    finally:
        with other.cursor() as cursor:  # a pooled connection must not go back to the pool holding it
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        other.close()


def test_a_job_runs_once_even_if_queued_twice(plan_world, org, employee_a):
    _people_with_plans(org, employee_a.position, 1)
    job = _job()
    assert plan_pdfs.plan_pdf_job_run(job.pk).status == "done"
    assert plan_pdfs.plan_pdf_job_run(job.pk) is None  # the second delivery finds nothing to claim
    running = _job(status="running", started_at=timezone.now())
    with _worker_on(running):
        assert plan_pdfs.plan_pdf_job_run(running.pk) is None  # someone else is on it
    assert plan_pdfs.plan_pdf_job_run(999_999) is None  # gone


def test_a_job_whose_worker_was_lost_is_claimed_again(plan_world, org, employee_a):
    _people_with_plans(org, employee_a.position, 1)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    job = _job(status="running", started_at=long_ago, done_count=0, total=1)
    assert plan_pdfs.plan_pdf_job_run(job.pk).status == "done"


def test_a_job_in_chunks_renders_each_plan_once_and_tidies_its_chunks(plan_world, org, employee_a, settings):
    from clo.core.models import BulkChunk

    settings.BULK_PDF_CHUNK = 2
    people = _people_with_plans(org, employee_a.position, 5)
    done = plan_pdfs.plan_pdf_job_run(_job(unit=org.unit_a).pk)
    assert (done.status, done.total, done.done_count, done.failures) == ("done", 5, 5, [])
    with default_storage.open(done.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 5 and all(p.last_name.lower().split()[0] in " ".join(names) for p in people)
    assert not BulkChunk.objects.exists()


def test_a_chunk_left_running_by_a_lost_worker_is_put_back_and_rendered_again(plan_world, org, employee_a, settings,
                                                                              monkeypatch):
    from clo.core import bulk_pdf
    from clo.core.models import BulkChunk
    from programs import tasks

    settings.BULK_PDF_CHUNK = 1
    _people_with_plans(org, employee_a.position, 3)
    job = _job(unit=org.unit_a)
    assert PlanPdfJob.claim(job.pk)
    bulk_pdf._plan(plan_pdfs.BULK, job)
    spec = plan_pdfs.BULK
    first = bulk_pdf._claim_chunk(spec, job.pk)  # a worker renders the first chunk …
    bulk_pdf._render_chunk(spec, job, first, None)
    bulk_pdf._unlock(bulk_pdf.CHUNK_LOCK_CLASS, first.pk)
    second = bulk_pdf._claim_chunk(spec, job.pk)  # … and dies in the second, after one plan: its lock goes with it
    bulk_pdf._unlock(bulk_pdf.CHUNK_LOCK_CLASS, second.pk)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    BulkChunk.objects.filter(pk=second.pk).update(done_count=1, claimed_at=long_ago)
    PlanPdfJob.objects.filter(pk=job.pk).update(done_count=2, started_at=long_ago)
    queued = []
    monkeypatch.setattr(tasks.plan_pdf_job_run, "delay", queued.append)

    assert plan_pdfs.plan_pdf_jobs_resume_lost() == [job.pk] and queued == [job.pk]
    second.refresh_from_db()
    job.refresh_from_db()
    assert (second.status, second.done_count, job.done_count) == ("pending", 0, 1)  # its count is taken off
    done = plan_pdfs.plan_pdf_job_run(job.pk)
    assert (done.status, done.total, done.done_count) == ("done", 3, 3)
    with default_storage.open(done.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 3  # each plan once


def test_a_plan_that_fails_is_listed_and_the_others_are_rendered(plan_world, org, employee_a, monkeypatch):
    people = _people_with_plans(org, employee_a.position, 3)
    render = plan_pdfs.learning_plan_pdf

    def flaky(plan, **kwargs):
        if plan.employee_id == people[1].pk:
            raise RuntimeError("font missing")
        return render(plan, **kwargs)

    monkeypatch.setattr(plan_pdfs, "learning_plan_pdf", flaky)
    done = plan_pdfs.plan_pdf_job_run(_job().pk)
    assert (done.status, done.total, done.done_count) == ("done", 3, 3)
    assert done.failures == [{"plan": people[1].learning_plans.get().pk, "employee": people[1].full_name,
                              "error": "font missing"}]
    with default_storage.open(done.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == 2


def test_a_job_that_cannot_store_its_zip_fails_and_says_so(plan_world, org, employee_a, monkeypatch):
    _people_with_plans(org, employee_a.position, 1)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(default_storage, "save", broken)
    done = plan_pdfs.plan_pdf_job_run(_job().pk)
    assert done.status == "failed" and "disk full" in done.error and not done.file


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_hr_asks_for_a_job_and_follows_its_progress(hr_client, hr_user, plan, org, django_capture_on_commit_callbacks,
                                                    monkeypatch):
    queued = []
    from programs import tasks

    monkeypatch.setattr(tasks.plan_pdf_job_run, "delay", lambda job_id: queued.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("programs:pdf_jobs"), {"unit": org.unit_a.pk,
                                                                   "as_of": timezone.localdate().isoformat()})
    job = PlanPdfJob.objects.get()
    assert (job.unit, job.requested_by, job.status) == (org.unit_a, hr_user, "pending")
    assert queued == [job.pk]
    assert response.status_code == 302 and response.url == reverse("programs:pdf_job_detail", args=[job.pk])
    url = reverse("programs:pdf_job_detail", args=[job.pk])
    pending = hr_client.get(url, **HTMX).content.decode()
    assert "<html" not in pending and 'hx-trigger="every 1s"' in pending and "0 of 0 plans" in pending
    plan_pdfs.plan_pdf_job_run(job.pk)
    finished = hr_client.get(url, **HTMX).content.decode()
    assert "1 of 1 plans" in finished and "(100 %)" in finished and "hx-trigger" not in finished  # polling stops
    download = hr_client.get(reverse("programs:pdf_job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert len(archive.namelist()) == 1


def test_a_bad_date_is_answered_at_the_field(hr_client):
    response = hr_client.post(reverse("programs:pdf_jobs"), {"as_of": "not a date"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a valid date." in html and 'aria-describedby="id_as_of_error"' in html
    assert not PlanPdfJob.objects.exists()


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client", "clo_client"])
def test_only_hr_runs_bulk_jobs(request, persona, org):
    client = request.getfixturevalue(persona)
    job = _job(unit=org.unit_a)
    for htmx in ({}, HTMX):
        assert client.get(reverse("programs:pdf_jobs"), **htmx).status_code == 404
        assert client.post(reverse("programs:pdf_jobs"), {"as_of": "2026-01-01"}, **htmx).status_code == 404
        assert client.get(reverse("programs:pdf_job_detail", args=[job.pk]), **htmx).status_code == 404
        assert client.get(reverse("programs:pdf_job_download", args=[job.pk]), **htmx).status_code == 404
        assert client.post(reverse("programs:plans_generate_units"), {"year": 2026}, **htmx).status_code == 404
    assert PlanPdfJob.objects.count() == 1


@pytest.mark.parametrize("jobs", [1, 15])
def test_job_list_queries_do_not_grow(hr_client, org, jobs, django_assert_max_num_queries):
    for _ in range(jobs):
        _job(unit=org.unit_a)
    with django_assert_max_num_queries(12):
        response = hr_client.get(reverse("programs:pdf_jobs"))
    assert response.status_code == 200 and response.content.decode().count("Àrea de Serveis a les Persones") >= jobs


def test_hr_queues_the_generation_of_a_unit(hr_client, org, plan_world, employee_a, django_capture_on_commit_callbacks,
                                             monkeypatch):
    from programs import tasks

    monkeypatch.setattr(tasks.learning_plans_generate_for_units, "delay",
                        lambda **kw: tasks.learning_plans_generate_for_units.run(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("programs:plans_generate_units"), {"unit": org.unit_a.pk, "year": 2032})
    assert response.status_code == 302
    assert employee_a.learning_plans.get(period_start=dt.date(2032, 1, 1)).items.count() == 2
