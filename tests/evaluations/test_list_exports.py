"""Exports of the evaluations app's lists (``?export=csv|xlsx`` on the list's own URL): the campaigns, a campaign's
progress per unit and the gap-analysis runs, with the rows the page shows and nothing outside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import GapRun
from tests.evaluations.conftest import open_campaign
from tests.exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(campaign, org):
    """The whole organisation's campaign, and one of unit B only, whose name looks like a formula."""
    return campaign, open_campaign(units=[org.unit_b], name="=1+2 Urbanisme")


def test_campaign_list_export_of_the_office_has_every_campaign(clo_client, campaigns):
    rows = csv_rows(clo_client.get(reverse("evaluations:campaign_list"), {"export": "csv"}))
    assert rows[0][:5] == ["Name", "Kinds of rater", "Answers from", "Answers until", "Status"]
    assert sorted(row[0] for row in rows[1:]) == ["'=1+2 Urbanisme", "Campanya 2026"]
    whole = next(row for row in rows[1:] if row[0] == "Campanya 2026")
    assert whole[4] == "Open" and whole[2] == campaigns[0].opens_on.isoformat()
    sheet = xlsx_rows(clo_client.get(reverse("evaluations:campaign_list"), {"export": "xlsx"}))
    assert sorted(row[0] for row in sheet[1:]) == ["'=1+2 Urbanisme", "Campanya 2026"]
    assert {row[3] for row in sheet[1:]} == {dt.datetime.combine(campaigns[0].closes_on, dt.time())}


def test_campaign_list_export_of_a_director_has_only_their_units_campaigns(director_a_client, campaigns):
    rows = csv_rows(director_a_client.get(reverse("evaluations:campaign_list"), {"export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Campanya 2026"]


def test_campaign_list_links_to_its_exports(clo_client, campaigns):
    html = clo_client.get(reverse("evaluations:campaign_list"), {"page": "1"}).content.decode()
    assert "assessment-campaigns/?export=csv" in html and "assessment-campaigns/?export=xlsx" in html


def test_campaign_units_export_has_the_directors_units_only(director_a_client, campaigns, org):
    url = reverse("evaluations:campaign_units", args=[campaigns[0].pk])
    mine = csv_rows(director_a_client.get(url, {"export": "csv"}))
    assert mine[0] == ["Unit", "Assessments", "Answered", "Not answered yet"]
    assert {row[0] for row in mine[1:]} <= {org.unit_a.name, org.unit_a1.name} and len(mine) > 1


def test_campaign_units_export_of_the_office_has_every_unit(clo_client, campaigns, org):
    url = reverse("evaluations:campaign_units", args=[campaigns[0].pk])
    everyone = xlsx_rows(clo_client.get(url, {"export": "xlsx"}))
    assert {org.unit_b.name, org.unit_b1.name} <= {row[0] for row in everyone[1:]}
    assert all(isinstance(row[1], int) and row[1] == row[2] + row[3] for row in everyone[1:])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_campaign_units_export_is_404_outside_the_scope(director_a_client, campaigns, fmt):
    url = reverse("evaluations:campaign_units", args=[campaigns[1].pk])  # unit B's campaign
    assert director_a_client.get(url, {"export": fmt}).status_code == 404


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_campaign_exports_run_a_bounded_number_of_queries(clo_client, campaigns, org):
    units_url = reverse("evaluations:campaign_units", args=[campaigns[0].pk])
    small = (_count(clo_client, reverse("evaluations:campaign_list"), {"export": "xlsx"}),
             _count(clo_client, units_url, {"export": "xlsx"}))
    for i in range(8):
        open_campaign(name=f"Campanya {i}", units=[org.unit_a])
    large = (_count(clo_client, reverse("evaluations:campaign_list"), {"export": "xlsx"}),
             _count(clo_client, units_url, {"export": "xlsx"}))
    assert large[0] <= small[0] <= 10 and large[1] <= small[1] <= 10


def test_gap_runs_export(clo_client, clo_user):
    started = timezone.make_aware(dt.datetime(2026, 11, 2, 2, 0))
    GapRun.objects.create(status="done", trigger="nightly", started_at=started,
                          finished_at=started + dt.timedelta(seconds=75), employees=1200, pairs=18000)
    GapRun.objects.create(status="failed", trigger="manual", requested_by=clo_user, started_at=started,
                          finished_at=started, error="@SUM(A1)")
    rows = csv_rows(clo_client.get(reverse("evaluations:gap_runs"), {"export": "csv"}))
    assert rows[0][:4] == ["Run", "Status", "Trigger", "Requested by"]
    assert {row[1] for row in rows[1:]} == {"Done", "Failed"}
    assert {row[-1] for row in rows[1:]} == {"", "'@SUM(A1)"}
    sheet = xlsx_rows(clo_client.get(reverse("evaluations:gap_runs"), {"export": "xlsx"}))
    done = next(row for row in sheet[1:] if row[1] == "Done")
    assert done[4] == dt.datetime(2026, 11, 2, 2, 0) and done[6] == 75 and done[7] == 1200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_gap_runs_export_is_404_for_a_director(director_a_client, fmt):
    assert director_a_client.get(reverse("evaluations:gap_runs"), {"export": fmt}).status_code == 404
