"""Invitations, for councils without an identity provider: HR invites one person, a unit's subtree, or every
active employee with no login; each gets an email in their language with a one-time link to set a password.

Everything goes through one status-machine row (``InvitationJob``), even one person: the page shows the same
progress and the same list of what could not be sent. A worker claims the job with a guarded UPDATE, then takes
the people ``CHUNK`` at a time: creates the Django users that are missing (username = employee number, linked
through ``Employee.user``; an invitation never creates an Employee), sends the emails over one mail connection,
records each invitation, and counts progress.

The link is Django's password-reset token (``InvitationTokenGenerator``) whose hash also holds the invitation's
``sent_at``: setting the password makes it useless (the hash holds the password), a resend makes the earlier links
useless, and the expiry is the invitation's ``expires_at`` (``INVITATION_DAYS``), so the page can say which case it
is and offer a new link.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from clo.accounts.models import Invitation, InvitationJob
from clo.core.catalan import of
from clo.core.tasks import QueueUnavailable, queue_on_commit  # noqa: F401 - QueueUnavailable: interface
from clo.people.models import Employee, OrgUnit

logger = logging.getLogger(__name__)

CHUNK = 200
# A person who opens an expired link may ask for a new one; not more often than this (nobody can flood a mailbox
# by reloading the page).
RENEW_INTERVAL = dt.timedelta(minutes=10)
# Stored in English, as exceptions are; the job page shows them translated (``FAILURE_LABELS``).
NO_EMAIL = "no_email"
REFUSED = "refused"
USERNAME_TAKEN = "username_taken"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """A password-reset token tied to one sending of the invitation; expiry is the invitation's, not
    ``PASSWORD_RESET_TIMEOUT``."""

    key_salt = "clo.accounts.invitations.InvitationTokenGenerator"

    def __init__(self, sent_at: dt.datetime) -> None:
        super().__init__()
        self.sent_at = sent_at

    def _make_hash_value(self, user, timestamp):
        return super()._make_hash_value(user, timestamp) + self.sent_at.isoformat()

    def matches(self, user, token: str) -> bool:
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])


# --- Who is invited --------------------------------------------------------------------------------------------


def without_login_in_use() -> Q:
    """Employees with no login, or with one nobody has used yet (an invitation not accepted: no password, never
    signed in)."""
    return Q(user__isnull=True) | (Q(user__password__startswith="!") & Q(user__last_login__isnull=True))


def invitation_targets(job: InvitationJob):
    """Who the job invites: active, no login in use, not already sent an invitation by this very job (a job resumed
    after its worker was lost does not send twice)."""
    employees = Employee.objects.active().filter(without_login_in_use()).exclude(invitation__job=job)
    if job.kind == InvitationJob.Kind.PERSON:
        return employees.filter(pk=job.employee_id) if job.employee_id else employees.none()
    if job.kind == InvitationJob.Kind.UNIT:
        return employees.in_units([job.unit])
    return employees


@dataclass(frozen=True)
class JobRequest:
    kind: str
    employee: Employee | None = None
    unit: OrgUnit | None = None


def invitation_job_request(*, kind: str, employee: Employee | None = None, unit: OrgUnit | None = None,
                           requested_by=None) -> InvitationJob:
    """A pending job, queued on commit. Raises ``ValidationError`` when one person is asked for who cannot be
    invited (inactive, already signs in, no email address), ``QueueUnavailable`` when the broker cannot take it."""
    from clo.accounts.tasks import invitation_job_run as task

    if kind == InvitationJob.Kind.PERSON and employee is not None:
        if not employee.active:
            raise ValidationError({"employee": _("This person is not active.")})
        if not Employee.objects.filter(without_login_in_use(), pk=employee.pk).exists():
            raise ValidationError({"employee": _("This person already signs in.")})
        if not employee.email:
            raise ValidationError({"employee": _("This person has no email address in the staff register.")})
    with transaction.atomic():
        job = InvitationJob(kind=kind, employee=employee if kind == InvitationJob.Kind.PERSON else None,
                            unit=unit if kind == InvitationJob.Kind.UNIT else None, requested_by=requested_by)
        job.full_clean()
        job.save()
        queue_on_commit(task, job.pk, release=partial(_release_unqueued, job.pk))
    return job


def _release_unqueued(job_id: int) -> None:
    InvitationJob.release_unqueued(job_id)


# --- The job ---------------------------------------------------------------------------------------------------


def invitation_link(user, invitation_sent_at: dt.datetime) -> str:
    token = InvitationTokenGenerator(invitation_sent_at).make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.CLO_BASE_URL + reverse("accounts:invitation_accept", args=[uid, token])


def _message(employee: Employee, user, sent_at: dt.datetime, expires_at: dt.datetime) -> EmailMessage:
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        of_organisation = of(settings.CLO_ORGANISATION_NAME)
        context = {"employee": employee, "username": user.username, "link": invitation_link(user, sent_at),
                   "expires_at": expires_at, "of_organisation": of_organisation,
                   "login_url": settings.CLO_BASE_URL + reverse("login")}
        subject = _("Your access to the learning and development workbench %(of_organisation)s") % {
            "of_organisation": of_organisation}
        body = render_to_string("accounts/email/invitation.txt", context)
    return EmailMessage(subject, body, None, [employee.email])


def _users_for(employees: list[Employee]) -> tuple[Mapping[int, AbstractBaseUser | None], list[dict]]:
    """The login of each employee, created for those who have none (username = employee number, no password yet),
    and the failures of those whose employee number is already another login's username."""
    User = get_user_model()
    users = {e.pk: e.user for e in employees if e.user_id}
    missing = [e for e in employees if not e.user_id]
    taken = set(User.objects.filter(username__in=[e.employee_number for e in missing])
                .values_list("username", flat=True))
    failures = [_failure(e, USERNAME_TAKEN) for e in missing if e.employee_number in taken]
    new = [e for e in missing if e.employee_number not in taken]
    if new:
        unusable = make_password(None)  # one random unusable hash: nobody signs in until they set a password
        created = User.objects.bulk_create([
            User(username=e.employee_number, email=e.email, first_name=e.first_name[:150],
                 last_name=e.last_name[:150], password=unusable) for e in new
        ])
        if not all(u.pk for u in created):  # a backend that does not return ids (not PostgreSQL nor SQLite)
            by_name = dict(User.objects.filter(username__in=[e.employee_number for e in new])
                           .values_list("username", "pk"))
            for u in created:
                u.pk = by_name[u.username]
        for employee, user in zip(new, created, strict=True):
            employee.user = user
            users[employee.pk] = user
        Employee.objects.bulk_update(new, ["user"])
    return users, failures


