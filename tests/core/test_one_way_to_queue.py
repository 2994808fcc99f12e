"""Every app queues its tasks through ``clo.core.tasks.queue_on_commit``: one place decides what a broker that is
down does to the write and to the person waiting (logged and repaired later, or the job marked failed and the
person told), so no queueing path forgets it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A benchmark sends its job to the queue of the workers it started itself, and nothing else is waiting on it.
BENCHMARKS = {Path("clo/demo/management/commands/bench_pdf.py")}
OTHER_WAYS = re.compile(r"\.delay_on_commit\(|transaction\.on_commit\(|\.apply_async\(|delay_on_commit_or_release")


def test_nothing_queues_on_commit_but_the_one_helper():
    offenders = []
    for package in ("clo", "competencies", "evaluations", "programs"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "clo" / "core" / "tasks.py" or "migrations" in path.parts or \
                    path.relative_to(ROOT) in BENCHMARKS:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OTHER_WAYS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
