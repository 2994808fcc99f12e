"""The imports pages' tables as plain rows, for CSV and XLSX export (``clo.core.exports``): the rows in error of one
import, which HR corrects in the source file, and the list of imports. One query each, whatever the number of rows."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.exports import Table


def _local(moment):
    """A moment as the local wall-clock time, to the second (spreadsheets know no time zones)."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def job_errors(job) -> Table:
    """Every stored row in error of an import (all pages of the page's list), in the user's language."""
    return Table(
        title=_("Rows in error · %(name)s") % {"name": job.original_name},
        columns=[_("Row"), _("Column"), _("Problem")],
        rows=[[error["row"], error["column"], error["message"]] for error in job.messages()],
    )


def jobs(queryset, labels: dict[str, str]) -> Table:
    """The imports, newest first (``queryset`` with ``requested_by`` joined); ``labels`` names each kind of data."""
    def by(job) -> str:
        user = job.requested_by
        return (user.get_full_name() or user.get_username()) if user else ""

    return Table(
        title=_("Imports"),
        columns=[_("Uploaded at"), _("File"), _("Data"), _("Status"), _("By"), _("Rows in the file"),
                 _("Rows in error"), _("Finished at")],
        rows=([_local(job.created_at), job.original_name, str(labels.get(job.kind, job.kind)), job.get_status_display(),
               by(job), job.total, job.error_count, _local(job.finished_at)]
              for job in queryset.iterator(chunk_size=2000)),
    )
