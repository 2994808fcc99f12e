"""The annual-plan optimiser's mathematics: an instance (courses = programs of the catalogue, groups = people of the
same unit × position × gap profile), solved as a mixed-integer program by HiGHS, and the two baselines it is compared
with (greedy by value per euro, and first come first served over the accepted needs).

The objective is the weighted gap closed: for each person × requirement, weight × criticality factor (× the
accepted-need bonus) × the levels the chosen programs close, added up and capped at the person's gap. Constraints:
the budget in total and per funding source (a program's cost may be split between sources), session capacity and the
minimum to run, the hours cap per person and year (per group: seats × hours ≤ cap × people), an optional minimum
share of each unit's people reached, prerequisites (a person takes a program's prerequisites in the same plan unless
they already meet them) and the sessions and seats already planned (kept, and already paid).

``solve`` hands the model to HiGHS first as one column per group's seat vector (``optimiser_bundles``: exact per
group, so its LP bound is tight, and groups that do not compete for the budget are decided there), and as written
below (one column per seat) when that plan breaks the minimum to run a session or a coverage per unit is asked.

Nothing here touches the database: ``programs.selectors.optimiser`` builds the instance, the job stores the result.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

SOURCES = ("own", "afedap", "other")
EPS = 1e-6
PRESOLVE_RULE_DOUBLETON_EQUATION = 1 << 9  # HiGHS's presolve rule 9, "Doubleton equation"
PRESOLVE_UP_TO = 200_000  # columns: a larger model is solved without presolve


@dataclass(frozen=True)
class Course:
    """A program as the optimiser sees it."""

    key: int
    title: str
    cost: float  # per seat or per session (``per_session``)
    per_session: bool
    hours: float
    capacity: int
    minimum: int
    prerequisites: tuple[int, ...] = ()
    fixed_sessions: int = 0  # already in the plan: kept, and already paid
    fixed_seats: int = 0


@dataclass(frozen=True)
class Requirement:
    competency: int
    gap: int
    coef: float  # weight × criticality factor × (1 + bonus when an accepted need asks for it)
    critical: bool


@dataclass(frozen=True)
class Group:
    """People the model cannot tell apart: the same requirements in gap (what each program closes of them, and how
    much it weighs), the same prerequisites met, and the same unit when a coverage per unit is asked. ``members``:
    the (unit, position, people) they come from, for the explanations and first come first served."""

    key: str
    unit: int
    position: int
    size: int
    requirements: tuple[Requirement, ...]
    members: tuple[tuple[int, int, int], ...] = ()

    def units(self) -> tuple[tuple[int, int], ...]:
        """(unit, people) of the group, in the order of ``members``."""
        if not self.members:
            return ((self.unit, self.size),)
        out: dict[int, int] = {}
        for unit, _position, size in self.members:
            out[unit] = out.get(unit, 0) + size
        return tuple(out.items())

    def spread(self, seats: int) -> list[tuple[int, int]]:
        """``seats`` of the group as (unit, seats), filling its units in order."""
        out = []
        for unit, size in self.units():
            take = min(size, seats)
            if take > 0:
                out.append((unit, take))
            seats -= take
        return out


@dataclass
class Instance:
    courses: list[Course]
    groups: list[Group]
    # (group index, course index) → [(requirement index in the group, levels closed per person)]
    closes: dict[tuple[int, int], list[tuple[int, int]]]
    budget: float
    budgets: dict[str, float] = field(default_factory=dict)  # per funding source; missing = no limit of its own
    hours_cap: float = 0.0  # 0 = no cap
    coverage: float = 0.0  # minimum share of each unit's people reached (0..1)
    # (group index, course index) pairs where the group already meets the course (as a prerequisite)
    meets: set[tuple[int, int]] = field(default_factory=set)
    # first come, first served: accepted needs in submission order, each a list of (group, course, seats)
    needs: list[list[tuple[int, int, int]]] = field(default_factory=list)
    # accepted into the plan from an earlier proposal: these seats and sessions stay (and count, cost included)
    lower: dict[tuple[int, int], int] = field(default_factory=dict)
    min_sessions: dict[int, int] = field(default_factory=dict)
    # what a solve worked out that does not depend on the budget (each group's seat vectors), for the budget curve
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def pairs(self) -> list[tuple[int, int]]:
        """Every (group, course) a seat may go to: those that close a gap, plus their missing prerequisites."""
        seen = set(self.closes) | set(self.lower)
        stack = list(seen)
        while stack:
            g, c = stack.pop()
            for q in self.courses[c].prerequisites:
                if (g, q) not in self.meets and (g, q) not in seen:
                    seen.add((g, q))
                    stack.append((g, q))
        return sorted(seen)

    def chain_hours(self, g: int, c: int) -> float:
        """Hours one person of group ``g`` spends to take course ``c``: its own and those of the prerequisites they
        do not meet yet (taken in the same plan)."""
        hours, stack, seen = 0.0, [c], set()
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            hours += self.courses[q].hours
            stack.extend(p for p in self.courses[q].prerequisites if (g, p) not in self.meets)
        return hours

    def too_long(self, g: int, c: int) -> bool:
        """Course ``c`` does not fit in one person's hours cap, with its prerequisites."""
        if not self.hours_cap:
            return False
        if not self.courses[c].prerequisites:
            return self.courses[c].hours > self.hours_cap + EPS
        return self.chain_hours(g, c) > self.hours_cap + EPS

    def allowed_total(self) -> float:
        limit = self.budget
        if self.budgets and len(self.budgets) == len(SOURCES):
            limit = min(limit, sum(self.budgets.values()))
        return limit


