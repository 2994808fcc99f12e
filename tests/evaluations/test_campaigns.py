"""Assessment campaigns from opening to validation: who is asked, the form a rater reads, drafts and submission,
the manager's validation with a reason, and the gap engine seeing the result."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import Assessment, AssessmentCampaign, Gap, Rating
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign, self_assessment

pytestmark = pytest.mark.django_db


def detail_url(assessment) -> str:
    return reverse("evaluations:assessment_detail", args=[assessment.pk])


def validate_url(assessment) -> str:
    return reverse("evaluations:assessment_validate", args=[assessment.pk])


# --- Opening ----------------------------------------------------------------------------------------------------------


def test_opening_asks_every_person_of_the_units_in_scope_and_nobody_else(org, frame, director_a, employee_a,
                                                                         director_b, employee_b):
    campaign = open_campaign(units=[org.unit_a])
    assert campaign.status == AssessmentCampaign.Status.OPEN
    assessed = set(campaign.assessments.values_list("employee_id", "assessor_id", "role"))
    assert assessed == {(director_a.pk, director_a.pk, "self"), (employee_a.pk, employee_a.pk, "self")}
    with pytest.raises(ValidationError, match="Only a campaign in draft can be opened"):
        services.campaign_open(campaign_id=campaign.pk)
    assert campaign.assessments.count() == 2


def test_a_manager_campaign_asks_each_persons_manager(org, frame, director_a, employee_a, director_b, employee_b):
    campaign = open_campaign(kind="manager", units=[org.root])
    assessed = set(campaign.assessments.values_list("employee_id", "assessor_id", "role"))
    assert assessed == {(employee_a.pk, director_a.pk, "manager"), (employee_b.pk, director_b.pk, "manager")}


def test_a_360_campaign_asks_up_to_five_colleagues_of_the_unit_but_not_the_manager(org, frame, director_a, employee_a):
    colleagues = f.EmployeeFactory.create_batch(6, unit=org.unit_a1, manager=director_a)
    campaign = open_campaign(kind="360", units=[org.unit_a1])
    peers = campaign.assessments.filter(employee=employee_a, role="peer")
    assert peers.count() == 5
    assert set(peers.values_list("assessor_id", flat=True)) <= {c.pk for c in colleagues}
    assert campaign.assessments.filter(employee=employee_a, role="self").count() == 1


def test_opening_a_campaign_with_nobody_in_scope_is_refused_and_leaves_it_in_draft(db):
    unit = f.OrgUnitFactory()
    today = timezone.localdate()
    campaign = services.campaign_create(name="Buida", kind="self_manager", period_start=today, period_end=today,
                                        opens_on=today, closes_on=today, units=[unit])
    with pytest.raises(ValidationError, match="Nobody is in the scope"):
        services.campaign_open(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_the_learning_office_creates_then_opens_a_campaign_through_the_pages(clo_client, frame, employee_a, org):
    today = timezone.localdate()
    data = {
        "name": "Avaluació 2026", "kind": "self_manager", "period_start": f"{today.year}-01-01",
        "period_end": f"{today.year}-12-31", "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=20)).isoformat(), "peer_anonymity_threshold": "3",
        "frameworks": [frame.framework.pk], "units": [org.unit_a.pk],
    }
    response = clo_client.post(reverse("evaluations:campaign_create"), data)
    campaign = AssessmentCampaign.objects.get(name="Avaluació 2026")
    assert response.status_code == 302 and response.url == reverse("evaluations:campaign_detail", args=[campaign.pk])
    assert list(campaign.frameworks.all()) == [frame.framework] and campaign.status == "draft"
    page = clo_client.get(response.url).content.decode()
    assert "Open the campaign" in page
    response = clo_client.post(reverse("evaluations:campaign_open", args=[campaign.pk]), {"confirm": "on"}, follow=True)
    assert "The campaign is open: 2 assessments created." in response.content.decode()
    assert "Progress" in response.content.decode()


def test_bad_campaign_dates_are_refused_next_to_the_field_with_422_for_htmx(clo_client, db):
    data = {"name": "X", "kind": "self_manager", "period_start": "2026-06-01", "period_end": "2026-01-01",
            "opens_on": "2026-03-01", "closes_on": "2026-02-01", "peer_anonymity_threshold": "1"}
    response = clo_client.post(reverse("evaluations:campaign_create"), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="campaign-form"' in html
    assert re.search(r'id="id_closes_on"[^>]*aria-describedby="id_closes_on_error"', html) or re.search(
        r'aria-describedby="id_closes_on_error"[^>]*id="id_closes_on"', html)
    assert 'id="id_closes_on_error"' in html and "The campaign cannot close before it opens." in html
    assert 'id="id_period_end_error"' in html and "The period cannot end before it starts." in html
    assert "The peer anonymity threshold must be at least 2." in html
    assert not AssessmentCampaign.objects.exists()


# --- Answering ------------------------------------------------------------------------------------------------------


def test_the_form_labels_each_level_with_its_behavioural_indicators(employee_a_client, campaign, employee_a, frame):
    assessment = self_assessment(campaign, employee_a)
    html = employee_a_client.get(detail_url(assessment)).content.decode()
    field = f"level_{frame.writing.pk}"
    for level in range(1, 5):
        label = re.search(rf'<label class="level-option" for="id_{field}_{level}">(.*?)</label>', html, re.S).group(1)
        assert f'name="{field}" value="{level}"' in label
        assert f"Writes level-{level} documents" in label and f"Checks level-{level} style" in label
    assert "Not demonstrated" in html and "Level required by the position: 3" in html
    assert "Teamwork" in html  # the second requirement of the position


def test_a_draft_keeps_partial_answers_and_submitting_needs_every_level(employee_a_client, campaign, employee_a, frame):
    assessment = self_assessment(campaign, employee_a)
    w, t = frame.writing.pk, frame.teamwork.pk
    response = employee_a_client.post(detail_url(assessment), {f"level_{w}": "2", f"evidence_{w}": "Report", "save": "1"})
    assert response.status_code == 302
    assert list(assessment.ratings.values_list("competency_id", "level", "evidence")) == [(w, 2, "Report")]
    assert 'value="2" checked' in employee_a_client.get(detail_url(assessment)).content.decode()

    response = employee_a_client.post(detail_url(assessment), {f"level_{w}": "2", "submit": "1"},
                                      headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="id_level_{t}-error"' in html and "Choose a level for this competency." in html
    assert f'aria-describedby="id_level_{t}-error"' in html
    assessment.refresh_from_db()
    assert assessment.status == "draft"

    response = employee_a_client.post(detail_url(assessment), {f"level_{w}": "2", f"level_{t}": "3", "submit": "1",
                                                                 "confirm": "on"},
                                      headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("evaluations:my_assessments")
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.submitted_at is not None


def test_a_submitted_assessment_can_no_longer_be_changed(employee_a_client, submitted, frame):
    response = employee_a_client.post(detail_url(submitted), {f"level_{frame.writing.pk}": "4", "submit": "1"})
    assert response.status_code == 403
    assert submitted.ratings.get(competency=frame.writing).level == 2
    with pytest.raises(ValidationError, match="already been submitted"):
        services.assessment_save(assessment_id=submitted.pk, answers={}, submit=True)
    html = employee_a_client.get(detail_url(submitted)).content.decode()
    assert "Wrote the 2025 report" in html and "<form id=\"assessment-form\"" not in html


def test_answers_outside_the_campaign_dates_are_refused_with_the_dates(employee_a_client, frame, employee_a):
    campaign = open_campaign(days_left=-1, opens_ago=30)
    assessment = self_assessment(campaign, employee_a)
    data = {f"level_{frame.writing.pk}": "2", f"level_{frame.teamwork.pk}": "2", "submit": "1", "confirm": "on"}
    response = employee_a_client.post(detail_url(assessment), data)
    assert response.status_code == 422
    assert "The campaign accepts answers from" in response.content.decode()
    assert not assessment.ratings.exists()


def test_submitting_changes_the_employees_gap_once_committed(employee_a, campaign, frame, eager_tasks,
                                                             django_capture_on_commit_callbacks):
    gap = Gap.objects.get(employee=employee_a, competency=frame.writing)
    assert gap.not_assessed and gap.gap == 3
    assessment = self_assessment(campaign, employee_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_save(assessment_id=assessment.pk, submit=True, answers={
            frame.writing.pk: services.Answer(2), frame.teamwork.pk: services.Answer(2)})
    assert callbacks, "the gap refresh is queued on commit"
    gap = Gap.objects.get(employee=employee_a, competency=frame.writing)
    assert (gap.current_level, gap.gap, gap.not_assessed, gap.level_source) == (2, 1, False, "self")


def test_a_draft_leaves_the_gap_alone(employee_a, campaign, frame, eager_tasks, django_capture_on_commit_callbacks):
    assessment = self_assessment(campaign, employee_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.assessment_save(assessment_id=assessment.pk, submit=False, answers={
            frame.writing.pk: services.Answer(4), frame.teamwork.pk: services.Answer(None)})
    assert not callbacks
    assert Gap.objects.get(employee=employee_a, competency=frame.writing).not_assessed


# --- Validating -----------------------------------------------------------------------------------------------------


def test_the_manager_sees_the_self_assessment_to_validate(director_a_client, submitted, employee_a):
    html = director_a_client.get(reverse("evaluations:my_assessments")).content.decode()
    assert validate_url(submitted) in html and employee_a.full_name in html


def test_an_adjusted_level_without_a_reason_is_refused_at_the_field(director_a_client, submitted, frame):
    w, t = frame.writing.pk, frame.teamwork.pk
    response = director_a_client.post(validate_url(submitted), {f"level_{w}": "3", f"level_{t}": "3"},
                                      headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="validation-form"' in html
    assert f'id="id_reason_{w}_error"' in html and "Give a reason for changing the level." in html
    assert f'id="id_reason_{t}_error"' not in html  # unchanged level: no reason needed
    textarea = re.search(rf'<textarea[^>]*id="id_reason_{w}"[^>]*>', html).group(0)
    assert f'aria-describedby="id_reason_{w}_helptext id_reason_{w}_error"' in textarea
    assert 'aria-invalid="true"' in textarea
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert list(Rating.objects.filter(assessment=submitted, original_level__isnull=False)) == []


def test_validating_with_one_level_changed_keeps_the_self_level_and_updates_the_gap(
        director_a_client, director_a, employee_a, submitted, frame, eager_tasks, django_capture_on_commit_callbacks):
    w, t = frame.writing.pk, frame.teamwork.pk
    assert Gap.objects.get(employee=employee_a, competency=frame.writing).not_assessed  # not committed in this test
    with django_capture_on_commit_callbacks(execute=True):
        response = director_a_client.post(validate_url(submitted), {
            f"level_{w}": "3", f"reason_{w}": "Drafted the new ordinance alone", f"level_{t}": "3"})
    assert response.status_code == 302 and response.url == reverse("evaluations:my_assessments")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.validated_by_id) == ("validated", director_a.pk)
    writing = submitted.ratings.get(competency_id=w)
    assert (writing.level, writing.original_level, writing.adjustment_reason) == (3, 2, "Drafted the new ordinance alone")
    assert submitted.ratings.get(competency_id=t).original_level is None
    gap = Gap.objects.get(employee=employee_a, competency=frame.writing)
    assert (gap.current_level, gap.gap) == (3, 0)
    # The employee reads the result and the reason.
    html = login(director_a_client, employee_a.user).get(detail_url(submitted)).content.decode()
    assert "Changed from 2: Drafted the new ordinance alone" in html


def test_nobody_validates_their_own_self_assessment(director_a, campaign, frame):
    own = self_assessment(campaign, director_a)
    services.assessment_save(assessment_id=own.pk, answers={}, submit=False)
    Assessment.objects.filter(pk=own.pk).update(status="submitted", submitted_at=timezone.now())
    with pytest.raises(ValidationError, match="their own"):
        services.assessment_validate(assessment_id=own.pk, validator_id=director_a.pk, decisions={})


def test_validation_is_all_or_nothing(director_a, submitted, frame):
    decisions = {frame.writing.pk: services.Decision(3, "Good reason"), frame.teamwork.pk: services.Decision(1, "")}
    with pytest.raises(ValidationError):
        services.assessment_validate(assessment_id=submitted.pk, validator_id=director_a.pk, decisions=decisions)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert sorted(submitted.ratings.values_list("level", "original_level")) == [(2, None), (3, None)]


def test_the_competencies_asked_about_follow_the_campaigns_scope(org, frame, employee_a, employee_b):
    """By default the requirements of the person's position; narrowed to the campaign's frameworks; or exactly the
    campaign's own list of competencies."""
    from evaluations.selectors import assessment_competency_ids

    other = f.CompetencyFactory(name="Data protection")  # another framework
    f.RequirementFactory(position=employee_a.position, competency=other, required_level=1)
    by_default = self_assessment(open_campaign(name="Per defecte"), employee_a)
    assert set(assessment_competency_ids(by_default)) == {frame.writing.pk, frame.teamwork.pk, other.pk}

    today = timezone.localdate()
    dates = dict(period_start=today, period_end=today, opens_on=today, closes_on=today)
    narrowed = services.campaign_create(name="Marc", kind="self_manager", frameworks=[frame.framework], **dates)
    services.campaign_open(campaign_id=narrowed.pk)
    assert set(assessment_competency_ids(self_assessment(narrowed, employee_a))) == {frame.writing.pk,
                                                                                      frame.teamwork.pk}
    listed = services.campaign_create(name="Llista", kind="self_manager", competencies=[other], **dates)
    services.campaign_open(campaign_id=listed.pk)
    assert assessment_competency_ids(self_assessment(listed, employee_b)) == [other.pk]


def test_in_a_manager_campaign_the_manager_answers_and_the_level_is_the_managers(
        director_a_client, org, frame, director_a, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    campaign = open_campaign(kind="manager", units=[org.unit_a])
    assessment = Assessment.objects.get(campaign=campaign, employee=employee_a, role="manager")
    html = director_a_client.get(reverse("evaluations:my_assessments")).content.decode()
    assert detail_url(assessment) in html and employee_a.full_name in html
    data = {f"level_{frame.writing.pk}": "4", f"level_{frame.teamwork.pk}": "1", "submit": "1", "confirm": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = director_a_client.post(detail_url(assessment), data)
    assert response.status_code == 302
    gap = Gap.objects.get(employee=employee_a, competency=frame.teamwork)
    assert (gap.current_level, gap.gap, gap.level_source) == (1, 1, "manager")
    # The employee reads the manager's assessment of them, but cannot change it.
    employee_client = login(director_a_client, employee_a.user)
    assert employee_client.get(detail_url(assessment)).status_code == 200
    assert employee_client.post(detail_url(assessment), data).status_code == 403
