"""The optimiser's answer when the budget binds at scale: a Lagrangian relaxation of the budget over each group's kept
seat vectors (``optimiser_bundles``), which gives in a few seconds a bound, a plan within the budget, and the vectors
that cannot be in a better plan (so HiGHS gets only what remains).

Which relaxation it bounds. R (``optimiser_bundles``) chooses one kept vector per enumerated group, seats for the
groups too large to enumerate, and new sessions ``y_c`` of the programs paid per session, under the budget row
(cost of seats paid per seat + cost × ``y_c`` ≤ room) and one capacity row per program paid per session
(its seats − capacity × ``y_c`` ≤ the room left in its planned sessions). BOTH are dualised: the budget with λ ≥ 0
and each capacity row with μ_c = λ × cost_c / capacity_c ≥ 0 (a seat's share of a session), which makes the
coefficient of ``y_c`` zero. For every λ ≥ 0 this gives

    L(λ) = Σ_enumerated groups max_k (value_k − λ × price_k) + λ × (room + Σ_c cost_c / capacity_c × free_c) + U_large

where price_k is the vector's cost plus its seats' shares of sessions, free_c the capacity row's right-hand side,
and U_large a bound of the groups too large to enumerate: either the one HiGHS proved for them with no budget at
all (their subproblem at λ = 0, a bound of it at every λ ≥ 0 since prices are ≥ 0), or the one it proves for
their subproblem at that λ (their seats priced the same way, ``large_priced``; at 250 000 employees they hold half
the weighted gap, so this is what makes the bound close). L(λ) ≥ the optimum of R for every λ ≥ 0 (weak duality),
and R is a relaxation of the plan's model, so L(λ) bounds the real problem; the smallest L(λ) over the λ tried is
reported. Not relaxed: nothing else; the minimum to run and the funding sources' own budgets are outside R, and
every plan is checked against them by ``evaluate``.

The plans. At a λ each group takes its best vector (the cheapest of equal reduced value); the plan's true cost
(sessions opened whole, as ``evaluate`` counts them) falls as λ grows, so bisection finds the smallest λ whose plan
fits the budget; the budget left is then filled by the upgrades of best value per euro. The groups too large to
enumerate keep a fixed allocation (their priced optimum at the λ found, their no-budget optimum, the greedy's, or
only what is already fixed), each tried. Every plan is checked with ``evaluate``.

What remains. A vector k of group g can be in a plan better than the best found only if
L(λ) − (best_g(λ) − (value_k − λ × price_k)) > that plan's value; the others are dropped (Lagrangian reduced-cost
fixing) before HiGHS is given the rest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from programs.services.optimiser_milp import EPS, Instance, Plan, evaluate

BISECTIONS = 40
PRICED_ROUNDS = 6  # the large groups' subproblem solved at the λ found, then at the λ their allocation gives (at
# 250 000 employees: 3 rounds close the gap to 0.9 %, 6 to 0.25 %, about 2 s each)


@dataclass
class Lagrangian:
    bound: float  # the best L(λ): an upper bound of the plan's model
    lam: float  # the λ that gave it
    plan: Plan | None = None  # the best plan within the budget found (``evaluate`` feasible), or None
    value: float = -math.inf
    steps: int = 0
    keep: dict[int, np.ndarray] = field(default_factory=dict)  # per group: the vectors HiGHS still needs
    chosen: np.ndarray | None = None  # the plan's vector per group (indices into the concatenated vectors)


class _Flat:
    """The enumerated groups with a choice, their kept vectors concatenated (group by group)."""

    def __init__(self, inst: Instance, vectors: dict, paid_per_session: list[int]) -> None:
        self.inst = inst
        self.ps = paid_per_session
        where = {c: i for i, c in enumerate(paid_per_session)}
        self.groups = [g for g, v in vectors.items() if len(v.value) > 1]
        self.vectors = vectors
        counts = np.array([len(vectors[g].value) for g in self.groups], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.counts = counts
        self.gid = np.repeat(np.arange(len(self.groups)), counts)
        self.value = np.concatenate([vectors[g].value for g in self.groups]) if self.groups else np.zeros(0)
        self.cost = np.concatenate([vectors[g].cost for g in self.groups]) if self.groups else np.zeros(0)
        self.seats_ps = np.zeros((len(self.value), len(paid_per_session)))
        for i, g in enumerate(self.groups):
            v = vectors[g]
            js = [(j, where[c]) for j, c in enumerate(v.cols) if c in where]
            if js:
                rows = slice(int(self.starts[i]), int(self.starts[i] + counts[i]))
                self.seats_ps[rows, [p for _j, p in js]] = v.seats[:, [j for j, _p in js]]
        courses = [inst.courses[c] for c in paid_per_session]
        self.session_cost = np.array([c.cost for c in courses])
        self.capacity = np.array([max(c.capacity, 1) for c in courses], dtype=float)
        self.fixed_seats = np.array([c.fixed_seats for c in courses], dtype=float)
        self.fixed_sessions = np.array([c.fixed_sessions for c in courses], dtype=float)
        self.min_sessions = np.array([inst.min_sessions.get(c, 0) for c in paid_per_session], dtype=float)
        self.price = self.cost + self.seats_ps @ (self.session_cost / self.capacity)

    def pick(self, lam: float) -> tuple[np.ndarray, np.ndarray]:
        """Each group's best reduced value at λ, and the vector taken (the cheapest of the best)."""
        if not self.groups:
            return np.zeros(0), np.zeros(0, dtype=np.int64)
        red = self.value - lam * self.price
        best = np.maximum.reduceat(red, self.starts)
        ok = red >= np.repeat(best, self.counts) - 1e-9 * (1 + np.abs(red))
        key = np.where(ok, self.price, np.inf)
        cheapest = np.minimum.reduceat(key, self.starts)
        idx = np.flatnonzero(ok & (key <= np.repeat(cheapest, self.counts)))
        g_of = self.gid[idx]
        first = idx[np.concatenate([[True], g_of[1:] != g_of[:-1]])] if len(idx) else idx
        return best, first

    def sessions(self, ps_seats: np.ndarray) -> np.ndarray:
        need = np.ceil((ps_seats + self.fixed_seats) / self.capacity - 1e-9) - self.fixed_sessions
        return np.maximum(np.maximum(need, self.min_sessions), 0)


