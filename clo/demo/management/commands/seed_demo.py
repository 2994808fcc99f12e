"""``manage.py seed_demo``: build the demo organisation (see ``clo.demo``).

Two shapes of the one generator, loaded by the one bulk loader (``clo.demo.bulk``): ``--shape council`` (the
default) is the demo council with its logins, catalogue, sessions, plans and needs (``clo.demo.seed``);
``--shape bench`` is the gap engine's synthetic organisation, the one ``bench_gaps`` measures on
(``clo.demo.benchdata``), with its current levels and gaps built by the engine's full consolidation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction
from django.core.management.base import BaseCommand, CommandError

from clo.demo import benchdata
from clo.demo.accounts import DEMO_PASSWORD
from clo.demo.seed import (
    DEFAULT_EMPLOYEES,
    DEFAULT_SEED,
    MAX_EMPLOYEES,
    MIN_EMPLOYEES,
    DemoDataExists,
    clear_demo_data,
    demo_data_exists,
    seed_demo,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        f"Seed the demo organisation ({settings.CLO_ORGANISATION_NAME}): units, positions, employees, "
        "assessments, the training catalogue, sessions, enrolments, needs and plans, and the demo logins. "
        "Refuses to run over an organisation that is not empty unless --reset is given. "
        "--shape bench seeds the gap engine's synthetic organisation (bench_gaps) instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--shape",
            choices=["council", "bench"],
            default="council",
            help="council: the demo council (default); bench: the gap engine's synthetic organisation, "
            f"at least {benchdata.MIN_EMPLOYEES} employees, without logins (what bench_gaps measures on)",
        )
        parser.add_argument(
            "--employees",
            type=int,
            default=DEFAULT_EMPLOYEES,
            help=f"how many employees ({MIN_EMPLOYEES} to {MAX_EMPLOYEES}; default {DEFAULT_EMPLOYEES})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="random seed; the same seed and date give the same data "
            f"(default {DEFAULT_SEED}; {benchdata.DEFAULT_SEED} for --shape bench)",
        )
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="reference date the data is built around, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the organisation and everything that refers to it first, then seed",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (exit 0) if the database already holds an organisation",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed even with DJANGO_ENV=production (the demo logins share a known password)",
        )

    def handle(self, *args, shape, employees, seed, date, reset, if_empty, allow_production, verbosity, **options):
        if reset and if_empty:
            raise CommandError("--reset and --if-empty contradict each other; give one of them.")
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to seed demo data with DJANGO_ENV=production (add --allow-production)."
            )
        if shape == "bench":
            self._bench(employees=employees, seed=seed, date=date, reset=reset, if_empty=if_empty)
            return
        if seed is None:
            seed = DEFAULT_SEED
        if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
            raise CommandError(
                f"--employees must be between {MIN_EMPLOYEES} and {MAX_EMPLOYEES}, got {employees}."
            )
        if if_empty and demo_data_exists():
            self.stdout.write("The database already holds an organisation; demo seed skipped.")
            return

        def progress(step: str, seconds: float) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {seconds:7.1f} s  {step}")

        try:
            summary = seed_demo(employees=employees, seed=seed, today=date, reset=reset, progress=progress)
        except DemoDataExists as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {settings.CLO_ORGANISATION_NAME}: {summary.employees} employees "
                f"in {summary.seconds:.1f} s ({summary.vendor})."
            )
        )
        width = max(len(label) for label in summary.counts)
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>10,}".replace(",", " "))
        self.stdout.write(
            f"Reproduce with: manage.py seed_demo --reset --employees {summary.employees} "
            f"--seed {summary.seed} --date {summary.today.isoformat()}"
        )
        self.stdout.write(
            f"Demo logins: clo, rrhh, directora, empleat, dpd, admin — password {DEMO_PASSWORD} "
            "(manage.py demo_accounts)."
        )

    def _bench(self, *, employees: int, seed: int | None, date: dt.date | None, reset: bool, if_empty: bool) -> None:
        if date is not None:
            raise CommandError("--date applies to the council; the bench organisation has fixed dates.")
        if employees < benchdata.MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {benchdata.MIN_EMPLOYEES} for --shape bench.")
        if seed is None:
            seed = benchdata.DEFAULT_SEED
        if not reset and demo_data_exists():
            if if_empty:
                self.stdout.write("The database already holds an organisation; demo seed skipped.")
                return
            raise CommandError(
                "The database already holds an organisation (units, positions, employees, programs, campaigns or "
                "plans). Use --reset to delete it and seed again, or --if-empty to skip seeding."
            )
        started = time.monotonic()
        if reset:  # the council's data too (plans, needs, logins' links): what points at the organisation goes
            with transaction.atomic():
                clear_demo_data()
        counts = benchdata.build(employees=employees, seed=seed, reset_first=reset)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the gap engine's synthetic organisation: {counts['employees']} employees "
                f"in {time.monotonic() - started:.1f} s ({connection.vendor})."
            )
        )
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label.replace('_', ' '):<{width}}  {count:>10,}".replace(",", " "))
        self.stdout.write(f"Reproduce with: manage.py seed_demo --shape bench --reset --employees {employees} "
                          f"--seed {seed}")
