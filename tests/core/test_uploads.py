"""Uploads: a size limit, the type checked by content, no path tricks in names; on the need attachment, each refusal
comes back next to the field, in the person's language."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from clo.core.uploads import display_name, safe_name, stored_name, validate_upload
from programs.models import NeedsCampaign, TrainingNeed
from tests import factories as f

MB = 1024 * 1024


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def package(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def refusal(file, kinds, max_bytes=MB) -> str:
    with pytest.raises(ValidationError) as error:
        validate_upload(file, kinds=kinds, max_bytes=max_bytes)
    return error.value.code


# --- validate_upload -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("report.pdf", b"%PDF-1.7\n%%EOF\n", "pdf"),
    ("photo.JPG", b"\xff\xd8\xff\xe0rest", "jpeg"),
    ("people.csv", "número;nom\n1;Núria\n".encode("cp1252"), "csv"),
    ("people.xlsx", xlsx(), "xlsx"),
    ("letter.docx", package({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
    ("minutes.odt", package({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt"),
])
def test_files_whose_content_matches_their_type_are_accepted(name, content, kind):
    assert validate_upload(upload(name, content), kinds={"pdf", "jpeg", "csv", "xlsx", "docx", "odt"},
                           max_bytes=MB) == kind


@pytest.mark.parametrize(("name", "content"), [
    ("invoice.pdf", b"MZ\x90\x00 a Windows program"),  # a program renamed
    ("people.xlsx", package({"word/document.xml": b"<w/>"})),  # a Word package renamed
    ("people.xlsx", b"PK\x03\x04 but not a zip at all"),
    ("people.csv", b"%PDF-1.7 a PDF renamed"),
    ("minutes.odt", package({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
])
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    assert refusal(upload(name, content), {"pdf", "xlsx", "txt", "csv", "odt"}) == "file_content"


@pytest.mark.parametrize(("name", "content"), [
    ("notes.txt", b"text\x00with a NUL byte"),
    ("people.csv", b"a;b\n" + b"1;Laia\n" * 1000 + b"2;N\x00ria\n"),  # past the first 4 KB
    ("people.csv", b"a;b\n" + b"1;Laia\n" * 100_000 + b"\x00"),  # the very last byte of 700 KB
])
def test_a_text_file_with_a_nul_byte_anywhere_is_refused_with_its_own_message(name, content, english):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content), kinds={"txt", "csv"}, max_bytes=MB)
    assert error.value.error_list[0].code == "file_nul"
    extension = name.rpartition(".")[2]
    assert error.value.messages == [f"The file contains a NUL byte, which a text file cannot hold: save it again as "
                                    f".{extension} from your program."]


def test_type_size_and_emptiness_are_refused_with_their_own_message(english):
    assert refusal(upload("run.exe", b"MZ"), {"pdf"}) == "file_type"
    assert refusal(upload("noextension", b"%PDF-"), {"pdf"}) == "file_type"
    assert refusal(upload("people.csv", b"a;b\n"), {"xlsx"}) == "file_type"
    assert refusal(upload("big.pdf", b"%PDF-" + b"0" * MB), {"pdf"}) == "file_size"
    assert refusal(upload("empty.pdf", b""), {"pdf"}) == "file_empty"
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("big.pdf", b"%PDF-" + b"0" * (3 * MB)), kinds={"pdf"}, max_bytes=2 * MB)
    assert error.value.messages == ["The file is 3.0 MB; the limit is 2 MB."]
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("run.exe", b"MZ"), kinds={"csv", "xlsx"}, max_bytes=MB)
    assert error.value.messages == ["This type of file is not accepted. Accepted types: .csv, .xlsx."]
    with pytest.raises(ValueError):
        validate_upload(upload("a.pdf", b"%PDF-"), kinds={"exe"}, max_bytes=MB)


# --- names -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system.ini", "system.ini"),
    ("C:\\Documents\\Pla de formació 2026.PDF", "Pla_de_formació_2026.pdf"),
    ("/absolute/path/report.pdf", "report.pdf"),
    ("..", "file"),
    ("", "file"),
    (".htaccess", "htaccess"),
    ("report.pdf\x00.exe", "report.pdf.exe"),
    ("a<b>c:d|e?.pdf", "abcde.pdf"),
    ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
])
def test_safe_name_keeps_one_plain_component(name, safe):
    assert safe_name(name) == safe
    assert "/" not in safe_name(name) and "\\" not in safe_name(name)


def test_stored_names_are_fresh_and_give_the_name_back_for_downloads():
    first, second = stored_name("../Pla 2026.pdf"), stored_name("../Pla 2026.pdf")
    assert first != second and re.fullmatch(r"[0-9a-f]{16}-Pla_2026\.pdf", first)
    assert display_name(f"needs/2026/{first}") == "Pla_2026.pdf"
    assert len(stored_name("y" * 300 + ".docx")) <= 17 + 60 + 5


# --- the need attachment -----------------------------------------------------------------------------------------------


@pytest.fixture
def need_form(db, org, clo_user, director_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=3),
                                 deadline=today + dt.timedelta(days=20), opened_by=clo_user)
    competency = f.CompetencyFactory(code="ADM1", name="Administrative writing")
    data = {"unit": org.unit_a1.pk, "title": "Plain language", "competencies": [competency.pk],
            "estimated_participants": 5, "priority": "high", "justification": "Letters are unclear."}
    return reverse("programs:need_create"), data


def field_error(html: str) -> str:
    found = re.search(r'<small id="id_attachment_error" class="field-errors">(.*?)</small>', html, re.S)
    return found.group(1).strip() if found else ""


@pytest.mark.parametrize(("name", "content", "message"), [
    ("run.exe", b"MZ\x90\x00", "This type of file is not accepted."),
    ("plan.pdf", b"MZ\x90\x00 not a pdf", "The file&#x27;s content does not match its type (.pdf)."),
    ("big.pdf", b"%PDF-1.7\n" + b"0" * (10 * MB + 1), "the limit is 10 MB."),
    ("empty.pdf", b"", "The submitted file is empty."),
])
def test_each_refusal_is_shown_next_to_the_attachment_field(director_a_client, need_form, english, name, content,
                                                             message):
    url, data = need_form
    response = director_a_client.post(url, {**data, "attachment": upload(name, content)})
    assert response.status_code in (200, 422)
    assert message in field_error(response.content.decode())
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TrainingNeed.objects.exists()


def test_the_refusal_is_in_catalan_for_a_catalan_page(director_a_client, need_form):
    url, data = need_form
    response = director_a_client.post(url, {**data, "attachment": upload("plan.pdf", b"MZ not a pdf")})
    assert "El contingut del fitxer no correspon al seu tipus (.pdf)." in field_error(response.content.decode())


def test_an_attachment_is_stored_under_a_generated_name_inside_its_folder(director_a_client, need_form, tmp_path,
                                                                          english):
    url, data = need_form
    director_a_client.post(url, {**data, "attachment": upload("../../../Pla 2026.pdf", b"%PDF-1.7\n%%EOF\n")})
    need = TrainingNeed.objects.get()
    assert re.fullmatch(r"needs/\d{4}/[0-9a-f]{16}-Pla_2026\.pdf", need.attachment.name)
    assert (tmp_path / need.attachment.name).resolve().is_relative_to(tmp_path.resolve())
    page = director_a_client.get(reverse("programs:need_detail", args=[need.pk])).content.decode()
    assert ">Pla_2026.pdf</a>" in page
    download = director_a_client.get(reverse("programs:need_attachment", args=[need.pk]))
    assert 'filename="Pla_2026.pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment") and "no-store" in download["Cache-Control"]
