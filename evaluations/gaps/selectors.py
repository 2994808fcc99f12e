"""Reads of the gap engine's results, for dashboards, learning plans and reports. Each function is one query whatever
the size of the organisation (the roll-ups are stored per unit; the per-pair gaps come from the view)."""

from __future__ import annotations

from django.db.models import QuerySet

from evaluations.models import Gap, GapRun, GapTrendPoint, UnitAreaGap, UnitCompetencyGap, UnitGap


def latest_run() -> GapRun | None:
    """The last run that finished (its figures are the ones the roll-ups were last rebuilt from)."""
    return GapRun.objects.filter(status=GapRun.Status.DONE).order_by("-finished_at", "-pk").first()


def run_in_progress() -> GapRun | None:
    """The run pending or running, if any: "recalculate now" shows it instead of offering to start another."""
    return GapRun.objects.filter(status__in=[GapRun.Status.PENDING, GapRun.Status.RUNNING]).order_by("pk").first()


def recent_runs(*, limit: int = 20) -> list[GapRun]:
    """The latest runs, newest first, with who requested them."""
    return list(GapRun.objects.select_related("requested_by").order_by("-requested_at", "-pk")[:limit])


def unit_figures(unit_id: int, *, subtree: bool = True) -> UnitGap | None:
    """A unit's figures over all competencies (its whole subtree by default)."""
    return UnitGap.objects.filter(unit_id=unit_id, subtree=subtree).first()


def unit_competency_gaps(unit_id: int, *, subtree: bool = True) -> QuerySet:
    """A unit's figures per competency, largest weighted gap first, with competency and area loaded."""
    return (
        UnitCompetencyGap.objects.filter(unit_id=unit_id, subtree=subtree)
        .select_related("competency", "area")
        .order_by("-weighted_gap_sum", "competency__code")
    )


def unit_area_gaps(unit_id: int, *, subtree: bool = True) -> QuerySet:
    """A unit's figures per competency area, largest weighted gap first."""
    return (
        UnitAreaGap.objects.filter(unit_id=unit_id, subtree=subtree)
        .select_related("area")
        .order_by("-weighted_gap_sum", "area__code")
    )


def children_figures(unit_ids: list[int]) -> QuerySet:
    """The subtree figures of several units at once (e.g. the children of the unit on screen)."""
    return UnitGap.objects.filter(unit_id__in=unit_ids, subtree=True)


def trend(*, limit: int = 90) -> list[GapTrendPoint]:
    """The organisation's trend points, oldest first (the last ``limit`` runs)."""
    points = list(GapTrendPoint.objects.order_by("-as_of", "-run_id")[:limit])
    points.reverse()
    return points


def employee_gaps(employee_id: int) -> QuerySet:
    """One employee's gaps, one row per requirement of their position (current: read through the view), largest
    first; ``not_assessed`` tells "never assessed" from "assessed at 0"."""
    return (
        Gap.objects.filter(employee_id=employee_id)
        .select_related("competency", "area")
        .order_by("-is_critical", "-gap", "competency__code")
    )
