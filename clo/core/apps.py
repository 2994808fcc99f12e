from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from clo.core import security

        security.connect_lockout_signal()

        from clo.core import tasks_files, tasks_retention  # noqa: F401 - registers the file deletion and the monthly
        # data-retention tasks
