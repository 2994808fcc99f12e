"""Running a campaign: the learning office changes it (scope locked once open, deadline never before today), closes
it (no more answers; drafts marked "not submitted"), follows progress per unit (a director: their units only), and
the learning office or a manager hand-picks the peers of a person in a 360° campaign (at most 5, never the person,
never twice; the automatic choice is the suggestion). Every new URL: role × GET/POST × full page/HTMX."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import services, services_campaigns
from evaluations.models import Assessment, AssessmentCampaign
from evaluations.selectors import employee_results
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign, self_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HX = {"HX-Request": "true"}


def draft_campaign(*, kind="360", units=(), name="Draft 360"):
    return services.campaign_create(
        name=name, kind=kind, period_start=dt.date(TODAY.year, 1, 1), period_end=dt.date(TODAY.year, 12, 31),
        opens_on=TODAY + dt.timedelta(days=5), closes_on=TODAY + dt.timedelta(days=30), units=units,
    )


def form_data(campaign, **changes) -> dict:
    data = {
        "name": campaign.name, "kind": campaign.kind, "period_start": campaign.period_start.isoformat(),
        "period_end": campaign.period_end.isoformat(), "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(), "peer_anonymity_threshold": campaign.peer_anonymity_threshold,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Changing a campaign ----------------------------------------------------------------------------------------


def test_a_draft_changes_everything(clo_client, frame, org):
    campaign = draft_campaign(kind="self_manager")
    url = reverse("evaluations:campaign_edit", args=[campaign.pk])
    response = clo_client.post(url, form_data(campaign, name="Renamed", kind="360", units=[org.unit_a.pk],
                                              peer_anonymity_threshold=4))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.kind, campaign.peer_anonymity_threshold) == ("Renamed", "360", 4)
    assert list(campaign.units.all()) == [org.unit_a]
    assert "The campaign has been changed." in clo_client.get(response.url).content.decode()


def test_an_open_campaign_keeps_its_scope_and_opening_and_extends_its_deadline(clo_client, campaign, org):
    url = reverse("evaluations:campaign_edit", args=[campaign.pk])
    page = clo_client.get(url).content.decode()
    assert page.count("disabled") >= 4 and "Locked: the campaign is open." in page
    later = campaign.closes_on + dt.timedelta(days=7)
    # The locked fields are not taken from the request even if sent.
    response = clo_client.post(url, form_data(campaign, closes_on=later.isoformat(), kind="360",
                                              units=[org.unit_b.pk], name="Campanya 2026 (ampliada)"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.closes_on, campaign.kind, campaign.name) == (later, "self_manager", "Campanya 2026 (ampliada)")
    assert not campaign.units.exists()


def test_an_open_campaigns_deadline_never_moves_before_today(clo_client, campaign):
    url = reverse("evaluations:campaign_edit", args=[campaign.pk])
    yesterday = TODAY - dt.timedelta(days=1)
    response = clo_client.post(url, form_data(campaign, closes_on=yesterday.isoformat()), headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Once the campaign is open, its deadline cannot move before today." in html
    assert 'id="id_closes_on_error"' in html and "<html" not in html
    campaign.refresh_from_db()
    assert campaign.closes_on > TODAY


def test_the_service_refuses_scope_changes_once_open_at_the_field(campaign, org):
    with pytest.raises(ValidationError) as error:
        services_campaigns.campaign_update(
            campaign_id=campaign.pk, name=campaign.name, period_start=campaign.period_start,
            period_end=campaign.period_end, opens_on=campaign.opens_on + dt.timedelta(days=1),
            closes_on=campaign.closes_on, peer_anonymity_threshold=3, units=[org.unit_a],
        )
    assert set(error.value.message_dict) == {"units", "opens_on"}


def test_a_closed_campaign_no_longer_changes(clo_client, campaign):
    services_campaigns.campaign_close(campaign_id=campaign.pk)
    url = reverse("evaluations:campaign_edit", args=[campaign.pk])
    response = clo_client.post(url, form_data(campaign, name="Too late"), follow=True)
    assert "A closed campaign can no longer be changed." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.name == "Campanya 2026"


# --- Closing ------------------------------------------------------------------------------------------------------


def test_closing_refuses_answers_and_marks_the_drafts(clo_client, campaign, frame, employee_a, employee_b, submitted):
    response = clo_client.post(reverse("evaluations:campaign_close", args=[campaign.pk]), follow=True)
    html = response.content.decode()
    left = Assessment.objects.filter(campaign=campaign).exclude(pk=submitted.pk).count()
    assert f"The campaign is closed: it accepts no more answers. {left} assessments were left unanswered" in html
    assert "This campaign is closed" in html and "Not submitted (campaign closed)" in html
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert set(Assessment.objects.filter(campaign=campaign).values_list("status", flat=True)) == {
        "submitted", "unanswered"}
    with pytest.raises(ValidationError, match="not submitted in time"):
        services.assessment_save(assessment_id=self_assessment(campaign, employee_b).pk, submit=True,
                                 answers={frame.writing.pk: services.Answer(2)})
    assert services.assessment_reminders_send(today=campaign.closes_on - dt.timedelta(days=1)) == 0  # nobody
    again = clo_client.post(reverse("evaluations:campaign_close", args=[campaign.pk]), follow=True)
    assert "Only an open campaign can be closed." in again.content.decode()


def test_the_employee_cannot_answer_a_closed_campaign(client, campaign, employee_b, frame):
    services_campaigns.campaign_close(campaign_id=campaign.pk)
    login(client, employee_b.user)
    assessment = self_assessment(campaign, employee_b)
    assert "Myself" not in client.get(reverse("evaluations:my_assessments")).content.decode()
    response = client.post(reverse("evaluations:assessment_detail", args=[assessment.pk]),
                           {f"level_{frame.writing.pk}": "2", "submit": "1"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == "unanswered"


# --- Progress per unit ----------------------------------------------------------------------------------------


def rows(html: str) -> list[str]:
    from tests.dashboards.pages import read

    class R:
        content = html.encode()

    return [row[0] for row in read(R()).tables.get("unit-progress", [])]


def test_progress_per_unit_for_the_learning_office_and_a_director(client, campaign, clo_user, director_b, org,
                                                                 employee_a, submitted):
    url = reverse("evaluations:campaign_units", args=[campaign.pk])
    login(client, clo_user)
    from tests.dashboards.pages import read

    page = read(client.get(url))
    table = {row[0]: row[1:] for row in page.tables["unit-progress"]}
    assert table["Servei d'Educació"] == ["1", "1", "0"]  # employee_a answered
    assert table["Àrea d'Urbanisme"] == ["1", "0", "1"]
    login(client, director_b.user)
    page = read(client.get(url))
    assert set(row[0] for row in page.tables["unit-progress"]) == {"Àrea d'Urbanisme", "Servei de Llicències"}
    partial = client.get(url, headers=HX).content.decode()
    assert 'id="units"' in partial and "<html" not in partial


def test_progress_per_unit_costs_the_same_with_more_units(clo_client, campaign, org, django_assert_max_num_queries):
    url = reverse("evaluations:campaign_units", args=[campaign.pk])
    counts = []
    for size in (3, 30):
        for _ in range(size):
            person = f.EmployeeFactory(unit=f.OrgUnitFactory(parent=org.unit_a))
            Assessment.objects.create(campaign=campaign, employee=person, assessor=person, role="self")
        with django_assert_max_num_queries(15) as captured:
            assert clo_client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- Peers ----------------------------------------------------------------------------------------------------


@pytest.fixture
def team(org, frame, director_a, employee_a):
    """Six colleagues of employee_a in A1 (alphabetical A… to F…) and one in unit B."""
    colleagues = [f.EmployeeFactory(unit=org.unit_a1, manager=director_a, last_name=f"{letter} Colleague",
                                    first_name="Eva") for letter in "ABCDEF"]
    far = f.EmployeeFactory(unit=org.unit_b1, first_name="Lluís", last_name="Far Away", employee_number="X-777")
    return colleagues, far


def peers_of(campaign, employee) -> set[int]:
    return set(Assessment.objects.filter(campaign=campaign, employee=employee, role="peer")
               .values_list("assessor_id", flat=True))


def test_the_manager_sees_the_suggestion_and_hand_picks_before_the_campaign_opens(client, director_a, employee_a,
                                                                                  team, org):
    colleagues, far = team
    campaign = draft_campaign(units=[org.unit_a])
    login(client, director_a.user)
    url = reverse("evaluations:peers_choose", args=[campaign.pk, employee_a.pk])
    page = client.get(url).content.decode()
    assert "Suggested: colleagues of the same unit" in page
    assert page.count('checked') == 5 and "F Colleague" not in page  # the first five, alphabetically
    found = client.get(url, {"q": "far away"}, headers=HX).content.decode()
    assert 'id="candidates"' in found and "Lluís Far Away" in found and "<html" not in found
    assert "Lluís Far Away" in client.get(url, {"q": "X-777"}).content.decode()
    response = client.post(url, {"peers": [colleagues[5].pk, far.pk]})
    assert response.status_code == 302
    assert peers_of(campaign, employee_a) == {colleagues[5].pk, far.pk}
    # When the campaign opens, the hand-picked peers stay; everybody else gets the automatic choice.
    campaign.opens_on = TODAY
    campaign.save()
    services.campaign_open(campaign_id=campaign.pk)
    assert peers_of(campaign, employee_a) == {colleagues[5].pk, far.pk}
    assert len(peers_of(campaign, colleagues[0])) == 5
    assert Assessment.objects.filter(campaign=campaign, assessor=far, role="peer").exists()


def test_peers_picked_in_a_draft_follow_its_scope(employee_a, employee_b, team, org):
    colleagues, far = team
    campaign = draft_campaign()
    services_campaigns.peers_set(campaign_id=campaign.pk, employee_id=employee_a.pk, peer_ids=[far.pk])
    services_campaigns.peers_set(campaign_id=campaign.pk, employee_id=employee_b.pk, peer_ids=[far.pk])
    dates = dict(name=campaign.name, period_start=campaign.period_start, period_end=campaign.period_end,
                 opens_on=campaign.opens_on, closes_on=campaign.closes_on, peer_anonymity_threshold=3)
    services_campaigns.campaign_update(campaign_id=campaign.pk, units=[org.unit_b], **dates)
    assert not peers_of(campaign, employee_a) and peers_of(campaign, employee_b) == {far.pk}
    services_campaigns.campaign_update(campaign_id=campaign.pk, kind="self_manager", **dates)
    assert not Assessment.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize("picked,message", [
    ("self", "A person cannot be their own peer."),
    ("six", "Choose at most 5 peers."),
    ("twice", "Each colleague can be chosen once only."),
    ("inactive", "Select a valid choice."),
])
def test_bad_peer_choices_are_refused_next_to_the_field(clo_client, employee_a, team, org, picked, message):
    colleagues, far = team
    campaign = draft_campaign(units=[org.unit_a])
    gone = f.EmployeeFactory(unit=org.unit_a1, active=False)
    ids = {"self": [employee_a.pk], "six": [c.pk for c in colleagues], "twice": [far.pk, far.pk],
           "inactive": [gone.pk]}[picked]
    url = reverse("evaluations:peers_choose", args=[campaign.pk, employee_a.pk])
    response = clo_client.post(url, {"peers": ids}, headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'id="id_peers-error"' in html
    assert peers_of(campaign, employee_a) == set()


def test_during_the_campaign_new_peers_get_their_assessment_and_every_peer_stays(client, director_a, employee_a,
                                                                               team, org, frame):
    """Once open, peers can be added (a new draft at once) but none removed, answered or not: refusing only the
    answered ones would tell who has answered."""
    colleagues, far = team
    campaign = draft_campaign(units=[org.unit_a1])
    services_campaigns.peers_set(campaign_id=campaign.pk, employee_id=employee_a.pk,
                                 peer_ids=[colleagues[0].pk, colleagues[1].pk])
    campaign.opens_on = TODAY
    campaign.save()
    services.campaign_open(campaign_id=campaign.pk)
    answered = Assessment.objects.get(campaign=campaign, employee=employee_a, assessor=colleagues[0], role="peer")
    services.assessment_save(assessment_id=answered.pk, submit=True,
                             answers={frame.writing.pk: services.Answer(2), frame.teamwork.pk: services.Answer(2)})
    login(client, director_a.user)
    url = reverse("evaluations:peers_choose", args=[campaign.pk, employee_a.pk])
    refusals = []
    for leaving in (colleagues[0], colleagues[1]):  # answered, not answered: the same answer
        kept = [c.pk for c in colleagues[:2] if c != leaving]
        refused = client.post(url, {"peers": [*kept, far.pk]})
        assert refused.status_code == 422
        refusals.append(refused.content.decode().count("Once the campaign is open, the peers chosen stay"))
    assert refusals == [2, 2]  # the same refusal, at the field and in the error summary above the form
    assert peers_of(campaign, employee_a) == {colleagues[0].pk, colleagues[1].pk}
    assert client.post(url, {"peers": [colleagues[0].pk, colleagues[1].pk, far.pk]}).status_code == 302
    assert peers_of(campaign, employee_a) == {colleagues[0].pk, colleagues[1].pk, far.pk}
    new = Assessment.objects.get(campaign=campaign, employee=employee_a, assessor=far)
    assert new.status == "draft"
    # One peer answered: before the close nothing about the peers is released.
    [block] = employee_results(employee_a)
    assert not block.peers_shown


def test_the_peers_list_shows_each_persons_peer_count(client, director_a, employee_a, team, org,
                                                      django_assert_max_num_queries):
    campaign = open_campaign(kind="360", units=[org.unit_a1], name="360 A1")
    login(client, director_a.user)
    url = reverse("evaluations:campaign_peers", args=[campaign.pk])
    from tests.dashboards.pages import read

    counts = []
    for size in (2, 20):
        f.EmployeeFactory.create_batch(size, unit=org.unit_a1, manager=director_a)
        with django_assert_max_num_queries(15) as captured:
            page = read(client.get(url))
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    rows_ = {row[0]: row[2] for row in page.tables["peer-people"]}
    assert rows_[employee_a.full_name] == "5"


def test_a_campaign_without_peers_has_no_peer_pages(clo_client, campaign, employee_a):
    assert clo_client.get(reverse("evaluations:campaign_peers", args=[campaign.pk])).status_code == 404
    url = reverse("evaluations:peers_choose", args=[campaign.pk, employee_a.pk])
    assert clo_client.get(url).status_code == 404


# --- Who reaches what -----------------------------------------------------------------------------------------

PERSONAS = ("clo", "hr", "director_a", "employee_a", "director_b", "employee_b")
# A 360° campaign on unit A only: director_b (the outsider) and employee_b have no business with it.
EXPECTED = {
    ("campaign_edit", "get"): dict(clo=200),
    ("campaign_edit", "post"): dict(clo=422),
    ("campaign_close", "get"): dict(clo=405),
    ("campaign_close", "post"): dict(clo=302),
    ("campaign_units", "get"): dict(clo=200, hr=200, director_a=200),
    ("campaign_units", "post"): dict(clo=405, hr=405, director_a=405),
    ("campaign_peers", "get"): dict(clo=200, hr=200, director_a=200),
    ("campaign_peers", "post"): dict(clo=405, hr=405, director_a=405),
    ("peers_choose", "get"): dict(clo=200, director_a=200),
    ("peers_choose", "post"): dict(clo=302, director_a=302),
}


def cases():
    for (name, method), expected in EXPECTED.items():
        for persona in PERSONAS:
            for htmx in (False, True):
                yield pytest.param(name, method, persona, htmx, expected.get(persona, 404),
                                   id=f"{name}-{method}-{persona}{'-htmx' if htmx else ''}")


@pytest.mark.parametrize(("name", "method", "persona", "htmx", "status"), list(cases()))
def test_every_role_on_every_new_url(client, request, org, frame, clo_user, hr_user, director_a, employee_a,
                                     director_b, employee_b, name, method, persona, htmx, status):
    campaign = open_campaign(kind="360", units=[org.unit_a], name="360 A")
    user = clo_user if persona == "clo" else hr_user if persona == "hr" else request.getfixturevalue(persona).user
    login(client, user)
    args = [campaign.pk, employee_a.pk] if name == "peers_choose" else [campaign.pk]
    response = getattr(client, method)(reverse(f"evaluations:{name}", args=args), {},
                                       headers=HX if htmx else {})
    if htmx and status == 302:
        status = 200  # an accepted HTMX POST answers with HX-Redirect
    assert response.status_code == status, response.content[:300]
    if status == 404:
        assert AssessmentCampaign.objects.get(pk=campaign.pk).status == "open"


def test_my_assessments_lists_the_360_campaigns_where_i_choose_peers(client, org, frame, director_a, employee_a,
                                                                      director_b, employee_b):
    mine = draft_campaign(units=[org.unit_a1], name="Draft 360 A1")
    whole = draft_campaign(name="Draft 360 everywhere")
    draft_campaign(units=[org.unit_b], name="Draft 360 B")
    draft_campaign(kind="self_manager", units=[org.unit_a], name="Draft self A")
    closed = open_campaign(kind="360", units=[org.unit_a], name="Closed 360 A")
    services_campaigns.campaign_close(campaign_id=closed.pk)
    # A manager who heads no unit: their report is in unit A1.
    lead = f.EmployeeFactory(unit=org.unit_b1, user=f.UserFactory(username="cap.sense.unitat"))
    report = f.EmployeeFactory(unit=org.unit_a1, manager=lead)
    url = reverse("evaluations:my_assessments")
    for person, expected in ((director_a, {mine.name, whole.name}), (director_b, {whole.name, "Draft 360 B"}),
                             (lead, {mine.name, whole.name}), (employee_a, set())):
        client.force_login(person.user)
        html = client.get(url).content.decode()
        shown = {name for name in ("Draft 360 A1", "Draft 360 everywhere", "Draft 360 B", "Draft self A",
                                   "Closed 360 A") if name in html}
        assert shown == expected, person
    assert report.manager == lead


def test_closing_and_picking_peers_leave_an_audit_trail(campaign, employee_a, employee_b, team, org):
    from clo.core.models import AuditEntry

    colleagues, far = team
    peers_campaign = draft_campaign(units=[org.unit_a])
    services_campaigns.peers_set(campaign_id=peers_campaign.pk, employee_id=employee_a.pk, peer_ids=[far.pk])
    services_campaigns.peers_set(campaign_id=peers_campaign.pk, employee_id=employee_a.pk, peer_ids=[])
    drafts = Assessment.objects.filter(campaign=campaign, status="draft").count()
    before = AuditEntry.objects.count()
    services_campaigns.campaign_close(campaign_id=campaign.pk)
    assert AuditEntry.objects.count() - before == drafts
    assert AuditEntry.objects.filter(changes__status=["draft", "unanswered"]).count() == drafts
    assert AuditEntry.objects.filter(changes__assessor=[far.pk, None]).exists()
    assert AuditEntry.objects.filter(changes__assessor=[None, far.pk]).exists()