def lagrangian(inst: Instance, vectors: dict, *, paid_per_session: list[int], large_bound: float,
               allocations: list[dict[tuple[int, int], int]], incumbent: float = -math.inf,
               large_priced: Callable[[float], tuple[float, dict] | None] | None = None,
               deadline: float = math.inf) -> Lagrangian:
    """The bound, the best plan within the budget, and the vectors that may still do better (see the module).

    ``large_bound``: a bound of the groups too large to enumerate without prices; ``large_priced(λ)``: their
    subproblem at λ solved (its bound and its allocation), or None when there is no time left for it. After
    ``deadline`` (``time.monotonic``) no further allocation is tried once a plan is found."""
    from programs.services.optimiser_bundles import _fewest_sessions

    flat = _Flat(inst, vectors, paid_per_session)
    allowed = inst.allowed_total()
    const_value = const_cost = 0.0
    const_ps = np.zeros(len(paid_per_session))
    const_seats: dict[tuple[int, int], int] = {}
    where = {c: i for i, c in enumerate(paid_per_session)}
    for g, v in vectors.items():
        if len(v.value) != 1:
            continue
        const_value += float(v.value[0])
        const_cost += float(v.cost[0])
        for j, c in enumerate(v.cols):
            if v.seats[0, j]:
                const_seats[(g, c)] = int(v.seats[0, j])
                if c in where:
                    const_ps[where[c]] += v.seats[0, j]
    free = flat.capacity * flat.fixed_sessions - flat.fixed_seats - const_ps
    room = allowed - const_cost + float(free @ (flat.session_cost / flat.capacity))

    out = Lagrangian(bound=math.inf, lam=0.0)

    def price_of(large: dict[tuple[int, int], int]) -> float:
        """What the large groups' allocation spends, at a λ of 1 (seats paid per seat, shares of sessions)."""
        spent = 0.0
        for (_g, c), n in large.items():
            course = inst.courses[c]
            if c in where:
                spent += n * course.cost / max(course.capacity, 1)
            elif not course.per_session:
                spent += n * course.cost
        return spent

    def bound_at(lam: float, large_bound: float, large_spend: float) -> float:
        best, first = flat.pick(lam)
        value = const_value + float(best.sum()) + lam * room + large_bound
        out.steps += 1
        if value < out.bound:
            out.bound, out.lam = value, lam
        return float(room - flat.price[first].sum() - large_spend)  # a subgradient of L at λ

    def search(large_bound: float, large_spend: float) -> float:
        """The λ where L's subgradient changes sign (L is convex and piecewise linear in λ), by bisection."""
        lo, hi = 0.0, 1.0
        while bound_at(hi, large_bound, large_spend) < 0 and hi < 1e12:
            lo, hi = hi, hi * 4
        for _ in range(BISECTIONS):
            mid = (lo + hi) / 2
            if bound_at(mid, large_bound, large_spend) < 0:
                lo = mid
            else:
                hi = mid
        return hi

    # the bound: first with the large groups' bound without prices (valid at every λ), then with their priced
    # subproblem solved at the λ found (by HiGHS, ``large_priced``), which also gives them an allocation to try
    finite = large_bound if math.isfinite(large_bound) else 0.0
    lam = search(finite, price_of(allocations[0]) if allocations else 0.0)
    if not math.isfinite(large_bound):
        out.bound = math.inf
    allocations = list(allocations)
    for _ in range(PRICED_ROUNDS if large_priced is not None else 0):
        priced = large_priced(lam)  # type: ignore[misc]
        if priced is None:
            break
        u, large = priced
        allocations.insert(0, large)
        if math.isfinite(u):
            bound_at(lam, u, 0.0)
        lam = search(finite, price_of(large))

    # the plans: for each allocation of the large groups, the smallest λ whose plan fits, then the upgrades
    for large in allocations:
        if out.plan is not None and time.monotonic() > deadline:
            break
        large_cost = sum(inst.courses[c].cost * n for (_g, c), n in large.items() if not inst.courses[c].per_session)
        large_ps = np.zeros(len(paid_per_session))
        for (_g, c), n in large.items():
            if c in where:
                large_ps[where[c]] += n
        base_cost = const_cost + large_cost
        base_ps = const_ps + large_ps

        def true_cost(first: np.ndarray, base_cost=base_cost, base_ps=base_ps) -> float:
            ps = base_ps + flat.seats_ps[first].sum(axis=0)
            return base_cost + float(flat.cost[first].sum()) + float(flat.session_cost @ flat.sessions(ps))

        lo, hi = 0.0, max(out.lam, 1.0)
        while true_cost(flat.pick(hi)[1]) > allowed + EPS and hi < 1e12:
            lo, hi = hi, hi * 4
        first = flat.pick(hi)[1]
        if true_cost(first) > allowed + EPS:
            continue
        for _ in range(BISECTIONS):
            mid = (lo + hi) / 2
            trial = flat.pick(mid)[1]
            if true_cost(trial) > allowed + EPS:
                lo = mid
            else:
                hi, first = mid, trial
        chosen = _fill(flat, first, allowed - true_cost(first), base_ps)
        plan = Plan(sessions={}, seats={**const_seats, **{k: n for k, n in large.items() if n > 0}})
        for i, k in enumerate(chosen):
            g = flat.groups[i]
            v = vectors[g]
            k_local = int(k - flat.starts[i])
            for j, c in enumerate(v.cols):
                if v.seats[k_local, j]:
                    plan.seats[(g, c)] = int(v.seats[k_local, j])
        plan.sessions = _fewest_sessions(inst, plan)
        figures = evaluate(inst, plan)
        if figures.feasible and figures.value > out.value:
            out.plan, out.value = plan, figures.value
            out.chosen = chosen

    # what remains: the vectors that may still be in a plan better than the best known
    best_known = max(out.value, incumbent)
    if math.isfinite(out.bound) and math.isfinite(best_known):
        red = flat.value - out.lam * flat.price
        best, _first = flat.pick(out.lam)
        loss = np.repeat(best, flat.counts) - red
        may = loss <= out.bound - best_known + 1e-6 * max(abs(out.bound), 1.0)
        if out.chosen is not None:
            may[out.chosen] = True
        for i, g in enumerate(flat.groups):
            s, n = int(flat.starts[i]), int(flat.counts[i])
            out.keep[g] = np.flatnonzero(may[s:s + n])
    return out


