"""Competency frameworks: scales and levels, areas, competencies, level descriptors, position requirements.

Names and descriptions are translated with django-modeltranslation (see ``translation.py``): each translated field
gets real columns ``<field>_ca``, ``<field>_es``, ``<field>_en``. They are ordinary columns, so they can be filtered,
sorted, indexed and bulk-loaded like any other, and the admin edits the three languages side by side.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProficiencyScale(models.Model):
    """An ordered scale. Its ``Level`` rows are the only values a requirement, rating or target may take."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("proficiency scale")
        verbose_name_plural = _("proficiency scales")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_value(self) -> int:
        return max((level.value for level in self.levels.all()), default=0)


class Level(models.Model):
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scale"))
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=120)
    band = models.CharField(_("band"), max_length=120, blank=True, help_text=_("Group of levels, e.g. DigComp's 'Foundation'."))
    descriptor = models.TextField(_("descriptor"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "value"],
                name="competencies_level_unique_value",
                violation_error_message=_("This scale already has a level with this value."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1),
                name="competencies_level_value_positive",
                violation_error_message=_("A level's value must be 1 or more (0 means 'not demonstrated')."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} · {self.label}"


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class ConsolidationRule(models.TextChoices):
        """How the gap engine turns ratings into a current level (see evaluations.services)."""

        MANAGER_OVER_SELF = "manager_over_self", _("Validated manager rating outranks self-rating")
        MANAGER_ONLY = "manager_only", _("Manager ratings only")
        AVERAGE_SELF_MANAGER = "average_self_manager", _("Average of self and manager ratings")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("scale"))
    consolidation_rule = models.CharField(
        _("consolidation rule"), max_length=30, choices=ConsolidationRule.choices, default=ConsolidationRule.MANAGER_OVER_SELF
    )
    evidence_validity_months = models.PositiveSmallIntegerField(
        _("evidence validity (months)"), default=36, help_text=_("After this many months a rating no longer counts.")
    )
    # Knowledge at risk (clo.talent): a person holds a competency at expert level from this level of the scale up.
    # Empty: three quarters of the scale's top level, rounded up (3 of 4, 6 of 8): ``expert_threshold``.
    expert_level = models.PositiveSmallIntegerField(
        _("expert level"), null=True, blank=True,
        help_text=_("From this level up a person counts as an expert holder of a competency (empty: three quarters "
                    "of the scale's top level)."),
    )

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_validity_months__gte=1),
                name="competencies_framework_validity_positive",
                violation_error_message=_("Evidence must stay valid for at least one month."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def expert_threshold(self, top_level: int) -> int:
        """The level from which a holder counts as an expert, for a scale whose top level is ``top_level``."""
        return self.expert_level or max(1, -(-3 * top_level // 4))


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas", verbose_name=_("framework"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="competencies_area_unique_code",
                violation_error_message=_("This framework already has an area with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyQuerySet(models.QuerySet):
    def active(self) -> "CompetencyQuerySet":
        return self.exclude(framework__status=Framework.Status.ARCHIVED)


class Competency(models.Model):
    class Kind(models.TextChoices):
        TRANSVERSAL = "transversal", _("Transversal")
        TECHNICAL = "technical", _("Technical")
        DIGITAL = "digital", _("Digital")
        LEADERSHIP = "leadership", _("Leadership")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("framework")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competencies", verbose_name=_("area"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "area__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="competencies_competency_unique_code",
                violation_error_message=_("This framework already has a competency with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.area_id and self.framework_id and self.area.framework_id != self.framework_id:
            raise ValidationError({"area": _("The area must belong to the competency's framework.")})


class CompetencyLevelDescriptor(models.Model):
    """What a competency looks like at one level of its scale: behavioural indicators."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="descriptors", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    indicators = models.TextField(_("behavioural indicators"), help_text=_("One indicator per line."))

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "level"],
                name="competencies_descriptor_unique_level",
                violation_error_message=_("This competency already has a descriptor for this level."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} · {self.level}"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=False)


class Requirement(models.Model):
    """A position needs a competency at a level. ``weight`` ranks it among the position's requirements."""

    position = models.ForeignKey(
        "people.Position", on_delete=models.CASCADE, related_name="requirements", verbose_name=_("position")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("competency")
    )
    required_level = models.PositiveSmallIntegerField(_("required level"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    is_critical = models.BooleanField(_("critical"), default=False)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["position", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "competency"],
                name="competencies_requirement_unique_competency",
                violation_error_message=_("This position already requires this competency."),
            ),
            models.CheckConstraint(
                condition=Q(required_level__gte=1),
                name="competencies_requirement_level_positive",
                violation_error_message=_("The required level must be 1 or more."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10),
                name="competencies_requirement_weight_range",
                violation_error_message=_("The weight must be between 1 and 10."),
            ),
        ]
        indexes = [
            # gap engine: requirements joined to employees by position, competency.
            models.Index(fields=["competency", "position"], name="competencies_req_comp_pos"),
            # dashboards' critical positions (the Gap view for critical requirements only): an index-only scan.
            models.Index(fields=["position", "competency"], include=["required_level", "weight"],
                         condition=Q(is_critical=True), name="competencies_req_critical"),
        ]

    def __str__(self) -> str:
        return f"{self.position} → {self.competency.code} ≥ {self.required_level}"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.required_level, field="required_level", allow_zero=False)


# The kinds of document a resource may be (clo.core.uploads checks the content matches), and its size limit.
RESOURCE_FILE_KINDS = frozenset({"pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "txt"})
RESOURCE_MAX_BYTES = 10 * 1024 * 1024


class LevelResource(models.Model):
    """A document or a link that helps a person reach a level of a competency: shown on the competency's page and,
    for each gap, in learning plans ("resources for this gap"). Written through ``competencies.services``: the
    learning office for any competency, a community of practice's coordinators (clo.talent) for its competencies.
    ``community`` is the name of the community that added it, a label only (this layer knows nothing of
    communities)."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="resources", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("document"), upload_to="competency-resources/", blank=True, max_length=255)
    community = models.CharField(_("community"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["competency", "level", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="competencies_levelresource_link_or_file",
                violation_error_message=_("A resource is either a link or a document, not both."),
            ),
        ]
        indexes = [
            # the competency's page and the learning plans' "resources for this gap": by competency, then level.
            models.Index(fields=["competency", "level"], name="competencies_resource_level"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} · {self.level}: {self.title}"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level, field="level", allow_zero=False)
