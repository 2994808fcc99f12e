"""The audit trail names each record in the reader's language, and an enrolment with the person it is about — also
for the entries written in bulk (a cancelled session cancels its enrolments in one UPDATE)."""

from __future__ import annotations

import html
import json

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from clo.core.models import AuditEntry
from programs.models import Enrolment, Session
from programs.services.delivery import session_save
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled_enrolment(clo_user, employee_a):
    enrolment = f.EnrolmentFactory(employee=employee_a, status=Enrolment.Status.APPROVED)
    session = Session.objects.get(pk=enrolment.session_id)
    session.status = Session.Status.CANCELLED
    with set_actor(clo_user):
        session_save(session=session)
    return enrolment


@pytest.mark.parametrize(("language", "kind"), [("ca", "Inscripció"), ("es", "Inscripción"), ("en", "Enrolment")])
def test_a_bulk_cancelled_enrolment_is_named_with_its_person_in_the_readers_language(
        clo_client, cancelled_enrolment, employee_a, language, kind):
    entry = AuditEntry.objects.get(object_id=cancelled_enrolment.pk, additional_data__bulk=True)
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = html.unescape(clo_client.get(reverse("audit_log"), {"person": employee_a.employee_number}).content.decode())
    assert f"<td>{kind} #{entry.object_id} · {employee_a.full_name}</td>" in page
    export = clo_client.get(reverse("audit_export", args=["csv"]), {"person": employee_a.employee_number})
    assert f"{kind} #{entry.object_id} · {employee_a.full_name}" in export.content.decode("utf-8-sig")


def test_the_persons_own_copy_names_the_enrolment_too(employee_a_client, cancelled_enrolment, employee_a):
    employee_a_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = employee_a_client.get(reverse("my_data_download", args=["json"]))
    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert f"Enrolment #{cancelled_enrolment.pk} · {employee_a.full_name}" in text
