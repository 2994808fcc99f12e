"""The training record (expedient formatiu): a tagged PDF in the person's language with the accredited training by
year, the certificates and the competencies certified; the employee downloads their own, HR anyone's, a director
their subtree's (another unit's: 404); every download is logged as a read of personal data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from clo.careers.selectors.record import record_context
from clo.core.models import PersonalDataRead
from programs.models import Enrolment
from programs.selectors.delivery import training_by_year
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(employee_a):
    writing = f.CompetencyFactory(code="WRI", name="Redacció administrativa")
    program = f.ProgramFactory(code="P-RED", title="Redacció clara", hours=Decimal("20"))
    f.ProgramCompetencyFactory(program=program, competency=writing, level_reached=3)
    started = timezone.now() - dt.timedelta(days=100)
    session = f.SessionFactory(program=program, starts_at=started, ends_at=started + dt.timedelta(hours=4))
    f.EnrolmentFactory(session=session, employee=employee_a, status=Enrolment.Status.COMPLETED,
                       hours_attended=Decimal("20"), completed_on=timezone.localdate() - dt.timedelta(days=99))
    return employee_a


def _text(content: bytes) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages), reader


def test_the_employee_downloads_their_own_record_in_their_language(client, trained):
    login(client, trained.user)
    response = client.get(reverse("careers:my_record"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "expedient-formatiu" in response["Content-Disposition"]
    text, reader = _text(response.content)
    assert "Expedient formatiu" in text and "Redacció clara" in text and "Redacció administrativa" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "ca"
    assert PersonalDataRead.objects.filter(what="training_record", person_id=trained.pk).count() == 1


def test_in_spanish_for_a_spanish_speaker_read_by_hr(client, trained, hr_user):
    trained.language = "es"
    trained.save(update_fields=["language"])
    login(client, hr_user)
    response = client.get(reverse("careers:record_pdf", args=[trained.pk]))
    text, reader = _text(response.content)
    assert "Expediente formativo" in text and reader.trailer["/Root"]["/Lang"] == "es"


def test_the_record_and_the_training_page_count_the_same(trained):
    context = record_context(trained)
    years = training_by_year(trained.pk)
    assert context["years"] == years
    assert context["total_hours"] == Decimal("20") and context["total_credits"] == Decimal("2.0")
    assert [c["level"] for c in context["competencies"]] == [3]


def test_scope(client, trained, director_a, director_b, employee_b):
    url = reverse("careers:record_pdf", args=[trained.pk])
    for user, status in ((director_b.user, 404), (employee_b.user, 404), (director_a.user, 200)):
        login(client, user)
        assert client.get(url).status_code == status
        assert client.post(url).status_code in (404, 405)


def test_hr_renders_a_units_records_in_one_zip_job(client, english, trained, org, hr_user, employee_b, settings,
                                                   tmp_path, eager_tasks, django_capture_on_commit_callbacks):
    import zipfile

    from clo.careers.models import RecordPdfJob
    from clo.careers.services.record import record_pdf_job_run

    settings.MEDIA_ROOT = tmp_path
    login(client, hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("careers:record_jobs"), {"unit": org.unit_a.pk})
    job = RecordPdfJob.objects.get()
    assert response["Location"] == reverse("careers:record_job", args=[job.pk])
    assert (job.status, job.total, job.done_count, job.failures) == ("done", 2, 2, [])  # director A and Pere
    assert record_pdf_job_run(job.pk) is None  # safe to run twice: the second claim takes nothing
    page = client.get(reverse("careers:record_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "2 of 2 records" in page and "<html" not in page
    download = client.get(reverse("careers:record_job_download", args=[job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len(names) == 2 and all(n.startswith("a1/") or n.startswith("a/") for n in names)
    assert any("soler-camps-pere" in n for n in names)
    assert PersonalDataRead.objects.filter(what="training_records").get().subject_count == 2


def test_a_running_records_job_shows_the_chunks_its_workers_have_done(client, english, org, hr_user):
    from clo.careers.models import RecordPdfJob
    from clo.core.models import BulkChunk

    job = RecordPdfJob.objects.create(unit=org.unit_a, status="running", started_at=timezone.now(), total=60,
                                      done_count=27)
    BulkChunk.objects.bulk_create(
        BulkChunk(kind="careers.recordpdfjob", job_id=job.pk, number=n, first_pk=10 * n + 1, last_pk=10 * n + 9,
                  size=25, status=status)
        for n, status in enumerate(["done", "running", "pending"])
    )
    login(client, hr_user)
    page = client.get(reverse("careers:record_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "27 of 60 records" in page and "1 of 3 parts done" in page and 'hx-trigger="every 1s"' in page


def test_bulk_records_are_hr_and_learning_office_only(client, director_a, employee_a):
    for user in (director_a.user, employee_a.user):
        login(client, user)
        assert client.get(reverse("careers:record_jobs")).status_code == 404
        assert client.post(reverse("careers:record_jobs"), {}).status_code == 404
