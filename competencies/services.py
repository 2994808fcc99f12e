"""Writes to competency frameworks: what a position requires, and the framework settings the gap engine applies.

A change to a position's requirements changes the gaps of everyone holding it; so does archiving a framework (its
requirements stop counting) or changing how it consolidates evidence (its rule, its evidence validity). The gap engine
(``evaluations``, a layer above) refreshes what changed once the transaction commits. The task is queued by name, so
this layer does not import the one above it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clo.core.tasks import queue_on_commit
from clo.people import selectors as people_selectors
from clo.core.uploads import stored_name
from competencies.models import Competency, Framework, LevelResource, Requirement

# What the gap engine reads of a framework: its status (archived frameworks are not measured) and its consolidation;
# and the expert level, which the knowledge-at-risk figures (clo.talent) read.
GAP_SETTINGS = ("status", "consolidation_rule", "evidence_validity_months", "expert_level")


@transaction.atomic
def requirement_set(
    *, position, competency: Competency, required_level: int, weight: int = 1, is_critical: bool = False
) -> Requirement:
    """Create or update the requirement of ``competency`` for ``position``. A level outside the competency's scale is
    refused with a message naming the scale's range."""
    requirement = (
        Requirement.objects.select_for_update().filter(position=position, competency=competency).first()
        or Requirement(position=position, competency=competency)
    )
    requirement.required_level, requirement.weight, requirement.is_critical = required_level, weight, is_critical
    requirement.full_clean(validate_unique=requirement.pk is None)
    if requirement.pk is None:
        requirement.save()
    else:
        requirement.save(update_fields=["required_level", "weight", "is_critical"])
    queue_on_commit("evaluations.gaps_refresh_position", requirement.position_id)
    return requirement


@transaction.atomic
def requirement_remove(*, requirement: Requirement) -> None:
    """The position no longer requires the competency."""
    position_id = requirement.position_id
    deleted, _ = Requirement.objects.filter(pk=requirement.pk).delete()
    if not deleted:
        raise ValidationError("This requirement no longer exists.")
    queue_on_commit("evaluations.gaps_refresh_position", position_id)


def requirements_changed(*, position_ids) -> None:
    """Requirements of these positions were written elsewhere than in the services above (the admin, an import):
    the gaps of their holders are refreshed on commit."""
    for position_id in sorted({int(p) for p in position_ids if p}):
        queue_on_commit("evaluations.gaps_refresh_position", position_id)


@transaction.atomic
def framework_update(*, framework: Framework, **changes) -> Framework:
    """Change a framework's fields (its status: archive it; its consolidation rule; its evidence validity...). The
    gap engine follows on commit (``framework_changed``)."""
    previous = Framework.objects.select_for_update().values(*GAP_SETTINGS).get(pk=framework.pk)
    for name, value in changes.items():
        setattr(framework, name, value)
    framework.full_clean()
    framework.save(update_fields=list(changes))
    framework_changed(framework=framework, previous=previous)
    return framework


@transaction.atomic
def framework_set_expert_level(*, framework: Framework, expert_level: int | None) -> Framework:
    """The level of the framework's scale from which a person counts as an expert holder (None: three quarters of
    the top level). The knowledge-at-risk figures are rebuilt on commit (``framework_changed``)."""
    values = set(framework.scale.levels.values_list("value", flat=True))
    if expert_level is not None and expert_level not in values:
        raise ValidationError({"expert_level": _("Choose one of the levels of the framework's scale.")})
    return framework_update(framework=framework, expert_level=expert_level)


def framework_changed(*, framework: Framework, previous: dict) -> None:
    """A framework was saved (by ``framework_update`` or the admin) with ``previous`` the values of ``GAP_SETTINGS``
    before: queue on commit what brings the gaps up to date, without waiting for the nightly or the weekly run.

    - A new consolidation rule or evidence validity changes the current levels of everyone with evidence in its
      competencies: a full run re-consolidates every level from all the evidence (the weekly run's work).
    - Archived or brought back from the archive: its requirements stop or start counting, as if they had been removed
      or added; the units where the positions requiring its competencies have holders are recounted.
    """
    changed = {name for name in GAP_SETTINGS if previous.get(name) != getattr(framework, name)}
    if "expert_level" in changed:  # who counts as an expert holder: the knowledge-at-risk map (clo.talent, by name)
        queue_on_commit("talent.knowledge_risk_rebuild")
    if changed & {"consolidation_rule", "evidence_validity_months"}:
        queue_on_commit("evaluations.gaps_full_run", trigger="framework", full_consolidation=True)
    elif "status" in changed and Framework.Status.ARCHIVED in (previous.get("status"), framework.status):
        positions = Requirement.objects.filter(competency__framework=framework).values_list("position_id", flat=True)
        units = people_selectors.units_of_positions(set(positions))
        if units:
            queue_on_commit("evaluations.gaps_refresh_units", sorted(units))


# --- Resources attached to competency levels ------------------------------------------------------------------------


@transaction.atomic
def resource_add(*, competency: Competency, level: int, title: str, url: str = "", file=None, added_by=None,
                 community: str = "") -> LevelResource:
    """Attach a link or a document to a level of ``competency``. The document has passed the upload checks
    (``clo.core.uploads.validate_upload``, done by the form that received it) and is stored under a fresh name; a
    level off the competency's scale, both a link and a document, or neither, is refused with nothing written."""
    resource = LevelResource(competency=competency, level=level, title=title.strip(), url=url.strip(),
                             added_by=added_by, community=community[:200])
    if file:
        file.name = stored_name(file.name)
        resource.file = file
    if bool(resource.url) == bool(file):
        raise ValidationError(_("Give either a link or a document."))
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_remove(*, resource: LevelResource) -> None:
    """Take a resource off its competency's level: it leaves the competency's page and the learning plans at once; its
    document, if any, is deleted from storage once the removal has committed (a rollback keeps both)."""
    stored = resource.file.name if resource.file else ""
    resource.delete()
    if stored:
        queue_on_commit("core.stored_file_delete", stored)
