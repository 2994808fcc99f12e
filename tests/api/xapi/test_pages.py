"""The learning office's learning-records page: mapping LMS activities to programs, and the review list where a
record is matched to a person (which completes their enrolment) or dismissed. Anyone else: 404, GET and POST,
HTMX included."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clo.api.xapi import services
from clo.api.xapi.models import XapiActivity, XapiStatement
from programs.models import Enrolment, Modality
from tests import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(english):
    """Pages in English, as the assertions read them."""


@pytest.fixture
def activity():
    program = f.ProgramFactory(code="P-LMS", title="Data protection online", modality=Modality.ONLINE, hours=4)
    return services.activity_map(iri="https://campus.example/course/rgpd", program=program)


def waiting(activity, actor: str = "mailto:unknown@elsewhere.example") -> XapiStatement:
    return XapiStatement.objects.create(
        statement_id=uuid.uuid4(), verb=services.COMPLETED, activity=activity, actor=actor, stored=timezone.now(),
        completed_on=timezone.localdate(), problem="Nobody in the staff register has this email or account name.")


@pytest.mark.parametrize("who", ["director_a_client", "employee_a_client", "hr_client"])
def test_only_the_learning_office_reaches_the_pages(who, request, activity):
    client = request.getfixturevalue(who)
    record = waiting(activity)
    for url in (reverse("api:xapi_records"), reverse("api:xapi_activity_add"),
                reverse("api:xapi_activity_remove", args=[activity.pk]),
                reverse("api:xapi_statement_match", args=[record.pk]),
                reverse("api:xapi_statement_dismiss", args=[record.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"employee": "E1", "iri": "https://x.example/", "program": "P-LMS"}).status_code == 404
        assert client.post(url, {}, **HX).status_code == 404
    assert XapiStatement.objects.get(pk=record.pk).status == "pending"
    assert XapiActivity.objects.filter(pk=activity.pk).exists()


def test_the_learning_office_maps_an_activity_and_bad_input_comes_back_at_the_field(clo_client):
    f.ProgramFactory(code="P-NEW", title="Procurement online", modality=Modality.ONLINE)
    url = reverse("api:xapi_activity_add")
    refused = clo_client.post(url, {"iri": "not an iri", "program": "NOPE"}, **HX)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Enter a valid URL." in text and "No active program has this code." in text
    assert "<h1>" not in text  # only the activities region
    response = clo_client.post(url, {"iri": "https://campus.example/course/procurement", "program": "P-NEW"})
    assert response.status_code == 302
    page = clo_client.get(reverse("api:xapi_records")).content.decode()
    assert "https://campus.example/course/procurement" in page and "Procurement online" in page
    twice = clo_client.post(url, {"iri": "https://campus.example/course/procurement", "program": "P-NEW"})
    assert twice.status_code == 422 and XapiActivity.objects.count() == 1


def test_a_record_matched_on_the_page_completes_the_enrolment(clo_client, activity, employee_a):
    record = waiting(activity)
    response = clo_client.post(reverse("api:xapi_statement_match", args=[record.pk]),
                               {"employee": employee_a.employee_number}, **HX)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="xapi-review"' in text and "<h1>" not in text and "unknown@elsewhere.example" not in text
    enrolment = Enrolment.objects.get(employee=employee_a, session__program=activity.program)
    assert (enrolment.status, enrolment.hours_attended) == ("completed", activity.program.hours)
    record.refresh_from_db()
    assert (record.status, record.employee, record.enrolment) == ("matched", employee_a, enrolment)
    again = clo_client.post(reverse("api:xapi_statement_match", args=[record.pk]),
                            {"employee": employee_a.employee_number})
    assert again.status_code == 422 and Enrolment.objects.count() == 1


def test_an_unknown_number_or_a_program_that_needs_a_seat_leaves_the_record_waiting(clo_client, activity, employee_a):
    record = waiting(activity)
    response = clo_client.post(reverse("api:xapi_statement_match", args=[record.pk]), {"employee": "NOBODY"})
    assert response.status_code == 422 and "No active employee has this number." in response.content.decode()
    room = services.activity_map(iri="https://campus.example/course/room", program=f.ProgramFactory(title="Room"))
    other = waiting(room)
    response = clo_client.post(reverse("api:xapi_statement_match", args=[other.pk]),
                               {"employee": employee_a.employee_number})
    assert response.status_code == 422 and "holds no seat" in response.content.decode()
    assert not Enrolment.objects.exists()
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"pending"}


def test_a_dismissed_record_leaves_the_list(clo_client, activity):
    record = waiting(activity)
    response = clo_client.post(reverse("api:xapi_statement_dismiss", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "dismissed"
    assert "Nothing waits" in clo_client.get(reverse("api:xapi_records")).content.decode()


def test_a_mapping_with_records_taken_stays(clo_client, activity, employee_a):
    record = waiting(activity)
    services.statement_match(statement=record, employee=employee_a, by=None)
    clo_client.post(reverse("api:xapi_activity_remove", args=[activity.pk]))
    assert XapiActivity.objects.filter(pk=activity.pk).exists()
    empty = services.activity_map(iri="https://campus.example/course/empty", program=activity.program)
    waiting(empty)
    assert clo_client.post(reverse("api:xapi_activity_remove", args=[empty.pk])).status_code == 302
    assert not XapiActivity.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_reads_a_fixed_number_of_queries(clo_client, activity, size, django_assert_max_num_queries):
    for n in range(size):
        waiting(services.activity_map(iri=f"https://campus.example/course/{n}", program=activity.program))
    with django_assert_max_num_queries(14):
        response = clo_client.get(reverse("api:xapi_records"))
    assert response.status_code == 200
    assert f"{size} records wait for review" in response.content.decode()


def test_the_page_reads_in_catalan(client, clo_user, activity):
    waiting(activity)
    client.force_login(clo_user)
    text = client.get(reverse("api:xapi_records"), HTTP_ACCEPT_LANGUAGE="ca").content.decode()
    assert "Registres d'aprenentatge (xAPI)" in text or "Registres d&#x27;aprenentatge (xAPI)" in text
    assert "1 registre pendent de revisió" in text and "Ningú del registre de personal" in text


def test_a_malformed_statement_is_skipped_without_holding_back_the_others(activity, employee_a, settings):
    from clo.api.xapi.models import XapiCursor

    settings.CLO_XAPI_ENDPOINT = "http://lrs.example/xAPI/"
    XapiCursor.objects.create(endpoint=settings.CLO_XAPI_ENDPOINT)
    good = {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{employee_a.email}"}, "verb": {"id": services.COMPLETED},
            "object": {"id": activity.iri}, "stored": "2026-12-01T10:00:00+00:00"}
    bad = {**good, "id": "not-a-uuid", "stored": "2026-12-01T10:00:01+00:00"}
    assert services._take_batch(settings.CLO_XAPI_ENDPOINT, [bad, good]) == 1
    assert XapiStatement.objects.get().status == "matched"
    assert XapiCursor.objects.get().since.isoformat() == "2026-12-01T10:00:01+00:00"


def _batch(activity, people, *, unknown: int = 1) -> list[dict]:
    """A page as the LRS gives it: a completion of each of ``people`` (by email, in capitals; the first twice, as
    ``completed`` and ``passed``), and ``unknown`` learners nobody has."""
    moment = "2026-12-01T10:00:00+00:00"

    def statement(actor, verb=services.COMPLETED):
        return {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": verb}, "object": {"id": activity.iri},
                "stored": moment, "result": {"duration": "PT1H30M"}}

    page = [statement({"mbox": f"mailto:{p.email.upper()}"}) for p in people]
    page.append(statement({"mbox": f"mailto:{people[0].email}"}, verb=services.PASSED))
    page += [statement({"account": {"homePage": "https://campus.example", "name": f"nobody{i}"}})
             for i in range(unknown)]
    return page


def test_a_batch_of_statements_costs_the_same_queries_whatever_its_size(
        activity, org, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    """Learners found in one query, enrolments completed together, one gap refresh and one badge message: what a
    batch costs does not grow with its statements."""
    from clo.api.xapi.models import XapiCursor

    settings.CLO_XAPI_ENDPOINT = "http://lrs.example/xAPI/"
    XapiCursor.objects.create(endpoint=settings.CLO_XAPI_ENDPOINT)
    small = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(2)]
    large = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(12)]
    services._take_batch(settings.CLO_XAPI_ENDPOINT, _batch(activity, [f.EmployeeFactory(unit=org.unit_a1)]))
    counts = []
    for people, unknown in ((small, 1), (large, 6)):  # the day's self-paced session exists: the same work each time
        with (CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(30),
              django_capture_on_commit_callbacks() as queued):
            assert services._take_batch(settings.CLO_XAPI_ENDPOINT, _batch(activity, people, unknown=unknown)) == (
                len(people) + 1 + unknown)
        counts.append(len(queries))
        assert len(queued) <= 4  # one gap refresh, one badge message for the batch (and the roll-ups' followers)
    assert counts[0] == counts[1]
    taken = XapiStatement.objects.filter(employee__in=large)
    assert taken.filter(status="matched").count() == 13  # the first twice: both matched, to one enrolment
    assert Enrolment.objects.filter(employee__in=large, status="completed", hours_attended=1.5).count() == 12
    assert XapiStatement.objects.filter(status="pending", actor__startswith="nobody").count() == 1 + 1 + 6
