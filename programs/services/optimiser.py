"""Writes of the annual-plan optimiser: asking for a proposal (a job row, queued), running it (build the instance,
the greedy and first-come baselines, the optimiser within its time limit, the budget curve, the explanations),
cancelling it, and accepting its items into the year's plan as plan actions."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.jobs import NOT_QUEUED
from clo.core.tasks import queue_on_commit
from programs.models import PlanAction, PlanProposal, ProposalItem, TrainingPlan
from programs.services.optimiser_milp import SOURCES, Instance, Plan, evaluate, fcfs, greedy, solve

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CURVE = (50, 75, 100, 125, 150)  # % of the budget
LEFT_OUT = 10  # the best actions left out that the page explains
NO_CATALOGUE = "no_catalogue"
NO_GAPS = "no_gaps"
INFEASIBLE = "infeasible"  # codes: the page says them in the reader's language


@transaction.atomic
def proposal_request(*, actor: User, **inputs) -> PlanProposal:
    """A new proposal with ``inputs`` (the model's fields: year, budgets, bonus, factor, hours cap, coverage, time
    limit), queued for a worker once this transaction commits."""
    from programs.tasks import plan_optimiser_run

    proposal = PlanProposal(requested_by=actor, **inputs)
    proposal.full_clean()
    given = [getattr(proposal, f"budget_{s}") or 0 for s in SOURCES]
    if any(given) and sum(given) < proposal.budget:
        raise ValidationError({"budget": _("The funding sources add up to less than the budget: raise them, or "
                                           "lower the budget to their sum.")})
    proposal.save()
    queue_on_commit(plan_optimiser_run, proposal.pk, release=partial(_release, proposal.pk))
    return proposal


def _release(pk: int) -> None:
    PlanProposal.fail(pk, NOT_QUEUED, only_if=PlanProposal.Status.PENDING)


def proposal_cancel(*, proposal: PlanProposal) -> None:
    """Stop a proposal: a pending one at once; a running one at the solver's next check, keeping the best plan
    found so far."""
    PlanProposal.objects.filter(pk=proposal.pk, status=PlanProposal.Status.PENDING).update(
        status=PlanProposal.Status.CANCELLED, finished_at=timezone.now())
    PlanProposal.objects.filter(pk=proposal.pk, status=PlanProposal.Status.RUNNING).update(cancel_requested=True)


def _progress(pk: int, percent: int) -> None:
    PlanProposal.objects.filter(pk=pk).update(progress=percent)


def _cancelled(pk: int) -> Callable[[], bool]:
    checked = [0.0, False]

    def ask() -> bool:
        now = time.monotonic()
        if now - checked[0] > 1:
            checked[0] = now
            checked[1] = PlanProposal.objects.filter(pk=pk, cancel_requested=True).exists()
        return bool(checked[1])

    return ask


def proposal_run(*, proposal_id: int) -> None:
    """The job: claim the row, read the inputs, solve, store the figures and the items. Safe to run twice (a row
    already claimed or finished is left alone)."""
    from programs.selectors.optimiser import build_instance

    if not PlanProposal.claim(proposal_id, progress=0):
        return
    proposal = PlanProposal.objects.get(pk=proposal_id)
    try:
        outcome = run(proposal, build_instance, should_stop=_cancelled(proposal_id),
                      progress=partial(_progress, proposal_id))
    except Exception as exc:
        PlanProposal.fail(proposal_id, exc)
        raise
    _store(proposal, *outcome)


def run(proposal: PlanProposal, build, *, should_stop=None, progress=lambda _p: None) -> tuple:
    """Build and solve ``proposal`` (no writes): (instance, names, plans, result)."""
    began = time.monotonic()
    inputs_as_of = timezone.now()
    inst, names = build(proposal)
    built = time.monotonic() - began
    progress(15)
    result: dict = {"inputs_as_of": inputs_as_of.isoformat(), "groups": len(inst.groups),
                    "people": sum(g.size for g in inst.groups), "programs": len(inst.courses),
                    "build_seconds": round(built, 2)}
    if not inst.courses:
        return inst, names, {}, {**result, "message": NO_CATALOGUE}
    if not inst.closes:
        return inst, names, {}, {**result, "message": NO_GAPS}
    base = greedy(inst)
    first = fcfs(inst)
    progress(25)
    limit = float(proposal.time_limit)
    best = solve(inst, time_limit=limit * 0.6, start=base if evaluate(inst, base).feasible else None,
                 should_stop=should_stop)
    progress(70)
    if best.status in ("infeasible", "no_solution"):
        return inst, names, {}, {**result, "message": INFEASIBLE}
    solved = best
    if evaluate(inst, base).feasible and evaluate(inst, base).value > evaluate(inst, best).value:
        base.gap, base.status, base.seconds = best.gap, best.status, best.seconds  # never worse than the greedy
        best = base
    result["solve_seconds"] = round(best.seconds, 2)
    result["gap"] = round(best.gap, 6)
    result["status"] = best.status
    result["variables"], result["constraints"] = solved.size
    result["groups_decided"] = solved.decided
    result["greedy_seconds"] = round(base.seconds, 2)
    result["methods"] = {name: _figures(inst, plan) for name, plan in
                         (("optimiser", best), ("greedy", base), ("fcfs", first))}
    result["curve"] = _curve(inst, best, limit * 0.4, should_stop, progress)
    result["left_out"] = _left_out(inst, best, names)
    return inst, names, {"optimiser": best}, result


def _figures(inst: Instance, plan: Plan) -> dict:
    f = evaluate(inst, plan)
    return {"value": round(f.value, 2), "cost": f.cost, "people": f.people, "critical": f.critical,
            "feasible": f.feasible}


def _curve(inst: Instance, best: Plan, seconds: float, should_stop, progress) -> list[dict]:
    """Weighted gap closed at 50–150 % of the budget (each point solved again, within its share of the time)."""
    points = []
    base_budget, base_budgets = inst.budget, dict(inst.budgets)
    for i, percent in enumerate(CURVE):
        if percent == 100:
            value = evaluate(inst, best).value
        else:
            inst.budget = base_budget * percent / 100
            inst.budgets = {s: v * percent / 100 for s, v in base_budgets.items()}
            start = greedy(inst)
            plan = solve(inst, time_limit=max(seconds / (len(CURVE) - 1), 0.5),
                         start=start if evaluate(inst, start).feasible else None, should_stop=should_stop)
            value = evaluate(inst, plan).value if plan.seats else 0.0
        points.append({"percent": percent, "budget": round(base_budget * percent / 100, 2),
                       "value": round(value, 2)})
        progress(70 + 6 * (i + 1))
    inst.budget, inst.budgets = base_budget, base_budgets
    return points


def _left_out(inst: Instance, plan: Plan, names) -> list[dict]:
    """The best seats the plan does not take, by weighted gap per euro, each with the reason: the hours cap of its
    people, a full session that the budget cannot open again, or the budget."""
    figures = evaluate(inst, plan)
    room = inst.allowed_total() - figures.cost
    hours: dict[int, float] = defaultdict(float)
    per_course: dict[int, int] = defaultdict(int)
    for (g, c), n in plan.seats.items():
        hours[g] += n * inst.courses[c].hours
        per_course[c] += n
    rows = []
    for (g, c), items in inst.closes.items():
        group, course = inst.groups[g], inst.courses[c]
        if plan.seats.get((g, c), 0) >= group.size:
            continue
        value = sum(group.requirements[r].coef * lv for r, lv in items)
        seat_cost = course.cost / max(course.capacity, 1) if course.per_session else course.cost
        if inst.too_long(g, c) or (inst.hours_cap and hours[g] + course.hours > inst.hours_cap * group.size):
            reason = "hours"
        elif course.per_session and per_course[c] + course.fixed_seats >= course.capacity * (
                plan.sessions.get(c, 0) + course.fixed_sessions) and course.cost > room:
            reason = "capacity"
        else:
            reason = "budget"
        unit = group.spread(plan.seats.get((g, c), 0) + 1)[-1][0]  # the unit of the next person left out
        rows.append({"program": course.key, "title": course.title, "unit": names.units.get(unit, unit),
                     "unit_id": unit, "people": group.size - plan.seats.get((g, c), 0), "value": round(value, 2),
                     "per_unit": round(seat_cost / value, 2) if value else None, "reason": reason})
    rows.sort(key=lambda r: (r["per_unit"] if r["per_unit"] is not None else math.inf, -r["value"]))
    return rows[:LEFT_OUT]


@transaction.atomic
def _store(proposal: PlanProposal, inst: Instance, names, plans: dict, result: dict) -> None:
    best = plans.get("optimiser")
    items = []
    if best is not None:
        by_course: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (g, c), n in best.seats.items():
            by_course[c].append((g, n))
        for c, seats in by_course.items():
            course = inst.courses[c]
            closed: dict[int, float] = defaultdict(float)
            units: dict[int, int] = defaultdict(int)
            value = 0.0
            for g, n in seats:
                for unit, m in inst.groups[g].spread(n):
                    units[unit] += m
                for r, lv in inst.closes.get((g, c), []):
                    req = inst.groups[g].requirements[r]
                    closed[req.competency] += lv * n
                    value += req.coef * lv * n
            cost = sum(best.funding.get(c, {}).values())
            items.append(ProposalItem(
                proposal=proposal, program_id=course.key, sessions=best.sessions.get(c, 0) + course.fixed_sessions,
                seats=sum(n for _g, n in seats), cost=Decimal(str(round(cost, 2))), value=round(value, 2),
                funding={s: round(v, 2) for s, v in best.funding.get(c, {}).items()},
                fixed=any((g, c) in inst.lower for g, _n in seats),
                detail={"closes": sorted(([names.competencies.get(k, str(k)), v] for k, v in closed.items()),
                                          key=lambda kv: -kv[1]),
                        "units": sorted(([names.units.get(k, str(k)), v] for k, v in units.items()),
                                        key=lambda kv: -kv[1]),
                        "allocation": {inst.groups[g].key: n for g, n in seats}},
            ))
    ProposalItem.objects.bulk_create(items)
    cancelled = PlanProposal.objects.filter(pk=proposal.pk, cancel_requested=True).exists()
    PlanProposal.complete(proposal.pk, progress=100, result=result,
                          inputs_as_of=dt.datetime.fromisoformat(result["inputs_as_of"]))
    if cancelled:
        PlanProposal.objects.filter(pk=proposal.pk).update(status=PlanProposal.Status.CANCELLED)


@transaction.atomic
def proposal_accept(*, proposal: PlanProposal, item_ids: list[int], actor: User, now: dt.datetime) -> list[PlanAction]:
    """Accept the chosen items into the year's plan (a draft): each becomes one plan action per funding source of its
    cost, which the learning office edits afterwards as any other; a re-run keeps them fixed."""
    from programs.services.annual_plan import plan_get_or_create

    if proposal.status != PlanProposal.Status.DONE:
        raise ValidationError(_("Only a finished proposal can be accepted."))
    items = list(proposal.items.select_for_update().select_related("program").filter(
        pk__in=item_ids, accepted_at__isnull=True))
    if not items:
        raise ValidationError(_("Choose at least one action that is not accepted yet."))
    plan = TrainingPlan.objects.select_for_update().get(pk=plan_get_or_create(year=proposal.year).pk)
    if plan.status != TrainingPlan.Status.DRAFT:
        raise ValidationError(_("The %(year)s plan is %(status)s: it can no longer change.")
                              % {"year": plan.year, "status": plan.get_status_display().lower()})
    actions = []
    for item in items:
        shares = [(s, Decimal(str(v))) for s, v in item.funding.items() if v] or [(PlanAction.Funding.OWN, item.cost)]
        total = sum((v for _s, v in shares), Decimal(0)) or Decimal(1)
        for source, amount in shares:
            action = PlanAction(
                plan=plan, program=item.program, title=item.program.title[:200], estimated_cost=amount,
                estimated_hours=item.program.hours * item.sessions,
                estimated_participants=round(item.seats * amount / total), funding=source,
            )
            action.full_clean()
            action.save()
            item.plan_actions.add(action)
            actions.append(action)
        item.accepted_at, item.accepted_by = now, actor
        item.save(update_fields=["accepted_at", "accepted_by"])
    return actions
