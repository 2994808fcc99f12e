"""``manage.py seed_demo``: build the demo organisation (see ``clo.demo``)."""

from __future__ import annotations

import argparse
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clo.demo.accounts import DEMO_PASSWORD
from clo.demo.seed import (
    DEFAULT_EMPLOYEES,
    DEFAULT_SEED,
    MAX_EMPLOYEES,
    MIN_EMPLOYEES,
    DemoDataExists,
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
        "Refuses to run over an organisation that is not empty unless --reset is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--employees",
            type=int,
            default=DEFAULT_EMPLOYEES,
            help=f"how many employees ({MIN_EMPLOYEES} to {MAX_EMPLOYEES}; default {DEFAULT_EMPLOYEES})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed; the same seed and date give the same data (default {DEFAULT_SEED})",
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

    def handle(self, *args, employees, seed, date, reset, if_empty, allow_production, verbosity, **options):
        if reset and if_empty:
            raise CommandError("--reset and --if-empty contradict each other; give one of them.")
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to seed demo data with DJANGO_ENV=production (add --allow-production)."
            )
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
            f"Demo logins: clo, rrhh, directora, empleat, admin — password {DEMO_PASSWORD} "
            "(manage.py demo_accounts)."
        )
