"""Exports of the remaining evaluations pages (``?export=csv|xlsx``, ``&table=`` where a page has several tables):
a campaign's progress and who has not answered, the people whose peers one chooses, one's own assessments, and a
person's results. An export shows what the page shows and nothing it hides (the peers' mean below the anonymity
threshold), within the same scope; downloading a person's results is a read and is logged like the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services, views
from evaluations.models import AssessmentReadLog
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign
from tests.exports import csv_rows, xlsx_rows
from tests.evaluations.test_results import peer_campaign

pytestmark = pytest.mark.django_db


# --- A person's results ----------------------------------------------------------------------------------------------


def results_url(employee) -> str:
    return reverse("evaluations:employee_results", args=[employee.pk])


def test_results_export_below_the_threshold_has_no_peer_figure(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=2)
    rows = csv_rows(login(client, employee_a.user).get(results_url(employee_a), {"export": "csv"}))
    assert rows[0] == ["Campaign", "Competency", "Required level", "Self-assessment", "Manager",
                       "Reason for the manager's level", "Against the required level", "Peers' results"]
    writing = next(row for row in rows[1:] if row[1] == "Administrative writing")
    assert writing == ["360", "Administrative writing", "3", "2", "", "", "Below: 1 level short",
                       "Peers' results were not released: fewer than 3 peers answered before the campaign closed."]
    assert not any("3,5" in cell or "3.5" in cell for row in rows for cell in row)  # the mean of 4 and 3 is nowhere


def test_results_export_above_the_threshold_has_the_peers_mean_only(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=3)
    sheet = xlsx_rows(login(client, employee_a.user).get(results_url(employee_a), {"export": "xlsx"}))
    assert sheet[0][6] == "Peers (mean)"
    writing = next(row for row in sheet[1:] if row[1] == "Administrative writing")
    assert writing[:8] == ["360", "Administrative writing", 3, 2, None, None, 3.0, "Below: 1 level short"]
    assert writing[8].startswith("Peers: mean of 3 answers, fixed when the campaign closed")


def test_results_export_keeps_the_history_and_the_managers_reason(director_a_client, frame, director_a, employee_a,
                                                                  submitted):
    services.assessment_validate(assessment_id=submitted.pk, validator_id=director_a.pk, decisions={
        frame.writing.pk: services.Decision(3, "=Wrote the ordinance"), frame.teamwork.pk: services.Decision(3)})
    rows = csv_rows(director_a_client.get(results_url(employee_a), {"export": "csv"}))
    writing = next(row for row in rows[1:] if row[1] == "Administrative writing")
    assert writing == [submitted.campaign.name, "Administrative writing", "3", "2", "3", "'=Wrote the ordinance", "Met"]


def test_downloading_results_is_a_logged_read(director_a_client, director_a, employee_a, submitted):
    url = results_url(employee_a)
    director_a_client.get(url, {"export": "xlsx"})
    log = AssessmentReadLog.objects.get()
    assert (log.user, log.employee, log.page, log.path) == (director_a.user, employee_a, "results",
                                                            f"{url}?export=xlsx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_results_export_is_404_for_an_outsider_and_leaves_no_trace(outsider_client, employee_a, submitted, fmt):
    assert outsider_client.get(results_url(employee_a), {"export": fmt}).status_code == 404
    assert outsider_client.get(results_url(employee_a), {"export": fmt}, HTTP_HX_REQUEST="true").status_code == 404
    assert not AssessmentReadLog.objects.exists()


def test_results_page_links_to_its_export(employee_a_client, employee_a, submitted):
    html = employee_a_client.get(results_url(employee_a)).content.decode()
    assert f'href="{results_url(employee_a)}?export=csv"' in html
    assert f'href="{results_url(employee_a)}?export=xlsx"' in html


# --- A campaign: progress, who has not answered, peers ---------------------------------------------------------------


def detail_url(campaign) -> str:
    return reverse("evaluations:campaign_detail", args=[campaign.pk])


def test_pending_export_has_every_page(clo_client, campaign, monkeypatch):
    monkeypatch.setattr(views, "PENDING_PER_PAGE", 1)
    html = clo_client.get(detail_url(campaign), {"page": "2"}).content.decode()
    assert "Page 2 of" in html
    assert f'href="{detail_url(campaign)}?export=csv"' in html  # the page number is not carried into the export
    rows = csv_rows(clo_client.get(detail_url(campaign), {"export": "csv", "page": "2"}))
    assert rows[0] == ["Person assessed", "Unit", "Kind of rater", "Rater", "Status"]
    assert len(rows) - 1 == campaign.assessments.filter(status="draft").count() > 1


def test_a_directors_pending_export_has_only_their_units_people(director_a_client, campaign, org, employee_b):
    rows = csv_rows(director_a_client.get(detail_url(campaign), {"export": "csv"}))
    assert rows[1:] and {row[1] for row in rows[1:]} <= {org.unit_a.name, org.unit_a1.name}
    assert employee_b.full_name not in {row[0] for row in rows[1:]}


def test_progress_export_by_kind_of_rater(clo_client, campaign, submitted):
    html = clo_client.get(detail_url(campaign)).content.decode()
    assert f'href="{detail_url(campaign)}?export=xlsx&amp;table=progress"' in html
    sheet = xlsx_rows(clo_client.get(detail_url(campaign), {"export": "xlsx", "table": "progress"}))
    assert sheet[0] == ["Kind of rater", "Assessments", "Answered", "Validated", "Not answered yet",
                        "Share answered (%)"]
    own = next(row for row in sheet[1:] if row[0] == "Self-assessment")
    assert own[2] == 1 and own[1] == own[2] + own[4]


def test_an_unknown_table_is_404(clo_client, campaign):
    assert clo_client.get(detail_url(campaign), {"export": "csv", "table": "ratings"}).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_campaign_exports_are_404_outside_the_scope(director_a_client, frame, director_b, employee_b, org, fmt):
    theirs = open_campaign(units=[org.unit_b], name="Urbanisme")
    for table in ("", "progress"):
        assert director_a_client.get(detail_url(theirs), {"export": fmt, "table": table}).status_code == 404


def test_pending_export_runs_a_fixed_number_of_queries(clo_client, frame, org, director_a):
    def count(campaign) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = csv_rows(clo_client.get(detail_url(campaign), {"export": "csv"}))
        return len(queries), len(rows)

    small = count(open_campaign(name="Petita", units=[org.unit_a1]))
    f.EmployeeFactory.create_batch(6, unit=org.unit_a1, manager=director_a)
    large = count(open_campaign(name="Gran", units=[org.unit_a1]))
    assert large[1] > small[1] and large[0] <= small[0]


def test_peers_export_has_the_people_and_their_number_of_peers(director_a_client, org, frame, director_a,
                                                              employee_a, monkeypatch):
    from evaluations import views_campaigns

    campaign = peer_campaign(org, frame, director_a, employee_a, answered=3, close=False)
    monkeypatch.setattr(views_campaigns, "PEOPLE_PER_PAGE", 1)
    url = reverse("evaluations:campaign_peers", args=[campaign.pk])
    html = director_a_client.get(url).content.decode()
    assert f'href="{url}?export=csv"' in html
    rows = csv_rows(director_a_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Person assessed", "Unit", "Peers"]
    assert len(rows) - 1 > 1  # every page
    assert [row[2] for row in rows[1:] if row[0] == employee_a.full_name] == ["4"]


def test_peers_export_is_404_for_an_outsider(outsider_client, org, frame, director_a, employee_a):
    campaign = peer_campaign(org, frame, director_a, employee_a, answered=0, close=False)
    url = reverse("evaluations:campaign_peers", args=[campaign.pk])
    assert outsider_client.get(url, {"export": "csv"}).status_code == 404


# --- My assessments ----------------------------------------------------------------------------------------------------


def test_my_assessments_exports_each_of_its_tables(director_a_client, campaign, submitted, employee_a, director_a):
    url = reverse("evaluations:my_assessments")
    html = director_a_client.get(url).content.decode()
    for table in ("", "&amp;table=to-validate"):
        assert f'href="{url}?export=csv{table}"' in html
    to_fill = csv_rows(director_a_client.get(url, {"export": "csv"}))
    assert to_fill[0] == ["Person assessed", "Kind of rater", "Campaign", "Answer before"]
    assert ["Myself", "Self-assessment", campaign.name, campaign.closes_on.isoformat()] in to_fill[1:]
    to_validate = xlsx_rows(director_a_client.get(url, {"export": "xlsx", "table": "to-validate"}))
    assert to_validate[0] == ["Person", "Unit", "Campaign", "Submitted"]
    assert [row[:3] for row in to_validate[1:]] == [[employee_a.full_name, employee_a.unit.name, campaign.name]]


def test_my_assessments_given_export_has_what_i_answered(employee_a_client, submitted):
    url = reverse("evaluations:my_assessments")
    assert f'href="{url}?export=xlsx&amp;table=given"' in employee_a_client.get(url).content.decode()
    rows = csv_rows(employee_a_client.get(url, {"export": "csv", "table": "given"}))
    assert rows == [["Person assessed", "Kind of rater", "Campaign", "Status"],
                    ["Myself", "Self-assessment", submitted.campaign.name, "Submitted"]]


def test_my_assessments_to_validate_export_is_empty_for_someone_elses_people(outsider_client, submitted):
    rows = csv_rows(outsider_client.get(reverse("evaluations:my_assessments"),
                                        {"export": "csv", "table": "to-validate"}))
    assert rows == [["Person", "Unit", "Campaign", "Submitted"]]
