"""A synthetic organisation for ``manage.py bench_gaps``: units, positions, requirements, employees, three assessment
campaigns (self, manager, a few peers; drafts, submitted, validated; some evidence expired, some expiring now),
completed trainings and a few imported levels. Deterministic for a given seed.

Rows are streamed through the demo council's loader (``clo.demo.bulk.Loader``: COPY on PostgreSQL, ``executemany``
in batches on SQLite; ids reserved by the generator, sequences moved past them at the end). On PostgreSQL
``session_replication_role = replica`` skips the per-row foreign-key triggers of a bulk load of ~10 million ratings;
the generator only writes ids it has just created. Memory stays flat: nothing but the position → requirements map
and one employee at a time is held in Python.

The current levels are not generated: the benchmark builds them with the engine's full consolidation, so they are
exactly what the evidence says.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from clo.demo.bulk import Loader
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import Area, Competency, Framework, Level, ProficiencyScale, Requirement
from evaluations.models import Assessment, AssessmentCampaign, CurrentLevel, Evidence, Rating

BENCH_FRAMEWORK = "BENCH-TEC"
DEFAULT_SEED = 42
MIN_EMPLOYEES = 10
UTC = dt.timezone.utc

# (campaign name, first submission day, last submission day, frameworks rated, share self, share manager)
CAMPAIGNS = (
    ("Bench 2021", dt.date(2021, 10, 1), dt.date(2021, 12, 20), ("CLO-TRANSVERSAL",), 0.25, 0.25),
    ("Bench 2023", dt.date(2023, 10, 1), dt.date(2023, 12, 31), ("CLO-TRANSVERSAL", "DIGCOMP-2.2"), 0.45, 0.45),
    ("Bench 2025", dt.date(2025, 10, 1), dt.date(2026, 1, 31), ("CLO-TRANSVERSAL", "DIGCOMP-2.2", BENCH_FRAMEWORK),
     0.60, 0.55),
)


def _table(model) -> str:
    return model._meta.db_table


def _bench_framework() -> Framework:
    """A technical framework (10 areas × 10 competencies, 4 levels) consolidated by averaging self and manager."""
    framework = Framework.objects.filter(code=BENCH_FRAMEWORK).first()
    if framework:
        return framework
    scale, _ = ProficiencyScale.objects.get_or_create(code="bench-4", defaults={"name": "Escala tècnica (4)"})
    for value in range(1, 5):
        Level.objects.get_or_create(scale=scale, value=value, defaults={"label": f"Nivell {value}"})
    framework = Framework.objects.create(
        code=BENCH_FRAMEWORK, name="Competències tècniques (banc de proves)", status=Framework.Status.PUBLISHED,
        scale=scale, consolidation_rule=Framework.ConsolidationRule.AVERAGE_SELF_MANAGER, evidence_validity_months=24,
    )
    for a in range(10):
        area = Area.objects.create(framework=framework, code=f"T{a}", name=f"Àmbit tècnic {a}", order=a)
        Competency.objects.bulk_create(
            Competency(framework=framework, area=area, code=f"T{a}.{c}", name=f"Competència tècnica {a}.{c}",
                       kind=Competency.Kind.TECHNICAL, order=c)
            for c in range(10)
        )
    return framework


def _competency_pools() -> dict[str, list[tuple[int, int, int]]]:
    """framework code -> [(competency id, area id, max level of the scale)]."""
    pools: dict[str, list[tuple[int, int, int]]] = {}
    for code in ("CLO-TRANSVERSAL", "DIGCOMP-2.2", BENCH_FRAMEWORK):
        framework = Framework.objects.get(code=code)
        top = max(Level.objects.filter(scale=framework.scale_id).values_list("value", flat=True))
        pools[code] = [(c.id, c.area_id, top) for c in Competency.objects.filter(framework=framework).order_by("id")]
    return pools


def _moment(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    return dt.datetime.combine(day, dt.time(rng.randrange(7, 19), rng.randrange(60)), tzinfo=UTC)


def build(*, employees: int, seed: int = DEFAULT_SEED, reset_first: bool = False,
          log: Callable[[str], None] = lambda message: None) -> dict:
    """The state ``bench_gaps`` measures on (``seed_demo --shape bench``): the organisation of ``seed``, then its
    current levels and gaps from the evidence, through the engine's full consolidation. Returns row counts."""
    from evaluations.gaps import services
    from evaluations.models import GapRun

    if reset_first:
        reset()
    counts = _organisation(employees=employees, seed=seed, log=log)  # ``seed`` is the parameter here
    services.gaps_full_run(trigger=GapRun.Trigger.BENCHMARK, full_consolidation=True)
    return counts


