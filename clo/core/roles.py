"""Roles and scope: who the user is to clo, and which part of the organisation they may see.

- CLO (the learning office): Django group ``learning_office``; sees everything.
- HR: Django group ``hr``; sees everything (people data, plans).
- Director: an employee who heads one or more units; sees those units' whole subtrees.
- Employee: a login linked to an Employee; sees themselves.

The scope is computed once per request and kept on the user object. Querysets apply it with ``visible_to(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CLO = "clo"
HR = "hr"
DIRECTOR = "director"
EMPLOYEE = "employee"
# Data protection (group ``data_protection``): the only role that sees records blocked past their retention period,
# and the retention runs. It widens nobody's scope (``everything`` stays with the CLO and HR).
DATA_PROTECTION = "data_protection"

GROUP_FOR_ROLE = {CLO: "learning_office", HR: "hr", DATA_PROTECTION: "data_protection"}
ROLE_LABELS = {CLO: _("Learning office"), HR: _("Human resources"), DIRECTOR: _("Director"), EMPLOYEE: _("Employee"),
               DATA_PROTECTION: _("Data protection")}


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    everything: bool = False
    unit_paths: tuple[str, ...] = ()
    employee_id: int | None = None
    headed_unit_ids: tuple[int, ...] = field(default=())
    employee_name: str = ""  # shown in the page header (read with the scope: no query of its own)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def primary_role(self) -> str | None:
        for role in (CLO, HR, DIRECTOR, EMPLOYEE, DATA_PROTECTION):
            if role in self.roles:
                return role
        return None


NO_SCOPE = Scope()


def is_learning_office(user) -> bool:
    """The learning office's own pages (triage, sessions, evaluation...) exist for the CLO and superusers only; every
    view gate and every link to such a page asks this same question."""
    return bool(getattr(user, "is_superuser", False)) or scope_of(user).has(CLO)


def _minimal_paths(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


def scope_of(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, "_clo_scope", None)
    if cached is not None:
        return cached
    from clo.people.models import Employee, OrgUnit

    group_names = set(user.groups.values_list("name", flat=True))
    found: set[str] = {role for role, group in GROUP_FOR_ROLE.items() if group in group_names}
    employee = Employee.objects.filter(user_id=user.pk, active=True).only("id", "first_name", "last_name").first()
    headed: list[tuple[int, str]] = []
    if employee is not None:
        found.add(EMPLOYEE)
        headed = list(OrgUnit.objects.filter(heads=employee, active=True).values_list("id", "path"))
        if headed:
            found.add(DIRECTOR)
    everything = user.is_superuser or CLO in found or HR in found
    scope = Scope(
        roles=frozenset(found),
        everything=everything,
        unit_paths=_minimal_paths([path for _, path in headed]),
        employee_id=employee.pk if employee else None,
        headed_unit_ids=tuple(unit_id for unit_id, _ in headed),
        employee_name=employee.full_name if employee else "",
    )
    user._clo_scope = scope
    return scope