def _fill(flat: _Flat, first: np.ndarray, left: float, base_ps: np.ndarray) -> np.ndarray:
    """Spend the budget ``left`` on the upgrades (a group's vector of more value) of best value per euro, each
    taken when its true cost (sessions opened whole) still fits."""
    chosen = first.copy()
    if left <= EPS or not len(first):
        return chosen
    base = np.repeat(first, flat.counts)
    gain = flat.value - flat.value[base]
    extra = flat.price - flat.price[base]
    candidates = np.flatnonzero((gain > EPS) & (extra <= left + EPS))
    if not len(candidates):
        return chosen
    ratio = gain[candidates] / np.maximum(extra[candidates], 1e-9)
    order = candidates[np.argsort(-ratio, kind="stable")]
    ps = base_ps + flat.seats_ps[first].sum(axis=0)
    sessions = flat.sessions(ps)
    for k in order:
        i = int(flat.gid[k])
        now = chosen[i]
        if flat.value[k] <= flat.value[now] + EPS:
            continue
        delta = flat.seats_ps[k] - flat.seats_ps[now]
        cost = float(flat.cost[k] - flat.cost[now])
        if delta.any():
            new_ps = ps + delta
            new_sessions = flat.sessions(new_ps)
            cost += float(flat.session_cost @ (new_sessions - sessions))
        if cost <= left + EPS:
            chosen[i] = k
            left -= cost
            if delta.any():
                ps, sessions = new_ps, new_sessions
    return chosen
