"""The optimiser's model as HiGHS solves it at scale: one column per group *bundle* instead of one per seat.

Why. Most demo programs cost nothing, so the budget rarely binds, and the model is then tens of thousands of small
knapsacks (each group's hours cap) that HiGHS cannot close at the root: their LP relaxation is loose. Here each group
(people the model cannot tell apart) gets its feasible seat vectors enumerated exactly — seats of each program it may
take, within its size, its hours cap, its prerequisites and what is already fixed — and the model chooses one vector
per group. The convex hull of each group's vectors is then exact, and the LP bound is tight.

Only three things tie groups together once the capacity of free sessions is set aside: the budget, the sessions of
programs paid per session (their capacity), and the minimum to run a session. A vector that closes no more weighted
gap than another, costs no less and takes no fewer seats of a program paid per session can never be better: it is
dropped (Pareto pruning). A group left with one vector is decided here, outside HiGHS, exactly. Groups too large to
enumerate keep the seat formulation of ``optimiser_milp``.

The model solved (R) is the plan's model without the minimum to run (and without coverage per unit, for which
``solve`` uses the full model): a relaxation. Its plan is checked against every constraint (``evaluate``); when it
keeps them all it is a plan of the full model, and R's bound is also a bound of the full model, so the optimality gap
reported (R's bound against the plan's value) is the whole problem's gap. When it breaks the minimum to run, the
caller solves the full model instead.

When the budget binds, R is first relaxed in a Lagrangian way (``optimiser_lagrange``: a bound, a plan within the
budget, and the vectors that cannot be in a better plan), and HiGHS gets only the vectors left, started from that
plan, in the time left (when few enough are left for it to reach a bound: ``HIGHS_UP_TO``). The whole call,
enumeration included, keeps to its time limit.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from programs.services.optimiser_milp import EPS, Instance, Plan, evaluate, fund

ENUMERATE_UP_TO = 3_000  # seat vectors of one group: a larger group keeps the seat formulation
RESERVE = 5.0  # seconds (at most a tenth of the limit) kept, when the budget binds, for what follows HiGHS (the
# plan's check and its funding: 4 s at 250 000 employees)
HIGHS_UP_TO = 40_000  # vectors left after the Lagrangian's fixing: more, and HiGHS is not given them (measured at
# 250 000 employees: 97 268 vectors, 122 244 columns, and no root bound within 47 s)


@dataclass
class _Vectors:
    cols: list[int]  # the courses of the group, in order
    seats: np.ndarray  # one row per kept vector: seats per course of ``cols``
    value: np.ndarray
    cost: np.ndarray  # cost of its seats (programs paid per seat)


def _enumerate(inst: Instance, g: int, cols: list[int], cache: dict) -> np.ndarray | None:
    """Every seat vector group ``g`` may take on ``cols`` (None when there are more than ``ENUMERATE_UP_TO``)."""
    group = inst.groups[g]
    ranges = []
    for c in cols:
        lo = inst.lower.get((g, c), 0)
        ranges.append((lo, lo if inst.too_long(g, c) else max(group.size, lo)))
    prereqs = tuple((j, cols.index(q)) for j, c in enumerate(cols) for q in inst.courses[c].prerequisites
                    if (g, q) not in inst.meets)
    key = (tuple(cols), tuple(ranges), prereqs, group.size)
    if key in cache:
        return cache[key]
    cap = inst.hours_cap * group.size if inst.hours_cap else math.inf
    if all(r == (0, 1) for r in ranges) and len(cols) <= 16:
        points = _subsets(len(cols))  # one person: which programs they take
        keep = points @ np.array([inst.courses[c].hours for c in cols]) <= cap + EPS
        for a, b in prereqs:
            keep &= points[:, a] <= points[:, b]
        cache[key] = points[keep] if keep.sum() <= ENUMERATE_UP_TO else None
        return cache[key]
    points = np.zeros((1, 0), dtype=np.int64)
    hours = np.zeros(1)
    for j, (lo, hi) in enumerate(ranges):
        values = np.arange(lo, hi + 1, dtype=np.int64)
        if len(points) * len(values) > 8 * ENUMERATE_UP_TO:
            cache[key] = None
            return None
        col = np.tile(values, len(points))
        spent = np.repeat(hours, len(values)) + col * inst.courses[cols[j]].hours
        keep = spent <= cap + EPS
        points = np.column_stack([np.repeat(points, len(values), axis=0)[keep], col[keep]])
        hours = spent[keep]
        keep = np.ones(len(points), dtype=bool)
        for a, b in prereqs:
            if a <= j and b <= j:
                keep &= points[:, a] <= points[:, b]
        points, hours = points[keep], hours[keep]
        if len(points) > ENUMERATE_UP_TO:
            cache[key] = None
            return None
    cache[key] = points
    return points


_SUBSETS: dict[int, np.ndarray] = {}


def _subsets(k: int) -> np.ndarray:
    if k not in _SUBSETS:
        _SUBSETS[k] = ((np.arange(2 ** k)[:, None] >> np.arange(k)[None, :]) & 1).astype(np.int64)
    return _SUBSETS[k]


def _pareto(value: np.ndarray, cost: np.ndarray, per_session: np.ndarray) -> np.ndarray:
    """Indices of the vectors no other one beats: at least as much value, no more cost, no more seats of any program
    paid per session (one of exact ties is kept)."""
    if per_session.shape[1] == 0:
        return _sweep(value, cost, np.arange(len(value)))
    # within the same seats paid per session first (vectorised), then across them
    _u, which = np.unique(per_session, axis=0, return_inverse=True)
    which = which.reshape(-1)
    survivors = np.concatenate([_sweep(value, cost, np.flatnonzero(which == u)) for u in range(which.max() + 1)])
    order = survivors[np.lexsort((cost[survivors], -value[survivors]))]
    kept: list[int] = []
    for i in order:
        if kept:
            k = np.array(kept)
            if np.any((cost[k] <= cost[i] + EPS) & np.all(per_session[k] <= per_session[i], axis=1)):
                continue
        kept.append(int(i))
    return np.array(kept, dtype=np.int64)


def _sweep(value: np.ndarray, cost: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Of ``among``, those no other one of them beats on value and cost."""
    order = among[np.lexsort((cost[among], -value[among]))]
    c = cost[order]
    best = np.minimum.accumulate(c)
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = c[1:] < best[:-1] - EPS
    return order[keep]


