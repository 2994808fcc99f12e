"""360° anonymity: a peer's answer is read by its rater only (every page, partial, export, the admin, the audit
trail and the right-of-access download); who answered is never shown, only how many; the peers' figures are
released once, when the campaign closes and only above the anonymity threshold, and never move afterwards, so
answers arriving one by one cannot be told apart by differencing; peer ratings never become anybody's level."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations import selectors, services, services_campaigns
from evaluations.gaps.consolidation import consolidate_employees
from evaluations.models import Assessment, AssessmentReadLog, CurrentLevel, PeerResult, Rating
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign
from tests.exports import csv_rows

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
SECRET = "PEER-SECRET"
# The peers' levels, in the order they answer: writing and teamwork each.
LEVELS = [(4, 1), (3, 1), (1, 4), (2, 2)]


class World:
    def __init__(self, org, frame, employee_a, *, threshold: int = 3):
        self.frame, self.employee = frame, employee_a
        self.peers = [f.EmployeeFactory(unit=org.unit_a1, user=f.UserFactory(), last_name=f"Peer {n}")
                      for n in range(4)]
        self.campaign = open_campaign(kind="360", units=[org.unit_a1], name="360 A1", threshold=threshold)
        self.assessments = [Assessment.objects.get(campaign=self.campaign, employee=employee_a, assessor=p, role="peer")
                            for p in self.peers]

    def answer(self, n: int, *, only_writing: bool = False) -> Assessment:
        writing, teamwork = LEVELS[n]
        answers = {self.frame.writing.pk: services.Answer(writing, f"{SECRET} evidence {n}", f"{SECRET} comment {n}")}
        if not only_writing:
            answers[self.frame.teamwork.pk] = services.Answer(teamwork)
        return services.assessment_save(assessment_id=self.assessments[n].pk, submit=True, answers=answers)

    def close(self) -> None:
        services_campaigns.campaign_close(campaign_id=self.campaign.pk)
        self.campaign.refresh_from_db()


@pytest.fixture
def world(org, frame, director_a, employee_a, clo_user, hr_user):
    return World(org, frame, employee_a)


def _superuser():
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


# --- The individual answer: its rater only ------------------------------------------------------------------------


def test_a_peers_answer_is_read_by_its_rater_only(client, world, employee_a, director_a, clo_user, hr_user):
    answered = world.answer(0)
    url = reverse("evaluations:assessment_detail", args=[answered.pk])
    other_peer = world.peers[1].user
    for user in (employee_a.user, director_a.user, clo_user, hr_user, other_peer, _superuser()):
        login(client, user)
        assert client.get(url).status_code == 404, user
        assert client.get(url, headers=HX).status_code == 404, user
        assert client.post(url, {}, headers=HX).status_code == 404, user
    login(client, world.peers[0].user)
    response = client.get(url)
    assert response.status_code == 200 and f"{SECRET} comment 0" in response.content.decode()


def test_the_rater_reading_their_answer_leaves_no_trace_under_the_assessed_person(client, world, employee_a, clo_user):
    answered = world.answer(0)
    login(client, world.peers[0].user).get(reverse("evaluations:assessment_detail", args=[answered.pk]))
    assert not AssessmentReadLog.objects.filter(employee=employee_a).exists()
    reads = login(client, clo_user).get(reverse("audit_log"), {"tab": "reads"}).content.decode()
    assert world.peers[0].user.username not in reads


def test_the_admin_shows_no_peer_assessment_nor_rating_even_to_a_superuser(client, world):
    answered = world.answer(0)
    login(client, _superuser())
    listed = client.get(reverse("admin:evaluations_assessment_changelist")).context["cl"].queryset
    assert listed.exists() and not listed.filter(role="peer").exists()
    listed = client.get(reverse("admin:evaluations_rating_changelist")).context["cl"].queryset
    assert not listed.filter(assessment__role="peer").exists()
    html = client.get(reverse("admin:evaluations_assessment_changelist"), {"role__exact": "peer"}).content.decode()
    assert world.peers[0].full_name not in html and "0 assessments" in html
    assert client.get(reverse("admin:evaluations_assessment_change", args=[answered.pk])).status_code == 302
    rating = Rating.objects.filter(assessment=answered).first()
    assert client.get(reverse("admin:evaluations_rating_change", args=[rating.pk])).status_code == 302
    # The self-assessments of the same campaign are there (the filter is the kind of rater, nothing else).
    html = client.get(reverse("admin:evaluations_assessment_changelist"), {"campaign__id__exact": world.campaign.pk})
    assert world.employee.full_name in html.content.decode()


def test_the_audit_trail_keeps_a_peers_answer_out_of_every_page(client, world, employee_a, clo_user):
    world.answer(0)
    world.answer(1)
    world.close()
    from clo.core.models import AuditEntry

    # The changes are recorded (and marked), but no page shows them: the audit page, its export, auditlog's admin.
    assert AuditEntry.objects.filter(additional_data__confidential=True, person_id=employee_a.pk).count() >= 4
    login(client, clo_user)
    for params in ({}, {"person": employee_a.employee_number}):
        html = client.get(reverse("audit_log"), params).content.decode()
        assert SECRET not in html and "<td>Rating</td>" not in html, params  # employee_a's only ratings: peers'
    exported = client.get(reverse("audit_export", args=["csv"]), {"person": employee_a.employee_number})
    assert exported.status_code == 200 and SECRET not in exported.content.decode("utf-8-sig")
    assert ";Rating;" not in exported.content.decode("utf-8-sig")
    login(client, _superuser())
    response = client.get(reverse("admin:core_auditentry_changelist"))
    assert not response.context["cl"].queryset.filter(additional_data__has_key="confidential").exists()
    assert SECRET not in response.content.decode()


def test_my_data_has_my_own_answers_and_never_a_peers(client, world, employee_a):
    world.answer(0)
    world.answer(1)
    world.answer(2)
    world.close()
    login(client, employee_a.user)
    data = client.get(reverse("my_data_download", args=["json"])).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("my_data_download", args=["zip"])).content))
    csvs = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    from pypdf import PdfReader

    pdf = client.get(reverse("my_data_download", args=["pdf"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for document in (data, csvs, text):
        assert SECRET not in document
        assert not any(peer.last_name in document for peer in world.peers)
    # The released figure is there: writing 4, 3, 1 → 2.67 over three answers.
    received = json.loads(data)["sections"]["ratings_received"]["records"]
    writing = next(r for r in received if r["competency_code"] == "WRI")
    assert (writing["peer_mean"], writing["peer_answers"]) == (2.67, 3)
    # The rater finds their own answer in their own download.
    login(client, world.peers[0].user)
    given = json.loads(client.get(reverse("my_data_download", args=["json"])).content)
    assert f"{SECRET} comment 0" in json.dumps(given["sections"]["assessments_given"], ensure_ascii=False)


# --- Who answered: never shown, only how many -------------------------------------------------------------------


def test_the_peers_page_shows_how_many_answered_never_who(client, world, employee_a, director_a):
    world.answer(2)
    login(client, director_a.user)
    url = reverse("evaluations:peers_choose", args=[world.campaign.pk, employee_a.pk])
    html = client.get(url).content.decode()
    assert "has already answered" not in html
    assert "1 of the 4 peers chosen has answered; who has answered is never shown." in html
    assert all(peer.full_name in html for peer in world.peers)  # the choice itself is shown, the same for all
    # Removing a peer is refused alike, answered or not: a refusal for answered ones only would name them.
    messages = []
    for leaving in (world.peers[2], world.peers[3]):
        keep = [p.pk for p in world.peers if p != leaving]
        response = client.post(url, {"peers": keep}, headers=HX)
        assert response.status_code == 422
        messages.append(re.search(r'id="id_peers-error">(.*?)</p>', response.content.decode(), re.S).group(1))
    assert messages[0] == messages[1] and "the peers chosen stay" in messages[0]
    assert Assessment.objects.filter(campaign=world.campaign, employee=employee_a, role="peer").count() == 4


def test_the_campaign_lists_no_peer_as_pending_and_its_exports_only_count(client, world, clo_user, director_a):
    world.answer(0)
    for user in (clo_user, director_a.user):
        login(client, user)
        url = reverse("evaluations:campaign_detail", args=[world.campaign.pk])
        assert "Peers are not listed here" in client.get(url).content.decode()
        pending = client.get(url, headers=HX).content.decode()
        assert "<td>Peer</td>" not in pending
        rows = csv_rows(client.get(url, {"export": "csv"}))
        assert rows[1:] and all(row[2] != "Peer" for row in rows[1:])
        progress = {row[0]: row[1:] for row in csv_rows(client.get(url, {"export": "csv", "table": "progress"}))}
        assert progress["Peer"][:2] == ["20", "1"]  # five people × four peers asked, one answered: how many
        units = csv_rows(client.get(reverse("evaluations:campaign_units", args=[world.campaign.pk]), {"export": "csv"}))
        peers = csv_rows(client.get(reverse("evaluations:campaign_peers", args=[world.campaign.pk]), {"export": "csv"}))
        for table in (rows, progress, units, peers):
            assert SECRET not in str(table)
        assert ["Person assessed", "Unit", "Peers"] == peers[0]


# --- Release at the close, and differencing -----------------------------------------------------------------------


def _published(client, employee, readers) -> list:
    """Every peer figure a reader of the person's results can get: the results page (its results section), its
    CSV export, and the person's own right-of-access JSON (ratings received)."""
    url = reverse("evaluations:employee_results", args=[employee.pk])
    seen = []
    for user in readers:
        login(client, user)
        html = client.get(url).content.decode()
        seen.append(re.search(r'<main.*?</main>', html, re.S).group(0))
        seen.append(csv_rows(client.get(url, {"export": "csv"})))
    login(client, employee.user)
    data = json.loads(client.get(reverse("my_data_download", args=["json"])).content)
    seen.append(data["sections"]["ratings_received"])
    return seen


