"""The imports pages: HR and the learning office only; upload → preview → confirm; templates; escaping."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clo.core.imports import services
from clo.core.imports.models import ImportJob
from clo.people.models import OrgUnit
from tests.imports.helpers import UNIT_HEADER, csv_bytes

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job(media, org):
    return services.import_job_create(kind="units", data=csv_bytes(UNIT_HEADER, [["X", "X", "", "A"]]),
                                      original_name="u.csv")


def _urls(job) -> list[str]:
    return [reverse("imports:index"), reverse("imports:job", args=[job.pk]), reverse("imports:confirm", args=[job.pk]),
            reverse("imports:template", args=["employees", "csv"]), reverse("imports:template", args=["units", "xlsx"])]


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_everyone_but_hr_and_the_learning_office_gets_404_everywhere(request, persona, job):
    client = request.getfixturevalue(persona)
    for url in _urls(job):
        for headers in ({}, HX):
            assert client.get(url, **headers).status_code == 404, url
            assert client.post(url, **headers).status_code in (404, 405), url
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.PREVIEWED  # the POSTs confirmed nothing


def test_anonymous_is_sent_to_log_in(client, job):
    for url in _urls(job):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("persona", ["hr_client", "clo_client"])
def test_hr_and_the_learning_office_see_the_page_and_the_templates(request, persona, english):
    client = request.getfixturevalue(persona)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    assert "Historic training records" in page.content.decode()
    download = client.get(reverse("imports:template", args=["employees", "csv"]))
    assert download["Content-Disposition"] == 'attachment; filename="clo-employees.csv"'
    assert b"employee_number;first_name" in download.content
    xlsx = client.get(reverse("imports:template", args=["programs", "xlsx"]))
    assert xlsx.content[:4] == b"PK\x03\x04"
    assert client.get(reverse("imports:template", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("imports:template", args=["units", "pdf"])).status_code == 404


def test_upload_preview_confirm_and_imported_text_is_escaped(hr_client, media, english):
    data = csv_bytes(UNIT_HEADER, [["XSS", "<script>alert(1)</script>", "", "A"], ["BAD", "Bad", "", "<b>NOPE</b>"]])
    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "file": SimpleUploadedFile("unitats.csv", data, content_type="text/csv")})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = hr_client.get(response["Location"]).content.decode()
    assert "Rows in error" in page and "Unknown unit code “&lt;b&gt;NOPE&lt;/b&gt;”." in page
    assert "<b>NOPE</b>" not in page
    assert "Confirm the import" not in page  # not while a row is in error
    hr_client.post(reverse("imports:confirm", args=[job.pk]))
    assert not OrgUnit.objects.filter(code="XSS").exists()

    good = csv_bytes(UNIT_HEADER, [["XSS", "<script>alert(1)</script>", "", "A"]])
    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "file": SimpleUploadedFile("unitats.csv", good, content_type="text/csv")})
    page = hr_client.get(response["Location"]).content.decode()
    assert 'id="count-create">1<' in page and "Confirm the import" in page
    job = ImportJob.objects.latest("pk")
    response = hr_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "Imported" in response.content.decode()
    assert OrgUnit.objects.get(code="XSS").name == "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in hr_client.get(reverse("imports:index")).content.decode()


def test_a_file_of_the_wrong_type_is_refused_next_to_the_field(hr_client, media, english):
    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "file": SimpleUploadedFile("unitats.pdf", b"%PDF-1.7 ...", content_type="application/pdf")})
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
    assert "This type of file is not accepted." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_htmx_polling_gets_only_the_status_partial(hr_client, job, english):
    response = hr_client.get(reverse("imports:job", args=[job.pk]), **HX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="job-status"') and "<html" not in content
    assert "Ready to import" in content


def test_a_running_job_polls_and_offers_a_refresh_link_without_javascript(hr_client, job, english):
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, total=10, processed=4)
    content = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in content and "4 of 10 rows" in content
    assert f'href="{reverse("imports:job", args=[job.pk])}">Refresh</a>' in content


@pytest.fixture
def broker_down(monkeypatch):
    """A broker that refuses every task (Redis stopped)."""
    from celery import current_app

    from clo.core.imports import tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    for task in (tasks.import_job_preview, tasks.import_job_run):
        monkeypatch.setattr(task, "delay", refuse)
    yield
    current_app.conf.task_always_eager = saved


@pytest.mark.django_db(transaction=True)  # the task is queued on commit: a real commit, as in production
def test_with_the_queue_down_a_large_file_is_refused_with_a_message(hr_client, media, org, settings, broker_down,
                                                                   english):
    settings.CLO_IMPORTS_INLINE_ROWS = 1
    data = csv_bytes(UNIT_HEADER, [["X1", "X1", "", "A"], ["X2", "X2", "", "A"], ["X3", "X3", "", "A"]])
    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "file": SimpleUploadedFile("u.csv", data, content_type="text/csv")}, follow=True)
    assert "the task queue is not available" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED  # not left "waiting" for a task that was never queued
    assert job.failure_display().startswith("The file could not be checked: the task queue is not available.")


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_a_confirmation_can_be_tried_again(hr_client, media, org, settings, broker_down, english):
    settings.CLO_IMPORTS_INLINE_ROWS = 1
    job = ImportJob.objects.create(kind="units", original_name="u.csv", total=3, processed=3,
                                   status=ImportJob.Status.PREVIEWED, file="imports/u.csv")
    response = hr_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "the task queue is not available" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.can_confirm
