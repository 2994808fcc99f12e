"""The career explorer: a person's gap to any position, or to a position family, and the programs that would close
it. A fixed number of queries whatever the size of the organisation (the person's levels, the target's
requirements, the catalogue), so it answers in a few milliseconds at 250 000 employees.

- The levels are the gap engine's: the person's consolidated current levels that still count
  (``evaluations.selectors.valid_levels``).
- A position's target is its requirements in force (``competencies.selectors.requirements_in_force``). A family's
  target (``Position.job_family``) is, per competency, the highest level any of its active positions requires:
  what it takes to be ready for any post of the family.
- The programs are the catalogue's, as learning plans pick them (``programs.services.learning_plans``:
  ``catalogue_candidates`` and ``rank_candidates``): those that raise the level, the ones that close the gap fully
  first, then the soonest session with seats, the shortest and the cheapest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from clo.core import versions
from clo.people.models import Position
from competencies.models import Requirement
from competencies.selectors import requirements_in_force
from evaluations.selectors import valid_levels
from programs.models import Program
from programs.services.learning_plans import catalogue_candidates, planning_window_end, rank_candidates, year_period

PROGRAMS_SHOWN = 3
FAMILY_SOURCES = ("competencies", "people")
FAMILIES_CACHE_S = 24 * 3600
POSITIONS_SHOWN = 50


def _job_families() -> list[str]:
    return list(Position.objects.filter(active=True, requirements__isnull=False).exclude(job_family="")
                .order_by("job_family").values_list("job_family", flat=True).distinct())


def job_families() -> list[str]:
    """The families of the active positions that have requirements, by name. Finding them reads every position and
    requirement (a third of a second at 250 000 employees), so the list is kept in the cache under the versions of
    the data it depends on (``clo.core.versions``: people and competencies): one query while they are unchanged."""
    if not versions.enabled():
        return _job_families()
    counters = ".".join(str(counter) for counter in versions.current(FAMILY_SOURCES))
    database = connections[versions.reading_from()].settings_dict["NAME"]  # one Redis may serve several databases
    return list(cache.get_or_set(f"careers:job-families:{database}:{counters}", _job_families,
                                 timeout=FAMILIES_CACHE_S) or [])


def positions_for(*, family: str = "") -> QuerySet[Position]:
    """Active positions with requirements (of ``family`` when given), by title."""
    positions = (Position.objects.filter(active=True)
                 .filter(Exists(Requirement.objects.filter(position=OuterRef("pk")))).order_by("title", "code"))
    return positions.filter(job_family=family) if family else positions


def position_choices(*, family: str, search: str, selected: Position | None) -> tuple[QuerySet[Position], bool]:
    """What the position list offers (a council has tens of thousands of positions, one per post): those of
    ``family`` whose title or code contains ``search`` (of every family when only a search is given), at most
    ``POSITIONS_SHOWN``, plus the one chosen; and whether more matched. Two queries."""
    ids: list[int] = []
    if family or search:
        rows = positions_for(family=family)
        if search:
            rows = rows.filter(Q(title__icontains=search) | Q(code__icontains=search))
        ids = list(rows.values_list("pk", flat=True)[:POSITIONS_SHOWN + 1])
    more = len(ids) > POSITIONS_SHOWN
    ids = ids[:POSITIONS_SHOWN] + ([selected.pk] if selected is not None else [])
    return Position.objects.filter(pk__in=ids).order_by("title", "code"), more


@dataclass
class ProgramOption:
    program: Program
    level_reached: int
    closes: bool
    next_session_on: dt.date | None


@dataclass
class TargetRow:
    competency_id: int
    competency_name: str
    framework_name: str
    required_level: int
    current_level: int | None
    critical: bool
    programs: list[ProgramOption] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(self.required_level - (self.current_level or 0), 0)


@dataclass
class Exploration:
    rows: list[TargetRow]

    @property
    def open_rows(self) -> list[TargetRow]:
        return [row for row in self.rows if row.gap > 0]

    @property
    def met(self) -> int:
        return len(self.rows) - len(self.open_rows)

    @property
    def uncovered(self) -> int:
        return sum(1 for row in self.open_rows if not any(p.closes for p in row.programs))


def _target(*, position_id: int | None, family: str) -> list[dict]:
    """The target's requirements, one per competency (the highest level required across a family). One query."""
    requirements = requirements_in_force().filter(position__active=True)
    if position_id is not None:
        requirements = requirements.filter(position_id=position_id)
    else:
        requirements = requirements.filter(position__job_family=family)
    return list(
        requirements.values("competency_id", "competency__name", "competency__framework__name")
        .annotate(required=Max("required_level"), critical=Count("pk", filter=Q(is_critical=True)))
        .order_by("-critical", "competency__framework__name", "competency__name")
    )


def explore(*, employee_id: int, position_id: int | None = None, family: str = "",
            now: dt.datetime | None = None) -> Exploration:
    """The person's gap to a position (``position_id``) or a family, with up to ``PROGRAMS_SHOWN`` programs per open
    gap. Four queries: the target, the levels, the catalogue, the programs."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    target = _target(position_id=position_id, family=family)
    if not target:
        return Exploration([])
    levels = dict(valid_levels(today=today).filter(
        employee_id=employee_id, competency_id__in=[r["competency_id"] for r in target],
    ).values_list("competency_id", "level"))
    rows = [TargetRow(r["competency_id"], r["competency__name"], r["competency__framework__name"], r["required"],
                      levels.get(r["competency_id"]), bool(r["critical"])) for r in target]
    open_rows = [row for row in rows if row.gap > 0]
    if open_rows:
        start, end = year_period(today.year)
        until = planning_window_end(today=today, period_start=start, period_end=end)
        catalogue = catalogue_candidates(competency_ids={r.competency_id for r in open_rows}, now=now, until=until)
        chosen = {row.competency_id: rank_candidates(catalogue.get(row.competency_id, []),
                                                     current=row.current_level or 0,
                                                     required=row.required_level)[:PROGRAMS_SHOWN]
                  for row in open_rows}
        programs = Program.objects.in_bulk({c.program_id for ranked in chosen.values() for c in ranked})
        for row in open_rows:
            row.programs = [ProgramOption(programs[c.program_id], c.level_reached,
                                          c.level_reached >= row.required_level, c.next_session_on)
                            for c in chosen[row.competency_id] if c.program_id in programs]
    return Exploration(rows)
