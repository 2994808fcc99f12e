"""Writes to the organisation. The unit tree's materialised path is maintained here, and only here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from clo.core.tasks import queue_on_commit
from clo.people.models import Employee, OrgUnit, Position


def _path_for(unit_id: int, parent: OrgUnit | None) -> str:
    return f"{parent.path if parent else '/'}{unit_id}/"


@transaction.atomic
def orgunit_create(*, code: str, name: str, kind: str = OrgUnit.Kind.SERVICE, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    unit.path = _path_for(unit.pk, parent)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def orgunit_move(*, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Place ``unit`` (with its subtree) under ``new_parent``; refuses cycles with a readable message."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None:
        new_parent = OrgUnit.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own subunits.")})
    old_path, old_depth = unit.path, unit.depth
    new_path = _path_for(unit.pk, new_parent)
    new_depth = new_parent.depth + 1 if new_parent else 0
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    # One UPDATE rewrites the prefix of the whole subtree.
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") - old_depth + new_depth,
    )
    queue_on_commit("evaluations.gaps_refresh_unit_move", unit.pk, _path_ids(old_path))
    queue_on_commit("programs.training_rollup_rebuild")  # subtree sums follow the new paths (a rare change)
    unit.refresh_from_db()
    return unit


def orgunit_rebuild_paths() -> int:
    """Recompute every path and depth from ``parent`` (after a bulk load). Returns the number of units."""
    units = list(OrgUnit.objects.values_list("id", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in units:
        children.setdefault(parent_id, []).append(unit_id)
    paths: dict[int, tuple[str, int]] = {}
    stack = [(root, "/", 0) for root in children.get(None, [])]
    while stack:
        unit_id, prefix, depth = stack.pop()
        path = f"{prefix}{unit_id}/"
        paths[unit_id] = (path, depth)
        stack.extend((child, path, depth + 1) for child in children.get(unit_id, []))
    objs = [OrgUnit(id=unit_id, path=path, depth=depth) for unit_id, (path, depth) in paths.items()]
    OrgUnit.objects.bulk_update(objs, ["path", "depth"], batch_size=1000)
    return len(objs)


# --- Employees: moves and position changes (the gap engine follows on commit) ----------------------------------


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@transaction.atomic
def employee_move(*, employee: Employee, unit: OrgUnit) -> Employee:
    """Move an employee to another unit; their gaps leave the old unit's figures and join the new one's."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    previous_unit_id = employee.unit_id
    if previous_unit_id == unit.pk:
        return employee
    employee.unit = unit
    employee.full_clean(validate_unique=False, validate_constraints=False)
    employee.save(update_fields=["unit"])
    queue_on_commit("evaluations.gaps_refresh_employee", employee.pk, [previous_unit_id])
    queue_on_commit("programs.training_refresh_employee", employee.pk, [previous_unit_id])
    return employee


@transaction.atomic
def employee_change_position(*, employee: Employee, position: Position, unit: OrgUnit | None = None) -> Employee:
    """Give an employee another position (and, optionally, move them to ``unit`` at the same time): from now on they
    are measured against the new position's requirements."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    previous_unit_id = employee.unit_id
    fields = []
    if employee.position_id != position.pk:
        employee.position = position
        fields.append("position")
    if unit is not None and employee.unit_id != unit.pk:
        employee.unit = unit
        fields.append("unit")
    if not fields:
        return employee
    employee.full_clean(validate_unique=False, validate_constraints=False)
    employee.save(update_fields=fields)
    queue_on_commit("evaluations.gaps_refresh_employee", employee.pk, [previous_unit_id])
    # the training roll-up is per unit and position group: a new position may be of another group
    queue_on_commit("programs.training_refresh_employee", employee.pk, [previous_unit_id])
    return employee


def employee_saved(*, employee_id: int, previous_unit_id: int | None = None) -> None:
    """An employee was created or edited elsewhere than in the services above (the admin, an import): their gaps and
    the roll-ups of their unit — and of ``previous_unit_id``, the unit they left — are refreshed on commit."""
    queue_on_commit("evaluations.gaps_refresh_employee", employee_id, [previous_unit_id] if previous_unit_id else [])
    queue_on_commit("programs.training_refresh_employee", employee_id, [previous_unit_id] if previous_unit_id else [])


def positions_regrouped(*, position_ids) -> None:
    """Positions were moved to another civil-service group (the admin, an import): the gap and training roll-ups per
    position group of the units where they have active holders are recounted on commit (one refresh for all of
    them; the headcounts follow by themselves, see ``models.UnitHeadcount``)."""
    unit_ids = sorted(set(
        Employee.objects.filter(position_id__in=list(position_ids), active=True).values_list("unit_id", flat=True)
    ))
    if unit_ids:
        queue_on_commit("evaluations.gaps_refresh_units", unit_ids)
        queue_on_commit("programs.training_refresh_units", unit_ids)


def employees_removed(*, unit_ids) -> None:
    """Employees of ``unit_ids`` were deleted: those units' roll-ups are recounted on commit."""
    unit_ids = sorted({int(u) for u in unit_ids if u})
    if unit_ids:
        queue_on_commit("evaluations.gaps_refresh_units", unit_ids)
        queue_on_commit("programs.training_refresh_units", unit_ids)
