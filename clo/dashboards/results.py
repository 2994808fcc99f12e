"""The CLO dashboard's "Training results (level 4)" panel: the programs ranked by how much more their completers'
gaps closed than those of similar non-attendees, read from the snapshots the programs app stores after each full
gap run (``programs.selectors.results.latest_snapshots``). One query."""

from __future__ import annotations

from dataclasses import dataclass, field

from programs import selectors as programs

PROGRAMS_SHOWN = 10


@dataclass
class TrainingResults:
    rows: list = field(default_factory=list)
    more: bool = False
    min_group: int = programs.MIN_GROUP

    @property
    def computed_at(self):
        return max((row.computed_at for row in self.rows), default=None)


def training_results(*, limit: int = PROGRAMS_SHOWN) -> TrainingResults:
    rows = programs.latest_snapshots(limit=limit)
    return TrainingResults(rows=rows[:limit], more=len(rows) > limit)
