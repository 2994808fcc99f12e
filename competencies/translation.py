"""Fields translated into ca/es/en by django-modeltranslation (columns <field>_ca, <field>_es, <field>_en)."""

from modeltranslation.translator import TranslationOptions, register

from competencies.models import Area, Competency, CompetencyLevelDescriptor, Framework, Level, ProficiencyScale


@register(ProficiencyScale)
class ProficiencyScaleTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Level)
class LevelTranslation(TranslationOptions):
    fields = ("label", "band", "descriptor")


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Competency)
class CompetencyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CompetencyLevelDescriptor)
class DescriptorTranslation(TranslationOptions):
    fields = ("indicators",)
