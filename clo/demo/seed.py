"""Seeding and clearing the demo organisation, all in one transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clo.core.models import RetentionRun
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import LevelResource, Requirement
from evaluations.models import Assessment, AssessmentCampaign, CurrentLevel, GapRun, Rating
from clo.demo import frameworks as fw
from clo.demo.bulk import Loader
from clo.demo.development import build_campaigns, build_development
from clo.demo.org import build_positions, build_units
from clo.demo.people import build_employees, ensure_accounts
from clo.demo.training import build_plans_and_needs, build_programs, build_sessions
from clo.demo.world import World
from programs.models import (
    Enrolment,
    LearningPlan,
    LearningPlanItem,
    PlanAction,
    Program,
    ProgramCompetency,
    Session,
    TrainingNeed,
    TrainingPlan,
)

MIN_EMPLOYEES = 200
MAX_EMPLOYEES = 250_000
DEFAULT_EMPLOYEES = 1_200
DEFAULT_SEED = 7

# What the demo writes. Clearing also clears every table that points at one of these (see _tables_to_clear).
DEMO_MODELS = (
    OrgUnit,
    Position,
    Employee,
    Requirement,
    AssessmentCampaign,
    Assessment,
    Rating,
    CurrentLevel,
    Program,
    ProgramCompetency,
    Session,
    Enrolment,
    TrainingPlan,
    PlanAction,
    TrainingNeed,
    LearningPlan,
    LearningPlanItem,
    GapRun,  # the demo's gap analysis and its made-up past runs (with their trend points and level 4 snapshots)
    RetentionRun,  # the data-retention job's first run
    LevelResource,  # the communities' resources (they point at the reference frameworks only)
)
# Tables whose foreign keys and plain indexes are set aside during the load, then restored (PostgreSQL).
BULK_MODELS = (
    Employee,
    Requirement,
    Assessment,
    Rating,
    CurrentLevel,
    Enrolment,
    LearningPlan,
    LearningPlanItem,
)

SUMMARY_ROWS = (
    ("units", OrgUnit),
    ("positions", Position),
    ("requirements", Requirement),
    ("employees", Employee),
    ("assessments", Assessment),
    ("ratings", Rating),
    ("current levels", CurrentLevel),
    ("programs", Program),
    ("sessions", Session),
    ("enrolments", Enrolment),
    ("training needs", TrainingNeed),
    ("plan actions", PlanAction),
    ("learning plans", LearningPlan),
    ("learning plan items", LearningPlanItem),
)


class DemoDataExists(Exception):
    pass


@dataclass(frozen=True)
class Summary:
    seed: int
    employees: int
    today: dt.date
    counts: dict[str, int]
    seconds: float
    vendor: str


def demo_data_exists() -> bool:
    """True when the organisation is not empty: the demo never mixes its data with anybody else's."""
    roots = (OrgUnit, Position, Employee, Program, AssessmentCampaign, TrainingPlan)
    return any(model.objects.exists() for model in roots)


