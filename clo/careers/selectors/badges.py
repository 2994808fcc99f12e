"""Reading badges: a person's own, the ones a user may open (their own, their subtree's for a director, all for HR
and the learning office), and the public view of one (only the badge, and the name if its holder shares it)."""

from __future__ import annotations

from django.db.models import QuerySet

from clo.careers.models import Badge
from clo.people import roles
from clo.people.models import Employee


def badges_visible_to(user) -> QuerySet[Badge]:
    return Badge.objects.filter(employee__in=Employee.objects.visible_to(user).values("pk"))


def badge_for(user, badge_id: int) -> Badge | None:
    return badges_visible_to(user).select_related("employee").filter(pk=badge_id).first()


def badges_of(employee_id: int) -> list[Badge]:
    """A person's badges, newest first."""
    return list(Badge.objects.filter(employee_id=employee_id).order_by("-issued_at", "-pk"))


def public_badge(public_id) -> Badge | None:
    """The badge behind a verification page (its holder's name is read only to show it when shared)."""
    return Badge.objects.select_related("employee").filter(public_id=public_id).first()


def is_holder(user, badge: Badge) -> bool:
    return roles.scope_of(user).employee_id == badge.employee_id


def can_revoke(user) -> bool:
    return roles.is_learning_office(user)
