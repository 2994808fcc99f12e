"""Recognition: what a person's career page lists about them (badges, hours taught as an internal trainer, mentoring
given), and the learning office's figures of credits and badges by unit and by position group. The figures read the
one definition of each: credits as the training record counts them (``programs.selectors.delivery``: the completed
programs' hours / HOURS_PER_CREDIT, by the year of the session's start), hours taught as the pool of trainers shows
them (``programs.selectors.figures.hours_taught_by_year``), mentoring from ``clo.talent.selectors.mentoring``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Sum

from clo.careers.models import Badge
from clo.careers.selectors.badges import badges_of
from clo.people.models import OrgUnit, Position
from clo.talent.selectors.mentoring import mentoring_given
from clo.talent.selectors.trainers import hours_taught_by_year
from programs.models import Enrolment
from programs.selectors.delivery import _credits
from programs.selectors.figures import year_bounds

if TYPE_CHECKING:
    from clo.people.models import Employee


def recognition_of(employee: Employee) -> dict:
    """The recognition section of a person's career page: ``badges`` (not revoked, newest first), ``taught`` (hours
    taught per year, latest first), ``relationships`` (mentoring given, as mentor) and ``transfer_plans`` (where they
    hand over as the leaving holder). Five queries."""
    return {"badges": [badge for badge in badges_of(employee.pk) if not badge.revoked],
            "taught": hours_taught_by_year(employee.pk), **mentoring_given(employee.pk)}


@dataclass
class RecognitionRow:
    label: str
    hours: Decimal = Decimal("0")  # the completed programs' hours behind the credits
    badges: int = 0
    completed: int = 0

    @property
    def credits(self) -> Decimal:
        return _credits(self.hours)


@dataclass
class RecognitionFigures:
    year: int
    by_unit: list[RecognitionRow] = field(default_factory=list)
    by_group: list[RecognitionRow] = field(default_factory=list)
    total: RecognitionRow = field(default_factory=lambda: RecognitionRow(""))


def _area_path(path: str) -> str:
    """The path of the unit's area: the top unit's child it belongs to (``/1/5/9/`` → ``/1/5/``)."""
    parts = path.strip("/").split("/")
    return "/" + "/".join(parts[:2]) + "/"


def recognition_figures(*, year: int) -> RecognitionFigures:
    """Credits earned (completed enrolments of sessions starting in ``year``) and badges issued in ``year`` (not
    revoked), by area (the top unit's children, with their subtrees; people of the top unit itself count under it)
    and by position group, of the people by their current unit and position. Four queries: the credits and the
    badges grouped by unit and group, and the units and groups to name them."""
    start, end = year_bounds(year)
    credits = (Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, session__starts_at__gte=start,
                                        session__starts_at__lt=end)
               .order_by().values("employee__unit_id", "employee__position__group")
               .annotate(hours=Sum("session__program__hours"), n=Count("pk")))
    badges = (Badge.objects.filter(issued_at__gte=start, issued_at__lt=end, revoked_at__isnull=True)
              .order_by().values("employee__unit_id", "employee__position__group").annotate(n=Count("pk")))
    units = {pk: path for pk, path in OrgUnit.objects.values_list("pk", "path")}
    areas = {path: name for path, name in OrgUnit.objects.filter(depth__lte=1).values_list("path", "name")}
    by_unit: dict[str, RecognitionRow] = {}
    by_group: dict[str, RecognitionRow] = defaultdict(lambda: RecognitionRow(""))
    figures = RecognitionFigures(year=year)

    def row_for(unit_id: int) -> RecognitionRow:
        path = units.get(unit_id, "")
        area = _area_path(path) if path.strip("/").count("/") >= 1 else path
        return by_unit.setdefault(area, RecognitionRow(areas.get(area, "")))

    for row in credits:
        hours = row["hours"] or Decimal("0")
        for target in (row_for(row["employee__unit_id"]), by_group[row["employee__position__group"]], figures.total):
            target.hours += hours
            target.completed += row["n"]
    for issued in badges:
        for target in (row_for(issued["employee__unit_id"]), by_group[issued["employee__position__group"]],
                       figures.total):
            target.badges += issued["n"]
    figures.by_unit = sorted(by_unit.values(), key=lambda r: r.label)
    labels = dict(Position.Group.choices)
    figures.by_group = [RecognitionRow(str(labels[value]), hours=by_group[value].hours, badges=by_group[value].badges,
                                       completed=by_group[value].completed)
                        for value in Position.Group.values if value in by_group]
    return figures
