"""The delivery pages as each persona sees them: scope (the outsider gets 404 on GET and POST, full page and HTMX
partial), the enrolment workflow through forms and HTMX, bad input at the field with 422, the certificate PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import Attendance, Enrolment, Program, ProgramCompetency, Session, SessionDay
from programs.services import delivery as services
from tests import factories as f
from tests.programs.delivery.conftest import person

pytestmark = pytest.mark.django_db
S = Enrolment.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    c = Client(headers={"Accept-Language": "en"})
    c.force_login(user)
    return c


@pytest.fixture
def requested(catalogue, employee_a):
    return services.enrolment_request(session=catalogue.session, employee=employee_a)


@pytest.fixture
def completed(catalogue, employee_a):
    start = timezone.now() - dt.timedelta(days=5)
    session = Session(program=catalogue.program, code="S-DONE", starts_at=start, ends_at=start + dt.timedelta(hours=6),
                      place="Aula 1", capacity=5)
    services.session_save(session=session)
    enrolment = f.EnrolmentFactory(session=session, employee=employee_a, status=S.ATTENDED,
                                   hours_attended=Decimal("6"))
    return services.enrolment_complete(enrolment=enrolment)


# --- Scope -------------------------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client, catalogue, requested):
    for url in (reverse("programs:catalogue"), reverse("programs:program_detail", args=[catalogue.program.pk]),
                reverse("programs:enrolment_requests"), reverse("programs:my_training"),
                reverse("programs:session_detail", args=[catalogue.session.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    response = client.post(reverse("programs:enrolment_approve", args=[requested.pk]))
    assert response.status_code == 302 and Enrolment.objects.get(pk=requested.pk).status == S.REQUESTED


def _office_urls(catalogue):
    day = SessionDay.objects.create(session=catalogue.session, date=timezone.localdate() + dt.timedelta(days=14),
                                    hours=4)
    return [
        reverse("programs:program_create"),
        reverse("programs:program_edit", args=[catalogue.program.pk]),
        reverse("programs:session_create", args=[catalogue.program.pk]),
        reverse("programs:session_edit", args=[catalogue.session.pk]),
        reverse("programs:session_detail", args=[catalogue.session.pk]),
        reverse("programs:attendance", args=[catalogue.session.pk, day.pk]),
    ]


@pytest.mark.parametrize("who", ["director_a", "director_b", "employee_a", "hr_user"])
def test_only_the_learning_office_manages_programs_and_sessions(who, request, catalogue):
    persona = request.getfixturevalue(who)
    c = client_for(getattr(persona, "user", persona))
    for url in _office_urls(catalogue):
        assert c.get(url).status_code == 404, url
        assert c.get(url, **HTMX).status_code == 404, url
        # 404 whatever the method: not even a 405 tells an outsider that the session's read-only page is there
        assert c.post(url, {"code": "X", "capacity": 1}).status_code == 404, url
        assert c.post(url, {"code": "X"}, **HTMX).status_code == 404, url
    assert Program.objects.count() == 2 and Session.objects.get(pk=catalogue.session.pk).capacity == 2


def test_the_outsider_gets_404_for_unit_a_people(catalogue, requested, completed, director_b, employee_a):
    c = client_for(director_b.user)
    post_urls = [reverse(n, args=[requested.pk]) for n in
                 ("programs:enrolment_approve", "programs:enrolment_reject", "programs:enrolment_cancel")]
    for url in post_urls:
        assert c.post(url, {"reason": "no"}).status_code == 404, url
        assert c.post(url, {"reason": "no"}, **HTMX).status_code == 404, url
        assert c.get(url).status_code in (404, 405), url
    for url in (reverse("programs:training_record", args=[employee_a.pk]),
                reverse("programs:certificate", args=[completed.pk])):
        assert c.get(url).status_code == 404, url
        assert c.get(url, **HTMX).status_code == 404, url
    assert Enrolment.objects.get(pk=requested.pk).status == S.REQUESTED
    page = c.get(reverse("programs:enrolment_requests"))
    assert page.status_code == 200 and "Pere Soler Camps" not in page.content.decode()


def test_an_employee_sees_only_their_own_record_and_decides_nothing(catalogue, employee_a, employee_b, org):
    other = services.enrolment_request(session=catalogue.session, employee=employee_b)
    c = client_for(employee_a.user)
    assert c.get(reverse("programs:training_record", args=[employee_b.pk])).status_code == 404
    assert c.get(reverse("programs:enrolment_requests")).status_code == 404
    assert c.post(reverse("programs:enrolment_approve", args=[other.pk])).status_code == 404
    assert c.post(reverse("programs:enrolment_cancel", args=[other.pk])).status_code == 404
    assert Enrolment.objects.get(pk=other.pk).status == S.REQUESTED
    assert c.get(reverse("programs:my_training")).status_code == 200


# --- Catalogue ---------------------------------------------------------------------------------------------------


def test_the_catalogue_puts_the_programs_that_close_my_gaps_first(catalogue, employee_a):
    f.CurrentLevelFactory(employee=employee_a, competency=catalogue.competency, level=2)
    for n in range(3):  # sooner sessions, but unrelated to the gap
        f.SessionFactory(program=f.ProgramFactory(code=f"AAA{n}", title=f"Unrelated {n}"),
                         starts_at=timezone.now() + dt.timedelta(days=1))
    c = client_for(employee_a.user)
    page = c.get(reverse("programs:catalogue"))
    programs = list(page.context["page"].object_list)
    assert programs[0] == catalogue.program
    assert "Closes a gap" in page.content.decode()
    filtered = c.get(reverse("programs:catalogue"), {"gaps": "on"}, **HTMX)
    body = filtered.content.decode()
    assert "<html" not in body and 'id="catalogue-results"' in body
    assert "Clear administrative writing" in body and "Unrelated 0" not in body


def test_a_critical_requirement_ranks_before_an_ordinary_one(catalogue, employee_a):
    critical = f.CompetencyFactory(name="Data protection")
    f.RequirementFactory(position=employee_a.position, competency=critical, required_level=2, is_critical=True)
    program = f.ProgramFactory(code="ZZZ", title="Data protection for staff")
    f.ProgramCompetencyFactory(program=program, competency=critical, level_reached=2)
    f.SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=60))
    programs = list(client_for(employee_a.user).get(reverse("programs:catalogue")).context["page"].object_list)
    assert programs[:2] == [program, catalogue.program]


@pytest.mark.parametrize("size", [3, 30])
def test_catalogue_queries_do_not_grow(size, catalogue, employee_a, django_assert_max_num_queries):
    competency = f.CompetencyFactory()
    for n in range(size):
        program = f.ProgramFactory()
        f.ProgramCompetencyFactory(program=program, competency=competency)
        f.SessionFactory(program=program)
    c = client_for(employee_a.user)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("programs:catalogue")).status_code == 200


# --- Requesting a seat -------------------------------------------------------------------------------------------


def test_an_employee_requests_a_seat_and_asking_twice_is_refused_at_the_session(catalogue, employee_a):
    c = client_for(employee_a.user)
    url = reverse("programs:enrolment_request", args=[catalogue.session.pk])
    response = c.post(url)
    assert response.status_code == 302
    assert Enrolment.objects.get(employee=employee_a).status == S.REQUESTED
    page = c.get(response.url).content.decode()
    assert "Your request has been sent to your director" in page
    again = c.post(url, **HTMX)
    body = again.content.decode()
    assert again.status_code == 422 and "<html" not in body
    assert "You have already asked for a seat in this session" in body
    assert f'id="session-{catalogue.session.pk}-error"' in body
    assert Enrolment.objects.filter(employee=employee_a).count() == 1


def test_an_open_session_confirms_then_waitlists(catalogue, employee_a, employee_b):
    url = reverse("programs:enrolment_request", args=[catalogue.open_session.pk])
    first = client_for(employee_a.user).post(url, **HTMX).content.decode()
    assert "Your seat is confirmed." in first
    second = client_for(employee_b.user).post(url, **HTMX).content.decode()
    assert "The session is full: you are on the waiting list." in second


def test_a_cancelled_session_refuses_requests_with_a_message(catalogue, employee_a):
    Session.objects.filter(pk=catalogue.session.pk).update(status=Session.Status.CANCELLED)
    response = client_for(employee_a.user).post(reverse("programs:enrolment_request", args=[catalogue.session.pk]))
    assert response.status_code == 422
    assert "This session has been cancelled." in response.content.decode()
    assert not Enrolment.objects.exists()


# --- The director's decisions ------------------------------------------------------------------------------------


def test_the_director_sees_their_peoples_requests_only(catalogue, requested, employee_b, director_a, director_b):
    other = services.enrolment_request(session=catalogue.session, employee=employee_b)
    mine = client_for(director_a.user).get(reverse("programs:enrolment_requests")).content.decode()
    assert f'id="request-{requested.pk}"' in mine and f'id="request-{other.pk}"' not in mine
    theirs = client_for(director_b.user).get(reverse("programs:enrolment_requests")).content.decode()
    assert f'id="request-{other.pk}"' in theirs and f'id="request-{requested.pk}"' not in theirs


def test_approving_inline_swaps_the_row(requested, director_a):
    response = client_for(director_a.user).post(reverse("programs:enrolment_approve", args=[requested.pk]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(f'<tr id="request-{requested.pk}"')
    assert "Pere Soler Camps has a seat." in body
    assert Enrolment.objects.get(pk=requested.pk).status == S.APPROVED


def test_approving_without_javascript_goes_back_to_the_list(requested, director_a):
    c = client_for(director_a.user)
    response = c.post(reverse("programs:enrolment_approve", args=[requested.pk]))
    assert response.status_code == 302 and response.url == reverse("programs:enrolment_requests")
    page = c.get(response.url).content.decode()
    assert "Pere Soler Camps has a seat." in page and "No request is waiting for your decision." in page


def test_refusing_without_a_reason_shows_the_error_at_the_field(requested, director_a):
    c = client_for(director_a.user)
    url = reverse("programs:enrolment_reject", args=[requested.pk])
    response = c.post(url, {"reason": ""}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 422
    assert f'aria-describedby="reason-{requested.pk}-error"' in body and "Say why the request is refused" in body
    full = c.post(url, {"reason": ""})
    assert full.status_code == 422 and "Say why the request is refused" in full.content.decode()
    assert Enrolment.objects.get(pk=requested.pk).status == S.REQUESTED
    done = c.post(url, {"reason": "The service cannot spare you that week."}, **HTMX)
    assert "The service cannot spare you that week." in done.content.decode()
    assert Enrolment.objects.get(pk=requested.pk).status == S.REJECTED


@pytest.mark.parametrize("size", [2, 20])
def test_requests_page_queries_do_not_grow(size, catalogue, org, director_a, django_assert_max_num_queries):
    for _ in range(size):
        services.enrolment_request(session=catalogue.session, employee=person(org.unit_a1))
    c = client_for(director_a.user)
    with django_assert_max_num_queries(11):
        page = c.get(reverse("programs:enrolment_requests"))
    assert page.context["page"].paginator.count == size


# --- Forms of the learning office --------------------------------------------------------------------------------


def test_the_office_creates_a_program_with_its_competencies(clo_user, catalogue):
    data = {
        "code": "P-NEW", "title": "Plain language", "modality": "online", "hours": "8", "cost": "50",
        "cost_basis": "seat", "target_groups": ["A1", "A2"], "active": "on",
        "competencies-TOTAL_FORMS": "2", "competencies-INITIAL_FORMS": "0",
        "competencies-0-competency": catalogue.competency.pk, "competencies-0-level_reached": "9",
    }
    c = client_for(clo_user)
    bad = c.post(reverse("programs:program_create"), data, **HTMX)
    assert bad.status_code == 422 and "<html" not in bad.content.decode()
    assert 'id="id_competencies-0-level_reached_error"' in bad.content.decode()
    assert not Program.objects.filter(code="P-NEW").exists()
    data["competencies-0-level_reached"] = "2"
    response = c.post(reverse("programs:program_create"), data)
    program = Program.objects.get(code="P-NEW")
    assert response.status_code == 302 and program.target_groups == ["A1", "A2"]
    assert list(ProgramCompetency.objects.filter(program=program).values_list("level_reached", flat=True)) == [2]


def test_a_session_capacity_below_the_seats_taken_is_refused_at_the_field(clo_user, catalogue, employee_a,
                                                                           employee_b, director_a, director_b):
    for employee, director in ((employee_a, director_a), (employee_b, director_b)):
        services.enrolment_approve(
            enrolment=services.enrolment_request(session=catalogue.session, employee=employee), by=director.user
        )
    s = catalogue.session
    local = timezone.localtime
    data = {"code": s.code, "starts_at": local(s.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": local(s.ends_at).strftime("%Y-%m-%dT%H:%M"), "place": s.place, "capacity": "1",
            "status": "scheduled"}
    response = client_for(clo_user).post(reverse("programs:session_edit", args=[s.pk]), data, **HTMX)
    assert response.status_code == 422
    assert "the capacity cannot be lower than that" in response.content.decode()
    assert Session.objects.get(pk=s.pk).capacity == 2


def test_attendance_form_refuses_too_many_hours_and_records_all_or_nothing(clo_user, catalogue, employee_a,
                                                                          employee_b):
    # Yesterday 9:00–13:00: started and on one day, whatever the hour the test runs at.
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(9)))
    session = services.session_save(session=Session(program=catalogue.program, code="S-NOW", starts_at=start,
                                                    ends_at=start + dt.timedelta(hours=4), place="Aula", capacity=5))
    ea, eb = (f.EnrolmentFactory(session=session, employee=e, status=S.APPROVED) for e in (employee_a, employee_b))
    day = SessionDay.objects.get(session=session)
    url = reverse("programs:attendance", args=[session.pk, day.pk])
    c = client_for(clo_user)
    assert "Hours attended: Pere Soler Camps" in c.get(url).content.decode()
    bad = c.post(url, {f"hours_{ea.pk}": "3", f"hours_{eb.pk}": "99"}, **HTMX)
    assert bad.status_code == 422 and f'id="id_hours_{eb.pk}_error"' in bad.content.decode()
    assert not Attendance.objects.exists()
    assert c.post(url, {f"hours_{ea.pk}": "3", f"hours_{eb.pk}": "0"}).status_code == 302
    assert Enrolment.objects.get(pk=ea.pk).status == S.ATTENDED


@pytest.mark.parametrize("size", [2, 20])
def test_session_page_queries_do_not_grow(size, clo_user, catalogue, org, django_assert_max_num_queries):
    for _ in range(size):
        f.EnrolmentFactory(session=catalogue.session, employee=person(org.unit_a1))
    c = client_for(clo_user)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("programs:session_detail", args=[catalogue.session.pk])).status_code == 200


# --- Training record and certificate -----------------------------------------------------------------------------


def test_the_training_record_shows_hours_credits_and_the_certificate(completed, employee_a, director_a):
    page = client_for(director_a.user).get(reverse("programs:training_record", args=[employee_a.pk]))
    body = page.content.decode()
    assert page.context["years"][0]["credits"] == Decimal("2.0")
    assert reverse("programs:certificate", args=[completed.pk]) in body


@pytest.mark.parametrize("size", [1, 15])
def test_training_record_queries_do_not_grow(size, catalogue, employee_a, django_assert_max_num_queries):
    for _ in range(size):
        f.EnrolmentFactory(session=f.SessionFactory(program=catalogue.program), employee=employee_a,
                           status=S.COMPLETED, completed_on=timezone.localdate())
    c = client_for(employee_a.user)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("programs:my_training")).status_code == 200


def test_the_certificate_is_a_pdf_in_the_persons_language(completed, employee_a):
    employee_a.language = "ca"
    employee_a.save(update_fields=["language"])
    response = client_for(employee_a.user).get(reverse("programs:certificate", args=[completed.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "no-store" in response["Cache-Control"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Pere Soler Camps" in text and "Clear administrative writing" in text and "Administrative writing" in text
    assert reader.trailer["/Root"]["/Lang"] == "ca"


def test_no_certificate_before_completion(requested, employee_a):
    assert client_for(employee_a.user).get(reverse("programs:certificate", args=[requested.pk])).status_code == 404


@pytest.mark.parametrize("size", [1, 15])
def test_program_page_queries_do_not_grow(size, catalogue, employee_a, org, django_assert_max_num_queries):
    for n in range(size):
        session = f.SessionFactory(program=catalogue.program)
        f.EnrolmentFactory(session=session, employee=person(org.unit_a1), status=S.APPROVED)
        f.EnrolmentFactory(session=session, employee=employee_a)
    c = client_for(employee_a.user)
    with django_assert_max_num_queries(16):  # one more: the program already completed, the interest registered
        page = c.get(reverse("programs:program_detail", args=[catalogue.program.pk]))
    assert len(page.context["sessions"]) == size + 1


def test_the_catalogue_search_finds_a_title_in_any_language(catalogue, employee_a):
    program = f.ProgramFactory(code="P-CA")
    Program.objects.filter(pk=program.pk).update(title_ca="Escriptura administrativa clara", title_en="")
    page = client_for(employee_a.user).get(reverse("programs:catalogue"), {"q": "escriptura"})
    assert [p.code for p in page.context["page"].object_list] == ["P-CA"]


@pytest.mark.parametrize("size", [2, 20])
def test_attendance_page_queries_do_not_grow(size, clo_user, catalogue, org, django_assert_max_num_queries):
    day = SessionDay.objects.create(session=catalogue.session, date=timezone.localdate(), hours=4)
    for _ in range(size):
        f.EnrolmentFactory(session=catalogue.session, employee=person(org.unit_a1), status=S.APPROVED)
    c = client_for(clo_user)
    with django_assert_max_num_queries(12):
        page = c.get(reverse("programs:attendance", args=[catalogue.session.pk, day.pk]))
    assert len(page.context["form"].attendees) == size


def test_the_director_downloads_their_persons_certificate(completed, director_a, hr_user):
    for user in (director_a.user, hr_user):
        response = client_for(user).get(reverse("programs:certificate", args=[completed.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_an_inline_decision_leaves_no_stale_message_for_the_next_page(requested, director_a):
    c = client_for(director_a.user)
    c.post(reverse("programs:enrolment_approve", args=[requested.pk]), **HTMX)
    assert "has a seat" not in c.get(reverse("programs:catalogue")).content.decode()


def test_a_program_saved_from_its_htmx_form_sends_the_browser_to_the_programs_page(clo_user, catalogue):
    """The form posts with hx-post: the answer is an HX-Redirect that htmx follows as a page load, not a 302 whose
    target htmx would swap into the form."""
    data = {
        "code": "P-HX", "title": "Plain language", "modality": "online", "hours": "8", "cost": "50",
        "cost_basis": "seat", "target_groups": ["A1"], "active": "on",
        "competencies-TOTAL_FORMS": "1", "competencies-INITIAL_FORMS": "0",
        "competencies-0-competency": catalogue.competency.pk, "competencies-0-level_reached": "2",
    }
    response = client_for(clo_user).post(reverse("programs:program_create"), data, **HTMX)
    program = Program.objects.get(code="P-HX")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("programs:program_detail", args=[program.pk])