def seed(*, employees: int, seed: int = DEFAULT_SEED, log: Callable[[str], None] = lambda message: None) -> dict:
    """Create an organisation of ``employees`` people with their evidence. Returns row counts."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    loader = Loader(connection)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        _bench_framework()
        pools = _competency_pools()
        technical_areas = sorted({area for _, area, _ in pools[BENCH_FRAMEWORK]})

        # Units: a tree of depth ≤ 4 under one root; about one unit per 100 employees.
        unit_count = max(5, employees // 100)
        first_unit = loader.ids(OrgUnit, unit_count)
        units: list[tuple[int, int | None, str, int]] = []  # id, parent, path, depth
        for i in range(unit_count):
            unit_id = first_unit + i
            if i == 0:
                parent, path, depth = None, f"/{unit_id}/", 0
            else:
                candidates = units[: max(1, min(len(units), 1 + i // 3))]
                parent_row = rng.choice([u for u in candidates if u[3] < 4] or units[:1])
                parent, path, depth = parent_row[0], f"{parent_row[2]}{unit_id}/", parent_row[3] + 1
            units.append((unit_id, parent, path, depth))
        kinds = ("area", "area", "department", "service", "section")
        counts["units"] = loader.insert(
            OrgUnit, ("id", "code", "name", "kind", "path", "depth", "active", "parent_id"),
            ((u, f"BU{u}", f"Unitat {u}", kinds[d], p, d, True, parent) for u, parent, p, d in units),
        )
        log(f"units: {counts['units']}")

        # Positions: one per 125 employees, each in a unit, with 16–32 requirements from the three frameworks.
        position_count = max(5, employees // 125)
        first_position = loader.ids(Position, position_count)
        position_units = [rng.choice(units[1:] or units)[0] for _ in range(position_count)]
        counts["positions"] = loader.insert(
            Position, ("id", "code", "title", "group", "job_family", "is_critical", "criticality", "critical_reason",
                       "active", "unit_id"),
            ((first_position + i, f"BP{first_position + i}", f"Lloc {first_position + i}",
              rng.choice(("A1", "A2", "C1", "C2", "AP")), "Banc de proves", (critical := rng.random() < 0.1),
              1 + i % 3 if critical else None, "", True, unit)  # the criticality draws nothing: same data as before
             for i, unit in enumerate(position_units)),
        )
        required: dict[int, list[tuple[int, str, int]]] = {}  # position -> [(competency, framework, top level)]
        requirement_rows = []
        for i in range(position_count):
            position_id = first_position + i
            chosen: list[tuple[int, str, int]] = []
            for code in ("CLO-TRANSVERSAL", "DIGCOMP-2.2"):
                chosen += [(c, code, top) for c, _, top in rng.sample(pools[code], rng.randint(4, 8))]
            areas = set(rng.sample(technical_areas, 2))
            technical = [row for row in pools[BENCH_FRAMEWORK] if row[1] in areas]
            chosen += [(c, BENCH_FRAMEWORK, top) for c, _, top in rng.sample(technical, rng.randint(8, 16))]
            required[position_id] = chosen
            for competency, _code, top in chosen:
                requirement_rows.append(
                    (position_id, competency, rng.randint(max(1, top // 3), max(1, top - 1)), rng.randint(1, 5),
                     rng.random() < 0.1)
                )
        first_requirement = loader.ids(Requirement, len(requirement_rows))
        counts["requirements"] = loader.insert(
            Requirement, ("id", "position_id", "competency_id", "required_level", "weight", "is_critical"),
            ((first_requirement + i, *row) for i, row in enumerate(requirement_rows)),
        )
        del requirement_rows
        log(f"positions: {counts['positions']}, requirements: {counts['requirements']}")

        # Employees: positions drawn with a skewed weight (some positions have many holders); 97 % active.
        weights = [rng.paretovariate(1.5) for _ in range(position_count)]
        first_employee = loader.ids(Employee, employees)
        holders = rng.choices(range(position_count), weights=weights, k=employees)
        unit_of_position = dict(zip(range(position_count), position_units))

        def employee_rows() -> Iterator[tuple]:
            for n, p in enumerate(holders):
                e = first_employee + n
                unit = unit_of_position[p] if rng.random() < 0.85 else rng.choice(units)[0]
                yield (e, f"B{e:08d}", "Persona", f"Banc {e}", "", "career", dt.date(2010, 1, 1), None, "ca",
                       rng.random() < 0.97, None, None, unit, first_position + p)

        counts["employees"] = loader.insert(
            Employee,
            ("id", "employee_number", "first_name", "last_name", "email", "employment_type", "hire_date",
             "expected_retirement_date", "language", "active", "manager_id", "user_id", "unit_id", "position_id"),
            employee_rows(),
        )
        log(f"employees: {counts['employees']}")

        # Assessments and ratings, campaign by campaign, one employee at a time.
        campaign_ids = []
        for name, first, last, _fw, _s, _m in CAMPAIGNS:
            campaign = AssessmentCampaign.objects.create(
                name=name, kind=AssessmentCampaign.Kind.FULL_360, period_start=first, period_end=last, opens_on=first,
                closes_on=last, status=AssessmentCampaign.Status.CLOSED,
            )
            campaign_ids.append(campaign.pk)
        assessment_ids = loader.sequence(Assessment)
        assessments: list[tuple] = []
        ratings_total = 0

        def flush_ratings(rows: list[tuple]) -> None:
            nonlocal ratings_total
            first_rating = loader.ids(Rating, len(rows))
            ratings_total += loader.insert(
                Rating, ("id", "assessment_id", "competency_id", "level", "evidence", "comment", "original_level",
                         "adjustment_reason"),
                ((first_rating + i, *row) for i, row in enumerate(rows)),
            )

        rating_batch: list[tuple] = []
        for n, p in enumerate(holders):
            e = first_employee + n
            truth = {c: rng.randint(0, top) for c, _, top in required[first_position + p]}
            other = first_employee + (n + 1) % employees
            if other == e:
                continue
            for (name, first, last, frameworks, share_self, share_manager), campaign_id in zip(CAMPAIGNS, campaign_ids):
                rated = [(c, top) for c, code, top in required[first_position + p] if code in frameworks]
                for role, share in (("self", share_self), ("manager", share_manager), ("peer", 0.05)):
                    if not rated or rng.random() >= share:
                        continue
                    roll = rng.random()
                    validated_share = 0.5 if role == "self" else 0.7
                    status = "draft" if roll < 0.05 else ("validated" if roll < validated_share else "submitted")
                    submitted = None if status == "draft" else _moment(rng, first, last)
                    validated = submitted + dt.timedelta(days=rng.randrange(0, 60)) if status == "validated" else None
                    assessor = e if role == "self" else other
                    assessments.append((assessment_ids.next, campaign_id, e, assessor, role, status, submitted, validated,
                                        other if validated else None))
                    for c, top in rated:
                        level = max(0, min(top, truth[c] + rng.choice((-1, 0, 0, 1)) + (1 if role == "self" else 0)))
                        rating_batch.append((assessment_ids.next, c, level, "", "", None, ""))
                    assessment_ids.next += 1
            if len(rating_batch) >= 200_000:
                loader.insert(Assessment, ("id", "campaign_id", "employee_id", "assessor_id", "role", "status", "submitted_at",
                                    "validated_at", "validated_by_id"), assessments)
                counts["assessments"] = counts.get("assessments", 0) + len(assessments)
                assessments = []
                flush_ratings(rating_batch)
                rating_batch = []
        loader.insert(Assessment, ("id", "campaign_id", "employee_id", "assessor_id", "role", "status", "submitted_at",
                            "validated_at", "validated_by_id"), assessments)
        counts["assessments"] = counts.get("assessments", 0) + len(assessments)
        flush_ratings(rating_batch)
        counts["ratings"] = ratings_total
        log(f"assessments: {counts['assessments']}, ratings: {counts['ratings']}")

        # Trainings: programs certifying 1–3 competencies, three sessions each; a third of the people complete 1–2.
        counts.update(_trainings(rng, loader, employees=employees, first_employee=first_employee, pools=pools))
        log(f"programs: {counts['programs']}, enrolments: {counts['enrolments']}")

        # A few levels imported from a former HR system: evidence rows the consolidation reads.
        evidence_ids = loader.sequence(Evidence)
        recorded_at = dt.datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

        def imported() -> Iterator[tuple]:
            for n, p in enumerate(holders):
                if rng.random() >= 0.03:
                    continue
                for c, code, _top in required[first_position + p]:
                    if code == BENCH_FRAMEWORK and rng.random() < 0.5:
                        yield (evidence_ids.next, first_employee + n, c, rng.randint(1, 4), "import",
                               dt.date(2025, 6, 1), dt.date(2027, 6, 1), "", recorded_at)
                        evidence_ids.next += 1

        counts["imported_levels"] = loader.insert(
            Evidence, ("id", "employee_id", "competency_id", "level", "source", "evidenced_on", "expires_on",
                       "reference", "recorded_at"),
            imported(),
        )
        loader.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


_organisation = seed


def _trainings(rng: random.Random, loader: Loader, *, employees: int, first_employee: int, pools) -> dict[str, int]:
    from programs.models import Enrolment, Program, ProgramCompetency, Session

    program_count = max(5, employees // 500)
    offset = loader.sequence(Program).next  # numbers the codes; the programs themselves go through the ORM
    programs = Program.objects.bulk_create(
        Program(code=f"BPR{offset + i}", title=f"Curs {offset + i}", modality="online", hours=Decimal("10.0"))
        for i in range(program_count)
    )
    certified = []
    for program in programs:
        code = rng.choice(("CLO-TRANSVERSAL", "DIGCOMP-2.2", "BENCH-TEC", "BENCH-TEC"))
        for c, _area, top in rng.sample(pools[code], rng.randint(1, 3)):
            level = rng.randint(2, min(4, top))
            certified.append(ProgramCompetency(program=program, competency_id=c, level_reached=level))
    ProgramCompetency.objects.bulk_create(certified)
    start = timezone.make_aware(dt.datetime(2023, 1, 9, 9, 0))
    sessions = Session.objects.bulk_create(
        Session(program=program, code=f"BS{program.pk}-{k}", starts_at=start + dt.timedelta(days=rng.randrange(1400)),
                ends_at=start + dt.timedelta(days=1400, hours=4), place="Aula", capacity=10_000, status="finished")
        for program in programs for k in range(3)
    )
    session_days = [(s.pk, s.starts_at.date()) for s in sessions]
    enrolment_ids = loader.sequence(Enrolment)
    requested = timezone.make_aware(dt.datetime(2023, 1, 2, 9, 0))
    statuses = ("completed",) * 7 + ("approved", "cancelled", "no_show")

    def rows() -> Iterator[tuple]:
        for n in range(employees):
            if rng.random() >= 0.33:
                continue
            for session_id, day in rng.sample(session_days, rng.randint(1, 2)):
                status = rng.choice(statuses)
                done = min(day, dt.date(2026, 11, 20)) if status == "completed" else None
                yield (enrolment_ids.next, session_id, first_employee + n, status, requested, None, None, done,
                       Decimal("10.0") if done else Decimal("0"),
                       "Coincideix amb la càrrega del servei." if status == "rejected" else "")
                enrolment_ids.next += 1

    enrolments = loader.insert(
        Enrolment, ("id", "session_id", "employee_id", "status", "requested_at", "decided_at", "decided_by_id",
                    "completed_on", "hours_attended", "decision_reason"),
        rows(),
    )
    return {"programs": program_count, "enrolments": enrolments}


def reset() -> None:
    """Delete every organisation, evidence and derived row (not the reference frameworks). Destructive."""
    from programs.models import Enrolment, Program, ProgramCompetency, Session

    from evaluations.models import GapRun, UnitAreaGap, UnitCompetencyGap, UnitGap, UnitGroupCompetencyGap

    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = [
                _table(m) for m in (UnitCompetencyGap, UnitGroupCompetencyGap, UnitAreaGap, UnitGap, GapRun, CurrentLevel, Evidence, Rating,
                                    Assessment, AssessmentCampaign, Enrolment, Session, ProgramCompetency, Program, Requirement,
                                    Employee, Position, OrgUnit)
            ]
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for model in (UnitCompetencyGap, UnitGroupCompetencyGap, UnitAreaGap, UnitGap, GapRun, CurrentLevel, Evidence, Rating,
                          Assessment, AssessmentCampaign, Enrolment, Session, ProgramCompetency, Program, Requirement):
                model.objects.all().delete()
            Employee.objects.update(manager=None)
            Employee.objects.all().delete()
            Position.objects.all().delete()
            OrgUnit.objects.update(parent=None)
            OrgUnit.objects.all().delete()
        # Its competencies first: an area protects its competencies from the framework's cascade.
        Competency.objects.filter(framework__code=BENCH_FRAMEWORK).delete()
        Framework.objects.filter(code=BENCH_FRAMEWORK).delete()
