"""Who may read what: every role × every evaluation URL, GET and POST, full page and HTMX partial; peers' answers
never reach the assessed person; every read of an assessment page is recorded and never cached."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Assessment, AssessmentReadLog
from tests import factories as f
from tests.conftest import login
from tests.evaluations.conftest import open_campaign

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "clo", "hr", "director_a", "employee_a", "director_b", "employee_b")

# url name → method → expected status per persona (302 = redirect: to the login page for anonymous, elsewhere
# after an accepted POST). ``employee_a``'s self-assessment is submitted and waits for director_a's validation.
EXPECTED = {
    ("campaign_list", "get"): dict(clo=200, hr=200, director_a=200, employee_a=403, director_b=200, employee_b=403),
    # the learning office's own pages do not exist for anybody else (404, not 403)
    ("campaign_create", "get"): dict(clo=200, hr=404, director_a=404, employee_a=404, director_b=404, employee_b=404),
    ("campaign_create", "post"): dict(clo=422, hr=404, director_a=404, employee_a=404, director_b=404, employee_b=404),
    ("campaign_detail", "get"): dict(clo=200, hr=200, director_a=200, employee_a=404, director_b=200, employee_b=404),
    ("campaign_open", "post"): dict(clo=302, hr=404, director_a=404, employee_a=404, director_b=404, employee_b=404),
    ("my_assessments", "get"): dict(clo=200, hr=200, director_a=200, employee_a=200, director_b=200, employee_b=200),
    ("assessment_detail", "get"): dict(clo=200, hr=200, director_a=200, employee_a=200, director_b=404, employee_b=404),
    ("assessment_detail", "post"): dict(clo=403, hr=403, director_a=403, employee_a=403, director_b=404, employee_b=404),
    ("assessment_validate", "get"): dict(clo=403, hr=403, director_a=200, employee_a=403, director_b=404,
                                         employee_b=404),
    ("assessment_validate", "post"): dict(clo=403, hr=403, director_a=422, employee_a=403, director_b=404,
                                          employee_b=404),
    ("employee_results", "get"): dict(clo=200, hr=200, director_a=200, employee_a=200, director_b=404, employee_b=404),
}
READ_PAGES = {"assessment_detail": "assessment", "assessment_validate": "validation", "employee_results": "results"}


@pytest.fixture
def world(request, client, frame, clo_user, hr_user, director_a, employee_a, director_b, employee_b, submitted):
    users = {"clo": clo_user, "hr": hr_user, "director_a": director_a.user, "employee_a": employee_a.user,
             "director_b": director_b.user, "employee_b": employee_b.user}
    return {"assessment": submitted, "campaign": submitted.campaign, "employee": employee_a, "users": users}


def url_for(name: str, world) -> str:
    args = {
        "campaign_detail": [world["campaign"].pk], "campaign_open": [world["campaign"].pk],
        "assessment_detail": [world["assessment"].pk], "assessment_validate": [world["assessment"].pk],
        "employee_results": [world["employee"].pk],
    }.get(name, [])
    return reverse(f"evaluations:{name}", args=args)


def cases():
    for (name, method), expected in EXPECTED.items():
        for persona in PERSONAS:
            for htmx in (False, True):
                yield pytest.param(name, method, persona, htmx, expected.get(persona, 302),
                                   id=f"{name}-{method}-{persona}{'-htmx' if htmx else ''}")


@pytest.mark.parametrize(("name", "method", "persona", "htmx", "status"), list(cases()))
def test_every_role_on_every_url(client, world, name, method, persona, htmx, status):
    if persona != "anonymous":
        login(client, world["users"][persona])
    url = url_for(name, world)
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(client, method)(url, {}, headers=headers)
    if htmx and status == 302 and persona != "anonymous":
        status = 200  # an accepted HTMX POST answers with HX-Redirect
    assert response.status_code == status, response.content[:300]
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))
    if name in READ_PAGES and status in (200, 422):
        log = AssessmentReadLog.objects.latest("pk")
        user = world["users"][persona]
        assert (log.user, log.username, log.employee, log.page, log.path) == (
            user, user.username, world["employee"], READ_PAGES[name], url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    if status in (403, 404) and name in READ_PAGES:
        assert not AssessmentReadLog.objects.exists()


def test_a_refused_reader_leaves_no_trace_and_a_reader_one_per_read(client, world):
    login(client, world["users"]["hr"])
    url = url_for("assessment_detail", world)
    client.get(url)
    client.get(url)
    assert AssessmentReadLog.objects.filter(page="assessment", assessment=world["assessment"]).count() == 2


def test_the_outsiders_progress_shows_only_their_own_people(client, world, employee_a, employee_b):
    login(client, world["users"]["director_b"])
    html = client.get(url_for("campaign_detail", world)).content.decode()
    assert "Progress in my units" in html
    assert employee_b.full_name in html and employee_a.full_name not in html


def test_the_learning_office_sees_who_has_not_answered_in_the_whole_campaign(client, world, employee_b, director_a):
    login(client, world["users"]["clo"])
    response = client.get(url_for("campaign_detail", world), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="pending"' in html  # the partial only
    assert employee_b.full_name in html and director_a.full_name in html
    assert "5 assessments not answered yet" in html  # six people, employee_a has answered


@pytest.fixture
def peer_review(org, frame, director_a, employee_a):
    """employee_a assessed by three colleagues of A1 in a 360° campaign; the first has answered."""
    peers = f.EmployeeFactory.create_batch(3, unit=org.unit_a1, manager=director_a)
    campaign = open_campaign(kind="360", units=[org.unit_a1], name="360 A1")
    peer = Assessment.objects.get(campaign=campaign, employee=employee_a, assessor=peers[0], role="peer")
    services.assessment_save(assessment_id=peer.pk, submit=True,
                             answers={frame.writing.pk: services.Answer(1), frame.teamwork.pk: services.Answer(4)})
    return peer, peers


def test_peers_individual_answers_never_reach_the_assessed_person(client, peer_review, employee_a, director_a, hr_user):
    peer, peers = peer_review
    url = reverse("evaluations:assessment_detail", args=[peer.pk])
    assert login(client, employee_a.user).get(url).status_code == 404
    assert login(client, employee_a.user).get(url, headers={"HX-Request": "true"}).status_code == 404
    # Nor their director, nor HR: a peer's answer is its rater's only.
    assert login(client, director_a.user).get(url).status_code == 404
    assert login(client, hr_user).get(url).status_code == 404
    # Another colleague of the same unit is no reader of it either.
    colleague_user = f.UserFactory()
    peers[1].user = colleague_user
    peers[1].save(update_fields=["user"])
    assert login(client, colleague_user).get(url).status_code == 404


def test_the_peer_reads_and_writes_only_their_own_answer(client, peer_review, employee_a):
    peer, peers = peer_review
    user = f.UserFactory()
    peers[0].user = user
    peers[0].save(update_fields=["user"])
    login(client, user)
    assert client.get(reverse("evaluations:assessment_detail", args=[peer.pk])).status_code == 200
    assert client.get(reverse("evaluations:employee_results", args=[employee_a.pk])).status_code == 404
    self_of_a = Assessment.objects.get(campaign=peer.campaign, employee=employee_a, role="self")
    assert client.get(reverse("evaluations:assessment_detail", args=[self_of_a.pk])).status_code == 404


def test_a_director_never_reads_peers_answers_about_themselves(client, org, frame, director_a):
    colleague = f.EmployeeFactory(unit=org.unit_a, user=f.UserFactory())
    campaign = open_campaign(kind="360", units=[org.unit_a], name="360 A")
    about_director = Assessment.objects.get(campaign=campaign, employee=director_a, assessor=colleague, role="peer")
    login(client, director_a.user)
    assert client.get(reverse("evaluations:assessment_detail", args=[about_director.pk])).status_code == 404
    about_colleague = Assessment.objects.get(campaign=campaign, employee=colleague, assessor=director_a, role="peer")
    assert client.get(reverse("evaluations:assessment_detail", args=[about_colleague.pk])).status_code == 200


def test_managers_up_the_unit_tree_read_but_the_head_of_a_sibling_unit_does_not(client, org, world, employee_a):
    """The head of the root unit (an ancestor of A1, neither HR nor the learning office) reads employee_a's
    assessment and results; the head of B1 (a sibling branch) does not."""
    head_of_root = f.EmployeeFactory(unit=org.root, user=f.UserFactory())
    org.root.heads.add(head_of_root)
    head_of_b1 = f.EmployeeFactory(unit=org.unit_b1, user=f.UserFactory())
    org.unit_b1.heads.add(head_of_b1)
    urls = [url_for("assessment_detail", world), url_for("employee_results", world)]
    for url in urls:
        assert login(client, head_of_root.user).get(url).status_code == 200
        assert login(client, head_of_b1.user).get(url).status_code == 404
