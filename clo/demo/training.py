"""Phase 4: the catalogue, its sessions and enrolments, the annual training plans and the directors' needs."""

from __future__ import annotations

import datetime as dt
import json
import math
from array import array
from decimal import Decimal

from clo.demo import catalogue as cat
from clo.demo import frameworks as fw
from clo.demo.names import NamePicker
from clo.demo.world import DAY, ProgramInfo, Stamps, World, at, seconds
from programs.models import (
    Enrolment,
    PlanAction,
    Program,
    ProgramCompetency,
    Session,
    TrainingNeed,
    TrainingPlan,
)

ENROLMENTS_PER_EMPLOYEE = 1.6  # over the ~21 months the sessions span
ENROLMENTS_PER_SESSION = 24  # on average, all statuses
PAST_DAYS, FUTURE_DAYS = 450, 180


# --- catalogue ----------------------------------------------------------------------------------------------
def resolve(w: World, reference: str) -> tuple[int, int] | None:
    """A catalogue reference (see ``catalogue``) → (competency id, level on its scale), or None."""
    what, _, level = reference.rpartition("@")
    kind, _, rest = what.partition(":")
    if kind == "D":
        info = w.by_code.get((fw.DIGCOMP, rest))
    elif kind == "X":
        info = w.by_code.get((fw.TECHNICAL, rest))
    else:
        comp_kind, _, words = rest.partition(":")
        pool = [c for c in w.competencies.values() if c.framework == fw.TRANSVERSAL and c.kind == comp_kind]
        pool = pool or [c for c in w.competencies.values() if c.framework == fw.TRANSVERSAL]
        info = next((c for word in words.split("|") for c in pool if word in c.names[0].casefold()), None)
        if info is None and pool:
            info = pool[sum(map(ord, words)) % len(pool)]
    if info is None or not info.levels:
        return None
    wanted = int(level)
    fitting = [value for value in info.levels if value <= wanted]
    return info.id, fitting[-1] if fitting else info.levels[0]


def build_programs(w: World) -> None:
    specs = cat.PROGRAMS
    first = w.loader.ids(Program, len(specs))
    rows, developed = [], []
    for number, spec in enumerate(specs):
        develops = []
        for reference in spec.develops:
            found = resolve(w, reference)
            if found and found[0] not in {cid for cid, _ in develops}:
                develops.append(found)
        program = ProgramInfo(
            id=first + number,
            code=spec.code,
            title=spec.titles[0],
            modality=spec.modality,
            hours=spec.hours,
            cost=spec.cost,
            cost_basis=spec.cost_basis,
            provider=spec.provider,
            is_open=spec.is_open,
            popularity=spec.popularity,
            develops=tuple(develops),
        )
        w.programs.append(program)
        for cid, _ in develops:
            w.programs_by_competency.setdefault(cid, []).append(number)
        developed.extend((program.id, cid, level) for cid, level in develops)
        names = [w.competencies[cid].names for cid, _ in develops]
        rows.append(
            (
                program.id,
                spec.code,
                *fw.values(*spec.titles),
                *fw.values(*_objectives(names)),
                *fw.values(*_contents(names, [level for _, level in develops])),
                spec.modality,
                Decimal(spec.hours),
                spec.provider,
                Decimal(spec.cost),
                spec.cost_basis,
                spec.is_open,
                json.dumps(list(spec.groups)),
                True,
            )
        )
    w.loader.insert(
        Program,
        [
            "id",
            "code",
            *fw.translated("title"),
            *fw.translated("objectives"),
            *fw.translated("contents"),
            "modality",
            "hours",
            "provider",
            "cost",
            "cost_basis",
            "is_open",
            "target_groups",
            "active",
        ],
        rows,
    )
    first = w.loader.ids(ProgramCompetency, len(developed))
    w.loader.insert(
        ProgramCompetency,
        ["id", "program", "competency", "level_reached"],
        [(first + k, *row) for k, row in enumerate(developed)],
    )
    by_code = {p.code: p.id for p in w.programs}
    through = Program.prerequisites.through
    pairs = [(by_code[a], by_code[b]) for a, b in cat.PREREQUISITES if a in by_code and b in by_code]
    first = w.loader.ids(through, len(pairs))
    w.loader.insert(
        through, ["id", "from_program", "to_program"], [(first + k, a, b) for k, (a, b) in enumerate(pairs)]
    )


