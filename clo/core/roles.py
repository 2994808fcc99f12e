"""Roles and scope: who the user is to clo, and which part of the organisation they may see. This module holds what
needs no model of clo.people (the roles, the groups that grant them, the ``Scope`` value); the scope itself is
computed from the staff register by ``clo.people.roles.scope_of``.

- CLO (the learning office): Django group ``learning_office``; sees everything.
- HR: Django group ``hr``; sees everything (people data, plans).
- Director: an employee who heads one or more units; sees those units' whole subtrees.
- Employee: a login linked to an Employee; sees themselves.

The scope is computed once per request and kept on the user object. Querysets apply it with ``visible_to(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

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
    superuser: bool = False

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_learning_office(self) -> bool:
        """The learning office's own pages (triage, sessions, evaluation, reports...) exist for the CLO and for
        superusers: every view gate and every link to such a page asks this one question."""
        return self.superuser or CLO in self.roles

    @property
    def primary_role(self) -> str | None:
        for role in (CLO, HR, DIRECTOR, EMPLOYEE, DATA_PROTECTION):
            if role in self.roles:
                return role
        return None


NO_SCOPE = Scope()


def group_roles(user: User | AnonymousUser | None) -> frozenset[str]:
    """The roles that the user's Django groups grant (CLO, HR, data protection), read once per user object: the
    scope (``clo.people.roles.scope_of``) starts from them, and clo/core's own gates ask only them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_clo_group_roles", None)
    if cached is not None:
        return cached
    scope: Scope | None = getattr(user, "_clo_scope", None)
    if scope is not None:
        return frozenset(role for role in scope.roles if role in GROUP_FOR_ROLE)
    group_names = set(user.groups.values_list("name", flat=True))
    roles = frozenset(role for role, group in GROUP_FOR_ROLE.items() if group in group_names)
    user._clo_group_roles = roles  # type: ignore[union-attr]
    return roles
