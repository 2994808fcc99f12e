from django.contrib import admin

from clo.talent.models import ReadinessCategory


@admin.register(ReadinessCategory)
class ReadinessCategoryAdmin(admin.ModelAdmin):
    """HR edits the readiness list here (names in the three languages, the highest weighted gap of each)."""

    list_display = ("name_ca", "name_es", "name_en", "max_weighted_gap", "counts_as_ready_now")