def seed_demo(
    *,
    employees: int = DEFAULT_EMPLOYEES,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    reset: bool = False,
    progress: Callable[[str, float], None] | None = None,
) -> Summary:
    """Build the demo organisation. Same ``seed`` and ``today``, same data.

    Refuses (``DemoDataExists``) when the organisation is not empty, unless ``reset`` clears it first.
    """
    if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
        raise ValueError(f"employees must be between {MIN_EMPLOYEES} and {MAX_EMPLOYEES}, got {employees}")
    started = time.monotonic()

    def step(name: str) -> None:
        if progress:
            progress(name, time.monotonic() - started)

    loader = Loader(connection)
    with transaction.atomic():
        if reset:
            clear_demo_data()
            step("cleared")
        elif demo_data_exists():
            raise DemoDataExists(
                "The database already holds an organisation (units, positions, employees, programs, "
                "campaigns or plans). "
                "Use --reset to delete it and seed the demo again, or --if-empty to skip seeding."
            )
        loader.tune_session()
        w = World(loader, seed, employees, today or timezone.localdate(), settings.CLO_ORGANISATION_NAME)
        framework_ids = list(fw.ensure_reference_frameworks().values())
        framework_ids.append(fw.ensure_technical_framework(loader))
        for info in fw.load_competencies(framework_ids):
            w.competencies[info.id] = info
            w.by_code[(info.framework, info.code)] = info
            w.scale_of[info.id] = (0, *info.levels)
        step("frameworks")
        with loader.constraints_set_aside(BULK_MODELS):
            build_units(w)
            build_positions(w)
            step("units, positions, requirements")
            ensure_accounts(w)
            build_employees(w)
            step("employees")
            build_programs(w)
            build_campaigns(w)
            build_development(w)
            step("assessments, ratings, current levels, learning plans")
            build_sessions(w)
            step("sessions, enrolments")
            build_plans_and_needs(w)
            step("annual plans, training needs")
        step("indexes rebuilt, foreign keys validated")
        loader.finish()
    step("committed")
    from clo.demo.feedback import build_reactions, ensure_persona_training

    with transaction.atomic():
        ensure_persona_training(w)
        build_reactions(w)
    step("the logins' own training, satisfaction answers")
    from programs.services.training_rollup import training_rollup_rebuild

    training_rollup_rebuild()
    step("training figures rolled up")
    from clo.demo.transfer import build_transfer_plans

    with transaction.atomic():
        build_transfer_plans(w)
    step("knowledge-transfer plans")
    from clo.demo.results import build_gap_results

    build_gap_results(w)
    step("gap analysis, level 4 results, past trend points")
    from clo.demo.pools_reviews import build_pools_and_review

    build_pools_and_review(w)
    step("successor pools, a talent review")
    from clo.demo.expertise import build_expertise_listings

    with transaction.atomic():
        build_expertise_listings(w)
    step("the expertise directory")
    from clo.demo.trainers import build_trainers_and_mentoring

    with transaction.atomic():
        build_trainers_and_mentoring(w)
    step("internal trainers, mentoring")
    from clo.demo.careers import build_careers

    with transaction.atomic():
        build_careers(w)
    step("the horizontal career: rules, grades and who is eligible")
    from clo.demo.badges import build_badges

    with transaction.atomic():
        build_badges(w)
    step("itineraries and verifiable badges")
    from clo.demo.projects import build_challenge_projects

    with transaction.atomic():
        build_challenge_projects(w)
    step("challenge projects")
    from clo.demo.communities import build_communities

    with transaction.atomic():
        build_communities(w)
    step("communities of practice")
    from clo.talent.services.succession import knowledge_risk_rebuild

    knowledge_risk_rebuild(today=w.today)  # also queued by the run; here so the map is there without a worker
    step("knowledge at risk")
    from clo.core.retention import retention_run

    retention_run()  # the monthly job's first run, as on a council that has used clo for a while
    step("data retention")
    loader.analyze()
    step("analyzed")
    counts = {label: loader.counts.get(model._meta.db_table, 0) for label, model in SUMMARY_ROWS}
    return Summary(seed, employees, w.today, counts, time.monotonic() - started, connection.vendor)


def clear_demo_data() -> None:
    """Delete the organisation and everything that points at it; frameworks and user accounts stay."""
    tables = _tables_to_clear()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks still pending in this transaction: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"TRUNCATE {', '.join(map(quote, tables))} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join(['%s'] * len(tables))})", tables
                )


def _tables_to_clear() -> list[str]:
    tables = {model._meta.db_table for model in DEMO_MODELS}
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    grew = True
    while grew:
        grew = False
        for model in models:
            if model._meta.db_table in tables:
                continue
            if any(
                field.is_relation
                and field.related_model is not None
                and field.related_model._meta.db_table in tables
                for field in model._meta.concrete_fields
            ):
                tables.add(model._meta.db_table)
                grew = True
    existing = set(connection.introspection.table_names())
    return sorted(tables & existing)
