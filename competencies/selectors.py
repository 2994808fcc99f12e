"""Read access to competencies for other apps."""

from __future__ import annotations

from competencies.models import Competency, Framework, Level


def scale_values(competency_id: int) -> list[int]:
    """The level values of the scale the competency's framework uses, ascending."""
    return list(
        Level.objects.filter(scale__frameworks__competencies__id=competency_id).order_by("value").values_list("value", flat=True)
    )


def competencies_for_framework(framework_id: int):
    return Competency.objects.filter(framework_id=framework_id).select_related("area")


# --- Dashboards ----------------------------------------------------------------------------------------------


def requirements_in_force():
    """Requirements whose competency belongs to a framework that is not archived: the ones gaps are measured on."""
    from competencies.models import Framework, Requirement

    return Requirement.objects.exclude(competency__framework__status=Framework.Status.ARCHIVED)


def framework_counts() -> dict[str, int]:
    """Published frameworks, competencies of published frameworks, and requirements in force (three COUNTs)."""
    from competencies.models import Framework

    published = Framework.Status.PUBLISHED
    return {
        "frameworks": Framework.objects.filter(status=published).count(),
        "competencies": Competency.objects.filter(framework__status=published).count(),
        "requirements": requirements_in_force().count(),
    }


def positions_without_requirements_count() -> int:
    """Active positions that require no competency in force (nothing to measure their holders against)."""
    from django.db.models import Exists, OuterRef

    from clo.people.models import Position

    return (
        Position.objects.filter(active=True)
        .exclude(Exists(requirements_in_force().filter(position=OuterRef("pk"))))
        .count()
    )


def areas_for_filters():
    """Areas of published frameworks with their framework, in framework and area order: the dashboards' framework
    and area filter choices. One query."""
    from competencies.models import Area, Framework

    return list(
        Area.objects.filter(framework__status=Framework.Status.PUBLISHED)
        .select_related("framework")
        .order_by("framework__code", "order", "code")
    )


def area_or_competency(*, area_id: int | None, competency_id: int | None):
    """The competency (with its area) or, without one, the area a dashboard drills into; None if unknown. One query
    at most."""
    from competencies.models import Area

    if competency_id:
        return Competency.objects.select_related("area").filter(pk=competency_id).first()
    if area_id:
        return Area.objects.filter(pk=area_id).first()
    return None


def framework_expert_levels() -> list[tuple[Framework, list]]:
    """The frameworks that are not archived, each with its scale's levels (value, label), lowest first: what the
    learning office chooses an expert level from. Two queries."""
    frameworks = list(Framework.objects.exclude(status=Framework.Status.ARCHIVED).select_related("scale")
                      .prefetch_related("scale__levels").order_by("name"))
    return [(fw, sorted(((lv.value, lv.label) for lv in fw.scale.levels.all()), key=lambda v: v[0]))
            for fw in frameworks]


# --- The competency's page and its resources -------------------------------------------------------------------


def competencies_visible_to(user):
    """The competencies ``user`` may read: those of frameworks in force or archived for every signed-in person, the
    drafts too for the learning office and HR (who prepare them)."""
    from clo.people import roles

    competencies = Competency.objects.all()
    if roles.scope_of(user).everything:
        return competencies
    return competencies.exclude(framework__status=Framework.Status.DRAFT)


def competency_for_page(competency_id: int, user) -> Competency | None:
    return (competencies_visible_to(user).filter(pk=competency_id)
            .select_related("framework__scale", "area").first())


def competency_levels(competency: Competency) -> list[Level]:
    """The levels of the competency's scale, each with ``indicators`` (its descriptor's lines) and ``resources``
    (links and documents attached to it). Three queries."""
    from competencies.models import CompetencyLevelDescriptor, LevelResource

    levels = list(Level.objects.filter(scale_id=competency.framework.scale_id).order_by("value"))
    descriptors = dict(CompetencyLevelDescriptor.objects.filter(competency=competency)
                       .values_list("level", "indicators"))
    resources: dict[int, list] = {}
    for resource in LevelResource.objects.filter(competency=competency).order_by("level", "title", "pk"):
        resources.setdefault(resource.level, []).append(resource)
    for level in levels:
        level.indicators = [  # type: ignore[attr-defined]
            line for line in descriptors.get(level.value, "").splitlines() if line.strip()]
        level.resources = resources.get(level.value, [])  # type: ignore[attr-defined]
    return levels


def resources_for_gaps(gaps) -> dict[int, list]:
    """For each gap (``competency_id``, ``current_level``, ``required_level``), the resources of the levels it must
    climb: above the current level, up to the required one. ``{competency_id: [resource, ...]}``, one query."""
    from competencies.models import LevelResource

    wanted = {g.competency_id: (g.current_level or 0, g.required_level) for g in gaps
              if (g.required_level or 0) > (g.current_level or 0)}
    found: dict[int, list] = {}
    if not wanted:
        return found
    rows = LevelResource.objects.filter(competency_id__in=wanted).order_by("competency_id", "level", "title", "pk")
    for resource in rows:
        low, high = wanted[resource.competency_id]
        if low < resource.level <= high:
            found.setdefault(resource.competency_id, []).append(resource)
    return found


def resource_for_download(resource_id: int, user):
    """A document resource of a competency ``user`` may read, or None."""
    from competencies.models import LevelResource

    return (LevelResource.objects.filter(pk=resource_id, competency__in=competencies_visible_to(user))
            .exclude(file="").first())
