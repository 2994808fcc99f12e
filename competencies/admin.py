"""Admin for competency frameworks. Translated models edit ca/es/en side by side (django-modeltranslation).

A level (requirement, descriptor) must be on the scale of the competency's framework. The models' ``clean()``
says so when the competency is known; the descriptors inline on a competency that is being created checks against
the framework chosen in the same form, so the person gets the message instead of the database trigger's error.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from clo.people.admin import PositionAdmin
from clo.people.models import Position
from competencies import services
from competencies.models import (
    Area,
    Competency,
    CompetencyLevelDescriptor,
    Framework,
    Level,
    LevelResource,
    ProficiencyScale,
    Requirement,
)


class LevelInline(TranslationTabularInline):
    model = Level
    extra = 0
    fields = ("value", "label", "band", "descriptor")


@admin.register(ProficiencyScale)
class ProficiencyScaleAdmin(TranslationAdmin):
    list_display = ("code", "name", "level_count")
    search_fields = ("code", "name_ca", "name_es", "name_en")
    inlines = (LevelInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_level_count=Count("levels"))

    @admin.display(description=_("levels"), ordering="_level_count")
    def level_count(self, obj: ProficiencyScale) -> int:
        return obj._level_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(Level)
class LevelAdmin(TranslationAdmin):
    list_display = ("scale", "value", "label", "band")
    list_filter = ("scale",)
    search_fields = ("label_ca", "label_es", "label_en", "scale__code")
    list_select_related = ("scale",)


class AreaInline(TranslationTabularInline):
    model = Area
    extra = 0
    fields = ("code", "name", "order")


@admin.register(Framework)
class FrameworkAdmin(TranslationAdmin):
    list_display = ("code", "name", "version", "status", "scale", "consolidation_rule", "competency_count")
    list_filter = ("status", "consolidation_rule", "scale")
    search_fields = ("code", "name_ca", "name_es", "name_en", "source")
    list_select_related = ("scale",)
    inlines = (AreaInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_competency_count=Count("competencies"))

    # Archiving a framework or changing how it consolidates evidence reaches the gap engine on commit.
    def save_model(self, request, obj: Framework, form, change: bool) -> None:
        previous = Framework.objects.values(*services.GAP_SETTINGS).filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if previous is not None:
            services.framework_changed(framework=obj, previous=previous)

    @admin.display(description=_("competencies"), ordering="_competency_count")
    def competency_count(self, obj: Framework) -> int:
        return obj._competency_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(Area)
class AreaAdmin(TranslationAdmin):
    list_display = ("code", "name", "framework", "order")
    list_filter = ("framework",)
    search_fields = ("code", "name_ca", "name_es", "name_en", "framework__code")
    list_select_related = ("framework",)


class DescriptorFormSet(BaseInlineFormSet):
    """On a competency being created there is no competency id yet: check the levels against the chosen framework."""

    def clean(self) -> None:
        super().clean()
        framework_id = getattr(self.instance, "framework_id", None)
        if self.instance.pk or framework_id is None:
            return  # CompetencyLevelDescriptor.clean() has already checked each row against the saved competency.
        values = set(Level.objects.filter(scale__frameworks__id=framework_id).values_list("value", flat=True))
        for form in self.forms:
            level = form.cleaned_data.get("level") if hasattr(form, "cleaned_data") else None
            if level is None or form.cleaned_data.get("DELETE") or level in values:
                continue
            if values:
                message = gettext("Level %(level)s is outside the scale of this competency (%(low)s to %(high)s).") % {
                    "level": level, "low": min(values), "high": max(values),
                }
            else:
                message = gettext("The competency's framework has no scale levels yet.")
            form.add_error("level", message)


class DescriptorInline(TranslationTabularInline):
    model = CompetencyLevelDescriptor
    formset = DescriptorFormSet
    extra = 0
    fields = ("level", "indicators")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency")


@admin.register(Competency)
class CompetencyAdmin(TranslationAdmin):
    list_display = ("code", "name", "framework", "area", "kind", "order")
    list_filter = ("kind", "framework")
    search_fields = ("code", "name_ca", "name_es", "name_en")
    autocomplete_fields = ("area",)
    list_select_related = ("framework", "area")
    inlines = (DescriptorInline,)


@admin.register(CompetencyLevelDescriptor)
class CompetencyLevelDescriptorAdmin(TranslationAdmin):
    list_display = ("competency", "level")
    list_filter = ("competency__framework",)
    search_fields = ("competency__code", "competency__name_ca", "indicators_ca")
    autocomplete_fields = ("competency",)
    list_select_related = ("competency",)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("position", "competency", "required_level", "weight", "is_critical")
    list_filter = ("is_critical", "competency__framework", "position__group")
    search_fields = ("position__code", "position__title", "competency__code", "competency__name_ca")
    autocomplete_fields = ("position", "competency")
    list_select_related = ("position", "competency")

    # The gap engine follows every write made here: the holders of the positions concerned are refreshed on commit.
    def save_model(self, request, obj: Requirement, form, change: bool) -> None:
        previous_position_id = form.initial.get("position") if change else None
        super().save_model(request, obj, form, change)
        services.requirements_changed(position_ids=[obj.position_id, previous_position_id])

    def delete_model(self, request, obj: Requirement) -> None:
        position_id = obj.position_id
        super().delete_model(request, obj)
        services.requirements_changed(position_ids=[position_id])

    def delete_queryset(self, request, queryset) -> None:
        position_ids = list(queryset.values_list("position_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        services.requirements_changed(position_ids=position_ids)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ("competency", "required_level", "weight", "is_critical")
    autocomplete_fields = ("competency",)

    def get_queryset(self, request):
        # Each row's heading is the requirement's __str__: position and competency code.
        return super().get_queryset(request).select_related("position", "competency")


# Positions live in clo.people, below this layer: the requirements inline is added here, not imported there.
admin.site.unregister(Position)


@admin.register(Position)
class PositionWithRequirementsAdmin(PositionAdmin):
    inlines = (*PositionAdmin.inlines, RequirementInline)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets if formset.model is Requirement):
            services.requirements_changed(position_ids=[form.instance.pk])


@admin.register(LevelResource)
class LevelResourceAdmin(admin.ModelAdmin):
    """Resources are added on the competency's and the community's pages, where the upload checks run; here the
    learning office finds them and removes one."""

    list_display = ("title", "competency", "level", "community", "added_by", "added_at")
    list_filter = ("competency__framework", "level")
    search_fields = ("title", "competency__code", "competency__name_ca", "community")
    list_select_related = ("competency", "added_by")
    fields = ("title", "url", "competency", "level", "file", "community", "added_by", "added_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
