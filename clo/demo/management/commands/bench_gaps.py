"""``manage.py bench_gaps --employees N``: seed (or reuse) an organisation of N employees, then measure the floor,
the full run and incremental refreshes, and print ONE JSON line (see ``clo.demo.gaps_bench``)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clo.demo import benchdata


class Command(BaseCommand):
    help = (
        "Benchmark the gap engine on an organisation of N employees: floor (one aggregate statement), full run, "
        "incremental refreshes; prints one JSON line. Seeds the organisation if the database has none; reuses it if "
        "it has N employees; refuses otherwise unless --reset (which deletes the organisation and its data)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--seed", type=int, default=benchdata.DEFAULT_SEED, help="random seed of the generated organisation")
        parser.add_argument("--refreshes", type=int, default=200, help="incremental refreshes to time (default 200)")
        parser.add_argument("--reset", action="store_true",
                            help="delete the organisation, evidence and results first (destructive)")
        parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, employees: int, seed: int, refreshes: int, reset: bool, seed_only: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_gaps writes synthetic data; it does not run with DJANGO_ENV=production.")
        from django.db import connection

        if connection.vendor != "postgresql":
            raise CommandError("bench_gaps measures PostgreSQL (its floor uses GROUPING SETS): set DATABASE_URL.")
        if employees < benchdata.MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {benchdata.MIN_EMPLOYEES}.")
        if seed_only:
            self._seed(employees, seed, reset=reset)
            return
        from clo.people.models import Employee

        existing = Employee.objects.count()
        extra: dict = {}
        if reset or existing == 0:
            # In a child process, so that its memory does not count in this process's peak RSS.
            started = time.perf_counter()
            command = [sys.executable, "-m", "django", "bench_gaps", "--seed-only", "--employees", str(employees),
                       "--seed", str(seed)] + (["--reset"] if reset else [])
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "clo.settings")}
            result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"seeding failed:\n{result.stdout}\n{result.stderr}")
            extra["seed_and_build_s"] = round(time.perf_counter() - started, 1)
        elif existing != employees:
            raise CommandError(
                f"The database holds {existing} employees, not {employees}: pass --reset to replace them "
                "(this deletes the organisation and everything that refers to it)."
            )
        from clo.demo.gaps_bench import run_benchmark

        figures = run_benchmark(refreshes=refreshes, seed=seed)
        self.stdout.write(json.dumps({**figures, **extra}))

    def _seed(self, employees: int, seed: int, *, reset: bool) -> None:
        # The current levels come from the evidence, through the engine's complete consolidation.
        benchdata.build(employees=employees, seed=seed, reset_first=reset,
                        log=lambda message: self.stderr.write(message))
