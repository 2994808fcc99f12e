"""A person's results: self vs manager vs the peers' mean, against the required level, with earlier campaigns; the
peers' mean only once enough peers answered (the anonymity threshold)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from evaluations import services, services_campaigns
from evaluations.models import Assessment
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign, self_assessment

pytestmark = pytest.mark.django_db


def results(client, employee) -> str:
    response = client.get(reverse("evaluations:employee_results", args=[employee.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, competency_name: str, table_id: str = "latest-results") -> list[str]:
    table = re.search(rf'<table id="{table_id}".*?</table>', html, re.S).group(0)
    tr = re.search(rf"<tr>\s*<th scope=\"row\">{competency_name}</th>(.*?)</tr>", table, re.S).group(1)
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] if cell.strip() else "" for cell in
            re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]


def peer_campaign(org, frame, director_a, employee_a, *, answered: int, threshold: int = 3, close: bool = True):
    """A 360° campaign on A1 where ``answered`` of employee_a's four peers answered (4, 3, 2, 1 in both competencies)
    and employee_a self-assessed at 2; closed (the peers' results released) unless ``close`` is False."""
    peers = f.EmployeeFactory.create_batch(4, unit=org.unit_a1, manager=director_a)
    campaign = open_campaign(kind="360", units=[org.unit_a1], name="360", threshold=threshold)
    levels = [4, 3, 2, 1]
    for peer, level in zip(peers[:answered], levels):
        assessment = Assessment.objects.get(campaign=campaign, employee=employee_a, assessor=peer)
        services.assessment_save(assessment_id=assessment.pk, submit=True, answers={
            frame.writing.pk: services.Answer(level), frame.teamwork.pk: services.Answer(level)})
    own = self_assessment(campaign, employee_a)
    services.assessment_save(assessment_id=own.pk, submit=True, answers={
        frame.writing.pk: services.Answer(2), frame.teamwork.pk: services.Answer(2)})
    if close:
        services_campaigns.campaign_close(campaign_id=campaign.pk)
        campaign.refresh_from_db()
    return campaign


def test_two_peers_answered_no_peer_figure_is_shown(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=2)
    html = results(login(client, employee_a.user), employee_a)
    assert "Peers (mean)" not in html
    assert "results were not released: fewer than 3 peers answered before the campaign closed." in html
    assert "3.5" not in html  # the mean of 4 and 3 is nowhere


def test_before_the_close_no_peer_figure_is_shown_whatever_the_answers(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=4, close=False)
    html = results(login(client, employee_a.user), employee_a)
    assert "Peers (mean)" not in html and "2.5" not in html
    assert "results are not released yet: they are released when the campaign closes" in html


def test_three_peers_answered_their_mean_is_shown_and_no_single_answer(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=3)
    html = results(login(client, employee_a.user), employee_a)
    assert "Peers (mean)" in html and "Peers: mean of 3 answers, fixed when the campaign closed" in html
    required, self_level, manager, peers, verdict = row(html, "Administrative writing")
    assert (required, self_level, manager, peers, verdict) == ("3", "2", "—", "3.0", "Below:")


def test_the_threshold_is_the_campaigns(client, org, frame, director_a, employee_a):
    peer_campaign(org, frame, director_a, employee_a, answered=2, threshold=2)
    html = results(login(client, employee_a.user), employee_a)
    assert "Peers: mean of 2 answers, fixed when the campaign closed" in html and "3.5" in html


def test_self_manager_and_required_level_with_history(client, frame, director_a, employee_a, submitted):
    services.assessment_validate(assessment_id=submitted.pk, validator_id=director_a.pk, decisions={
        frame.writing.pk: services.Decision(3, "Wrote the ordinance"), frame.teamwork.pk: services.Decision(3)})
    submitted.campaign.opens_on = submitted.campaign.opens_on.replace(year=submitted.campaign.opens_on.year - 1)
    submitted.campaign.save(update_fields=["opens_on"])
    newer = open_campaign(name="Campanya nova")
    own = self_assessment(newer, employee_a)
    services.assessment_save(assessment_id=own.pk, submit=True, answers={
        frame.writing.pk: services.Answer(4), frame.teamwork.pk: services.Answer(1)})

    html = results(login(client, director_a.user), employee_a)
    latest = re.search(r'<section id="latest".*?</section>', html, re.S).group(0)
    assert "Campanya nova" in latest
    assert row(html, "Administrative writing") == ["3", "4", "—", "Met"]
    assert row(html, "Teamwork") == ["2", "1", "—", "Below:"]
    history = re.search(r'<section id="history".*?</section>', html, re.S).group(0)
    assert submitted.campaign.name in history
    assert row(html, "Administrative writing", "history-results-1") == ["3", "2", "3", "Met"]
    assert "Wrote the ordinance" in history


def test_drafts_are_not_results(client, frame, employee_a, campaign):
    own = self_assessment(campaign, employee_a)
    services.assessment_save(assessment_id=own.pk, submit=False, answers={frame.writing.pk: services.Answer(4)})
    html = results(login(client, employee_a.user), employee_a)
    assert "No answered assessment yet." in html