def test_answers_arriving_one_by_one_leak_no_individual_level(client, world, employee_a, director_a, hr_user):
    readers = (employee_a.user, director_a.user, hr_user)
    before = _published(client, employee_a, readers)
    assert "released when the campaign closes" in before[0]
    for n in range(4):
        world.answer(n)
        assert _published(client, employee_a, readers) == before, f"after answer {n + 1}"
    world.close()
    released = _published(client, employee_a, readers)
    assert released != before
    html = released[0]
    assert "Peers: mean of 4 answers, fixed when the campaign closed" in html
    [block] = selectors.employee_results(employee_a)
    means = {row.competency.code: (row.peer_mean, row.peer_answers) for row in block.rows}
    assert means == {"WRI": (2.5, 4), "TEAM": (2.0, 4)}
    # Afterwards nothing moves them: a late answer is refused, the self-assessment is answered and validated, and
    # even a peer rating changed behind the application's back leaves the released figures as they were.
    with pytest.raises(ValidationError):
        world.answer(3)
    own = Assessment.objects.get(campaign=world.campaign, employee=employee_a, role="self")
    Rating.objects.filter(assessment=world.assessments[0]).update(level=0)
    Assessment.objects.filter(pk=own.pk).update(status="submitted", submitted_at=world.campaign.created_at)
    Rating.objects.create(assessment=own, competency=world.frame.writing, level=2)
    services.assessment_validate(assessment_id=own.pk, validator_id=director_a.pk,
                                 decisions={world.frame.writing.pk: services.Decision(2)})
    assert services_campaigns.peer_results_release(campaign=world.campaign) == 0
    [block] = selectors.employee_results(employee_a)
    assert {row.competency.code: (row.peer_mean, row.peer_answers) for row in block.rows} == means
    assert "Peers: mean of 4 answers, fixed when the campaign closed" in _published(client, employee_a, readers)[0]


