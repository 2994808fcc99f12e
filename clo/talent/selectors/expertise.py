"""Reading the expertise directory: only listed people, only validated levels, only what they chose to share."""

from __future__ import annotations

from django.db.models import QuerySet

from clo.talent.models import ExpertiseListing
from competencies.models import Competency, Framework, Level
from evaluations.models import CurrentLevel

# A level someone else stands behind: a manager's rating (alone or averaged with the self-rating), completed
# training or an imported record; never a self-rating alone.
VALIDATED_SOURCES = tuple(source for source in CurrentLevel.Source.values if source != CurrentLevel.Source.SELF)


def with_level_names(rows) -> list[CurrentLevel]:
    """``rows`` (current levels) with ``level_label`` and ``level_band`` from their competency's scale, in the active
    language: one query for the whole list."""
    rows = list(rows)
    scales = {row.competency.framework.scale_id for row in rows}
    names = {(level.scale_id, level.value): level for level in Level.objects.filter(scale_id__in=scales)}
    for row in rows:
        level = names.get((row.competency.framework.scale_id, row.level))
        row.level_label = level.label if level else ""
        row.level_band = level.band if level else ""
    return rows


def directory_search(*, competency_id: int, min_level: int, unit_path: str = "") -> QuerySet[CurrentLevel]:
    """The listed, active people with a validated level of at least ``min_level`` in the competency (and who did not
    hide it), within the unit subtree of ``unit_path`` if given; highest level first. Nobody else is in the query,
    so neither the rows nor their count say anything about people who did not opt in."""
    rows = (
        CurrentLevel.objects.filter(
            competency_id=competency_id, level__gte=min_level, source__in=VALIDATED_SOURCES,
            employee__active=True, employee__expertise_listing__listed=True,
        )
        .exclude(employee__expertise_listing__hidden_competencies=competency_id)
        .select_related("employee__unit", "employee__expertise_listing", "competency__framework")
        .order_by("-level", "employee__last_name", "employee__first_name", "employee_id")
    )
    if unit_path:
        rows = rows.filter(employee__unit__path__startswith=unit_path)
    return rows


def listed_entry(*, employee_id: int) -> ExpertiseListing | None:
    """The listing of a person who appears in the directory (None if they do not)."""
    # by the person's key (``employee__pk``, no join): Django finds no row for an id past a 64-bit integer there,
    # where ``employee_id`` hands it to SQLite, which cannot take it (an address like /expertise/<huge>/contact/)
    return (ExpertiseListing.objects.filter(employee__pk=employee_id, listed=True, employee__active=True)
            .select_related("employee").first())


def listing_of(*, employee_id: int) -> ExpertiseListing:
    """A person's own listing, unsaved and unlisted if they never made one."""
    return ExpertiseListing.objects.filter(employee_id=employee_id).first() or ExpertiseListing(
        employee_id=employee_id)


def shareable_levels(*, employee_id: int) -> list[CurrentLevel]:
    """What the directory could show of a person: their validated levels, by framework and competency."""
    return with_level_names(
        CurrentLevel.objects.filter(employee_id=employee_id, source__in=VALIDATED_SOURCES, level__gte=1)
        .select_related("competency__framework")
        .order_by("competency__framework__name", "competency__name")
    )


def searchable_competencies() -> QuerySet[Competency]:
    """The competencies of published frameworks, for the directory's search."""
    return (Competency.objects.filter(framework__status=Framework.Status.PUBLISHED)
            .select_related("framework").order_by("framework__name", "name"))