@dataclass
class Plan:
    """Sessions per course and seats per (group, course) — new ones, on top of what is fixed."""

    sessions: dict[int, int]
    seats: dict[tuple[int, int], int]
    status: str = "optimal"
    gap: float = 0.0  # relative optimality gap reported by the solver (0 for the baselines' own plan)
    bound: float | None = None
    seconds: float = 0.0
    funding: dict[int, dict[str, float]] = field(default_factory=dict)
    size: tuple[int, int] = (0, 0)  # the model's columns (variables) and rows (constraints)
    decided: int = 0  # groups decided exactly outside HiGHS (``optimiser_bundles``)


@dataclass
class Figures:
    value: float
    cost: float
    people: int
    critical: int
    feasible: bool
    violations: list[str]


def course_cost(course: Course, sessions: int, seats: int) -> float:
    if course.per_session:
        return course.cost * max(sessions - course.fixed_sessions, 0)
    return course.cost * seats


def evaluate(inst: Instance, plan: Plan) -> Figures:
    """The figures of ``plan`` and the constraints it breaks (the same reading for the optimiser, the baselines and
    the exhaustive enumeration of the tests)."""
    violations: list[str] = []
    per_course: dict[int, int] = defaultdict(int)
    per_group_hours: dict[int, float] = defaultdict(float)
    per_group_seats: dict[int, int] = defaultdict(int)
    closed: dict[tuple[int, int], float] = defaultdict(float)
    for (g, c), n in plan.seats.items():
        if n <= 0:
            continue
        if n > inst.groups[g].size:
            violations.append("seats")
        if inst.too_long(g, c) and n > inst.lower.get((g, c), 0):
            violations.append("hours")
        per_course[c] += n
        per_group_hours[g] += n * inst.courses[c].hours
        per_group_seats[g] += n
        for r, levels in inst.closes.get((g, c), []):
            closed[(g, r)] += levels * n
        for q in inst.courses[c].prerequisites:
            if (g, q) not in inst.meets and plan.seats.get((g, q), 0) < n:
                violations.append("prerequisites")
    for pair, n in inst.lower.items():
        if plan.seats.get(pair, 0) < n:
            violations.append("fixed")
    for c, n in inst.min_sessions.items():
        if plan.sessions.get(c, 0) < n:
            violations.append("fixed")
    cost = 0.0
    for c, course in enumerate(inst.courses):
        sessions = plan.sessions.get(c, 0) + course.fixed_sessions
        seats = per_course[c] + course.fixed_seats
        if seats > course.capacity * sessions:
            violations.append("capacity")
        if seats < course.minimum * sessions - EPS and course.fixed_seats >= course.minimum * course.fixed_sessions:
            violations.append("minimum")
        cost += course_cost(course, sessions, per_course[c])
    if cost > inst.allowed_total() + EPS:
        violations.append("budget")
    if inst.hours_cap:
        for g, hours in per_group_hours.items():
            if hours > inst.hours_cap * inst.groups[g].size + EPS:
                violations.append("hours")
    if inst.coverage:
        for unit, (reached, size) in _unit_reach(inst, per_group_seats).items():
            if reached < math.ceil(inst.coverage * size - EPS):
                violations.append("coverage")
    value = 0.0
    critical = 0
    for (g, r), levels in closed.items():
        req = inst.groups[g].requirements[r]
        value += req.coef * min(levels, req.gap * inst.groups[g].size)
        if req.critical:
            critical += min(per_group_seats[g], inst.groups[g].size)
    people = sum(min(n, inst.groups[g].size) for g, n in per_group_seats.items())
    return Figures(value=round(value, 6), cost=round(cost, 2), people=people, critical=critical,
                   feasible=not violations, violations=sorted(set(violations)))


