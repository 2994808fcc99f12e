"""Invitations: HR invites one person, a unit's subtree or everyone with no login; each gets an email in their
language with a one-time link to set a password; used, replaced or expired links lead to a page offering a new one."""

from __future__ import annotations

import datetime as dt
import re
import smtplib

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clo.accounts import invitations
from clo.accounts.models import Invitation, InvitationJob
from clo.people.models import Employee
from tests import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CLO_BASE_URL = "https://formacio.example"
    settings.INVITATION_DAYS = 14


@pytest.fixture(autouse=True)
def _queue_at_once(monkeypatch):
    """The test's transaction never commits: the jobs queued on commit are queued at once (and run eagerly)."""
    from clo.core import tasks

    monkeypatch.setattr(tasks.transaction, "on_commit", lambda fn, robust=False, using=None: fn())


def _link(message) -> str:
    return re.search(r"https://formacio\.example(/accounts/invitation/\S+/)", message.body).group(1)


def _signs_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _invite_person(client, employee):
    return client.post(reverse("accounts:invite"), {"kind": "person", "employee_number": employee.employee_number})


def test_hr_invites_one_person_who_gets_a_link_in_their_language_and_sets_a_password(
        hr_client, org, eager_tasks, english):
    nuria = f.EmployeeFactory(unit=org.unit_a1, first_name="Núria", language="es")
    response = _invite_person(hr_client, nuria)
    job = InvitationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("accounts:invitation_job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.total, job.sent_count) == ("done", 1, 1)
    [message] = mail.outbox
    assert message.to == [nuria.email]
    assert "Hola, Núria:" in message.body and nuria.employee_number in message.body  # Spanish: her language
    nuria.refresh_from_db()
    assert nuria.user.username == nuria.employee_number and not nuria.user.has_usable_password()
    assert Employee.objects.count() == Employee.objects.filter(pk__in=Employee.objects.values("pk")).count()

    hr_client.logout()
    link = _link(message)
    page = hr_client.get(link)
    assert page.status_code == 200 and nuria.employee_number in page.content.decode()
    done = hr_client.post(link, {"new_password1": "Tramuntana-2026!", "new_password2": "Tramuntana-2026!"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert _signs_in(hr_client, nuria.employee_number, "Tramuntana-2026!")
    assert Invitation.objects.get().accepted_at is not None

    # the same link a second time: a page that says so and offers to sign in or reset the password
    hr_client.logout()
    again = hr_client.get(link)
    assert again.status_code == 410 and "has been used already" in again.content.decode()


def test_an_expired_link_offers_a_new_one_which_replaces_it(client, org, eager_tasks, english):
    person = f.EmployeeFactory(unit=org.unit_a1, language="en")
    invitations.invitation_job_request(kind="person", employee=person)
    old_link = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=True):
        page = client.get(old_link)
        assert page.status_code == 410 and "This invitation has expired" in page.content.decode()
        uid = old_link.split("/")[3]
        renewed = client.post(reverse("accounts:invitation_renew", args=[uid]))
        assert renewed.status_code == 200 and "new link is on its way" in renewed.content.decode()
        assert len(mail.outbox) == 2
        new_link = _link(mail.outbox[1])
        assert client.get(new_link).status_code == 200
        # the first link was replaced by the new one
        assert client.get(old_link).status_code == 404
        # asking again at once sends nothing more (nobody floods a mailbox)
        client.post(reverse("accounts:invitation_renew", args=[uid]))
        assert len(mail.outbox) == 2


def test_a_bulk_invitation_lists_people_without_an_address_and_refused_addresses(hr_client, org, eager_tasks,
                                                                                  monkeypatch, english):
    ok = f.EmployeeFactory(unit=org.unit_a1)
    no_email = f.EmployeeFactory(unit=org.unit_a1, email="", first_name="Sense", last_name="Correu")
    bounced = f.EmployeeFactory(unit=org.unit_a1, email="nobody@bounce.example")
    outside = f.EmployeeFactory(unit=org.unit_b1)
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refusing(self, messages):
        if any("bounce.example" in to for m in messages for to in m.to):
            raise smtplib.SMTPRecipientsRefused({"nobody@bounce.example": (550, b"no such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    hr_client.post(reverse("accounts:invite"), {"kind": "unit", "unit": org.unit_a.pk})
    job = InvitationJob.objects.get()
    assert (job.status, job.total, job.sent_count) == ("done", 3, 1)
    assert [m.to for m in mail.outbox] == [[ok.email]]
    assert {x["employee"]: x["reason"] for x in job.failures} == {no_email.pk: "no_email", bounced.pk: "refused"}
    page = hr_client.get(reverse("accounts:invitation_job", args=[job.pk])).content.decode()
    assert "Correu Sense" in page or "Sense Correu" in page
    assert "no email address in the staff register" in page and "refused the address (bounced)" in page
    outside.refresh_from_db()
    assert outside.user_id is None  # unit B was not invited


def test_everyone_without_login_is_invited_never_those_who_sign_in(hr_client, employee_a, org, eager_tasks):
    fresh = f.EmployeeFactory(unit=org.unit_b1)
    inactive = f.EmployeeFactory(unit=org.unit_b1, active=False)
    hr_client.post(reverse("accounts:invite"), {"kind": "all"})
    assert [m.to for m in mail.outbox] == [[fresh.email]]
    inactive.refresh_from_db()
    assert inactive.user_id is None
    users_before = get_user_model().objects.count()
    employees_before = Employee.objects.count()
    # HR sends it again: the same person gets a new link (an invitation not accepted is a login not in use)
    hr_client.post(reverse("accounts:invite"), {"kind": "all"})
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [fresh.email]
    assert get_user_model().objects.count() == users_before and Employee.objects.count() == employees_before


def test_hr_resends_an_invitation_from_the_account_page(hr_client, org, eager_tasks):
    person = f.EmployeeFactory(unit=org.unit_a1)
    invitations.invitation_job_request(kind="person", employee=person)
    first = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=True):
        response = hr_client.post(reverse("accounts:invitation_resend", args=[person.pk]))
    assert response.status_code == 302 and len(mail.outbox) == 2
    assert hr_client.get(first).status_code == 404  # the earlier link no longer works
    assert hr_client.get(_link(mail.outbox[1])).status_code == 200


def test_inviting_someone_who_signs_in_already_is_refused_at_the_field(hr_client, employee_a, english):
    response = hr_client.post(reverse("accounts:invite"),
                              {"kind": "person", "employee_number": employee_a.employee_number}, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "This person already signs in." in body and "<html" not in body
    unknown = hr_client.post(reverse("accounts:invite"), {"kind": "person", "employee_number": "nobody"})
    assert unknown.status_code == 422 and "No active employee has this number." in unknown.content.decode()
    no_unit = hr_client.post(reverse("accounts:invite"), {"kind": "unit", "unit": ""})
    assert "Choose the unit whose people to invite." in no_unit.content.decode()
    assert not InvitationJob.objects.exists()


@pytest.mark.parametrize("name,args", [("accounts:invite", []), ("accounts:invitation_resend", ["employee"]),
                                       ("accounts:invitation_job", ["job"])])
@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_only_hr_and_the_learning_office_invite(request, persona, name, args, org, employee_a):
    client = request.getfixturevalue(persona)
    person = f.EmployeeFactory(unit=org.unit_a1)
    job = InvitationJob.objects.create(kind="all")
    values = {"employee": person.pk, "job": job.pk}
    url = reverse(name, args=[values[a] for a in args])
    for headers in ({}, HX):
        assert client.get(url, **headers).status_code in (404, 405)
        assert client.post(url, {"kind": "all"}, **headers).status_code in (404, 405)
    assert InvitationJob.objects.count() == 1 and not mail.outbox


def test_password_reset_sends_a_link_that_sets_a_new_password(client, employee_a, english):
    response = client.post(reverse("accounts:password_reset"), {"email": employee_a.user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    path = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", message.body).group(1)
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Garbí-2027-nou", "new_password2": "Garbí-2027-nou"})
    assert done.status_code == 302
    assert _signs_in(client, employee_a.user.username, "Garbí-2027-nou")


def test_a_garbage_link_is_a_clear_page_not_an_error(client, english):
    for uid in ("MQ", "zzzz", "!!", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5"):
        response = client.get(reverse("accounts:invitation_accept", args=[uid, "abc-def"]))
        assert response.status_code == 404 and "This link is not valid" in response.content.decode()
        assert client.post(reverse("accounts:invitation_renew", args=[uid])).status_code == 200


def test_an_htmx_invitation_sends_the_browser_to_the_job_page(hr_client, org, eager_tasks):
    person = f.EmployeeFactory(unit=org.unit_a1)
    response = hr_client.post(reverse("accounts:invite"),
                              {"kind": "person", "employee_number": person.employee_number}, **HX)
    job = InvitationJob.objects.get()
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("accounts:invitation_job", args=[job.pk])


def test_a_job_whose_worker_was_lost_is_resumed_without_sending_twice(org, hr_user, eager_tasks, settings):
    from clo.accounts.tasks import invitation_jobs_resume_lost
    from clo.core.jobs import stale_before

    first, second = f.EmployeeFactory(unit=org.unit_a1), f.EmployeeFactory(unit=org.unit_a1)
    job = InvitationJob.objects.create(kind="unit", unit=org.unit_a, requested_by=hr_user)
    # the lost worker had invited the first person, then died
    chunk = [Employee.objects.select_related("user").get(pk=first.pk)]
    from django.core.mail import get_connection

    invitations._invite_chunk(job, chunk, get_connection())
    InvitationJob.objects.filter(pk=job.pk).update(status="running", total=2, done_count=1,
                                                   started_at=stale_before() - dt.timedelta(minutes=1))
    assert len(mail.outbox) == 1
    assert invitation_jobs_resume_lost.apply().get() == [job.pk]
    job.refresh_from_db()
    assert job.status == "done" and [m.to for m in mail.outbox] == [[first.email], [second.email]]
    assert "invitation-jobs-resume-lost" in settings.CELERY_BEAT_SCHEDULE
