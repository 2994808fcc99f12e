"""Reads of the annual-plan optimiser: the instance it solves (built from the gap view, the catalogue, the accepted
needs and the plan as it stands), and the proposals the learning office looks at."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from clo.people.models import OrgUnit
from competencies.models import Competency
from programs.models import PlanAction, PlanProposal, Program, ProgramCompetency, TrainingNeed, TrainingPlan
from programs.services.optimiser_milp import SOURCES, Course, Group, Instance, Requirement

DEFAULT_CAPACITY = 20  # seats of a session when a program has never had one
MINIMUM_SHARE = 4  # a session runs with at least a quarter of its seats


@dataclass
class Names:
    """What the page needs to explain an instance in words (ids → names)."""

    programs: list[Program] = field(default_factory=list)
    units: dict[int, str] = field(default_factory=dict)
    positions: dict[int, str] = field(default_factory=dict)
    competencies: dict[int, str] = field(default_factory=dict)


def proposals(*, year: int | None = None) -> QuerySet[PlanProposal]:
    rows = PlanProposal.objects.select_related("requested_by")
    return rows.filter(year=year) if year else rows


def proposal_with_items(pk: int) -> PlanProposal:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PlanProposal.objects.prefetch_related("items__program", "items__plan_actions"), pk=pk)


def _employee_profiles(competency_ids: set[int]) -> Counter:
    """People with a gap, counted by unit × position × gap profile (the requirements in gap, each with its current
    level, gap, weight and criticality), which ``build_instance`` merges into the model's groups. On PostgreSQL the
    database makes each person's profile and counts them (a few hundred thousand rows instead of a million); elsewhere
    one pass over the gap view."""
    from django.db import connection

    from evaluations.models import Gap

    if connection.vendor == "postgresql":
        return _employee_profiles_in_sql(Gap._meta.db_table, sorted(competency_ids))
    return _employee_profiles_in_python(competency_ids)


def _employee_profiles_in_python(competency_ids: set[int]) -> Counter:
    from evaluations.models import Gap

    per_person: dict[int, list] = defaultdict(list)
    where: dict[int, tuple[int, int]] = {}
    rows = Gap.objects.filter(gap__gt=0, competency_id__in=competency_ids).values_list(
        "employee_id", "unit_id", "position_id", "competency_id", "current_level", "gap", "weight", "is_critical"
    )
    for employee, unit, position, competency, current, gap, weight, critical in rows.iterator(chunk_size=20000):
        per_person[employee].append((competency, current, gap, weight, critical))
        where[employee] = (unit, position)
    return Counter((*where[e], tuple(sorted(profile))) for e, profile in per_person.items())


def _employee_profiles_in_sql(table: str, competency_ids: list[int]) -> Counter:
    from django.db import connection

    sql = f"""
        SELECT unit_id, position_id, profile, count(*) FROM (
            SELECT employee_id, min(unit_id) AS unit_id, min(position_id) AS position_id,
                   string_agg(concat_ws(',', competency_id, current_level, gap, weight, is_critical::int), ';'
                              ORDER BY competency_id, current_level, gap, weight, is_critical) AS profile
            FROM {table} WHERE gap > 0 AND competency_id = ANY(%s) GROUP BY employee_id
        ) AS people GROUP BY unit_id, position_id, profile"""  # noqa: S608 (the table is the model's own)
    out: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [competency_ids])
        for unit, position, profile, count in cursor:
            reqs = []
            for item in profile.split(";"):
                competency, current, gap, weight, critical = (int(v) for v in item.split(","))
                reqs.append((competency, current, gap, weight, bool(critical)))
            out[(unit, position, tuple(reqs))] += count
    return out


def _courses(programs: list[Program], plan: TrainingPlan | None) -> tuple[list[Course], dict[str, float]]:
    """The catalogue's programs as courses, with what the plan already has (actions not accepted from a proposal:
    kept, and their cost taken from the budget, per funding source)."""
    capacity = dict(Program.objects.filter(pk__in=[p.pk for p in programs]).annotate(c=Max("sessions__capacity"))
                    .values_list("pk", "c"))
    prereqs: dict[int, list[int]] = defaultdict(list)
    for program_id, prereq_id in Program.prerequisites.through.objects.filter(
            from_program_id__in=capacity).values_list("from_program_id", "to_program_id"):
        prereqs[program_id].append(prereq_id)
    index = {p.pk: i for i, p in enumerate(programs)}
    fixed_seats: Counter = Counter()
    spent: dict[str, float] = defaultdict(float)
    if plan is not None:
        for program_id, cost, participants, funding in PlanAction.objects.filter(
                plan=plan, proposal_items__isnull=True).values_list(
                "program_id", "estimated_cost", "estimated_participants", "funding"):
            spent[funding] += float(cost)
            if program_id in index:
                fixed_seats[program_id] += participants
    courses = []
    for p in programs:
        cap = capacity.get(p.pk) or DEFAULT_CAPACITY
        courses.append(Course(
            key=p.pk, title=p.title, cost=float(p.cost), per_session=p.cost_basis == Program.CostBasis.PER_SESSION,
            hours=float(p.hours), capacity=cap, minimum=max(1, cap // MINIMUM_SHARE),
            prerequisites=tuple(index[q] for q in prereqs[p.pk] if q in index),
            fixed_seats=fixed_seats[p.pk], fixed_sessions=math.ceil(fixed_seats[p.pk] / cap),
        ))
    return courses, spent


def group_key(key: tuple) -> str:
    """A group's stable name (the same people give the same name in a later run): its unit when coverage keeps
    units apart, then a digest of its requirements and the prerequisites it meets."""
    import hashlib

    unit, reqs, met = key
    text = repr(([(k, round(coef, 6), critical, gap, closed) for k, coef, critical, gap, closed in reqs], met))
    return f"{unit}:" + hashlib.sha1(text.encode()).hexdigest()[:16]


def _sort_key(key: tuple) -> tuple:
    unit, reqs, met = key
    return unit, [(k, -coef, gap, closed) for k, coef, _critical, gap, closed in reqs], met


def build_instance(proposal: PlanProposal) -> tuple[Instance, Names]:
    """The instance of ``proposal``: the budget left after the plan's own actions, the catalogue's active programs
    that develop a competency, the people with a gap in one of them (grouped), the accepted needs of the year (their
    bonus, and their order for first come first served) and the items accepted from earlier proposals (kept)."""
    names = Names()
    links = list(ProgramCompetency.objects.filter(program__active=True).values_list(
        "program_id", "competency_id", "level_reached"))
    programs = list(Program.objects.filter(pk__in={p for p, _c, _l in links}).order_by("code"))
    names.programs = programs
    plan = TrainingPlan.objects.filter(year=proposal.year).first()
    courses, spent = _courses(programs, plan)
    index = {p.pk: i for i, p in enumerate(programs)}
    reaches: dict[int, list[tuple[int, int]]] = defaultdict(list)  # competency → [(course, level reached)]
    for program_id, competency_id, level in links:
        reaches[competency_id].append((index[program_id], level))
    needs = list(TrainingNeed.objects.filter(year=proposal.year, status=TrainingNeed.Status.ACCEPTED)
                 .order_by("submitted_at", "pk").prefetch_related("competencies", "target_positions"))
    asked: set[tuple[int, int, int | None]] = set()
    for need in needs:
        positions = [p.pk for p in need.target_positions.all()] or [None]
        for competency in need.competencies.all():
            for position in positions:
                asked.add((need.unit_id, competency.pk, position))
    bonus = 1 + proposal.need_bonus / 100
    factor = float(proposal.critical_factor)
    profiles = _employee_profiles(set(reaches))
    needed: dict[int, list[tuple[int, int]]] = {q: [] for course in courses for q in course.prerequisites}
    for competency, rows in reaches.items():
        for c, level in rows:
            if c in needed:
                needed[c].append((competency, level))
    by_unit = proposal.coverage > 0  # a coverage per unit keeps each unit's people apart
    merged: dict[tuple, list] = {}  # model key → [requirements, closes, meets, members]
    closing: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}  # (competency, level, gap) → closed
    for (unit, position, profile), size in profiles.items():
        current = {competency: cur for competency, cur, *_rest in profile}
        reqs: list[tuple] = []
        for competency, cur, gap, weight, critical in profile:
            closed = closing.get((competency, cur, gap))
            if closed is None:
                closed = closing[(competency, cur, gap)] = tuple(
                    (c, min(gap, level - cur)) for c, level in reaches[competency] if level > cur)
            if not closed:
                continue  # no program closes any of it: it weighs nothing in the model
            wanted = (unit, competency, None) in asked or (unit, competency, position) in asked
            coef = weight * (factor if critical else 1) * (bonus if wanted else 1)
            # what the programs can close of it at most: a larger gap behaves the same
            reqs.append((competency, coef, critical, min(gap, sum(lv for _c, lv in closed)), closed))
        met = tuple(c for c, levels_needed in needed.items()
                    if all(current.get(k, 99) >= lvl for k, lvl in levels_needed))
        key = (unit if by_unit else 0, tuple(reqs), met)
        entry = merged.setdefault(key, [reqs, met, []])
        entry[2].append((unit, position, size))
    groups: list[Group] = []
    closes: dict[tuple[int, int], list[tuple[int, int]]] = {}
    meets: set[tuple[int, int]] = set()
    for key, (reqs, met, members) in sorted(merged.items(), key=lambda kv: _sort_key(kv[0])):
        g = len(groups)
        members.sort()  # the same order whatever order the database counted them in
        unit, position, _size = members[0]
        groups.append(Group(
            key=group_key(key), unit=unit, position=position, size=sum(m[2] for m in members), members=tuple(members),
            requirements=tuple(Requirement(competency=k, gap=gap, coef=coef, critical=critical)
                               for k, coef, critical, gap, _closed in reqs)))
        for r, (*_rest, closed) in enumerate(reqs):
            for c, levels in closed:
                closes.setdefault((g, c), []).append((r, levels))
        meets.update((g, c) for c in met)
    inst = Instance(courses=courses, groups=groups, closes=closes, meets=meets,
                    budget=max(float(proposal.budget) - sum(spent.values()), 0.0),
                    hours_cap=float(proposal.hours_cap), coverage=proposal.coverage / 100)
    given = {s: getattr(proposal, f"budget_{s}") for s in SOURCES}
    if any(v is not None for v in given.values()):
        inst.budgets = {s: max(float(v or Decimal(0)) - spent.get(s, 0.0), 0.0) for s, v in given.items()}
    _fcfs_order(inst, needs, reaches)
    _accepted_items(inst, plan)
    names.units = dict(OrgUnit.objects.filter(pk__in={u for g in groups for u, _n in g.units()}).values_list("pk", "name"))
    names.competencies = dict(Competency.objects.filter(pk__in=set(reaches)).values_list("pk", "name"))
    return inst, names


def _fcfs_order(inst: Instance, needs: list[TrainingNeed], reaches: dict) -> None:
    """Each accepted need, in submission order, as seats for its unit's people of the target positions with a gap
    in its competencies, on the program that closes most of it for them, up to the participants it estimated."""
    by_unit: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # unit → [(group, position, people)]
    for g, group in enumerate(inst.groups):
        for unit, position, size in group.members or ((group.unit, group.position, group.size),):
            by_unit[unit].append((g, position, size))
    for need in needs:
        competencies = {c.pk for c in need.competencies.all()}
        positions = {p.pk for p in need.target_positions.all()}
        left = need.estimated_participants
        wanted: list[tuple[int, int, int]] = []
        for g, position, size in by_unit[need.unit_id]:
            group = inst.groups[g]
            if left <= 0 or (positions and position not in positions):
                continue
            mine = {r for r, req in enumerate(group.requirements) if req.competency in competencies}
            best = max(((sum(lv for r, lv in inst.closes.get((g, c), []) if r in mine), c)
                        for c in range(len(inst.courses))), default=(0, -1))
            if best[0] > 0:
                seats = min(size, left)
                wanted.append((g, best[1], seats))
                left -= seats
        if wanted:
            inst.needs.append(wanted)


def _accepted_items(inst: Instance, plan: TrainingPlan | None) -> None:
    """Seats and sessions accepted from earlier proposals stay fixed."""
    if plan is None:
        return
    from programs.models import ProposalItem

    index = {course.key: c for c, course in enumerate(inst.courses)}
    keys = {group.key: g for g, group in enumerate(inst.groups)}
    items = ProposalItem.objects.filter(plan_actions__plan=plan, accepted_at__isnull=False).distinct()
    for item in items.values("program_id", "sessions", "detail"):
        c = index.get(item["program_id"])
        if c is None:
            continue
        inst.min_sessions[c] = inst.min_sessions.get(c, 0) + item["sessions"]
        for key, seats in (item["detail"] or {}).get("allocation", {}).items():
            if key in keys:
                g = keys[key]
                inst.lower[(g, c)] = min(inst.lower.get((g, c), 0) + seats, inst.groups[g].size)


REASONS = {"budget": _("budget"), "capacity": _("session capacity"), "hours": _("hours cap")}
METHODS = {"optimiser": _("Optimiser"), "greedy": _("Greedy by value per euro"),
           "fcfs": _("First come, first served")}
MESSAGES = {
    "no_catalogue": _("The catalogue has no active program that develops a competency: there is nothing to propose."),
    "no_gaps": _("Nobody has a gap that a program of the catalogue closes: there is nothing to propose."),
    "infeasible": _("No plan meets the constraints: the budget cannot pay for the sessions already planned, or the "
                    "minimum coverage per unit cannot be reached. Raise the budget or lower the coverage."),
}


def proposal_page(proposal: PlanProposal) -> dict:
    """Everything the proposal's page shows: the three methods side by side, the budget curve (drawing and table),
    the items with their explanation and the best actions left out with their reason."""
    from clo.core.charts import line_chart

    result = proposal.result or {}
    methods = [{"name": METHODS[key], **result["methods"][key]} for key in METHODS if key in result.get("methods", {})]
    best = methods[0]["value"] if methods else 0
    for row in methods[1:]:
        row["ratio"] = round(best / row["value"], 2) if row["value"] else None
    curve = result.get("curve") or []
    chart = None
    if curve:
        chart = line_chart(
            title=str(_("Budget curve")),
            description=str(_("Weighted gap closed by the optimiser from half the budget to one and a half times "
                              "the budget.")),
            labels=[f"{p['percent']} % ({p['budget']:,.0f} €)" for p in curve], values=[p["value"] for p in curve],
            value_label=str(_("Weighted gap closed")), label_heading=str(_("Budget")), decimals=1,
            dom_id="budget-curve",
        )
    left_out = [{**row, "reason_label": REASONS.get(row["reason"], row["reason"])}
                for row in result.get("left_out", [])]
    gap = result.get("gap")
    return {"proposal": proposal, "result": result, "methods": methods,
            "gap_percent": gap * 100 if gap is not None else None, "chart": chart, "left_out": left_out,
            "message": MESSAGES.get(result.get("message", "")), "items": list(proposal.items.all())}


def proposals_compared(first: PlanProposal, second: PlanProposal) -> list[dict]:
    """The two proposals' figures side by side, with their inputs."""
    rows = []
    for proposal in (first, second):
        figures = (proposal.result or {}).get("methods", {}).get("optimiser", {})
        rows.append({"proposal": proposal, "value": figures.get("value"), "cost": figures.get("cost"),
                     "people": figures.get("people"), "critical": figures.get("critical"),
                     "gap_percent": _percent((proposal.result or {}).get("gap")), "items": proposal.items.count()})
    return rows


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100
