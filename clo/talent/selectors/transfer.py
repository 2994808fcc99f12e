"""Reads of knowledge-transfer plans: who needs a plan, the plans a person may see, one plan with its items and its
progress. ``holders_without_transfer_plan`` is the one definition of "holders retiring within the horizon with no
transfer plan", for this list and for the bench-strength board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from clo.people import roles
from clo.people.models import Employee, OrgUnit
from clo.talent.models import HandoverItem, TransferPlan


def horizon_end(*, today: dt.date, years: int | None = None) -> dt.date:
    """The last day of the succession horizon (``CLO_SUCCESSION_HORIZON_YEARS`` from ``today``)."""
    return today + relativedelta(years=years or settings.CLO_SUCCESSION_HORIZON_YEARS)


def _in_paths(queryset: QuerySet, paths, prefix: str = "unit") -> QuerySet:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}__path__startswith": path})
    return queryset.filter(condition)


def can_manage_plans(user) -> bool:
    """The learning office, HR and directors create and follow plans; anyone else only sees their own."""
    scope = roles.scope_of(user)
    return scope.everything or bool(scope.unit_paths)


def critical_holders(*, user=None, unit_paths: tuple[str, ...] | None = None):
    """Active holders of a critical position, among those ``user`` manages (their subtree; everyone for the learning
    office and HR), or under ``unit_paths``; the whole organisation when neither is given."""
    holders = Employee.objects.filter(active=True, blocked_at__isnull=True, position__is_critical=True)
    if user is not None:
        scope = roles.scope_of(user)
        if not scope.everything:
            holders = _in_paths(holders, scope.unit_paths)
    if unit_paths is not None:
        holders = _in_paths(holders, unit_paths)
    return holders


def holders_without_transfer_plan(*, today: dt.date, years: int | None = None, user=None,
                                  unit_paths: tuple[str, ...] | None = None):
    """Active holders of a critical position whose expected retirement falls within the horizon (or is already past
    while they still work) and who have no knowledge-transfer plan for that position. Scoped as
    ``critical_holders``. A queryset of ``people.Employee``: ``.count()`` for a figure, or the rows for a list."""
    has_plan = TransferPlan.objects.filter(holder_id=OuterRef("pk"), position_id=OuterRef("position_id"))
    return (
        critical_holders(user=user, unit_paths=unit_paths)
        .filter(expected_retirement_date__isnull=False,
                expected_retirement_date__lte=horizon_end(today=today, years=years))
        .filter(~Exists(has_plan))
    )


def holders_needing_plan(*, user, today: dt.date) -> list[Employee]:
    """The list on the plans page: the holders without a plan, soonest retirement first."""
    return list(
        holders_without_transfer_plan(today=today, user=user)
        .select_related("unit", "position").order_by("expected_retirement_date", "last_name", "pk")
    )


def _with_progress(plans: QuerySet) -> QuerySet:
    return plans.annotate(
        items_total=Count("items"), items_done=Count("items", filter=Q(items__done_on__isnull=False)),
    )


def plans_for_list(user) -> list[TransferPlan]:
    """The plans ``user`` may see, with their progress, soonest leaving date first."""
    plans = TransferPlan.objects.visible_to(user).select_related("holder", "holder__unit", "position", "successor")
    return list(_with_progress(plans).order_by("leaving_on", "pk"))


def plan_for_page(plan_id: int, user) -> TransferPlan | None:
    return (
        TransferPlan.objects.visible_to(user)
        .select_related("holder", "holder__unit", "position", "successor", "successor__unit")
        .filter(pk=plan_id).first()
    )


def can_manage_plan(user, plan: TransferPlan) -> bool:
    """The learning office, HR, and the directors of the holder's subtree (the holder's unit is loaded)."""
    scope = roles.scope_of(user)
    return scope.everything or any(plan.holder.unit.path.startswith(path) for path in scope.unit_paths)


def can_mark_done(user, plan: TransferPlan) -> bool:
    """Those who manage the plan, and the mentor and the successor themselves."""
    employee_id = roles.scope_of(user).employee_id
    return can_manage_plan(user, plan) or employee_id in (plan.holder_id, plan.successor_id)


def plan_items(plan: TransferPlan) -> list[HandoverItem]:
    return list(plan.items.select_related("competency").order_by("due_on", "pk"))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def plan_progress(items: list[HandoverItem]) -> Progress:
    """Items done / total: the one definition of a plan's progress (the list computes the same in SQL)."""
    return Progress(done=sum(1 for item in items if item.done_on), total=len(items))


def plans_of_holders(position, holders) -> dict[int, TransferPlan]:
    """The knowledge-transfer plans of these holders for the position, by holder id (one query)."""
    return {plan.holder_id: plan for plan in TransferPlan.objects.filter(position=position,
                                                                         holder_id__in=[h.pk for h in holders])}


def holder_for_new_plan(user, employee_id: int) -> Employee | None:
    """The holder of a critical position ``user`` may open a plan for, or None (a 404 for the view)."""
    return critical_holders(user=user).select_related("unit", "position").filter(pk=employee_id).first()


def successor_choices(user):
    """Whom a plan may pair with the holder: any active employee (the successor pools can narrow this later)."""
    return Employee.objects.filter(active=True, blocked_at__isnull=True).select_related("unit").order_by(
        "last_name", "first_name")


def plan_directors(plans: list[TransferPlan]) -> dict[int, list[Employee]]:
    """For each plan, the directors of the holder's unit, or of the nearest unit above it that has any (two queries
    for all the plans). The holder's unit must be loaded."""
    paths = {plan.pk: plan.holder.unit.path for plan in plans}
    ancestor_ids = {int(part) for path in paths.values() for part in path.strip("/").split("/") if part}
    through = OrgUnit.heads.through
    heads: dict[int, list[int]] = {}
    for unit_id, employee_id in through.objects.filter(orgunit_id__in=ancestor_ids,
                                                       orgunit__active=True).values_list("orgunit_id", "employee_id"):
        heads.setdefault(unit_id, []).append(employee_id)
    people = Employee.objects.filter(pk__in={e for ids in heads.values() for e in ids}, active=True).select_related(
        "user").in_bulk()
    found: dict[int, list[Employee]] = {}
    for plan in plans:
        chain = [int(part) for part in paths[plan.pk].strip("/").split("/") if part]
        for unit_id in reversed(chain):
            directors = [people[e] for e in heads.get(unit_id, []) if e in people and e != plan.holder_id]
            if directors:
                found[plan.pk] = directors
                break
    return found
