"""Linking a sign-in to the staff register.

Whoever signs in (OpenID Connect or LDAP) is matched to their Employee by employee number, or by email when
``SIGNIN_MATCH_BY=email``. The Django user is created on the first sign-in and linked to the employee; an Employee is
never created here. No match, a deactivated employee or two employees with the same email: the sign-in is refused
(``SignInRefused``), one line goes to the security log, and no account is made.

The roles the identity provider gives (``SIGNIN_ROLE_GROUPS``: its groups → learning_office, hr, data_protection)
are applied again at every sign-in: a group removed there is removed here. Directors are not a group: they stay
derived from the units each employee heads (clo.core.roles).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from clo.core.roles import GROUP_FOR_ROLE
from clo.core.security import log_refusal
from clo.people.models import Employee


class SignInRefused(Exception):
    """A sign-in the identity provider accepted and clo refuses. ``reason`` is one of REASONS."""

    NOT_IN_REGISTER = "not_in_register"
    INACTIVE = "inactive"
    AMBIGUOUS = "ambiguous"
    NO_IDENTIFIER = "no_identifier"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _clean(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value or "").strip()


def employee_matching(*, employee_number, email) -> Employee:
    """The employee of the register this identity is, by the configured key; raises ``SignInRefused``."""
    if settings.SIGNIN_MATCH_BY == "email":
        key = _clean(email)
        if not key:
            raise SignInRefused(SignInRefused.NO_IDENTIFIER)
        found = list(Employee.objects.filter(email__iexact=key).order_by("-active", "pk")[:2])
        if len(found) > 1 and found[1].active:
            raise SignInRefused(SignInRefused.AMBIGUOUS)
    else:
        key = _clean(employee_number)
        if not key:
            raise SignInRefused(SignInRefused.NO_IDENTIFIER)
        found = list(Employee.objects.filter(employee_number=key)[:1])
    if not found:
        raise SignInRefused(SignInRefused.NOT_IN_REGISTER)
    if not found[0].active:
        raise SignInRefused(SignInRefused.INACTIVE)
    return found[0]


def _free_username(base: str) -> str:
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def user_for_employee(*, employee: Employee):
    """The employee's Django user, created (without a usable password) and linked on their first sign-in."""
    employee = Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    user = employee.user
    if user is None:
        User = get_user_model()
        user = User(username=_free_username(employee.employee_number), email=employee.email,
                    first_name=employee.first_name[:150], last_name=employee.last_name[:150])
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        employee.user = user
        employee.save(update_fields=["user"])
    elif not user.is_active:
        # Deactivation ends the user with the employee (migration 0001); an employee active again in the register
        # may sign in again through their identity provider.
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def roles_apply(*, user, idp_groups) -> None:
    """Give ``user`` exactly the mapped roles their identity provider's groups carry (roles with no mapping are
    left alone)."""
    held = {str(group).strip().casefold() for group in idp_groups or () if str(group).strip()}
    managed = set(GROUP_FOR_ROLE.values())
    for group_name, idp_names in settings.SIGNIN_ROLE_GROUPS.items():
        if group_name not in managed or not idp_names:
            continue
        group, _ = Group.objects.get_or_create(name=group_name)
        if held & {name.casefold() for name in idp_names}:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def sign_in_user(*, request, source: str, employee_number, email, idp_groups):
    """The user signing in through ``source`` ("oidc" or "ldap"): matched, linked, roles applied. On refusal, the
    reason is logged and kept on the request (``request.clo_signin_refusal``) for the page, and None returned."""
    try:
        employee = employee_matching(employee_number=employee_number, email=email)
    except SignInRefused as refused:
        if request is not None:
            request.clo_signin_refusal = refused.reason
            log_refusal(request, "sign-in refused", source=source, reason=refused.reason,
                        employee_number=_clean(employee_number), email=_clean(email))
        return None
    user = user_for_employee(employee=employee)
    roles_apply(user=user, idp_groups=idp_groups)
    if hasattr(user, "_clo_scope"):
        del user._clo_scope
    return user