def group_vectors(inst: Instance) -> tuple[dict[int, _Vectors], list[int]]:
    """Each group's Pareto-optimal seat vectors, and the groups too large to enumerate."""
    cols_of: dict[int, list[int]] = defaultdict(list)
    for g, c in inst.pairs():
        cols_of[g].append(c)
    paid_per_session = {c for c, course in enumerate(inst.courses) if course.per_session and course.cost > 0}
    seat_cost = np.array([0.0 if course.per_session else course.cost for course in inst.courses])
    cache: dict = {}
    out: dict[int, _Vectors] = {}
    large: list[int] = []
    for g, cols in cols_of.items():
        points = _enumerate(inst, g, cols, cache)
        if points is None:
            large.append(g)
            continue
        group = inst.groups[g]
        levels = np.zeros((len(cols), len(group.requirements)))
        for j, c in enumerate(cols):
            for r, lv in inst.closes.get((g, c), []):
                levels[j, r] += lv
        caps = np.array([req.gap * group.size for req in group.requirements], dtype=float)
        coefs = np.array([req.coef for req in group.requirements], dtype=float)
        value = np.minimum(points @ levels, caps) @ coefs if len(coefs) else np.zeros(len(points))
        cost = points @ seat_cost[cols]
        ps = points[:, [j for j, c in enumerate(cols) if c in paid_per_session]]
        keep = _pareto(value, cost, ps) if len(points) else np.zeros(0, dtype=np.int64)
        out[g] = _Vectors(cols=cols, seats=points[keep], value=value[keep], cost=cost[keep])
    return out, large


class _Model:
    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.obj: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[list[int], list[float], float, float]] = []

    def col(self, lo: float, hi: float, obj: float, integer: bool) -> int:
        self.lo.append(lo)
        self.hi.append(hi)
        self.obj.append(obj)
        if integer:
            self.integer.append(len(self.lo) - 1)
        return len(self.lo) - 1


