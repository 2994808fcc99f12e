"""The shape in which each app hands over what it holds about one person (right of access, GDPR art. 15).

Each app's ``selectors_personal.personal_data(employee)`` returns a list of ``Section``; the dashboards layer
gathers them and writes the PDF, JSON and CSV downloads. Column keys are stable machine names (JSON keys, CSV
headings); labels are for people (the PDF). Values are plain: text, numbers, dates, booleans, ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list] = field(default_factory=list)
    note: str = ""

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.columns]

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.columns]

    def records(self) -> list[dict]:
        return [dict(zip(self.keys, row)) for row in self.rows]
