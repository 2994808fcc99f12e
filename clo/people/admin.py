"""Admin for the organisation: units, positions, employees.

The unit tree's materialised path belongs to ``services``: creating a unit goes through ``orgunit_create`` and a
change of parent through ``orgunit_move`` (which rewrites the whole subtree), so ``path`` and ``depth`` are shown
read-only here. The form refuses a parent that is the unit itself or one of its subunits before anything is
written, with the service's own message.

The requirements of a position are edited inline on the position page, but that inline lives in
``competencies/admin.py`` (a layer above people), which re-registers ``PositionAdmin`` with it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clo.core.admin import ReadOnlyAdmin
from clo.core.tasks import queue_on_commit
from clo.people import services
from clo.people.models import Employee, OrgUnit, Position, UnitHeadcount


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = "__all__"

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk and unit.path and parent.path.startswith(unit.path):
            raise forms.ValidationError(gettext("A unit cannot be placed under itself or one of its own subunits."))
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitAdminForm
    list_display = ("code", "name", "kind", "parent", "depth", "active")
    list_filter = ("kind", "active", "depth")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "heads")
    readonly_fields = ("path", "depth")
    fields = ("code", "name", "kind", "parent", "heads", "active", "path", "depth")
    list_select_related = ("parent",)
    ordering = ("path",)

    def save_model(self, request, obj: OrgUnit, form, change: bool) -> None:
        if not change:
            created = services.orgunit_create(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent)
            # The admin goes on to save the form's m2m (heads) on ``obj``: make it the row just created.
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            obj._state.adding, obj._state.db = False, created._state.db
            if not obj.active:
                obj.save(update_fields=["active"])
            return
        new_parent = obj.parent
        # Everything but the tree position is a plain update; the parent goes through the service.
        plain = [f.name for f in OrgUnit._meta.concrete_fields if f.name not in {"id", "parent", "path", "depth"}]
        obj.save(update_fields=plain)
        if "parent" in form.changed_data:
            moved = services.orgunit_move(unit=obj, new_parent=new_parent)
            obj.parent, obj.path, obj.depth = moved.parent, moved.path, moved.depth


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "group", "job_family", "unit", "is_critical", "criticality", "active")
    list_filter = ("group", "is_critical", "active")
    search_fields = ("code", "title", "job_family")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)

    def save_model(self, request, obj: Position, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "group" in form.changed_data:  # the gap figures per position group follow its holders
            services.positions_regrouped(position_ids=[obj.pk])
        if {"is_critical", "criticality"} & set(form.changed_data):  # the knowledge-at-risk map (clo.talent)
            queue_on_commit("talent.knowledge_risk_rebuild")


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("employee_number", "last_name", "first_name", "unit", "position", "employment_type", "active")
    list_display_links = ("employee_number", "last_name")
    list_filter = ("active", "employment_type", "position__group", "language")
    search_fields = ("employee_number", "first_name", "last_name", "email", "user__username")
    autocomplete_fields = ("unit", "position", "manager", "user")
    list_select_related = ("unit", "position")
    fieldsets = (
        (None, {"fields": ("employee_number", "first_name", "last_name", "email", "user", "language", "active")}),
        (_("Job"), {"fields": ("unit", "position", "manager", "employment_type")}),
        (_("Dates"), {"fields": ("hire_date", "expected_retirement_date")}),
    )

    # The gap engine follows every write made here (a new person, another unit or position, deactivation).
    def save_model(self, request, obj: Employee, form, change: bool) -> None:
        previous_unit_id = form.initial.get("unit") if change else None
        super().save_model(request, obj, form, change)
        services.employee_saved(employee_id=obj.pk, previous_unit_id=previous_unit_id)

    def delete_model(self, request, obj: Employee) -> None:
        unit_id = obj.unit_id
        super().delete_model(request, obj)
        services.employees_removed(unit_ids=[unit_id])

    def delete_queryset(self, request, queryset) -> None:
        unit_ids = list(queryset.values_list("unit_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        services.employees_removed(unit_ids=unit_ids)


@admin.register(UnitHeadcount)
class UnitHeadcountAdmin(ReadOnlyAdmin):
    """The active employees of each unit and position group, counted by the database's triggers."""

    list_display = ("unit", "position_group", "active")
    list_filter = ("position_group",)
    list_select_related = ("unit",)
    search_fields = ("unit__code", "unit__name")
