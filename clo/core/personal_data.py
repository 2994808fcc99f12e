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
    # Columns for programs only (JSON, CSV), such as a field's machine key: the PDF, written for a person, leaves
    # them out.
    machine_only: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.columns]

    @property
    def shown_labels(self) -> list[str]:
        """The labels of the columns a person reads (the PDF)."""
        return [label for key, label in self.columns if key not in self.machine_only]

    @property
    def shown_rows(self) -> list[list]:
        """The rows without the machine-only columns (the PDF)."""
        if not self.machine_only:
            return self.rows
        shown = [i for i, key in enumerate(self.keys) if key not in self.machine_only]
        return [[row[i] for i in shown] for row in self.rows]

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.columns]

    def records(self) -> list[dict]:
        return [dict(zip(self.keys, row)) for row in self.rows]