def solve_bundles(inst: Instance, *, time_limit: float, mip_gap: float, start: Plan | None = None,
                  should_stop: Callable[[], bool] | None = None) -> Plan | None:
    """The plan of R (see the module), when it keeps every constraint of the full model; None otherwise (the caller
    then solves the full model). The whole call, enumeration included, keeps to ``time_limit``.

    First without the budget: every enumerated group takes its best vector (the cheapest of equal value), exactly,
    and only the groups too large to enumerate go to HiGHS. When that plan is within the budget it is R's optimum
    (the optimum of a relaxation that happens to be feasible). Otherwise the budget binds: ``_within_budget``."""
    began = time.monotonic()
    deadline = began + time_limit
    if inst.coverage:
        return None
    key = ("bundles", inst.hours_cap, tuple(sorted(inst.lower.items())))
    if key not in inst.memo:
        inst.memo.clear()
        inst.memo[key] = group_vectors(inst)
    vectors, large = inst.memo[key]
    if any(len(v.value) == 0 for v in vectors.values()):
        return None  # a group cannot keep what is fixed: the full model says why
    relaxed: dict = {}
    plan, broken = _solve_r(inst, vectors, large, budget=False, time_limit=max(deadline - time.monotonic(), 0.2),
                            mip_gap=mip_gap, start=start, should_stop=should_stop, out=relaxed)
    if plan is None and "budget" in broken:
        plan = _within_budget(inst, vectors, large, relaxed, deadline=deadline, mip_gap=mip_gap, start=start,
                              should_stop=should_stop, reserve=min(RESERVE, 0.1 * time_limit))
    if plan is None:
        return None
    plan.seconds = time.monotonic() - began
    return plan


def _within_budget(inst: Instance, vectors: dict[int, _Vectors], large: list[int], relaxed: dict, *,
                   deadline: float, mip_gap: float, start: Plan | None,
                   should_stop: Callable[[], bool] | None, reserve: float) -> Plan | None:
    """R when the budget binds: the Lagrangian relaxation first (``optimiser_lagrange``: a bound, a plan within the
    budget, the vectors that may still do better), then HiGHS on those vectors only, started from the best plan
    known, in the time left. The better plan is kept, with the smaller of the two bounds."""
    from programs.services.optimiser_lagrange import lagrangian

    large_set = set(large)
    large_pairs = [p for p in inst.pairs() if p[0] in large_set]
    allocations = [relaxed.get("large_seats", {}), {p: n for p, n in inst.lower.items() if p[0] in large_set}]
    start_value = -math.inf
    start_figures = evaluate(inst, start) if start is not None else None
    if start is not None and start_figures is not None and start_figures.feasible:
        start_value = start_figures.value
        allocations.insert(1, {p: start.seats.get(p, 0) for p in large_pairs})
    paid_per_session = [c for c, course in enumerate(inst.courses) if course.per_session and course.cost > 0]

    def large_priced(lam: float) -> tuple[float, dict] | None:
        left = (deadline - time.monotonic() - reserve) / 3
        if not large or left < 0.2 or (should_stop is not None and should_stop()):
            return None
        priced: dict = {}
        _solve_r(inst, vectors, large, budget=False, time_limit=left, mip_gap=mip_gap, start=None,
                 should_stop=should_stop, out=priced, price=lam)
        if "large_bound" not in priced:
            return None
        return priced["large_bound"], priced.get("large_seats", {})

    lag = lagrangian(inst, vectors, paid_per_session=paid_per_session,
                     large_bound=relaxed.get("large_bound", math.inf), allocations=allocations,
                     incumbent=start_value, large_priced=large_priced, deadline=deadline - reserve)
    best, value = lag.plan, lag.value
    if start_value > value:
        best, value = Plan(sessions=dict(start.sessions), seats=dict(start.seats)), start_value  # type: ignore[union-attr]
    known = value  # the value the vectors were dropped against
    bound = lag.bound
    best_size, decided = (0, 0), len(vectors)
    left = deadline - time.monotonic() - reserve
    kept = sum(len(k) for k in lag.keep.values()) if lag.keep else sum(
        len(v.value) for v in vectors.values() if len(v.value) > 1)
    if left >= 1.0 and kept <= HIGHS_UP_TO and not (should_stop is not None and should_stop()):
        remaining = {g: (v if g not in lag.keep else _Vectors(cols=v.cols, seats=v.seats[lag.keep[g]],
                                                               value=v.value[lag.keep[g]],
                                                               cost=v.cost[lag.keep[g]]))
                     for g, v in vectors.items()}
        solved: dict = {}
        plan, broken = _solve_r(inst, remaining, large, budget=True, time_limit=left, mip_gap=mip_gap,
                                start=best, should_stop=should_stop, out=solved)
        if lag.plan is None and "minimum" in broken:
            return None  # R's plans miss a session's minimum to run: the full model keeps it
        best_size, decided = solved.get("size", (0, 0)), solved.get("decided", decided)
        if math.isfinite(solved.get("bound", math.inf)):
            # a plan better than ``known`` uses only the vectors kept, so HiGHS's bound holds beyond ``known``
            bound = min(bound, max(solved["bound"], known))
        found = evaluate(inst, plan).value if plan is not None else -math.inf
        if found > value:
            best, value = plan, found
    if best is None:
        return None  # no plan of R keeps every constraint: the full model, as before
    best.size, best.decided = best_size, decided
    best.bound = bound if math.isfinite(bound) else None
    best.gap = max(bound - value, 0.0) / max(abs(value), EPS) if math.isfinite(bound) else 1.0
    if value == 0 and bound <= EPS:
        best.gap = 0.0
    if best.gap <= mip_gap + 1e-9:
        best.status = "optimal"
    else:
        best.status = "interrupted" if should_stop is not None and should_stop() else "time_limit"
    best.funding = fund(inst, best)
    return best


