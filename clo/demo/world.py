"""State shared by the phases of the demo generator: the reference date, the random streams and what each
phase built that a later one needs (ids, compact per-employee arrays)."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from array import array
from dataclasses import dataclass, field

from clo.demo.bulk import Loader
from clo.demo.frameworks import CompetencyInfo
from clo.demo.organisation import PlannedUnit

UTC = dt.UTC


@dataclass
class PositionInfo:
    id: int
    title: str
    group: str
    family: str  # family key, or "" for a head position
    unit: int  # unit index
    # (competency id, required level as an index of the competency's level list with 0 first, weight)
    requirements: tuple[tuple[int, int, int], ...] = ()


@dataclass
class ProgramInfo:
    id: int
    code: str
    title: str
    modality: str
    hours: int
    cost: int
    cost_basis: str
    provider: str
    is_open: bool
    popularity: float
    develops: tuple[tuple[int, int], ...]  # (competency id, level reached)


@dataclass
class World:
    loader: Loader
    seed: int
    size: int
    today: dt.date
    organisation: str

    units: list[PlannedUnit] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    unit_paths: list[str] = field(default_factory=list)
    unit_head: list[int] = field(default_factory=list)  # employee index of each unit's head
    unit_positions: list[list[int]] = field(default_factory=list)  # staff position indexes per unit
    unit_head_position: list[int] = field(default_factory=list)
    unit_by_code: dict[str, int] = field(default_factory=dict)

    competencies: dict[int, CompetencyInfo] = field(default_factory=dict)
    by_code: dict[tuple[str, str], CompetencyInfo] = field(default_factory=dict)
    scale_of: dict[int, tuple[int, ...]] = field(
        default_factory=dict
    )  # competency id → (0, level, level, ...)

    positions: list[PositionInfo] = field(default_factory=list)

    first_employee_id: int = 0
    employee_unit: array = field(default_factory=lambda: array("I"))
    employee_position: array = field(default_factory=lambda: array("I"))
    employee_manager: array = field(default_factory=lambda: array("i"))  # employee index, -1 for none
    employee_hired: array = field(default_factory=lambda: array("I"))  # date ordinal
    personas: dict[str, int] = field(default_factory=dict)  # username → employee index
    user_ids: dict[str, int] = field(default_factory=dict)

    programs: list[ProgramInfo] = field(default_factory=list)
    programs_by_competency: dict[int, list[int]] = field(
        default_factory=dict
    )  # competency id → program indexes
    campaign_ids: dict[str, int] = field(default_factory=dict)
    # per program index: {year: [sessions, seats taken]} — the annual plans are estimated from it
    program_year_activity: dict[int, dict[int, list[int]]] = field(default_factory=dict)

    def rng(self, phase: str) -> random.Random:
        """One random stream per phase, so that a change in one phase does not reshuffle the others."""
        return random.Random(f"clo-demo:{self.seed}:{phase}")

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def now(self) -> dt.datetime:
        """Midnight (UTC) at the start of the reference day: everything "past" happened before it."""
        return dt.datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)

    def employee_id(self, index: int) -> int:
        return self.first_employee_id + index


def add_months(day: dt.date, months: int) -> dt.date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def at(day: dt.date, hour: float = 8.0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC) + dt.timedelta(hours=hour)


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
DAY = 86_400


class Stamps:
    """Dates and UTC timestamps as text both databases read the same way, made fast for millions of rows.

    Generators keep times as whole seconds since 1970 (UTC) and days as date ordinals. ``at(seconds)`` gives
    ``"2026-05-14 08:30:00"``: naive UTC text is how Django stores aware datetimes in SQLite, and how
    PostgreSQL reads them in Django's sessions (their TimeZone is UTC). ``day(ordinal)`` gives
    ``"2026-05-14"``.
    """

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._minutes = [f"{hour:02d}:{minute:02d}:00" for hour in range(24) for minute in range(60)]
        self._months: dict[tuple[int, int], str] = {}

    def day(self, ordinal: int) -> str:
        text = self._days.get(ordinal)
        if text is None:
            text = self._days[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def at(self, seconds: int) -> str:
        return f"{self.day(seconds // DAY + EPOCH_ORDINAL)} {self._minutes[seconds % DAY // 60]}"

    def day_after_months(self, ordinal: int, months: int) -> str:
        key = (ordinal, months)
        text = self._months.get(key)
        if text is None:
            text = self._months[key] = add_months(dt.date.fromordinal(ordinal), months).isoformat()
        return text


def seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())