def test_below_the_threshold_at_the_close_nothing_is_released_and_the_reason_is_shown(client, world, employee_a):
    world.answer(0)
    world.answer(1)
    own = Assessment.objects.get(campaign=world.campaign, employee=employee_a, role="self")
    services.assessment_save(assessment_id=own.pk, submit=True, answers={
        world.frame.writing.pk: services.Answer(2), world.frame.teamwork.pk: services.Answer(2)})
    world.close()
    assert not PeerResult.objects.exists()
    login(client, employee_a.user)
    url = reverse("evaluations:employee_results", args=[employee_a.pk])
    html = client.get(url).content.decode()
    assert "not released: fewer than 3 peers answered before the campaign closed" in html
    assert "Peers (mean)" not in html and "3.5" not in html  # the mean of 4 and 3 is nowhere
    rows = csv_rows(client.get(url, {"export": "csv"}))
    assert rows[0][-1] == "Peers' results" and "not released" in rows[1][-1]
    assert not any("3.5" in cell or "3,5" in cell for row in rows for cell in row)


def test_a_competency_fewer_peers_rated_stays_unreleased(world, employee_a):
    """Three peers answered, but only two rated teamwork: its mean would be of two answers, under the threshold."""
    world.answer(0)
    world.answer(1)
    world.answer(2, only_writing=True)
    world.close()
    [block] = selectors.employee_results(employee_a)
    means = {row.competency.code: (row.peer_mean, row.peer_answers) for row in block.rows}
    assert means == {"WRI": (pytest.approx(8 / 3), 3)}


