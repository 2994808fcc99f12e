"""Reads of talent reviews: which reviews and which people a user may see, performance read from evidence, the
calibration rows and the 9-box (calibrated values only). A person never sees a rating of themselves: every read
here leaves out the reader's own employee."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from clo.people.models import Employee
from clo.people.roles import scope_of
from clo.talent.models import PotentialRating, TalentReview
from clo.talent.models.reviews import POTENTIAL_DEFINITIONS, Band
from evaluations.models import Gap

# Performance from evidence: the share of the person's requirements met (gap 0, assessed), in bands.
PERFORMANCE_BOUNDS = ((85.0, Band.HIGH), (50.0, Band.MODERATE), (0.0, Band.LOW))
BANDS = [Band.LOW, Band.MODERATE, Band.HIGH]


def performance_band(percent_met: float | None) -> str:
    """``high`` from 85 % of requirements met, ``moderate`` from 50 %, ``low`` below; "" without evidence."""
    if percent_met is None:
        return ""
    return next(band for bound, band in PERFORMANCE_BOUNDS if percent_met >= bound)


def performance_from_evidence(employee_ids) -> dict[int, float | None]:
    """Per person: % of their position's requirements met, from the gap engine (the ``Gap`` view: the consolidated
    level, in which validated manager ratings outrank self-ratings). None when nothing is assessed yet."""
    rows = (Gap.objects.filter(employee_id__in=list(employee_ids)).values("employee_id")
            .annotate(total=Count("requirement_id"), assessed=Count("requirement_id", filter=Q(not_assessed=False)),
                      met=Count("requirement_id", filter=Q(gap=0, not_assessed=False))))
    found: dict[int, float | None] = {i: None for i in employee_ids}
    for row in rows:
        found[row["employee_id"]] = 100.0 * row["met"] / row["total"] if row["assessed"] else None
    return found


def reviews_visible_to(user) -> QuerySet:
    """The learning office and HR: every review; a director: those whose scope overlaps their subtree."""
    scope = scope_of(user)
    reviews = TalentReview.objects.select_related("unit")
    if scope.everything:
        return reviews
    if not scope.unit_paths:
        return reviews.none()
    condition = Q(pk__in=[])
    for path in scope.unit_paths:
        condition |= Q(unit__path__startswith=path) | Q(unit__path__in=_ancestors(path))
    return reviews.filter(condition)


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def review_for(user, review_id: int) -> TalentReview | None:
    return reviews_visible_to(user).filter(pk=review_id).first()


def people_to_rate(review: TalentReview, user) -> QuerySet:
    """The active people of the review's scope that ``user`` may rate or read: within the user's subtree too (HR and
    the learning office: all of them), never the user themselves."""
    scope = scope_of(user)
    people = Employee.objects.active().filter(blocked_at__isnull=True).in_units([review.unit.path])
    if not scope.everything:
        people = people.in_units(list(scope.unit_paths))
    if scope.employee_id:
        people = people.exclude(pk=scope.employee_id)
    return people.select_related("position", "unit").order_by("last_name", "first_name", "pk")


def ratings_of(review: TalentReview, user) -> QuerySet:
    """The review's ratings ``user`` may read (the people of ``people_to_rate``), not blocked by retention."""
    return (PotentialRating.objects.shown().filter(review=review, employee__in=people_to_rate(review, user))
            .select_related("employee__position", "employee__unit").order_by("employee__last_name",
                                                                              "employee__first_name", "pk"))


def may_calibrate(user) -> bool:
    scope = scope_of(user)
    return scope.everything


def definitions() -> list[tuple[str, str, str]]:
    return [(band.value, band.label, str(POTENTIAL_DEFINITIONS[band])) for band in BANDS]


# --- The 9-box ----------------------------------------------------------------------------------------------------


@dataclass
class NineBox:
    cells: dict[tuple[str, str], list]  # (performance, potential) → ratings placed there
    not_calibrated: int
    svg: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308

    def rows(self) -> list[tuple[str, str, str, int, str]]:
        """The table behind the toggle: potential, performance, count, names — high potential first."""
        found = []
        for potential in reversed(BANDS):
            for performance in BANDS:
                people = self.cells[(performance, potential)]
                found.append((potential.label, performance.label, len(people),
                              ", ".join(r.employee.full_name for r in people)))
        return found


def nine_box(ratings: list[PotentialRating]) -> NineBox:
    """People placed by their CALIBRATED performance (x) and potential (y); ratings not calibrated are counted
    apart, never placed by their raw values."""
    cells: dict[tuple[str, str], list] = {(x, y): [] for x in BANDS for y in BANDS}
    waiting = 0
    for rating in ratings:
        if rating.calibrated_performance and rating.calibrated_potential:
            cells[(rating.calibrated_performance, rating.calibrated_potential)].append(rating)
        else:
            waiting += 1
    box = NineBox(cells, waiting)
    box.svg = _nine_box_svg(box)
    return box


def _nine_box_svg(box: NineBox) -> SafeString:
    size, left, top = 150, 90, 10
    parts = []
    for col, performance in enumerate(BANDS):
        for row, potential in enumerate(reversed(BANDS)):
            people = box.cells[(performance, potential)]
            x, y = left + col * size, top + row * size
            shade = "#dce9f3" if (col + (2 - row)) < 2 else "#b9d3e8" if (col + (2 - row)) < 4 else "#8fb8d8"
            parts.append(format_html(
                '<g class="nine-box-cell" data-performance="{pf}" data-potential="{pt}" data-count="{n}">'
                '<rect x="{x}" y="{y}" width="{s}" height="{s}" fill="{f}" stroke="#ffffff" stroke-width="2"></rect>'
                '<text x="{tx}" y="{ty}" text-anchor="middle" font-size="28" fill="#111">{n}</text></g>',
                pf=performance.value, pt=potential.value, n=len(people), x=x, y=y, s=size, f=shade,
                tx=x + size // 2, ty=y + size // 2 + 10,
            ))
    for index, band in enumerate(BANDS):
        parts.append(format_html(
            '<text x="{x}" y="{y}" text-anchor="middle" font-size="14" fill="#222">{label}</text>',
            x=left + index * size + size // 2, y=top + 3 * size + 20, label=band.label))
        parts.append(format_html(
            '<text x="{x}" y="{y}" text-anchor="end" font-size="14" fill="#222">{label}</text>',
            x=left - 8, y=top + (2 - index) * size + size // 2 + 5, label=band.label))
    parts.append(format_html('<text x="{x}" y="{y}" text-anchor="middle" font-size="14" fill="#222">{t}</text>',
                             x=left + 3 * size // 2, y=top + 3 * size + 42, t=_("Performance (calibrated)")))
    parts.append(format_html(
        '<text x="16" y="{y}" text-anchor="middle" font-size="14" fill="#222" transform="rotate(-90 16 {y})">'
        '{t}</text>', y=top + 3 * size // 2, t=_("Potential (calibrated)")))
    width, height = left + 3 * size + 10, top + 3 * size + 52
    title = _("9-box of the talent review")
    description = _("People by calibrated performance (left to right: low, moderate, high) and calibrated potential "
                    "(bottom to top: low, moderate, high); each square shows how many people it holds.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg nine-box" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="nine-box-title nine-box-desc" focusable="false">'
        '<title id="nine-box-title">{t}</title><desc id="nine-box-desc">{d}</desc>{b}</svg>',
        w=width, h=height, t=title, d=description, b=mark_safe("".join(parts)),  # noqa: S308 - built by format_html
    )
