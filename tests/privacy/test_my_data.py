"""Right of access: an employee downloads everything clo holds about them (PDF, JSON, zip of CSVs), from their own
page, and nothing about anybody else; peers' individual answers never."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from evaluations.models import Assessment
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(english):
    pass


def download(client, fmt: str):
    response = client.get(reverse("my_data_download", args=[fmt]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    return response


@pytest.fixture
def history(employee_a, employee_b, director_a):
    """employee_a's enrolment, need-free history and a 360 campaign with two peer answers (below the threshold)."""
    enrolment = f.EnrolmentFactory(employee=employee_a, session__program__title="Redacció administrativa")
    f.EnrolmentFactory(employee=employee_b, session__program__title="Urbanisme per a tothom")
    competency = f.CompetencyFactory(code="WRI", name="Administrative writing")
    campaign = f.CampaignFactory(kind="360", peer_anonymity_threshold=3)
    for n in range(2):
        peer = f.EmployeeFactory(unit=employee_a.unit)
        assessment = f.AssessmentFactory(campaign=campaign, employee=employee_a, assessor=peer, role="peer",
                                         status="submitted", submitted_at="2026-03-10T10:00:00Z")
        f.RatingFactory(assessment=assessment, competency=competency, level=1, comment=f"PEER-SECRET-{n}")
    own = f.AssessmentFactory(campaign=campaign, employee=employee_a, assessor=employee_a, role="self",
                              status="submitted", submitted_at="2026-03-10T10:00:00Z")
    f.RatingFactory(assessment=own, competency=competency, level=3, evidence="Wrote the 2025 report")
    return enrolment


def test_the_employee_page_links_to_the_download(employee_a_client):
    html = employee_a_client.get(reverse("home")).content.decode()
    assert 'id="my-data-link"' in html and reverse("my_data") in html


def test_json_has_my_data_and_nobody_else_s(employee_a_client, employee_a, employee_b, history):
    data = json.loads(download(employee_a_client, "json").content)
    assert data["employee_number"] == employee_a.employee_number
    identity = {r["field"]: r["value"] for r in data["sections"]["identity"]["records"]}
    assert identity["last_name"] == employee_a.last_name and identity["email"] == employee_a.email
    assert [r["program"] for r in data["sections"]["enrolments"]["records"]] == ["Redacció administrativa"]
    received = data["sections"]["ratings_received"]["records"]
    assert [(r["self_level"], r["peer_mean"], r["peer_answers"]) for r in received] == [(3, None, None)]
    assert received[0]["peer_release"].startswith("Peers' results are not released yet")  # not even how many
    text = json.dumps(data, ensure_ascii=False)
    assert "PEER-SECRET" not in text  # peers' individual answers never, and no mean below the threshold
    assert "Urbanisme per a tothom" not in text and employee_b.last_name not in text
    # The audit trail of their own records is part of it.
    assert any(r["record_kind"] == "Enrolment" for r in data["sections"]["audit_entries"]["records"])


def test_levels_imported_from_other_systems_are_listed_even_when_they_are_not_the_current_level(
        employee_a_client, employee_a, employee_b):
    competency = f.CompetencyFactory(code="WRI", name="Administrative writing")
    f.EvidenceFactory(employee=employee_a, competency=competency, level=2, evidenced_on="2024-05-01",
                      reference="Former HR system")
    f.EvidenceFactory(employee=employee_a, competency=competency, level=3, evidenced_on="2025-05-01")
    f.EvidenceFactory(employee=employee_b, competency=competency, level=4)
    data = json.loads(download(employee_a_client, "json").content)
    records = data["sections"]["imported_levels"]["records"]
    assert [(r["level"], r["evidenced_on"], r["reference"]) for r in records] == [
        (3, "2025-05-01", ""), (2, "2024-05-01", "Former HR system")]


def test_the_assessments_i_gave_are_my_own_answers(employee_a_client, employee_a, history):
    other = f.EmployeeFactory(unit=employee_a.unit)
    given = f.AssessmentFactory(employee=other, assessor=employee_a, role="peer", status="submitted",
                                submitted_at="2026-03-11T10:00:00Z")
    f.RatingFactory(assessment=given, level=2, comment="My own comment about a colleague")
    data = json.loads(download(employee_a_client, "json").content)
    given = data["sections"]["assessments_given"]["records"]
    assert sorted((r["assessed_person"], r["comment"]) for r in given) == sorted([
        (other.full_name, "My own comment about a colleague"), (employee_a.full_name, "")])  # and their self-assessment


def test_csv_is_a_zip_with_one_file_per_section(employee_a_client, history):
    archive = zipfile.ZipFile(io.BytesIO(download(employee_a_client, "zip").content))
    names = archive.namelist()
    assert "01-identity.csv" in names and any(n.endswith("-enrolments.csv") for n in names)
    enrolments = archive.read(next(n for n in names if n.endswith("-enrolments.csv"))).decode("utf-8-sig")
    assert enrolments.splitlines()[0].startswith("program_code;program;") and "Redacció administrativa" in enrolments


def test_pdf_is_tagged_and_in_the_reader_s_language(employee_a_client, employee_a, history):
    from pypdf import PdfReader

    response = employee_a_client.get(reverse("my_data_download", args=["pdf"]), HTTP_ACCEPT_LANGUAGE="ca")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "ca" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = "".join(page.extract_text() for page in reader.pages)
    assert employee_a.last_name in text and "Inscripcions" in text or "Redacció administrativa" in text


def test_the_outsider_gets_only_their_own_data(outsider_client, director_b, employee_a, history):
    text = download(outsider_client, "json").content.decode()
    assert director_b.employee_number in text and employee_a.last_name not in text
    assert "Redacció administrativa" not in text


def test_a_login_without_an_employee_record_gets_a_404(client, db):
    client.force_login(f.UserFactory(username="nobody"))
    for url in (reverse("my_data"), reverse("my_data_download", args=["json"])):
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
        assert client.post(url).status_code in (404, 405)


def test_an_unknown_format_is_a_404(employee_a_client):
    assert employee_a_client.get(reverse("my_data_download", args=["exe"])).status_code == 404


@pytest.mark.parametrize("enrolments", [2, 12])
def test_the_download_costs_a_fixed_number_of_queries(employee_a_client, employee_a, enrolments,
                                                      django_assert_max_num_queries):
    plan = f.LearningPlanFactory(employee=employee_a)
    for _ in range(enrolments):
        f.EnrolmentFactory(employee=employee_a, status="completed", completed_on="2026-05-05")
        f.LearningPlanItemFactory(plan=plan)
    with django_assert_max_num_queries(40):
        download(employee_a_client, "json")
    assert Assessment.objects.count() == 0
