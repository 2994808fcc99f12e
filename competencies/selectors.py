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
