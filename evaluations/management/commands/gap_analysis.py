"""``manage.py gap_analysis``: run the gap analysis now (the same full run as the nightly job) and print its counts."""

from __future__ import annotations

import argparse
import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Run the gap analysis: re-consolidate the current levels whose evidence expired (all of them with "
        "--full-consolidation), recompute every roll-up and add a trend point, in one transaction."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full-consolidation", action="store_true",
                            help="re-consolidate every current level from all the evidence (slower; weekly job)")
        parser.add_argument("--as-of", type=_date, default=None,
                            help="judge the evidence as of this day, YYYY-MM-DD (default: today)")

    def handle(self, *args, full_consolidation: bool, as_of: dt.date | None, **options) -> None:
        from evaluations.gaps import services
        from evaluations.models import GapRun

        started = time.perf_counter()
        try:
            run = services.gaps_full_run(
                trigger=GapRun.Trigger.COMMAND, full_consolidation=full_consolidation, today=as_of
            )
        except services.GapRunInProgress as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(f"The gap analysis failed and left the previous results in place: {exc}") from exc
        seconds = time.perf_counter() - started
        point = run.trend_point
        self.stdout.write(self.style.SUCCESS(
            f"Gap analysis run #{run.pk} done in {seconds:.1f} s (as of {run.as_of})."
        ))
        for label, value in (
            ("employees measured", run.employees),
            ("employee × requirement pairs", run.pairs),
            ("requirements with a gap", point.requirements - point.requirements_met),
            ("requirements not yet assessed", point.not_assessed),
            ("people with a gap", point.people_with_gap),
            ("current levels written or removed", run.levels_changed),
            ("roll-up rows written or removed", run.rollups_changed),
        ):
            self.stdout.write(f"  {label:<34} {value:>12,}".replace(",", " "))