def _failure(employee: Employee, reason: str) -> dict:
    return {"employee": employee.pk, "name": employee.full_name, "number": employee.employee_number,
            "reason": reason}


def _invite_chunk(job: InvitationJob, employees: list[Employee], connection) -> tuple[int, list[dict]]:
    with_email = [e for e in employees if e.email]
    failures = [_failure(e, NO_EMAIL) for e in employees if not e.email]
    with transaction.atomic():
        users, taken = _users_for(with_email)
    failures += taken
    sent_at = timezone.now().replace(microsecond=0)
    expires_at = sent_at + dt.timedelta(days=settings.INVITATION_DAYS)
    sent: list[Invitation] = []
    for employee in with_email:
        user = users.get(employee.pk)
        if user is None:
            continue
        try:
            connection.send_messages([_message(employee, user, sent_at, expires_at)])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            logger.warning("invitation of employee %s refused by the mail server: %s", employee.pk, exc)
            failures.append(_failure(employee, REFUSED))
            continue
        sent.append(Invitation(employee=employee, email=employee.email, job=job, invited_by=job.requested_by,
                               sent_at=sent_at, expires_at=expires_at, accepted_at=None))
    Invitation.objects.bulk_create(
        sent, update_conflicts=True, unique_fields=["employee"],
        update_fields=["email", "job", "invited_by", "sent_at", "expires_at", "accepted_at"],
    )
    return len(sent), failures


