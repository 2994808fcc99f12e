"""Template context shared by every page: the user's roles and the navigation they may use."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clo.people import roles
from clo.core.navigation import groups_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    scope = roles.scope_of(user)
    return {
        "scope": scope,
        "role_labels": [roles.ROLE_LABELS[role] for role in (roles.CLO, roles.HR, roles.DIRECTOR, roles.EMPLOYEE)
                        if scope.has(role)],
        "organisation_name": settings.CLO_ORGANISATION_NAME,
        # read only by the page around the content: a partial (an HTMX swap, a board kept in the cache) skips it
        "nav_groups": SimpleLazyObject(lambda: groups_for(request, scope)),
    }