def test_the_peers_results_are_released_once(world, employee_a):
    for n in range(3):
        world.answer(n)
    world.close()
    first = list(PeerResult.objects.values_list("competency_id", "answers", "mean").order_by("competency_id"))
    released_at = world.campaign.peers_released_at
    with pytest.raises(ValidationError):
        services_campaigns.campaign_close(campaign_id=world.campaign.pk)
    assert services_campaigns.peer_results_release(campaign=world.campaign) == 0
    world.campaign.refresh_from_db()
    assert world.campaign.peers_released_at == released_at
    assert list(PeerResult.objects.values_list("competency_id", "answers", "mean").order_by("competency_id")) == first


# --- The gap engine -----------------------------------------------------------------------------------------------


def test_peer_ratings_never_become_a_level_before_or_after_the_release(client, world, employee_a):
    """A single peer's answer is the only evidence about employee_a: no current level comes of it (the gap engine's
    consolidation reads self and manager ratings only), nor of the released mean."""
    from django.utils import timezone

    world.answer(0)
    consolidate_employees((employee_a.pk,), today=timezone.localdate())
    assert not CurrentLevel.objects.filter(employee=employee_a).exists()
    for n in (1, 2):
        world.answer(n)
    world.close()
    consolidate_employees((employee_a.pk,), today=timezone.localdate())
    assert not CurrentLevel.objects.filter(employee=employee_a).exists()
    login(client, employee_a.user)
    gaps = json.loads(client.get(reverse("my_data_download", args=["json"])).content)
    assert {(g["competency_code"], g["not_assessed"]) for g in gaps["sections"]["requirements_and_gaps"]["records"]} \
        == {("WRI", True), ("TEAM", True)}


# --- Data already there when the release came in ------------------------------------------------------------------


def test_the_migration_releases_closed_campaigns_and_hides_the_peers_traces(world, employee_a):
    """What the old code left: a closed campaign without a release, a read of their own answer by a peer under the
    assessed person's name, audit entries of peers' answers unmarked."""
    from importlib import import_module

    from django.apps import apps

    from clo.core.models import AuditEntry

    migration = import_module("evaluations.migrations.0012_peer_results_released_at_close")
    world.answer(0)
    draft = world.assessments[1]  # a draft saved then answered: its first ratings were deleted on the way
    services.assessment_save(assessment_id=draft.pk, submit=False, answers={
        world.frame.writing.pk: services.Answer(1, comment=f"{SECRET} draft")})
    for n in range(1, 3):
        world.answer(n)
    world.close()
    PeerResult.objects.all().delete()
    world.campaign.peers_released_at = None
    world.campaign.save(update_fields=["peers_released_at"])
    AssessmentReadLog.objects.create(user=world.peers[0].user, username=world.peers[0].user.username,
                                     employee=employee_a, assessment=world.assessments[0], page="assessment", path="/")
    AuditEntry.objects.filter(person_id=employee_a.pk).update(additional_data=None)

    migration.release_closed_campaigns(apps, None)
    migration.hide_peers_traces(apps, None)

    [block] = selectors.employee_results(employee_a)
    assert {row.competency.code: row.peer_answers for row in block.rows} == {"WRI": 3, "TEAM": 3}
    assert not AssessmentReadLog.objects.filter(employee=employee_a).exists()
    from django.contrib.contenttypes.models import ContentType

    about_peers = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Rating),
        object_id__in=Rating.objects.filter(assessment__role="peer", assessment__employee=employee_a).values("pk"),
    )
    assert about_peers.count() == 6  # three peers × two ratings
    assert not about_peers.exclude(additional_data__has_key="confidential").exists()
    assert AuditEntry.objects.filter(changes__icontains=f"{SECRET} draft").exists()  # the deleted draft's entry
    assert not AuditEntry.objects.readable().filter(person_id=employee_a.pk, content_type__model="rating").exists()
