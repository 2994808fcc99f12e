"""Communities of practice: joining on request (a refusal with its reason, asking again, leaving), open joining, the
link to the council's own tool, meetings as sessions of the community's program (the members' seats, their
calendar feed, attendance that counts in the training figures and the units' roll-up), resources attached to
competency levels (a bad file refused at the field, nothing written; shown on the competency's page and, per gap, in
the learning plan), the queries of the list and the page at two sizes, and the scope (an outsider gets 404 on every
URL, GET and POST, HTMX included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clo.people.selectors import unit_figures
from clo.talent.models import Community, Membership
from clo.talent.services import communities as services
from competencies.models import LevelResource
from programs.models import Enrolment, Session
from programs.selectors import training_figures, unit_training_figures, year_bounds
from programs.services.calendar import calendar_feed_create
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def as_(person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(getattr(person, "user", person))
    return client


@pytest.fixture
def writing():
    framework = f.FrameworkFactory()
    return f.CompetencyFactory(area=f.AreaFactory(framework=framework), name="Redacció administrativa")


@pytest.fixture
def coordinator(org):
    user = f.UserFactory(username="coordinadora.a")
    return f.EmployeeFactory(user=user, unit=org.unit_a1, first_name="Laia", last_name="Ferrer Puig")


def make_community(unit, writing, coordinator, *, name="Escriure clar", joining="request", published=True):
    community = Community(name=name, description="We share how we write letters people understand.", unit=unit,
                          joining=joining, published=published, tool_url="https://teams.example.cat/escriure")
    return services.community_save(community=community, competencies=[writing], coordinators=[coordinator])


@pytest.fixture
def community(org, writing, coordinator):
    """Unit A's community, joining on request, coordinated by a colleague of employee A."""
    return make_community(org.unit_a, writing, coordinator)


def future_meeting(community, *, days=3, capacity=10) -> Session:
    day = timezone.localdate() + dt.timedelta(days=days)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return services.meeting_create(community=community, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                                   place="Sala 3, Plaça de la Vila 1", online_url="", capacity=capacity)


# --- Joining ----------------------------------------------------------------------------------------------------------


def test_joining_on_request_a_refusal_needs_its_reason_and_the_person_may_ask_again(community, coordinator,
                                                                                    employee_a):
    employee, coord = as_(employee_a), as_(coordinator)
    page = reverse("talent:community_detail", args=[community.pk])
    assert "Ask to join" in employee.get(page).content.decode()
    employee.post(reverse("talent:community_join", args=[community.pk]))
    membership = Membership.objects.get(community=community, employee=employee_a)
    assert membership.status == "pending"
    assert "Your request to join is waiting" in employee.get(page).content.decode()
    decide = reverse("talent:community_request_decide", args=[community.pk, membership.pk])

    response = coord.post(decide, {"decision": "refuse", "reason": " "}, **HX)
    assert response.status_code == 422 and "Say why you refuse" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "pending"

    coord.post(decide, {"decision": "refuse", "reason": "The group is full until September."})
    membership.refresh_from_db()
    assert membership.status == "refused"
    text = employee.get(page).content.decode()
    assert "The group is full until September." in text and "Ask to join" in text

    employee.post(reverse("talent:community_join", args=[community.pk]))
    membership.refresh_from_db()
    assert membership.status == "pending" and membership.refusal_reason == ""
    coord.post(decide, {"decision": "approve", "reason": ""})
    membership.refresh_from_db()
    assert membership.status == "member"
    assert "Leave the community" in employee.get(page).content.decode()

    employee.post(reverse("talent:community_leave", args=[community.pk]))
    assert not Membership.objects.filter(community=community, employee=employee_a).exists()


def test_an_open_community_takes_a_person_at_once_and_the_last_coordinator_cannot_leave(org, writing, coordinator,
                                                                                        employee_a):
    community = make_community(org.unit_a, writing, coordinator, joining="open")
    as_(employee_a).post(reverse("talent:community_join", args=[community.pk]))
    assert Membership.objects.get(community=community, employee=employee_a).status == "member"
    response = as_(coordinator).post(reverse("talent:community_leave", args=[community.pk]), **HX)
    assert response.status_code == 422 and "only coordinator" in response.content.decode()
    assert community.memberships.filter(employee=coordinator, role="coordinator").exists()


