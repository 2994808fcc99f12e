"""Fields translated into ca/es/en by django-modeltranslation (columns <field>_ca, <field>_es, <field>_en)."""

from modeltranslation.translator import TranslationOptions, register

from programs.models import Program


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("title", "objectives", "contents")
