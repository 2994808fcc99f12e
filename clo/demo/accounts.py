"""The demo logins: who they are, what they see, and how ``demo_accounts`` lists them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from clo.people import roles

DEMO_PASSWORD = "vilamar-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    sees: str


ACCOUNTS = (
    DemoAccount(
        "clo",
        "learning office (CLO)",
        "everything: dashboards, frameworks, catalogue, campaigns, needs triage and the annual plan",
    ),
    DemoAccount(
        "rrhh", "human resources", "every employee, position and requirement; learning plans and their PDFs"
    ),
    DemoAccount(
        "directora",
        "director of an àrea",
        "her àrea's units and people only: their gaps, needs, ratings and enrolments to approve",
    ),
    DemoAccount("empleat", "employee", "himself: self-assessment, gaps, learning plan, sessions to enrol in"),
    DemoAccount(
        "dpd", "data protection", "the records blocked past their retention period and the retention runs"
    ),
    DemoAccount("admin", "superuser", "the Django admin at /admin/"),
)
USERNAMES = tuple(account.username for account in ACCOUNTS)


@dataclass(frozen=True)
class AccountLine:
    account: DemoAccount
    exists: bool
    person: str  # "Name Surname · position · unit", or "" when the login is not linked to an employee
    roles: tuple[str, ...]


def describe_accounts() -> list[AccountLine]:
    """One line per demo account, read from the database (so it says what the seed really made)."""
    from clo.people.models import Employee

    users = {user.username: user for user in get_user_model().objects.filter(username__in=USERNAMES)}
    employees = {
        e.user_id: e
        for e in Employee.objects.filter(user__username__in=USERNAMES).select_related("unit", "position")
    }
    lines = []
    for account in ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            lines.append(AccountLine(account, False, "", ()))
            continue
        employee = employees.get(user.pk)
        person = (
            f"{employee.full_name} · {employee.position.title} · {employee.unit.name}" if employee else ""
        )
        scope = roles.scope_of(user)
        found = tuple(
            role for role in (roles.CLO, roles.HR, roles.DIRECTOR, roles.EMPLOYEE, roles.DATA_PROTECTION)
            if scope.has(role)
        )
        if user.is_superuser:
            found = ("superuser",) + found
        lines.append(AccountLine(account, True, person, found))
    return lines
