from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """HR and learning-office imports: a generic engine and its job rows. Each domain app registers its importers
    in its own ``imports.py`` (found by ``registry.autodiscover``), so this package never imports a domain app."""

    name = "clo.core.imports"
    label = "imports"
    verbose_name = _("Imports")
