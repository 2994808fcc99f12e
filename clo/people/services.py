"""Writes to the organisation. The unit tree's materialised path is maintained here, and only here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from clo.people.models import OrgUnit


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
