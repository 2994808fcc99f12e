"""Helpers shared by the ``test_constraints.py`` modules: every database invariant, checked twice.

A ``Case`` is one way of breaking one named constraint. Each case is run two ways:

- ``full_clean()`` (what a form or a service does first) must raise ``ValidationError`` carrying the constraint's
  ``violation_error_message`` in English, the sentence a person reads;
- writing the row straight to the database, past every Python check (``bulk_create`` by default, or the case's own
  ``write``: ``create`` with an explicit id, ``.update()``), must raise ``IntegrityError``.

A ``LevelCase`` is a table with a level column guarded by a ``LevelInScale`` trigger (``clo/core/db.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import translation

from tests import factories as f


@dataclass(frozen=True)
class Case:
    name: str  # the constraint's name, <app>_<model>_<rule>
    message: str  # its violation_error_message, in English
    bad: Callable[[], models.Model]  # builds (with its parents saved) an instance that breaks the rule
    write: Callable[[models.Model], object] | None = None  # default: Model.objects.bulk_create([instance])
    label: str = ""  # tells apart two cases of one constraint
    # Names the database error may carry. Unique violations on SQLite name the columns, not the constraint; a
    # BEFORE trigger that refuses the same row first on SQLite names itself.
    db_names: tuple[str, ...] = ()
    # When the model's clean() refuses the value first (full_clean then skips constraints on that field), the
    # message clean() gives; the constraint's own message is then checked through validate_constraints().
    shadowed_by: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def case_ids(case: Case) -> str:
    return case.id


def constraint_names(app_label: str) -> set[str]:
    return {c.name for model in apps.get_app_config(app_label).get_models() for c in model._meta.constraints}


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def assert_full_clean_refuses(case: Case) -> None:
    instance = case.bad()
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            instance.full_clean()
        messages = messages_of(caught.value)
        if case.shadowed_by:
            assert any(case.shadowed_by in m for m in messages), messages
            with pytest.raises(ValidationError) as caught:
                instance.validate_constraints()
            messages = messages_of(caught.value)
    assert case.message in messages, messages


def assert_database_refuses(case: Case) -> None:
    instance = case.bad()
    model = type(instance)
    before = model.objects.count()
    write = case.write or (lambda obj: type(obj).objects.bulk_create([obj]))
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write(instance)
    text = str(caught.value)
    names = case.db_names or (case.name,)
    is_unique = any(c.name == case.name and isinstance(c, models.UniqueConstraint) for c in model._meta.constraints)
    if connection.vendor == "postgresql" or not is_unique:
        assert any(name in text for name in names), text
    assert model.objects.count() == before


# --- the level-in-scale triggers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCase:
    model: type[models.Model]
    field: str  # the model field holding the level
    make: Callable[[object, int], models.Model]  # unsaved row for (competency, level); each call unique
    allow_zero: bool
    extra: dict = field(default_factory=dict)

    @property
    def trigger(self) -> str:
        return f"{self.model._meta.db_table}_level_in_scale"

    @property
    def id(self) -> str:
        return self.model.__name__


def competencies_on_four_level_scale(count: int) -> list:
    """``count`` competencies of one framework whose scale has the levels 1 to 4."""
    area = f.AreaFactory(framework=f.FrameworkFactory(scale=f.ScaleFactory(levels=4)))
    return [f.CompetencyFactory(area=area) for _ in range(count)]


def assert_trigger_refuses_create(case: LevelCase) -> None:
    (competency,) = competencies_on_four_level_scale(1)
    row = case.make(competency, 5)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        type(row).objects.bulk_create([row])
    assert case.trigger in str(caught.value)
    assert "not on the scale" in str(caught.value)
    assert not case.model.objects.filter(competency=competency).exists()


def assert_trigger_refuses_bulk(case: LevelCase) -> None:
    competencies = competencies_on_four_level_scale(6)
    rows = [case.make(c, 1 + i % 4) for i, c in enumerate(competencies)]
    setattr(rows[4], case.field, 9)  # one bad row among good ones
    before = case.model.objects.count()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        case.model.objects.bulk_create(rows)
    assert case.trigger in str(caught.value)
    assert case.model.objects.count() == before  # nothing written, not even the good rows


def assert_trigger_refuses_update(case: LevelCase) -> None:
    (competency,) = competencies_on_four_level_scale(1)
    row = case.make(competency, 4)
    row.save()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        case.model.objects.filter(pk=row.pk).update(**{case.field: 5})
    assert case.trigger in str(caught.value)
    row.refresh_from_db()
    assert getattr(row, case.field) == 4


def assert_trigger_accepts_scale(case: LevelCase) -> None:
    """The whole scale (and 0 where allowed) is accepted; a level valid on a longer scale is refused on a short one."""
    short, long_ = competencies_on_four_level_scale(1)[0], f.CompetencyFactory(
        area=f.AreaFactory(framework=f.FrameworkFactory(scale=f.ScaleFactory(levels=8)))
    )
    levels = [0, 1, 2, 3, 4] if case.allow_zero else [1, 2, 3, 4]
    case.model.objects.bulk_create([case.make(short, level) for level in levels] + [case.make(long_, 7)])
    assert case.model.objects.filter(competency__in=[short, long_]).count() == len(levels) + 1
    if not case.allow_zero:
        with pytest.raises(IntegrityError), transaction.atomic():
            case.model.objects.bulk_create([case.make(short, 0)])
    with pytest.raises(IntegrityError), transaction.atomic():
        case.model.objects.bulk_create([case.make(short, 7)])


def assert_full_clean_names_the_scale(case: LevelCase) -> None:
    (competency,) = competencies_on_four_level_scale(1)
    row = case.make(competency, 5)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        row.full_clean()
    errors = caught.value.message_dict
    assert case.field in errors, errors
    expected_range = "(0 to 4)" if case.allow_zero else "(1 to 4)"
    assert any("outside the scale" in m and expected_range in m for m in errors[case.field]), errors
    # The top of the scale (and 0 where it means "not demonstrated") passes the same check.
    for level in [0, 4] if case.allow_zero else [4]:
        ok = case.make(competency, level)
        ok.full_clean()