def _unit_reach(inst: Instance, per_group_seats: dict[int, int]) -> dict[int, tuple[int, int]]:
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for g, group in enumerate(inst.groups):
        out[group.unit][0] += min(per_group_seats.get(g, 0), group.size)
        out[group.unit][1] += group.size
    return {u: (a, b) for u, (a, b) in out.items()}


def fund(inst: Instance, plan: Plan) -> dict[int, dict[str, float]]:
    """Split each course's cost between the funding sources, filling each source's own budget in turn (own funds
    first); a course keeps one source when it fits."""
    left = {s: inst.budgets.get(s, math.inf) for s in SOURCES}
    per_course: dict[int, int] = defaultdict(int)
    for (g, c), n in plan.seats.items():
        per_course[c] += n
    out: dict[int, dict[str, float]] = {}
    for c, course in enumerate(inst.courses):
        cost = course_cost(course, plan.sessions.get(c, 0) + course.fixed_sessions, per_course[c])
        if cost <= 0:
            continue
        whole = next((s for s in SOURCES if left[s] + EPS >= cost), None)
        if whole:
            out[c] = {whole: cost}
            left[whole] -= cost
            continue
        share: dict[str, float] = {}
        for s in SOURCES:
            take = min(cost, max(left[s], 0))
            if take > 0:
                share[s] = take
                left[s] -= take
                cost -= take
        out[c] = share
    return out


# ---------------------------------------------------------------------------------------------------------- MILP
class _Rows:
    def __init__(self) -> None:
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, cols: list[int], vals: list[float], lo: float, hi: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(cols)
        self.value.extend(vals)
        self.lower.append(lo)
        self.upper.append(hi)