def _solve_r(inst: Instance, vectors: dict[int, _Vectors], large: list[int], *, budget: bool, time_limit: float,
             mip_gap: float, start: Plan | None, should_stop: Callable[[], bool] | None, out: dict | None = None,
             price: float = 0.0) -> tuple[Plan | None, list[str]]:
    """R's plan with the budget or without it, or None and the constraints the plan breaks. ``out`` receives what
    holds even when the plan breaks them: R's bound, the model's size, the seats of the groups too large to
    enumerate and HiGHS's bound for them alone (without the budget, where they are all HiGHS is given). ``price``:
    without the budget, the large groups' seats cost λ = ``price`` per euro (seats paid per seat, and a seat's
    share of a session), their subproblem in ``optimiser_lagrange``."""
    out = {} if out is None else out
    import highspy

    began = time.monotonic()
    paid_per_session = [c for c, course in enumerate(inst.courses) if course.per_session and course.cost > 0]
    n_seats: dict[int, float] = defaultdict(float)  # seats of programs paid per session, from decided groups
    constant_value = constant_cost = 0.0
    decided: dict[tuple[int, int], int] = {}
    m = _Model()
    inf = highspy.kHighsInf
    ps_terms: dict[int, list[tuple[int, float]]] = defaultdict(list)
    budget_terms: list[tuple[int, float]] = []
    choice: dict[int, list[int]] = {}
    for g, vec in vectors.items():
        if len(vec.value) == 1 or not budget:  # the first vector: most value, then least cost
            constant_value += float(vec.value[0])
            constant_cost += float(vec.cost[0])
            for j, c in enumerate(vec.cols):
                if vec.seats[0, j]:
                    decided[(g, c)] = int(vec.seats[0, j])
                    if c in paid_per_session:
                        n_seats[c] += int(vec.seats[0, j])
            continue
        cols = [m.col(0, 1, float(vec.value[k]), True) for k in range(len(vec.value))]
        choice[g] = cols
        m.rows.append((cols, [1.0] * len(cols), 1, 1))
        for k, col in enumerate(cols):
            if vec.cost[k]:
                budget_terms.append((col, float(vec.cost[k])))
            for j, c in enumerate(vec.cols):
                if c in paid_per_session and vec.seats[k, j]:
                    ps_terms[c].append((col, float(vec.seats[k, j])))
    x_of = _seat_formulation(inst, m, large, budget_terms, ps_terms, paid_per_session, price=0.0 if budget else price)
    y_of: dict[int, int] = {}
    if budget:
        for c in paid_per_session:
            course = inst.courses[c]
            most = sum(v for _col, v in ps_terms[c]) + n_seats[c] + course.fixed_seats
            top = max(math.ceil(most / max(course.capacity, 1)) - course.fixed_sessions,
                      inst.min_sessions.get(c, 0), 0)
            y_of[c] = m.col(inst.min_sessions.get(c, 0), top, 0.0, True)
            budget_terms.append((y_of[c], course.cost))
            cols = [col for col, _v in ps_terms[c]] + [y_of[c]]
            vals = [v for _col, v in ps_terms[c]] + [-float(course.capacity)]
            m.rows.append((cols, vals, -inf,
                           course.capacity * course.fixed_sessions - course.fixed_seats - n_seats[c]))
        room = inst.allowed_total() - constant_cost
        if room < -EPS:
            return None, ["budget"]
        if budget_terms:
            m.rows.append(([col for col, _v in budget_terms], [v for _col, v in budget_terms], -inf, room))

    plan = Plan(sessions={}, seats=dict(decided), size=(len(m.lo), len(m.rows)),
                decided=len(vectors) - len(choice))
    out["size"], out["decided"] = plan.size, plan.decided
    out["bound"], out["large_bound"] = constant_value, 0.0
    bound = constant_value
    status = "optimal"
    if m.lo:
        h = _highs(m, time_limit, mip_gap, should_stop, began + time_limit)
        if start is not None:
            h.setSolution(_start(inst, start, m, vectors, choice, x_of, y_of))
        # HiGHS counts its time limit from ``run``: building the model came out of the same allowance
        h.setOptionValue("time_limit", float(max(began + time_limit - time.monotonic(), 0.1)))
        h.run()
        info = h.getInfo()
        model_status = h.getModelStatus()
        dual = float(info.mip_dual_bound)
        out["bound"] = bound + dual if math.isfinite(dual) else math.inf
        out["large_bound"] = dual if math.isfinite(dual) else math.inf
        if info.primal_solution_status < 2:
            return None, ["budget"] if budget else ["no_solution"]
        values = h.getSolution().col_value
        for g, cols in choice.items():
            k = int(np.argmax([values[col] for col in cols]))
            for j, c in enumerate(vectors[g].cols):
                if vectors[g].seats[k, j]:
                    plan.seats[(g, c)] = int(vectors[g].seats[k, j])
        for pair, col in x_of.items():
            if round(values[col]) > 0:
                plan.seats[pair] = round(values[col])
                out.setdefault("large_seats", {})[pair] = round(values[col])
        if price:
            return None, ["priced"]  # a subproblem of the Lagrangian: its bound and seats are all it gives
        bound += dual if math.isfinite(dual) else math.inf
        if model_status != highspy.HighsModelStatus.kOptimal:
            status = "interrupted" if should_stop is not None and should_stop() else "time_limit"
    plan.sessions = _fewest_sessions(inst, plan)
    figures = evaluate(inst, plan)
    if not figures.feasible:
        return None, figures.violations  # over the budget, or short of a minimum to run (the full model keeps it)
    plan.status = status
    plan.bound = bound if math.isfinite(bound) else None
    plan.gap = max(bound - figures.value, 0.0) / max(abs(figures.value), EPS) if math.isfinite(bound) else 1.0
    if figures.value == 0 and bound <= EPS:
        plan.gap = 0.0
    plan.funding = fund(inst, plan)
    return plan, []