def _lower(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _join(items: list[str], conjunction: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _objectives(names: list[tuple[str, str, str]]) -> tuple[str, str, str]:
    if not names:
        return ("", "", "")
    ca, es, en = ([_lower(n[k]) for n in names] for k in range(3))
    return (
        f"Que les persones participants millorin en {_join(ca, 'i')} i ho apliquin a la feina diària.",
        f"Que las personas participantes mejoren en {_join(es, 'y')} y lo apliquen en su trabajo diario.",
        f"Participants improve in {_join(en, 'and')} and apply it in their daily work.",
    )


def _contents(names: list[tuple[str, str, str]], levels: list[int]) -> tuple[str, str, str]:
    words = ("nivell", "nivel", "level")
    return tuple(
        "\n".join(f"- {name[k]} ({words[k]} {level})" for name, level in zip(names, levels, strict=True))
        for k in range(3)
    )


# --- sessions and enrolments --------------------------------------------------------------------------------
def build_sessions(w: World) -> None:
    rng = w.rng("sessions")
    trainers = NamePicker(rng)
    programs = w.programs
    count = max(len(programs), round(w.size * ENROLMENTS_PER_EMPLOYEE / ENROLMENTS_PER_SESSION))
    order = list(range(len(programs)))
    order += rng.choices(
        range(len(programs)), weights=[p.popularity for p in programs], k=count - len(programs)
    )
    pools = _enrolment_pools(w)
    stamps = Stamps()
    session_ids = w.loader.sequence(Session)
    enrolment_ids = w.loader.sequence(Enrolment)
    per_program = [0] * len(programs)
    sessions, enrolments = [], []
    session_fields = [
        "id",
        "program",
        "code",
        "starts_at",
        "ends_at",
        "timetable",
        "place",
        "online_url",
        "trainer",
        "capacity",
        "status",
    ]
    enrolment_fields = [
        "id",
        "session",
        "employee",
        "status",
        "requested_at",
        "decided_at",
        "decided_by",
        "completed_on",
        "hours_attended",
        "decision_reason",
    ]
    planned = []
    for index in order:
        span = _span_days(programs[index])
        if rng.random() < 0.71:
            start = w.today - dt.timedelta(days=rng.randint(span + 1, PAST_DAYS))
            while start.weekday() > 3:
                start -= dt.timedelta(days=1)
        else:
            start = w.today + dt.timedelta(days=rng.randint(1, FUTURE_DAYS))
            while start.weekday() > 3:
                start += dt.timedelta(days=1)
        planned.append((start, index, span))
    planned.sort()  # editions are numbered in date order within each program
    waitlists = 0
    for start, index, span in planned:
        program = programs[index]
        per_program[index] += 1
        session_id = session_ids.next
        session_ids.next += 1
        past = start < w.today
        capacity = _capacity(rng, program.modality)
        cancelled = rng.random() < 0.03
        status = "cancelled" if cancelled else ("finished" if past else "scheduled")
        code = f"{program.code}-{per_program[index]:04d}"
        online = program.modality in ("online", "community", "blended")
        onsite = program.modality not in ("online", "community")
        timetable = cat.TIMETABLES[4] if not onsite else rng.choice(cat.TIMETABLES[:4] + cat.TIMETABLES[5:])
        start, starts_at, ends_at = _times(timetable, start, span, earlier=past)
        sessions.append(
            (
                session_id,
                program.id,
                code,
                starts_at,
                ends_at,
                timetable[0],
                rng.choice(cat.PLACES) if onsite else "",
                f"https://formacio.vilamar.example/aula/{code.lower()}" if online else "",
                f"{trainers.first_name(rng.random() < 0.6)} {trainers.surnames()}",
                capacity,
                status,
            )
        )
        # Some upcoming editions are oversubscribed (a waiting list); the first one that can be, always is.
        population = len(pools[index]) if pools[index] is not None else w.size
        full = (
            not past
            and not cancelled
            and population > 2 * capacity
            and (not waitlists or rng.random() < 0.15)
        )
        waitlists += full
        seats = _enrol(
            w,
            rng,
            stamps,
            program,
            pools[index],
            session_id,
            starts_at,
            ends_at,
            capacity,
            (past, cancelled, full),
            enrolment_ids,
            enrolments,
        )
        if not cancelled:
            activity = w.program_year_activity.setdefault(index, {}).setdefault(start.year, [0, 0])
            activity[0] += 1
            activity[1] += seats
        if len(enrolments) >= 50_000:
            w.loader.insert(Session, session_fields, sessions)
            w.loader.insert(Enrolment, enrolment_fields, enrolments)
            sessions, enrolments = [], []
    w.loader.insert(Session, session_fields, sessions)
    w.loader.insert(Enrolment, enrolment_fields, enrolments)


def _times(timetable: tuple, start: dt.date, span: int, *, earlier: bool) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """A session's first day and its start and end instants (UTC) from its timetable: the first day moved to the
    nearest day the timetable names (``earlier``: back, for a past session, so it stays past), the last day to the
    latest such day ``span`` days on at most, and the hours those of the timetable in the council's time zone."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    _text, weekdays, (start_hour, start_minute), (end_hour, end_minute) = timetable
    step = dt.timedelta(days=-1 if earlier else 1)
    while start.weekday() not in weekdays:
        start += step
    last = start + dt.timedelta(days=span)
    while last.weekday() not in weekdays:
        last -= dt.timedelta(days=1)
    zone = ZoneInfo(settings.TIME_ZONE)
    starts_at = dt.datetime(start.year, start.month, start.day, start_hour, start_minute, tzinfo=zone)
    ends_at = dt.datetime(last.year, last.month, last.day, end_hour, end_minute, tzinfo=zone)
    return start, starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC)


def _span_days(program: ProgramInfo) -> int:
    if program.modality in ("face_to_face", "blended"):
        return max(0, math.ceil(program.hours / 4) - 1) * 7 // 2
    return {"online": max(14, program.hours * 2), "mentoring": 90, "coaching": 60, "community": 180}[
        program.modality
    ]


def _capacity(rng, modality: str) -> int:
    low, high = {
        "face_to_face": (12, 25),
        "blended": (15, 25),
        "online": (25, 60),
        "mentoring": (6, 10),
        "coaching": (4, 8),
        "community": (15, 30),
    }[modality]
    return rng.randint(low, high)


def _enrolment_pools(w: World) -> list[array | None]:
    """For each program, the employees whose position requires one of its competencies (None: everybody)."""
    positions_for: dict[int, list[int]] = {}
    for number, position in enumerate(w.positions):
        for cid, _, _ in position.requirements:
            positions_for.setdefault(cid, []).append(number)
    pools: list[array | None] = []
    by_position: dict[int, array] | None = None
    for program in w.programs:
        wanted = set()
        for cid, _ in program.develops:
            wanted.update(positions_for.get(cid, ()))
        if not wanted or len(wanted) > 0.5 * len(w.positions):
            pools.append(None)
            continue
        if by_position is None:
            by_position = {}
            for index, position in enumerate(w.employee_position):
                by_position.setdefault(position, array("I")).append(index)
        pool = array("I")
        for position in sorted(wanted):
            pool.extend(by_position.get(position, ()))
        pools.append(pool if len(pool) >= 8 else None)
    return pools


def _enrol(w, rng, stamps, program, pool, session_id, starts_at, ends_at, capacity, state, ids, out) -> int:
    """Enrolments of one session; seats held (approved, attended, completed) never exceed the capacity."""
    past, cancelled, full = state
    r = rng.random
    statuses: list[str] = []
    if cancelled:
        statuses = ["cancelled"] * max(1, round(capacity * rng.uniform(0.3, 0.8)))
    elif past:
        seats = max(1, round(capacity * rng.uniform(0.55, 1.0)))
        for _ in range(seats):
            x = r()
            statuses.append("completed" if x < 0.80 else "attended" if x < 0.90 else "no_show")
        statuses += ["cancelled"] * round(capacity * rng.uniform(0, 0.12))
        statuses += ["rejected"] * round(capacity * rng.uniform(0, 0.06))
        if seats == capacity:
            statuses += ["waitlisted"] * round(capacity * rng.uniform(0, 0.15))
    else:
        approved = 0
        demand = rng.uniform(1.6, 2.0) if full else rng.uniform(0.25, 1.45)
        for _ in range(max(1, round(capacity * demand))):
            x = r()
            if x < 0.22 and not program.is_open:
                statuses.append("requested")
            elif x < 0.27 and not program.is_open:
                statuses.append("rejected")
            elif x < 0.32:
                statuses.append("cancelled")
            elif approved < capacity:
                statuses.append("approved")
                approved += 1
            else:
                statuses.append("waitlisted")
    population = len(pool) if pool is not None else w.size
    statuses = statuses[:population]
    chosen = rng.sample(range(population), len(statuses))
    first_employee, managers = w.first_employee_id, w.employee_manager
    hours, none = Decimal(program.hours), Decimal(0)
    stamp = stamps.at
    end_day = stamps.day(ends_at.date().toordinal())
    now = seconds(w.now)
    latest = now - 3600
    start = seconds(starts_at)
    if past:
        asked, spread = start - 10 * DAY, 50 * DAY
    else:
        asked, spread = min(start - 5 * DAY, now - 7200), 30 * DAY
    decides = not program.is_open
    held = 0
    for status, pick in zip(statuses, chosen, strict=True):
        employee = pool[pick] if pool is not None else pick
        requested_at = asked - int(r() * spread)
        requested_at += 6 * 3600 + int(r() * 12 * 3600) - requested_at % DAY  # office hours (UTC)
        decided_at = decided_by = completed_on = None
        attended = none
        if status not in ("requested", "waitlisted", "cancelled"):
            decided_at = stamp(min(requested_at + 3600 + int(r() * 5 * DAY), latest))
            manager = managers[employee]
            if decides and manager >= 0:
                decided_by = first_employee + manager
            if status == "completed":
                completed_on, attended = end_day, hours
                held += 1
            elif status == "attended":
                attended = Decimal(round(program.hours * (0.5 + 0.45 * r())))
                held += 1
            elif status == "approved":
                held += 1
        enrolment_id = ids.next
        ids.next += 1
        out.append(
            (
                enrolment_id,
                session_id,
                first_employee + employee,
                status,
                stamp(requested_at),
                decided_at,
                decided_by,
                completed_on,
                attended,
                rng.choice(cat.ENROLMENT_REJECTIONS) if status == "rejected" else "",
            )
        )
    return held


# --- annual plans and needs ---------------------------------------------------------------------------------
def build_plans_and_needs(w: World) -> None:
    rng = w.rng("plans")
    year = w.year
    plan_first = w.loader.ids(TrainingPlan, 2)
    budget = [Decimal(max(20, round(w.size * rate / 1000)) * 1000) for rate in (110, 120)]
    w.loader.insert(
        TrainingPlan,
        ["id", "year", "title", "budget", "status", "approved_at"],
        [
            (
                plan_first,
                year,
                f"Pla de formació {year}",
                budget[0],
                "approved",
                at(dt.date(year - 1, 12, 18), 10),
            ),
            (plan_first + 1, year + 1, f"Pla de formació {year + 1}", budget[1], "draft", None),
        ],
    )
    actions = w.loader.sequence(PlanAction)
    money = w.rng("plan funding")  # its own draws: the plans' other figures stay as they were
    action_rows = []
    action_for_competency: dict[int, int] = {}
    for plan_id, plan_year in ((plan_first, year), (plan_first + 1, year + 1)):
        for index, program in enumerate(w.programs):
            sessions, seats = w.program_year_activity.get(index, {}).get(year, [0, 0])
            if not sessions or (plan_year > year and rng.random() < 0.3):
                continue
            if plan_year > year:
                seats = max(1, round(seats * rng.uniform(0.9, 1.25)))
                sessions = max(1, round(sessions * rng.uniform(0.9, 1.2)))
            cost = program.cost * (sessions if program.cost_basis == "session" else seats)
            action_funding = _funding(rng, program)
            action_id = actions.next
            actions.next += 1
            action_rows.append(
                (
                    action_id,
                    plan_id,
                    program.id,
                    program.title,
                    Decimal(cost),
                    Decimal(program.hours * sessions),
                    seats,
                    action_funding,
                    *_funding_figures(money, cost, sessions, seats, current=plan_year == year, funding=action_funding),
                )
            )
            if plan_year > year:
                for cid, _ in program.develops:
                    action_for_competency.setdefault(cid, action_id)
    needs = _needs(w, rng, plan_first + 1, actions, action_rows, action_for_competency)
    w.loader.insert(
        PlanAction,
        [
            "id",
            "plan",
            "program",
            "title",
            "estimated_cost",
            "estimated_hours",
            "estimated_participants",
            "funding",
            "planned_editions",
            "planned_by_group",
            "collective",
            "granted_amount",
            "incurred_cost",
        ],
        action_rows,
    )
    w.loader.insert(
        TrainingNeed,
        [
            "id",
            "unit",
            "submitted_by",
            "year",
            "title",
            "estimated_participants",
            "priority",
            "preferred_modality",
            "desired_period",
            "strategic_objective",
            "justification",
            "attachment",
            "status",
            "status_reason",
            "merged_into",
            "plan_action",
            "created_at",
            "submitted_at",
        ],
        (row for row, _, _ in needs),
    )
    competencies = TrainingNeed.competencies.through
    positions = TrainingNeed.target_positions.through
    first = w.loader.ids(competencies, sum(len(c) for _, c, _ in needs))
    w.loader.insert(
        competencies,
        ["id", "trainingneed", "competency"],
        (
            (first + k, need, cid)
            for k, (need, cid) in enumerate((row[0], cid) for row, cids, _ in needs for cid in cids)
        ),
    )
    first = w.loader.ids(positions, sum(len(p) for _, _, p in needs))
    w.loader.insert(
        positions,
        ["id", "trainingneed", "position"],
        (
            (first + k, need, pid)
            for k, (need, pid) in enumerate((row[0], pid) for row, _, pids in needs for pid in pids)
        ),
    )


def _funding_figures(rng, cost, sessions: int, seats: int, *, current: bool, funding: str) -> tuple:
    """What the funding pages read of an action: editions, participants by group (most in C1 and C2), the
    collective; for the current year's plan, the amount granted (AFEDAP: most of the cost) and, for about two
    actions in three, the cost incurred so far."""
    a2 = seats // 5
    c1 = (seats - a2) // 2
    by_group = {key: n for key, n in (("A2", a2), ("C1", c1), ("C2", seats - a2 - c1)) if n}
    granted = incurred = Decimal(0)
    if current:
        granted = Decimal(round(cost * (0.8 if funding == "afedap" else 1.0)))
        if rng.random() < 0.66:
            incurred = Decimal(round(cost * rng.uniform(0.5, 1.05)))
    return (max(1, sessions), json.dumps(by_group), "Personal de l'Ajuntament", granted, incurred)


def _funding(rng, program: ProgramInfo) -> str:
    if program.provider == cat.INTERNAL:
        return "afedap" if rng.random() < 0.5 else "own"
    if program.cost == 0:
        return "other"
    return "afedap" if rng.random() < 0.6 else "own"


def _needs(w: World, rng, next_plan_id: int, actions, action_rows, action_for_competency):
    """Needs submitted by unit heads for next year's plan, in every status of the triage."""
    year = w.year + 1
    need_ids = w.loader.sequence(TrainingNeed)
    directora_area = w.unit_paths[w.unit_by_code["SP"]]
    result = []
    by_competency: dict[int, int] = {}
    for unit in w.units:
        if unit.parent is None:
            continue
        share = 0.75 if w.unit_paths[unit.index].startswith(directora_area) else 0.45
        if unit.index == w.unit_by_code["HI.RH.FD"]:  # the CLO heads it: her home lists her unit's needs too
            share = 1.0
        if rng.random() >= share:
            continue
        staff = w.unit_positions[unit.index]
        for _ in range(rng.randint(1, 2)):
            position = w.positions[rng.choice(staff)]
            cid = rng.choice(position.requirements)[0]
            name = w.competencies[cid].names[0]
            need_id = need_ids.next
            need_ids.next += 1
            created = w.now - dt.timedelta(days=rng.uniform(5, 75))
            submitted = min(created + dt.timedelta(days=rng.uniform(0, 10)), w.now - dt.timedelta(hours=1))
            x = rng.random()
            status, reason, merged_into, action = "submitted", "", None, None
            if x < 0.15:
                status, submitted = "draft", None
            elif x < 0.45:
                status = "submitted"
            elif x < 0.53:
                status, reason = "more_info", cat.NEED_MORE_INFO
            elif x < 0.83:
                status = "accepted"
                action = action_for_competency.get(cid)
                if action is None:
                    action = actions.next
                    actions.next += 1
                    action_rows.append(
                        (
                            action,
                            next_plan_id,
                            None,
                            f"Acció a mida: {_lower(name)}"[:200],
                            Decimal(rng.randint(8, 40) * 100),
                            Decimal(rng.choice((8, 12, 16, 20))),
                            rng.randint(10, 40),
                            "own",
                            1, "{}", "", Decimal(0), Decimal(0),  # next year's plan: nothing granted or spent yet
                        )
                    )
                    action_for_competency[cid] = action
            elif x < 0.92:
                status, reason = "rejected", rng.choice(cat.NEED_REJECTIONS)
            elif cid in by_competency:
                status, merged_into = "merged", by_competency[cid]
                reason = "Fusionada amb una necessitat equivalent d'una altra unitat."
            by_competency.setdefault(cid, need_id)
            row = (
                need_id,
                w.unit_ids[unit.index],
                w.employee_id(w.unit_head[unit.index]),
                year,
                f"{rng.choice(cat.NEED_OPENINGS)} {_lower(name)}"[:200],
                rng.randint(2, 25),
                rng.choices(("high", "medium", "low"), weights=(25, 50, 25))[0],
                rng.choice(("face_to_face", "online", "blended", "")),
                rng.choice(cat.NEED_PERIODS),
                rng.choice(cat.NEED_OBJECTIVES),
                f"Part de l'equip no arriba al nivell que el lloc requereix en {_lower(name)}.",
                "",
                status,
                reason,
                merged_into,
                action,
                created,
                submitted,
            )
            targets = sorted(
                {w.positions[p].id for p in rng.sample(staff, min(len(staff), rng.randint(1, 2)))}
            )
            result.append((row, [cid], targets))
    return result