def invitation_job_run(job_id: int) -> InvitationJob | None:
    """Claim the job and invite its people chunk by chunk. None when the job is gone or another worker has it (safe
    to run twice)."""
    if not InvitationJob.claim(job_id, done_count=0, sent_count=0, failures=[]):
        return None
    job = InvitationJob.objects.select_related("unit", "requested_by").get(pk=job_id)
    try:
        targets = invitation_targets(job)
        ids = list(targets.order_by("pk").values_list("pk", flat=True))
        InvitationJob.objects.filter(pk=job.pk).update(total=len(ids))
        failures: list[dict] = []
        with get_connection() as connection:
            for start in range(0, len(ids), CHUNK):
                chunk = list(Employee.objects.filter(pk__in=ids[start:start + CHUNK]).select_related("user")
                             .order_by("pk"))
                sent, failed = _invite_chunk(job, chunk, connection)
                failures += failed
                InvitationJob.objects.filter(pk=job.pk).update(
                    done_count=F("done_count") + len(ids[start:start + CHUNK]),
                    sent_count=F("sent_count") + sent, failures=failures)
        InvitationJob.complete(job.pk)
    except Exception as exc:
        logger.exception("invitation job %s failed", job.pk)
        InvitationJob.fail(job.pk, exc)
    return InvitationJob.objects.get(pk=job.pk)


QUEUE_GRACE = dt.timedelta(minutes=2)  # a pending job younger than this still has its message on the way
LOST = "The job stopped without finishing (its worker was lost) and was not resumed in time."


def invitation_jobs_resume_lost() -> list[int]:
    """Queue again the jobs whose worker was lost (running since before Celery's hard time limit) or whose message
    was lost (pending for more than ``QUEUE_GRACE``); at worker start and every 5 minutes. Older than three hard
    time limits, they are marked failed instead. Returns the ids queued."""
    from clo.accounts.tasks import invitation_job_run as task
    from clo.core.jobs import stale_before

    now = timezone.now()
    window = 3 * dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    lost = InvitationJob.objects.filter(
        Q(status=InvitationJob.Status.PENDING, created_at__lt=now - QUEUE_GRACE)
        | Q(status=InvitationJob.Status.RUNNING, started_at__lt=stale_before())
    )
    queued = []
    for job in lost.only("pk", "status", "created_at"):
        if job.created_at < now - window:
            InvitationJob.fail(job.pk, LOST, only_if=job.status)
            continue
        task.delay(job.pk)
        queued.append(job.pk)
    if queued:
        logger.warning("invitation job(s) %s queued again (worker or message lost)", queued)
    return queued


# --- The link --------------------------------------------------------------------------------------------------

VALID, EXPIRED, USED, INVALID = "valid", "expired", "used", "invalid"


@dataclass(frozen=True)
class LinkCheck:
    state: str
    user: object | None = None
    invitation: Invitation | None = None


def invitation_check(uidb64: str, token: str) -> LinkCheck:
    """What a link leads to: valid (set a password), expired, used (the password was set: sign in or reset it), or
    invalid (not a link we sent, or one replaced by a resend)."""
    User = get_user_model()
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        return LinkCheck(INVALID)
    if not 0 < pk < 2**63:
        return LinkCheck(INVALID)
    user = User.objects.filter(pk=pk).first()
    invitation = (Invitation.objects.select_related("employee").filter(employee__user_id=pk).first()
                  if user else None)
    if invitation is None or invitation.sent_at is None:
        return LinkCheck(INVALID)
    if user is None:
        return LinkCheck(INVALID)
    if invitation.accepted_at is not None or user.has_usable_password():
        return LinkCheck(USED, user, invitation)
    if not InvitationTokenGenerator(invitation.sent_at).matches(user, token):
        return LinkCheck(INVALID, user, invitation)
    if invitation.expired:
        return LinkCheck(EXPIRED, user, invitation)
    return LinkCheck(VALID, user, invitation)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, password: str) -> None:
    """The invited person sets their password (already validated by the form); the link is used up."""
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())


def invitation_renew(*, invitation: Invitation) -> InvitationJob | None:
    """The person asks for a new link from an expired or replaced one: a new invitation to the address in the staff
    register, unless one was sent within ``RENEW_INTERVAL`` or the person signs in already. Returns the job, or None."""
    if invitation.accepted_at is not None:
        return None
    if invitation.sent_at and invitation.sent_at > timezone.now() - RENEW_INTERVAL:
        return None
    try:
        return invitation_job_request(kind=InvitationJob.Kind.PERSON, employee=invitation.employee)
    except ValidationError:
        return None