def _seat_formulation(inst, m: _Model, large: list[int], budget_terms, ps_terms, paid_per_session, *,
                      price: float = 0.0) -> dict:
    """The groups too large to enumerate, as in the full model: seats per program, levels closed capped at the gap,
    the hours cap and the prerequisites (each seat priced at ``price`` per euro it costs, when asked)."""
    inf = math.inf
    x_of: dict[tuple[int, int], int] = {}
    large_set = set(large)
    for g, c in inst.pairs():
        if g not in large_set:
            continue
        lo = inst.lower.get((g, c), 0)
        course = inst.courses[c]
        seat_cost = course.cost / max(course.capacity, 1) if c in paid_per_session else (
            0.0 if course.per_session else course.cost)
        x_of[(g, c)] = m.col(lo, lo if inst.too_long(g, c) else inst.groups[g].size, -price * seat_cost, True)
        if course.cost and not course.per_session:
            budget_terms.append((x_of[(g, c)], course.cost))
        if c in paid_per_session:
            ps_terms[c].append((x_of[(g, c)], 1.0))
    closes_into: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for (g, c), items in inst.closes.items():
        if g in large_set:
            for r, levels in items:
                closes_into[(g, r)].append((x_of[(g, c)], float(levels)))
    for (g, r), terms in closes_into.items():
        req = inst.groups[g].requirements[r]
        if sum(lv for _col, lv in terms) <= req.gap:
            for col, lv in terms:
                m.obj[col] += req.coef * lv
            continue
        w = m.col(0, req.gap * inst.groups[g].size, req.coef, False)
        m.rows.append(([w] + [t[0] for t in terms], [1.0] + [-t[1] for t in terms], -inf, 0))
    by_group: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (g, c), col in x_of.items():
        by_group[g].append((c, col))
        for q in inst.courses[c].prerequisites:
            if (g, q) not in inst.meets:
                m.rows.append(([col, x_of[(g, q)]], [1.0, -1.0], -inf, 0))
    if inst.hours_cap:
        for g, items in by_group.items():
            m.rows.append(([col for _c, col in items], [inst.courses[c].hours for c, _col in items], -inf,
                           inst.hours_cap * inst.groups[g].size))
    return x_of


