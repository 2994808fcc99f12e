"""The monthly report and the gap pages read as the council's own Catalan: long dates with their preposition,
contracted names, no raw keys (tests/wording.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clo.dashboards import reports
from tests.dashboards.test_reports import _media, _read, _report, world  # noqa: F401 (fixtures)
from tests.wording import problems


def test_the_catalan_monthly_report_reads_as_the_councils_own(world):  # noqa: F811
    report = reports.monthly_report_run(_report(language="ca").pk)
    assert report.status == "done", report.error
    reader, text = _read(report.file.read())
    assert "1 d'octubre de 2026 – 31 d'octubre de 2026" in text
    assert reader.metadata.title == "Informe del CLO, 1 d'octubre de 2026 – 31 d'octubre de 2026"
    assert problems(text) == []


@pytest.mark.django_db
def test_the_gaps_page_contracts_the_persons_name(clo_client, employee_a):
    employee_a.first_name = "Andreu"
    employee_a.save(update_fields=["first_name"])
    html = clo_client.get(reverse("dashboard_employee", args=[employee_a.pk]), HTTP_ACCEPT_LANGUAGE="ca")
    text = html.content.decode()
    assert "Bretxes d&#x27;Andreu Soler Camps" in text and "Bretxes de Andreu" not in text


@pytest.mark.django_db
def test_the_assessment_results_page_and_its_export_contract_the_persons_name(clo_client, employee_a):
    employee_a.first_name = "Hug"
    employee_a.save(update_fields=["first_name"])
    url = reverse("evaluations:employee_results", args=[employee_a.pk])
    html = clo_client.get(url, HTTP_ACCEPT_LANGUAGE="ca").content.decode()
    assert "<h1>Resultats de l'avaluació d&#x27;Hug Soler Camps</h1>" in html
    english = clo_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Assessment results of Hug Soler Camps" in english


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "dashboard_employee", "evaluations:employee_results",
                                  "programs:training_record"])
def test_the_main_pages_in_catalan_pass_the_document_check(clo_client, employee_a, name):
    employee_a.first_name = "Andreu"
    employee_a.save(update_fields=["first_name"])
    args = [] if name == "home" else [employee_a.pk]
    response = clo_client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="ca")
    assert response.status_code == 200
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'")
    assert problems(text) == []
