"""``manage.py bench_plan_optimizer --employees N``: seed (or reuse) the demo council of N employees, run the gap
analysis if no run is stored, then build and solve a plan proposal for next year as the job does (optimiser, greedy
and first-come baselines, budget curve) and print ONE JSON line: the time to build the instance and to solve it, the
optimality gap, the weighted gap closed by each method with the ratios optimiser/greedy and optimiser/FCFS (the
baselines are the floor, measured in the same run), the model HiGHS was given and the groups decided exactly
outside it, the greedy's time (the timing floor of the same run) and the peak RSS."""

from __future__ import annotations

import json
import resource
import time
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Benchmark the annual-plan optimiser on the demo council and print one JSON line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--seed", type=int, default=42, help="random seed of the generated organisation")
        parser.add_argument("--budget", type=Decimal, default=None,
                            help="budget in euros (default: next year's plan's, or 20 € per employee)")
        parser.add_argument("--time-limit", type=int, default=120, help="seconds for the whole solve (default 120)")

    def handle(self, *args, employees: int, seed: int, budget: Decimal | None, time_limit: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_plan_optimizer writes demo data; it does not run with DJANGO_ENV=production.")
        from clo.people.models import Employee
        from evaluations.gaps import selectors as gaps
        from evaluations.gaps.services import gaps_full_run
        from programs.models import PlanProposal, TrainingPlan
        from programs.selectors.optimiser import build_instance
        from programs.services.optimiser import run

        existing = Employee.objects.count()
        extra = {}
        if existing == 0:
            started = time.perf_counter()
            call_command("seed_demo", employees=employees, seed=seed, verbosity=0)
            extra["seed_s"] = round(time.perf_counter() - started, 1)
        elif abs(existing - employees) > max(employees // 20, 50):
            raise CommandError(f"The database holds {existing} employees, not about {employees}: use another "
                               "database, or seed_demo --reset --employees N first.")
        if gaps.latest_run() is None:
            started = time.perf_counter()
            gaps_full_run(full_consolidation=True)
            extra["gap_run_s"] = round(time.perf_counter() - started, 1)
        year = timezone.localdate().year + 1
        plan = TrainingPlan.objects.filter(year=year).first()
        if budget is None:
            budget = plan.budget if plan and plan.budget else Decimal(employees * 20)
        proposal = PlanProposal(year=year, budget=budget, time_limit=time_limit)
        started = time.perf_counter()
        _inst, _names, _plans, result = run(proposal, build_instance)
        total = time.perf_counter() - started
        methods = result.get("methods", {})
        value = {name: methods.get(name, {}).get("value") for name in ("optimiser", "greedy", "fcfs")}

        def ratio(other: str) -> float | None:
            return round(value["optimiser"] / value[other], 3) if value["optimiser"] and value[other] else None

        print(json.dumps({
            "employees": Employee.objects.filter(active=True).count(), "vendor": connection.vendor, **extra,
            "budget": float(budget), "people_with_gap": result.get("people"), "groups": result.get("groups"),
            "programs": result.get("programs"), "variables": result.get("variables"),
            "constraints": result.get("constraints"), "groups_decided_outside_highs": result.get("groups_decided"),
            "build_s": result.get("build_seconds"), "solve_s": result.get("solve_seconds"),
            "build_and_solve_s": round((result.get("build_seconds") or 0) + (result.get("solve_seconds") or 0), 2),
            "with_curve_s": round(total, 2), "greedy_s": result.get("greedy_seconds"),
            "solve_to_greedy_time": (round(result["solve_seconds"] / result["greedy_seconds"], 1)
                                     if result.get("greedy_seconds") and result.get("solve_seconds") else None), "status": result.get("status"), "message": result.get("message"),
            "optimality_gap": result.get("gap"), "weighted_gap_closed": value,
            "cost": {name: methods.get(name, {}).get("cost") for name in value},
            "ratio_optimiser_greedy": ratio("greedy"), "ratio_optimiser_fcfs": ratio("fcfs"),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }))