def test_the_learning_office_creates_a_community_with_a_secure_link_only(clo_user, org, writing, coordinator):
    client = as_(clo_user)
    data = {"name": "Dades obertes", "description": "Open data in practice.", "competencies": [writing.pk],
            "unit": "", "joining": "open", "published": "on", "tool_url": "http://viva.example.cat/dades",
            "coordinators": coordinator.employee_number}
    response = client.post(reverse("talent:community_create"), data, **HX)
    assert response.status_code == 422 and "https://" in response.content.decode()
    assert not Community.objects.exists()
    response = client.post(reverse("talent:community_create"), {**data, "coordinators": "NOBODY-1"}, **HX)
    assert response.status_code == 422 and "NOBODY-1" in response.content.decode()
    client.post(reverse("talent:community_create"), {**data, "tool_url": "https://viva.example.cat/dades"})
    community = Community.objects.get(name="Dades obertes")
    assert community.program.modality == "community" and not community.program.active
    assert community.memberships.get().role == "coordinator"


def test_employees_see_the_communities_published_to_them(community, org, writing, coordinator, employee_a,
                                                        employee_b, director_a, clo_user):
    draft = make_community(org.unit_a, writing, coordinator, name="Esborrany", published=False)
    council = make_community(None, writing, coordinator, name="Tot el consistori", joining="open")
    lists = {who: as_(who).get(reverse("talent:community_list")).content.decode()
             for who in (employee_a, employee_b, director_a, clo_user)}
    assert community.name in lists[employee_a] and council.name in lists[employee_a]
    assert draft.name not in lists[employee_a]
    assert community.name not in lists[employee_b] and council.name in lists[employee_b]
    assert draft.name in lists[director_a] and draft.name in lists[clo_user]  # their subtree's / everything


# --- Meetings: sessions of the community's program ----------------------------------------------------------------


def test_a_meetings_attendance_counts_in_the_training_hours_and_it_is_in_the_members_calendar(
        community, coordinator, employee_a, org):
    services.community_join(community=community, employee=employee_a)
    services.membership_decide(membership=community.memberships.get(employee=employee_a), accept=True, reason="",
                               decided_by=coordinator.user)
    coord = as_(coordinator)
    day = timezone.localdate() + dt.timedelta(days=5)
    response = coord.post(reverse("talent:community_meeting_create", args=[community.pk]), {
        "date": day.isoformat(), "starts": "09:30", "ends": "12:00", "place": "Sala 3", "capacity": 12})
    assert response.status_code == 302
    meeting = Session.objects.get(program=community.program)
    assert meeting.days.get().hours == Decimal("2.5")
    coord.post(reverse("talent:community_meeting_enrol", args=[community.pk, meeting.pk]))
    seats = dict(Enrolment.objects.filter(session=meeting).values_list("employee_id", "status"))
    assert seats == {employee_a.pk: "approved", coordinator.pk: "approved"}

    token = calendar_feed_create(employee_id=employee_a.pk)
    feed = as_(employee_a).get(reverse("programs:calendar_feed", args=[token]))
    ics = b"".join(feed.streaming_content) if feed.streaming else feed.content
    assert b"SUMMARY:Escriure clar" in ics
    assert f"DTSTART;TZID=Europe/Madrid:{timezone.localtime(meeting.starts_at):%Y%m%dT%H%M%S}".encode() in ics

    start, end = year_bounds(timezone.localtime(meeting.starts_at).year)
    people = f.EmployeeFactory._meta.model.objects.filter(pk=employee_a.pk)
    hours = lambda: unit_figures(org.root.pk, training_figures(people, start=start, end=end))["hours"]  # noqa: E731
    assert hours() == 0
    enrolment = Enrolment.objects.get(session=meeting, employee=employee_a)
    response = coord.post(reverse("talent:community_meeting_attendance", args=[community.pk, meeting.pk]),
                          {"attended": [enrolment.pk]})
    assert response.status_code == 302
    assert hours() == Decimal("2.5")
    rollup = unit_figures(org.unit_a1.pk, unit_training_figures(org.unit_a1.pk, year=start.year))
    assert rollup["hours"] == Decimal("2.5")  # employee A came; the coordinator (same unit) did not
    enrolment.refresh_from_db()
    assert enrolment.status == "attended"
    page = as_(employee_a).get(reverse("talent:community_detail", args=[community.pk])).content.decode()
    assert "Attended" in page


