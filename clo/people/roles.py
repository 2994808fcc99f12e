"""The scope of a user: which roles they hold and which part of the organisation they may see, computed from their
Django groups and the staff register (their employee and the units they head). The roles, the ``Scope`` value and
the groups that grant roles are defined, model-free, in ``clo.core.roles``; they are re-exported here so that the
layers above clo.people import one module.

The scope is computed once per request and kept on the user object. Querysets apply it with ``visible_to(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clo.core.roles import (  # noqa: F401 - re-exported for the layers above
    CLO,
    DATA_PROTECTION,
    DIRECTOR,
    EMPLOYEE,
    GROUP_FOR_ROLE,
    HR,
    NO_SCOPE,
    ROLE_LABELS,
    Scope,
    group_roles,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def is_learning_office(user: User | AnonymousUser | None) -> bool:
    """The learning office's own pages (triage, sessions, evaluation...) exist for the CLO and superusers only
    (``Scope.is_learning_office``); the views take the gate ``clo.people.access.learning_office_only``."""
    return scope_of(user).is_learning_office


def _minimal_paths(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


def scope_of(user: User | AnonymousUser | None) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, "_clo_scope", None)
    if cached is not None:
        return cached
    from clo.people.models import Employee, OrgUnit

    found: set[str] = set(group_roles(user))
    employee = (
        Employee.objects.filter(user_id=user.pk, active=True)  # type: ignore[misc]  # authenticated: it has a pk
        .only("id", "first_name", "last_name").first()
    )
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
        superuser=bool(user.is_superuser),
    )
    user._clo_scope = scope  # type: ignore[union-attr]
    return scope