def solve(inst: Instance, *, time_limit: float = 60.0, mip_gap: float = 0.005,
          start: Plan | None = None, should_stop: Callable[[], bool] | None = None,
          bundles: bool = True) -> Plan:
    """The plan of largest weighted gap closed (HiGHS branch and cut), within ``time_limit`` seconds: then the best
    plan found, with its optimality gap. ``start`` (a feasible plan, e.g. the greedy's) is given to the solver as
    its first incumbent, so the answer is never worse. ``should_stop`` is polled while solving (cancellation).

    First as one column per group's seat vector (``optimiser_bundles``, whose LP bound is tight); when that plan
    breaks the minimum to run a session (or a coverage per unit is asked), with the seat model below."""
    import highspy

    began = time.monotonic()
    if bundles:
        from programs.services.optimiser_bundles import solve_bundles

        plan = solve_bundles(inst, time_limit=time_limit, mip_gap=mip_gap, start=start, should_stop=should_stop)
        if plan is not None:
            return plan
        time_limit = max(time_limit - (time.monotonic() - began), 0.1)
    pairs = inst.pairs()
    inf = highspy.kHighsInf
    n_c = len(inst.courses)
    col_lo: list[float] = []
    col_hi: list[float] = []
    cost: list[float] = []
    integer: list[int] = []
    # sessions y_c
    seats_possible: dict[int, int] = defaultdict(int)
    for g, c in pairs:
        seats_possible[c] += inst.groups[g].size
    for c, course in enumerate(inst.courses):
        room = max(seats_possible[c] + course.fixed_seats, 0)
        top = max(math.ceil(room / max(course.capacity, 1)), course.fixed_sessions)
        col_lo.append(inst.min_sessions.get(c, 0))
        col_hi.append(max(top - course.fixed_sessions, inst.min_sessions.get(c, 0)))
        cost.append(0)
        integer.append(len(col_lo) - 1)
    # seats x_gc
    x_of: dict[tuple[int, int], int] = {}
    for g, c in pairs:
        x_of[(g, c)] = len(col_lo)
        col_lo.append(inst.lower.get((g, c), 0))
        col_hi.append(inst.lower.get((g, c), 0) if inst.too_long(g, c) else inst.groups[g].size)
        cost.append(0)
        integer.append(x_of[(g, c)])
    # levels closed w_gr (capped at the gap of all the group's people), only where the programs that close it could
    # together close more than the gap; elsewhere the levels closed go straight into the seats' objective
    closes_into: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for (g, c), items in inst.closes.items():
        for r, levels in items:
            closes_into[(g, r)].append((x_of[(g, c)], float(levels)))
    w_of: dict[tuple[int, int], int] = {}
    for (g, r), terms in closes_into.items():
        req = inst.groups[g].requirements[r]
        if sum(lv for _col, lv in terms) <= req.gap:
            for col, lv in terms:
                cost[col] += req.coef * lv
            continue
        w_of[(g, r)] = len(col_lo)
        col_lo.append(0)
        col_hi.append(req.gap * inst.groups[g].size)
        cost.append(req.coef)
    # funding shares f_cs
    f_of: dict[tuple[int, str], int] = {}
    for c in range(n_c):
        for s in SOURCES:
            f_of[(c, s)] = len(col_lo)
            col_lo.append(0)
            col_hi.append(inf)
            cost.append(0)
    # people reached r_g (coverage only)
    r_of: dict[int, int] = {}
    if inst.coverage:
        for g in {g for g, _c in pairs} | set(range(len(inst.groups))):
            r_of[g] = len(col_lo)
            col_lo.append(0)
            col_hi.append(inst.groups[g].size)
            cost.append(0)

    rows = _Rows()
    for (g, r), col in w_of.items():
        terms = closes_into[(g, r)]
        rows.add([col] + [t[0] for t in terms], [1.0] + [-t[1] for t in terms], -inf, 0)
    by_course: dict[int, list[int]] = defaultdict(list)
    by_group: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (g, c), col in x_of.items():
        by_course[c].append(col)
        by_group[g].append((c, col))
    total_cols: list[int] = []
    total_vals: list[float] = []
    for c, course in enumerate(inst.courses):
        xs = by_course[c]
        # capacity and minimum to run, counting the seats and sessions already planned
        rows.add(xs + [c], [1.0] * len(xs) + [-float(course.capacity)], -inf,
                 course.capacity * course.fixed_sessions - course.fixed_seats)
        if course.fixed_seats >= course.minimum * course.fixed_sessions:
            rows.add(xs + [c], [1.0] * len(xs) + [-float(course.minimum)],
                     course.minimum * course.fixed_sessions - course.fixed_seats, inf)
        # cost = Σ funding shares
        fs = [f_of[(c, s)] for s in SOURCES]
        if course.per_session:
            rows.add(fs + [c], [1.0] * 3 + [-course.cost], 0, 0)
        else:
            rows.add(fs + xs, [1.0] * 3 + [-course.cost] * len(xs), 0, 0)
        total_cols += fs
        total_vals += [1.0] * 3
    rows.add(total_cols, total_vals, -inf, inst.budget)
    for s in SOURCES:
        if s in inst.budgets:
            cols = [f_of[(c, s)] for c in range(n_c)]
            rows.add(cols, [1.0] * len(cols), -inf, inst.budgets[s])
    if inst.hours_cap:
        for g, items in by_group.items():
            rows.add([col for _c, col in items], [inst.courses[c].hours for c, _col in items], -inf,
                     inst.hours_cap * inst.groups[g].size)
    for (g, c), col in x_of.items():
        for q in inst.courses[c].prerequisites:
            if (g, q) not in inst.meets:
                rows.add([col, x_of[(g, q)]], [1.0, -1.0], -inf, 0)
    if inst.coverage:
        units: dict[int, list[int]] = defaultdict(list)
        for g, col in r_of.items():
            items = by_group.get(g, [])
            rows.add([col] + [x for _c, x in items], [1.0] + [-1.0] * len(items), -inf, 0)
            units[inst.groups[g].unit].append(g)
        for _unit, gs in units.items():
            need = math.ceil(inst.coverage * sum(inst.groups[g].size for g in gs) - EPS)
            rows.add([r_of[g] for g in gs], [1.0] * len(gs), need, inf)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(time_limit, 0.1)))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    # HiGHS 1.15's presolve can loop for ever removing doubleton equations (seen on a small plan: rowPresolve under
    # removeDoubletonEquations, where neither the time limit nor the interrupt callback is checked): that rule is off.
    h.setOptionValue("presolve_rule_off", PRESOLVE_RULE_DOUBLETON_EQUATION)
    if len(col_lo) > PRESOLVE_UP_TO:
        # measured on the 250 000-employee demo (435 000 columns): presolve alone outlasted a 72 s limit and removed
        # 5 % of the model, leaving no bound at all; without it the root LP starts at once and gives one
        h.setOptionValue("presolve", "off")
    n = len(col_lo)
    h.addCols(n, np.array(cost, dtype=np.float64), np.array(col_lo, dtype=np.float64),
              np.array(col_hi, dtype=np.float64), 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32),
              np.array([], dtype=np.float64))
    h.addRows(len(rows.lower), np.array(rows.lower, dtype=np.float64), np.array(rows.upper, dtype=np.float64),
              len(rows.index), np.array(rows.starts, dtype=np.int32), np.array(rows.index, dtype=np.int32),
              np.array(rows.value, dtype=np.float64))
    h.changeColsIntegrality(len(integer), np.array(integer, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * len(integer)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if start is not None:
        h.setSolution(_start_vector(inst, start, n, x_of, w_of, f_of, r_of))
    deadline = began + time_limit
    stopped = [False]

    def interrupt(_kind, _message, _data_out, data_in, _user):
        # HiGHS checks its own time limit between nodes; the root node's cut loop can outlast it
        if time.monotonic() > deadline or (should_stop is not None and should_stop()):
            stopped[0] = True
            data_in.user_interrupt = True

    h.setCallback(interrupt, None)
    h.startCallback(highspy.cb.HighsCallbackType.kCallbackMipInterrupt)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    plan = Plan(sessions={}, seats={}, seconds=time.monotonic() - began, size=(n, len(rows.lower)))
    if info.primal_solution_status < 2:  # no feasible plan
        plan.status = "infeasible" if status == highspy.HighsModelStatus.kInfeasible else "no_solution"
        return plan
    values = h.getSolution().col_value
    plan.sessions = {c: round(values[c]) for c in range(n_c) if round(values[c]) > 0}
    plan.seats = {k: round(values[col]) for k, col in x_of.items() if round(values[col]) > 0}
    plan.gap = max(float(info.mip_gap), 0.0) if math.isfinite(info.mip_gap) else 1.0
    plan.bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else None
    plan.status = "optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit"
    if status == highspy.HighsModelStatus.kInterrupt:
        plan.status = "interrupted" if should_stop is not None and should_stop() else "time_limit"
    plan.funding = fund(inst, plan)
    return plan


def _start_vector(inst, start: Plan, n, x_of, w_of, f_of, r_of):
    import highspy

    vec = np.zeros(n)
    for c, s in start.sessions.items():
        vec[c] = s
    per_group: dict[int, int] = defaultdict(int)
    closed: dict[tuple[int, int], float] = defaultdict(float)
    for (g, c), s in start.seats.items():
        if (g, c) in x_of:
            vec[x_of[(g, c)]] = s
            per_group[g] += s
        for r, levels in inst.closes.get((g, c), []):
            closed[(g, r)] += levels * s
    for (g, r), col in w_of.items():
        vec[col] = min(closed[(g, r)], inst.groups[g].requirements[r].gap * inst.groups[g].size)
    for c, share in fund(inst, start).items():
        for s, amount in share.items():
            vec[f_of[(c, s)]] = amount
    for g, col in r_of.items():
        vec[col] = min(per_group[g], inst.groups[g].size)
    solution = highspy.HighsSolution()
    solution.col_value = list(vec)
    solution.value_valid = True
    return solution


# ----------------------------------------------------------------------------------------------------- baselines
def _pair_value(inst: Instance, g: int, c: int) -> float:
    return sum(inst.groups[g].requirements[r].coef * levels for r, levels in inst.closes.get((g, c), []))


def _add_seats(inst: Instance, plan: Plan, state: dict, g: int, c: int, want: int) -> int:
    """Add up to ``want`` seats of course ``c`` for group ``g`` within budget, capacity (opening sessions) and the
    hours cap; returns how many were added."""
    course = inst.courses[c]
    added = 0
    limit = inst.allowed_total()
    for _ in range(want):
        if plan.seats.get((g, c), 0) >= inst.groups[g].size:
            break
        if inst.hours_cap and (state["hours"][g] + course.hours > inst.hours_cap * inst.groups[g].size + EPS
                               or inst.too_long(g, c)):
            break
        if any((g, q) not in inst.meets and plan.seats.get((g, q), 0) <= plan.seats.get((g, c), 0)
               for q in course.prerequisites):
            break
        seats = state["course_seats"][c] + course.fixed_seats
        sessions = plan.sessions.get(c, 0) + course.fixed_sessions
        extra = course.cost if not course.per_session else 0.0
        opens = seats + 1 > course.capacity * sessions
        if opens and course.per_session:
            extra = course.cost
        if state["cost"] + extra > limit + EPS:
            break
        if opens:
            plan.sessions[c] = plan.sessions.get(c, 0) + 1
        plan.seats[(g, c)] = plan.seats.get((g, c), 0) + 1
        state["course_seats"][c] += 1
        state["hours"][g] += course.hours
        state["cost"] += extra
        added += 1
    return added


def _drop_under_minimum(inst: Instance, plan: Plan) -> None:
    """Sessions that would not reach the minimum to run are not opened: their seats are taken back (and the seats of
    programs that needed them as a prerequisite), then sessions are trimmed to the seats left."""
    changed = True
    while changed:
        changed = False
        per_course: dict[int, int] = defaultdict(int)
        for (g, c), n in plan.seats.items():
            per_course[c] += n
        for c, course in enumerate(inst.courses):
            seats = per_course[c] + course.fixed_seats
            while plan.sessions.get(c, 0) > inst.min_sessions.get(c, 0) and seats < course.minimum * (plan.sessions[c] + course.fixed_sessions):
                plan.sessions[c] -= 1
                changed = True
            sessions = plan.sessions.get(c, 0) + course.fixed_sessions
            while seats > course.capacity * sessions:
                movable = [k for k in plan.seats if k[1] == c and plan.seats[k] > inst.lower.get(k, 0)]
                if not movable:
                    break
                victim = min(movable, key=lambda k: _pair_value(inst, *k))
                plan.seats[victim] -= 1
                seats -= 1
                changed = True
        for (g, c), n in list(plan.seats.items()):
            for q in inst.courses[c].prerequisites:
                if (g, q) not in inst.meets and plan.seats.get((g, q), 0) < n:
                    plan.seats[(g, c)] = plan.seats.get((g, q), 0)
                    changed = True
    plan.seats = {k: n for k, n in plan.seats.items() if n > 0}
    plan.sessions = {c: n for c, n in plan.sessions.items() if n > 0}


def _fixed_start(inst: Instance, status: str) -> tuple[Plan, dict]:
    """A baseline starts from what an earlier proposal put in the plan."""
    plan = Plan(sessions=dict(inst.min_sessions), seats=dict(inst.lower), status=status)
    state: dict = {"hours": defaultdict(float), "course_seats": defaultdict(int), "cost": 0.0}
    for (g, c), n in inst.lower.items():
        state["hours"][g] += n * inst.courses[c].hours
        state["course_seats"][c] += n
    for c, course in enumerate(inst.courses):
        state["cost"] += course_cost(course, plan.sessions.get(c, 0) + course.fixed_sessions,
                                     state["course_seats"][c])
    return plan, state


def greedy(inst: Instance) -> Plan:
    """Seats in order of weighted gap closed per euro (a seat's share of a session's cost for programs paid per
    session), each pair taken as far as budget, capacity and the hours cap allow; prerequisites come along."""
    began = time.monotonic()

    def per_euro(pair: tuple[int, int]) -> float:
        course = inst.courses[pair[1]]
        seat_cost = course.cost / max(course.capacity, 1) if course.per_session else course.cost
        value = _pair_value(inst, *pair)
        for q in course.prerequisites:
            if (pair[0], q) not in inst.meets:
                other = inst.courses[q]
                seat_cost += other.cost / max(other.capacity, 1) if other.per_session else other.cost
        return value / seat_cost if seat_cost > 0 else math.inf * (value > 0)

    plan, state = _fixed_start(inst, "greedy")
    for g, c in sorted(inst.closes, key=lambda p: (-per_euro(p), p)):
        if _pair_value(inst, g, c) <= 0:
            continue
        for q in inst.courses[c].prerequisites:
            if (g, q) not in inst.meets:
                _add_seats(inst, plan, state, g, q, inst.groups[g].size)
        _add_seats(inst, plan, state, g, c, inst.groups[g].size)
    _drop_under_minimum(inst, plan)
    plan.funding = fund(inst, plan)
    plan.seconds = time.monotonic() - began
    return plan


def fcfs(inst: Instance) -> Plan:
    """First come, first served: the accepted needs in submission order, each given its seats until the budget runs
    out (the first need that no longer fits stops the plan)."""
    plan, state = _fixed_start(inst, "fcfs")
    stop = False
    for need in inst.needs:
        for g, c, seats in need:
            for q in inst.courses[c].prerequisites:
                if (g, q) not in inst.meets:
                    _add_seats(inst, plan, state, g, q, seats)
            if _add_seats(inst, plan, state, g, c, seats) < min(seats, inst.groups[g].size) and \
                    state["cost"] + min(co.cost for co in inst.courses) > inst.allowed_total():
                stop = True
                break
        if stop:
            break
    _drop_under_minimum(inst, plan)
    plan.funding = fund(inst, plan)
    return plan
