"""``manage.py seed_demo --shape bench``: the gap engine's synthetic organisation (``bench_gaps``) from the same
command and the same bulk loader as the demo council, checked as whoever runs it would notice."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from clo.demo import frameworks
from clo.demo import seed as demo
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import Framework
from evaluations.models import Assessment, CurrentLevel, GapRun, Rating
from programs.models import Enrolment
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

SIZE = 60


@pytest.fixture
def empty(db):
    demo.clear_demo_data()
    frameworks.ensure_reference_frameworks()  # the bench organisation rates the reference frameworks too


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--shape", "bench", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> tuple:
    return (
        Employee.objects.count(),
        sorted(Position.objects.values_list("title", "group", "is_critical")),
        Rating.objects.aggregate(total=Sum("level"))["total"],
        sorted(Assessment.objects.values_list("role", "status")),
        Enrolment.objects.filter(status="completed").count(),
    )


def test_seeds_the_bench_organisation_with_its_current_levels(empty):
    out = seed("--employees", str(SIZE))
    assert f"Seeded the gap engine's synthetic organisation: {SIZE} employees" in out
    assert re.search(rf"\n  ratings +{Rating.objects.count():,}\n".replace(",", " "), out)
    assert "Reproduce with: manage.py seed_demo --shape bench --reset --employees 60 --seed 42" in out
    assert Employee.objects.count() == SIZE
    assert Framework.objects.filter(code="BENCH-TEC").exists()
    # the engine's full consolidation ran: current levels from the evidence, a finished benchmark run
    assert CurrentLevel.objects.exists()
    assert GapRun.objects.get().trigger == GapRun.Trigger.BENCHMARK
    # the loader moved the id sequences past the ids it wrote: a unit created afterwards gets a fresh id
    loaded = max(OrgUnit.objects.values_list("pk", flat=True))
    assert OrgUnitFactory().pk > loaded


def test_the_same_seed_gives_the_same_organisation_and_reset_replaces_it(empty):
    seed("--employees", str(SIZE), "--seed", "3")
    first = fingerprint()
    seed("--reset", "--employees", str(SIZE), "--seed", "3")  # twice: the bench framework is replaced too
    assert fingerprint() == first
    seed("--reset", "--employees", str(SIZE), "--seed", "4")
    assert fingerprint() != first
    assert Framework.objects.filter(code="BENCH-TEC").count() == 1


def test_refuses_to_seed_over_an_organisation_unless_reset(empty):
    OrgUnitFactory()
    with pytest.raises(CommandError, match="--reset"):
        seed("--employees", str(SIZE))
    assert "skipped" in seed("--employees", str(SIZE), "--if-empty")
    assert not Employee.objects.exists()
    seed("--reset", "--employees", str(SIZE))
    assert Employee.objects.count() == SIZE


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--employees", "5"), "at least 10"), (("--employees", "50", "--date", "2026-01-01"), "--date")],
)
def test_bad_options_are_refused(empty, args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert not Employee.objects.exists()
