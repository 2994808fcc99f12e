"""The unit tree's materialised path: built on create, rewritten for a whole subtree on move, rebuilt after a load."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from clo.people import services
from clo.people.models import OrgUnit
from tests import factories as f

pytestmark = pytest.mark.django_db


def _tree() -> dict[str, tuple[str, int, int | None]]:
    """code -> (path, depth, parent id) for every unit, read fresh from the database."""
    return {u.code: (u.path, u.depth, u.parent_id) for u in OrgUnit.objects.all()}


def test_orgunit_create_builds_path_and_depth_from_the_parent():
    root = services.orgunit_create(code="AJT", name="Ajuntament", kind=OrgUnit.Kind.AREA)
    child = services.orgunit_create(code="EDU", name="Educació", parent=root)
    grandchild = services.orgunit_create(code="ESC", name="Escoles", kind=OrgUnit.Kind.SECTION, parent=child)

    assert (root.path, root.depth) == (f"/{root.pk}/", 0)
    assert (child.path, child.depth) == (f"/{root.pk}/{child.pk}/", 1)
    assert (grandchild.path, grandchild.depth) == (f"/{root.pk}/{child.pk}/{grandchild.pk}/", 2)
    # What was returned is what was stored.
    assert _tree()["ESC"] == (grandchild.path, 2, child.pk)


def test_orgunit_create_refuses_a_duplicate_code_and_writes_nothing():
    services.orgunit_create(code="AJT", name="Ajuntament")
    with pytest.raises(ValidationError) as caught:
        services.orgunit_create(code="AJT", name="Un altre")
    assert "code" in caught.value.message_dict
    assert OrgUnit.objects.count() == 1


def test_orgunit_move_rewrites_the_whole_subtree(org):
    deep = f.OrgUnitFactory(code="A1X", parent=org.unit_a1)
    before = _tree()

    moved = services.orgunit_move(unit=org.unit_a, new_parent=org.unit_b1)

    after = _tree()
    b1_path = before["B1"][0]
    a = org.unit_a.pk
    assert moved.path == f"{b1_path}{a}/" and moved.depth == 3 and moved.parent_id == org.unit_b1.pk
    assert after["A"] == (f"{b1_path}{a}/", 3, org.unit_b1.pk)
    assert after["A1"] == (f"{b1_path}{a}/{org.unit_a1.pk}/", 4, a)
    assert after["A1X"] == (f"{b1_path}{a}/{org.unit_a1.pk}/{deep.pk}/", 5, org.unit_a1.pk)
    # Units outside the moved subtree are untouched.
    for code in ("AJT", "B", "B1"):
        assert after[code] == before[code]
    # The prefix query that scopes every list now finds A's subtree under B.
    under_b = OrgUnit.objects.subtree_of([org.unit_b]).values_list("code", flat=True)
    assert set(under_b) == {"B", "B1", "A", "A1", "A1X"}


def test_orgunit_move_to_the_top_makes_a_root(org):
    moved = services.orgunit_move(unit=org.unit_b, new_parent=None)
    assert (moved.path, moved.depth, moved.parent_id) == (f"/{org.unit_b.pk}/", 0, None)
    assert _tree()["B1"] == (f"/{org.unit_b.pk}/{org.unit_b1.pk}/", 1, org.unit_b.pk)


def test_orgunit_move_refused_leaves_the_tree_as_it_was(org):
    before = _tree()
    with pytest.raises(ValidationError):
        services.orgunit_move(unit=org.root, new_parent=org.unit_b1)
    assert _tree() == before


def test_orgunit_rebuild_paths_restores_every_path_from_parent(org):
    deep = f.OrgUnitFactory(code="A1X", parent=org.unit_a1)
    expected = _tree()
    # A bulk load writes parents but no paths.
    OrgUnit.objects.update(path="", depth=0)
    assert all(path == "" for path, _, _ in _tree().values())

    assert services.orgunit_rebuild_paths() == 6

    assert _tree() == expected
    assert expected["A1X"][0] == f"/{org.root.pk}/{org.unit_a.pk}/{org.unit_a1.pk}/{deep.pk}/"


def test_orgunit_rebuild_paths_follows_parents_changed_behind_the_services_back(org):
    # A raw parent change (allowed by the trigger: B1 is not under A) leaves A1's path stale until rebuilt.
    OrgUnit.objects.filter(pk=org.unit_a1.pk).update(parent=org.unit_b1)
    assert _tree()["A1"][0] == f"/{org.root.pk}/{org.unit_a.pk}/{org.unit_a1.pk}/"

    services.orgunit_rebuild_paths()

    assert _tree()["A1"][:2] == (f"/{org.root.pk}/{org.unit_b.pk}/{org.unit_b1.pk}/{org.unit_a1.pk}/", 3)