def _highs(m: _Model, seconds: float, mip_gap: float, should_stop, deadline: float):
    import highspy

    from programs.services.optimiser_milp import PRESOLVE_RULE_DOUBLETON_EQUATION

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(seconds, 0.1)))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    h.setOptionValue("presolve_rule_off", PRESOLVE_RULE_DOUBLETON_EQUATION)  # see optimiser_milp.solve
    n = len(m.lo)
    h.addCols(n, np.array(m.obj, dtype=np.float64), np.array(m.lo, dtype=np.float64),
              np.array(m.hi, dtype=np.float64), 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32),
              np.array([], dtype=np.float64))
    starts, index, value, lower, upper = [], [], [], [], []
    for cols, vals, lo, hi in m.rows:
        starts.append(len(index))
        index.extend(cols)
        value.extend(vals)
        lower.append(lo)
        upper.append(hi)
    inf = highspy.kHighsInf
    h.addRows(len(lower), np.array([max(v, -inf) for v in lower], dtype=np.float64),
              np.array([min(v, inf) for v in upper], dtype=np.float64), len(index),
              np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32), np.array(value, dtype=np.float64))
    if m.integer:
        h.changeColsIntegrality(len(m.integer), np.array(m.integer, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * len(m.integer)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def interrupt(_kind, _message, _data_out, data_in, _user):
        if time.monotonic() > deadline or (should_stop is not None and should_stop()):
            data_in.user_interrupt = True

    h.setCallback(interrupt, None)
    h.startCallback(highspy.cb.HighsCallbackType.kCallbackMipInterrupt)
    return h


def _start(inst: Instance, start: Plan, m: _Model, vectors, choice, x_of, y_of):
    """``start`` (a feasible plan, the greedy's) as a solution of R: each group takes a kept vector at least as good
    as its seats there (one exists: only beaten vectors were dropped)."""
    import highspy

    vec = np.zeros(len(m.lo))
    for g, cols in choice.items():
        v = vectors[g]
        mine = np.array([start.seats.get((g, c), 0) for c in v.cols])
        found = _beating(inst, g, v, mine)
        vec[cols[found]] = 1
    for pair, col in x_of.items():
        vec[col] = start.seats.get(pair, 0)
    for c, col in y_of.items():
        vec[col] = start.sessions.get(c, 0)
    solution = highspy.HighsSolution()
    solution.col_value = list(vec)
    solution.value_valid = True
    return solution


def _beating(inst: Instance, g: int, v: _Vectors, mine: np.ndarray) -> int:
    group = inst.groups[g]
    value = sum(req.coef * min(sum(lv * mine[v.cols.index(c)] for c in v.cols
                                   for r2, lv in inst.closes.get((g, c), []) if r2 == r), req.gap * group.size)
                for r, req in enumerate(group.requirements))
    cost = sum(inst.courses[c].cost * mine[j] for j, c in enumerate(v.cols) if not inst.courses[c].per_session)
    ps = [j for j, c in enumerate(v.cols) if inst.courses[c].per_session and inst.courses[c].cost > 0]
    ok = (v.value >= value - EPS) & (v.cost <= cost + EPS)
    if ps:
        ok &= np.all(v.seats[:, ps] <= mine[ps], axis=1)
    return int(np.argmax(ok)) if ok.any() else 0


def _fewest_sessions(inst: Instance, plan: Plan) -> dict[int, int]:
    """New sessions per course: the fewest that hold its seats (the cheapest, and the easiest minimum to reach)."""
    per_course: dict[int, int] = defaultdict(int)
    for (_g, c), n in plan.seats.items():
        per_course[c] += n
    out = {}
    for c, course in enumerate(inst.courses):
        need = math.ceil((per_course[c] + course.fixed_seats) / max(course.capacity, 1)) - course.fixed_sessions
        sessions = max(need, inst.min_sessions.get(c, 0), 0)
        if sessions:
            out[c] = sessions
    return out
