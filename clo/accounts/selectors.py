"""Reads of the accounts app: HR's account page (who has a login, how they sign in, their last sign-in and their
invitation), and the invitation jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.accounts.models import InvitationJob, SignIn
from clo.people import roles
from clo.people.models import Employee, OrgUnit

# How a person signs in, as the account page shows and filters it.
NO_LOGIN, NOT_USED = "none", "unused"
INVITATION = "invitation"
ACCESS_LABELS = {
    NO_LOGIN: _("No login"),
    NOT_USED: _("Login not used yet"),
    SignIn.Method.SSO: _("Single sign-on"),
    SignIn.Method.LDAP: _("LDAP / Active Directory"),
    INVITATION: _("Invitation"),
    SignIn.Method.LOCAL: _("Local password"),
}
# The state of a person's invitation.
NOT_INVITED, PENDING, EXPIRED, ACCEPTED = "not_invited", "pending", "expired", "accepted"
INVITATION_LABELS = {
    NOT_INVITED: _("Not invited"),
    PENDING: _("Invitation pending"),
    EXPIRED: _("Invitation expired"),
    ACCEPTED: _("Invitation accepted"),
}

ACCOUNTS_PER_PAGE = 50


def can_manage_accounts(user) -> bool:
    """HR and the learning office (and superusers) see everybody's sign-in; directors and employees do not: who can
    sign in is HR's business, and a director has nothing to do with it (their pages answer 404)."""
    scope = roles.scope_of(user)
    return bool(user.is_superuser or scope.has(roles.HR) or scope.has(roles.CLO))


def accounts(*, search: str = "", unit: OrgUnit | None = None, access: str = "", invitation: str = "") -> QuerySet:
    """Active employees with their login, last sign-in and invitation, annotated ``access`` and
    ``invitation_state`` (the keys of ``ACCESS_LABELS`` and ``INVITATION_LABELS``); one query per page."""
    now = timezone.now()
    rows: Any = (  # annotated rows: django-stubs loses the queryset methods and the annotations
        Employee.objects.active()
        .select_related("unit", "user", "user__clo_sign_in", "invitation")
        .annotate(
            access=Case(
                When(user__isnull=True, then=Value(NO_LOGIN)),
                When(user__clo_sign_in__method__in=[SignIn.Method.SSO, SignIn.Method.LDAP],
                     then=F("user__clo_sign_in__method")),
                When(invitation__accepted_at__isnull=False, then=Value(INVITATION)),
                When(~Q(user__password__startswith="!"), then=Value(SignIn.Method.LOCAL)),
                default=Value(NOT_USED), output_field=CharField(),
            ),
            invitation_state=Case(
                When(invitation__isnull=True, then=Value(NOT_INVITED)),
                When(invitation__accepted_at__isnull=False, then=Value(ACCEPTED)),
                When(invitation__expires_at__lte=now, then=Value(EXPIRED)),
                default=Value(PENDING), output_field=CharField(),
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )
    if search:
        rows = rows.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search)
                           | Q(employee_number__iexact=search) | Q(user__username__iexact=search))
    if unit is not None:
        rows = rows.in_units([unit])
    if access:
        rows = rows.filter(access=access)
    if invitation:
        rows = rows.filter(invitation_state=invitation)
    return rows


def unit_choices() -> list[tuple[int, str]]:
    return list(OrgUnit.objects.active().order_by("path").values_list("pk", "name"))


def employee_choices() -> QuerySet:
    """Who can be invited one by one: active employees with no login in use."""
    from clo.accounts.invitations import without_login_in_use

    return Employee.objects.active().filter(without_login_in_use()).order_by("last_name", "first_name", "pk")


def recent_invitation_jobs(limit: int = 20) -> list[InvitationJob]:
    return list(InvitationJob.objects.select_related("unit", "employee", "requested_by")[:limit])