def test_a_member_signs_up_and_leaving_gives_the_seat_back(community, coordinator, employee_a):
    services.coordinator_set(community=community, employee=employee_a, coordinator=False)  # a member
    meeting = future_meeting(community)
    as_(employee_a).post(reverse("talent:community_meeting_sign_up", args=[community.pk, meeting.pk]))
    enrolment = Enrolment.objects.get(session=meeting, employee=employee_a)
    assert enrolment.status == "approved"
    services.community_leave(community=community, employee=employee_a)
    enrolment.refresh_from_db()
    assert enrolment.status == "cancelled"


def test_a_non_member_cannot_sign_up(community, employee_a):
    meeting = future_meeting(community)
    response = as_(employee_a).post(reverse("talent:community_meeting_sign_up", args=[community.pk, meeting.pk]))
    assert response.status_code == 404 and not Enrolment.objects.filter(session=meeting).exists()


# --- Resources --------------------------------------------------------------------------------------------------------


def test_a_bad_file_is_refused_at_the_field_and_nothing_is_written(community, coordinator, writing):
    fake = SimpleUploadedFile("guia.pdf", b"MZ\x90\x00 this is a program, not a PDF", content_type="application/pdf")
    response = as_(coordinator).post(reverse("talent:community_resource_add", args=[community.pk]), {
        "competency": writing.pk, "level": 2, "title": "Guia", "file": fake}, **HX)
    text = response.content.decode()
    assert response.status_code == 422 and "does not match its type" in text and 'id="id_file_error"' in text
    assert not LevelResource.objects.exists()
    response = as_(coordinator).post(reverse("talent:community_resource_add", args=[community.pk]), {
        "competency": writing.pk, "level": 2, "title": "Guia", "url": "https://example.cat/guia",
        "file": SimpleUploadedFile("guia.txt", b"Write short sentences.\n")}, **HX)
    assert response.status_code == 422 and "either a link or a document" in response.content.decode()
    response = as_(coordinator).post(reverse("talent:community_resource_add", args=[community.pk]), {
        "competency": writing.pk, "level": 9, "title": "Guia", "url": "https://example.cat/guia"}, **HX)
    assert response.status_code == 422 and not LevelResource.objects.exists()


def test_resources_show_on_the_competency_page_and_for_the_gap_in_the_learning_plan(
        community, coordinator, writing, employee_a, director_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coord = as_(coordinator)
    add = reverse("talent:community_resource_add", args=[community.pk])
    coord.post(add, {"competency": writing.pk, "level": 2, "title": "Plain letters guide",
                     "url": "https://example.cat/guia"})
    coord.post(add, {"competency": writing.pk, "level": 3, "title": "Checklist for notices",
                     "file": SimpleUploadedFile("checklist.txt", b"1. Who reads it?\n")})
    coord.post(add, {"competency": writing.pk, "level": 1, "title": "First steps", "url": "https://example.cat/1"})
    assert LevelResource.objects.count() == 3
    document = LevelResource.objects.get(title="Checklist for notices")
    assert document.community == "Escriure clar"

    page = as_(employee_a).get(reverse("competencies:competency_detail", args=[writing.pk])).content.decode()
    assert "Plain letters guide" in page and "Checklist for notices" in page and "https://example.cat/guia" in page
    download = as_(employee_a).get(reverse("competencies:resource_download", args=[document.pk]))
    assert download.status_code == 200 and b"Who reads it?" in b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment")

    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1)
    today = timezone.localdate()
    plan = f.LearningPlanFactory(employee=employee_a, period_start=today - dt.timedelta(days=30),
                                 period_end=today + dt.timedelta(days=300))
    text = as_(director_a).get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()
    gaps = text[text.index('id="gaps-title"'):text.index('id="plan-body"')]
    assert "Plain letters guide" in gaps and "Checklist for notices" in gaps
    assert "First steps" not in gaps  # level 1: she is there already


def test_a_draft_frameworks_competency_is_the_learning_office_s_only(clo_user, employee_a):
    framework = f.FrameworkFactory(status="draft")
    competency = f.CompetencyFactory(area=f.AreaFactory(framework=framework))
    url = reverse("competencies:competency_detail", args=[competency.pk])
    assert as_(employee_a).get(url).status_code == 404
    assert as_(clo_user).get(url).status_code == 200


# --- Queries ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [2, 25])
def test_the_list_and_the_page_run_the_same_queries_whatever_their_size(
        extra, org, writing, coordinator, employee_a, django_assert_max_num_queries):
    client = as_(employee_a)
    for n in range(extra):
        community = make_community(org.unit_a if n % 2 else None, writing, coordinator, name=f"Comunitat {n}",
                                   joining="open")
    for n in range(extra):
        person = f.EmployeeFactory(unit=org.unit_a1)
        services.community_join(community=community, employee=person)
    meeting = future_meeting(community, capacity=100)
    services.meeting_enrol_members(community=community, meeting=meeting)
    for n in range(min(extra, 5)):
        LevelResource.objects.create(competency=writing, level=2, title=f"Guia {n}", url=f"https://example.cat/{n}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("talent:community_list"))
    assert response.content.decode().count("Comunitat ") == extra
    with django_assert_max_num_queries(20):
        response = client.get(reverse("talent:community_detail", args=[community.pk]))
    assert response.status_code == 200


# --- Scope ------------------------------------------------------------------------------------------------------------


def test_an_outsider_gets_404_everywhere(community, coordinator, employee_a, director_b, employee_b, writing):
    services.coordinator_set(community=community, employee=employee_a, coordinator=False)
    meeting = future_meeting(community)
    membership = Membership.objects.create(community=community, employee=f.EmployeeFactory(unit=community.unit),
                                           status="pending")
    urls = [
        reverse("talent:community_detail", args=[community.pk]),
        reverse("talent:community_edit", args=[community.pk]),
        reverse("talent:community_join", args=[community.pk]),
        reverse("talent:community_leave", args=[community.pk]),
        reverse("talent:community_request_decide", args=[community.pk, membership.pk]),
        reverse("talent:community_coordinator", args=[community.pk, community.memberships.get(
            employee=employee_a).pk]),
        reverse("talent:community_meeting_create", args=[community.pk]),
        reverse("talent:community_meeting_sign_up", args=[community.pk, meeting.pk]),
        reverse("talent:community_meeting_enrol", args=[community.pk, meeting.pk]),
        reverse("talent:community_meeting_attendance", args=[community.pk, meeting.pk]),
        reverse("talent:community_resource_add", args=[community.pk]),
    ]
    for who in (director_b, employee_b):
        client = as_(who)
        for url in urls:
            for headers in ({}, HX):
                assert client.get(url, **headers).status_code in (404, 405), (who, url)
                assert client.post(url, {"decision": "approve", "coordinator": "1"}, **headers).status_code in (404, 405)
    # a member who is no coordinator manages nothing either
    member = as_(employee_a)
    for url in urls[1:2] + urls[4:7] + urls[8:]:
        assert member.post(url, {"decision": "approve", "coordinator": "1"}).status_code == 404, url
    membership.refresh_from_db()
    assert membership.status == "pending" and not Enrolment.objects.filter(session=meeting).exists()
    assert as_(employee_b).get(reverse("talent:community_create")).status_code == 404
    assert as_(coordinator).get(reverse("talent:community_create")).status_code == 404


def test_the_learning_office_adds_a_resource_to_any_competency_and_nobody_else_does(clo_user, employee_a,
                                                                                    coordinator, writing):
    url = reverse("competencies:resource_add", args=[writing.pk])
    data = {"competency": writing.pk, "level": 3, "title": "Style guide of the council",
            "url": "https://example.cat/estil"}
    for who in (employee_a, coordinator):  # a coordinator adds on their community's page, not here
        for headers in ({}, HX):
            assert as_(who).get(url, **headers).status_code == 404
            assert as_(who).post(url, data, **headers).status_code == 404
    assert not LevelResource.objects.exists()
    client = as_(clo_user)
    assert "Add a resource" in client.get(reverse("competencies:competency_detail", args=[writing.pk])).content.decode()
    response = client.post(url, {**data, "level": 7}, **HX)
    assert response.status_code == 422 and not LevelResource.objects.exists()
    assert client.post(url, data).status_code == 302
    resource = LevelResource.objects.get()
    assert (resource.level, resource.community, resource.added_by) == (3, "", clo_user)
    page = as_(employee_a).get(reverse("competencies:competency_detail", args=[writing.pk])).content.decode()
    assert "Style guide of the council" in page and "Add a resource" not in page


# --- Taking a resource off ----------------------------------------------------------------------------------------------


def test_a_coordinator_removes_a_resource_the_community_added_and_its_document_goes(
        community, coordinator, writing, employee_a, settings, tmp_path, django_capture_on_commit_callbacks,
        eager_tasks):
    settings.MEDIA_ROOT = tmp_path
    coord = as_(coordinator)
    coord.post(reverse("talent:community_resource_add", args=[community.pk]), {
        "competency": writing.pk, "level": 3, "title": "Checklist for notices",
        "file": SimpleUploadedFile("checklist.txt", b"1. Who reads it?\n")})
    document = LevelResource.objects.get()
    stored = tmp_path / document.file.name
    assert stored.exists()
    council = LevelResource.objects.create(competency=writing, level=2, title="Style guide of the council",
                                           url="https://example.cat/estil")

    page = coord.get(community.get_absolute_url()).content.decode()
    remove = reverse("talent:community_resource_remove", args=[community.pk, document.pk])
    assert f'href="{remove}"' in page  # the community's own resource has its link, the council's none
    assert reverse("talent:community_resource_remove", args=[community.pk, council.pk]) not in page
    question = coord.get(remove).content.decode()
    assert "Checklist for notices" in question and "Its document is deleted." in question

    with django_capture_on_commit_callbacks(execute=True):
        response = coord.post(remove)
    assert response.status_code == 302 and response["Location"] == community.get_absolute_url()
    assert list(LevelResource.objects.all()) == [council] and not stored.exists()
    competency_page = as_(employee_a).get(reverse("competencies:competency_detail", args=[writing.pk])).content.decode()
    assert "Checklist for notices" not in competency_page and "Style guide of the council" in competency_page

    # the council's resource is not the community's to take off: 404, on GET and POST, HTMX included
    council_remove = reverse("talent:community_resource_remove", args=[community.pk, council.pk])
    for headers in ({}, HX):
        assert coord.get(council_remove, **headers).status_code == 404
        assert coord.post(council_remove, **headers).status_code == 404
    assert LevelResource.objects.filter(pk=council.pk).exists()


def test_only_the_learning_office_removes_a_resource_on_the_competency_page(
        community, clo_user, coordinator, employee_a, director_b, writing):
    resource = services.resource_add(community=community, competency=writing, level=2, title="Plain letters guide",
                                     url="https://example.cat/guia")
    url = reverse("competencies:resource_remove", args=[resource.pk])
    community_url = reverse("talent:community_resource_remove", args=[community.pk, resource.pk])
    for who in (employee_a, coordinator, director_b):  # the coordinator removes on the community's page, not here
        for headers in ({}, HX):
            assert as_(who).get(url, **headers).status_code == 404
            assert as_(who).post(url, **headers).status_code == 404
    for who in (employee_a, director_b):  # a member who coordinates nothing, a director of another unit
        for headers in ({}, HX):
            assert as_(who).get(community_url, **headers).status_code == 404
            assert as_(who).post(community_url, **headers).status_code == 404
    assert LevelResource.objects.filter(pk=resource.pk).exists()

    client = as_(clo_user)
    page = client.get(reverse("competencies:competency_detail", args=[writing.pk])).content.decode()
    assert f'href="{url}"' in page
    assert "Plain letters guide" in client.get(url).content.decode()
    catalan = Client(HTTP_ACCEPT_LANGUAGE="ca")
    catalan.force_login(clo_user)
    question = catalan.get(url).content.decode()
    assert "Treure un recurs" in question
    assert "deixa el nivell 2 de la competència Redacció administrativa" in question
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("competencies:competency_detail", args=[writing.pk])
    assert not LevelResource.objects.exists()
    assert client.get(url).status_code == 404  # gone


def test_a_meeting_edited_on_the_session_page_keeps_its_own_hours(community, clo_user):
    """A meeting gives the hours between its start and its end, not the program's, also when the learning office
    moves it on the session's page."""
    day = timezone.localdate() + dt.timedelta(days=4)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(17)))
    meeting = services.meeting_create(community=community, starts_at=starts,
                                      ends_at=starts + dt.timedelta(minutes=90), place="Sala 3", online_url="",
                                      capacity=10)
    assert [d.hours for d in meeting.days.all()] == [Decimal("1.5")]
    later = starts + dt.timedelta(days=1)
    response = as_(clo_user).post(reverse("programs:session_edit", args=[meeting.pk]), {
        "code": meeting.code, "starts_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(later + dt.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Sala 4", "capacity": "10", "status": "scheduled"})
    assert response.status_code == 302
    assert [(d.date, d.hours) for d in Session.objects.get(pk=meeting.pk).days.all()] == [
        (day + dt.timedelta(days=1), Decimal("1.5"))]
