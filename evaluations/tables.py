"""The evaluations app's lists as plain rows, for CSV and XLSX export (``clo.core.exports``): each builder takes
what the page renders (same scope, same order, unpaginated) and writes the values it shows (choice labels, dates as
dates, numbers as numbers). A fixed number of queries each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.exports import Table


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment as the local wall-clock time, to the second (spreadsheets know no time zones)."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def campaigns(queryset) -> Table:
    """The assessment campaigns the user may see (``selectors.campaigns_visible_to``), newest first."""
    return Table(
        title=_("Assessment campaigns"),
        columns=[_("Name"), _("Kinds of rater"), _("Answers from"), _("Answers until"), _("Status"),
                 _("Period start"), _("Period end")],
        rows=[[c.name, c.get_kind_display(), c.opens_on, c.closes_on, c.get_status_display(), c.period_start,
               c.period_end] for c in queryset],
    )


def campaign_units(campaign, rows) -> Table:
    """A campaign's progress per unit (``selectors_campaigns.campaign_progress_by_unit``)."""
    return Table(
        title=_("Progress per unit · %(name)s") % {"name": campaign.name},
        columns=[_("Unit"), _("Assessments"), _("Answered"), _("Not answered yet")],
        rows=[[r["employee__unit__name"], r["total"], r["answered"], r["pending"]] for r in rows],
    )


def gap_runs(runs) -> Table:
    """The recent gap-analysis runs (``gaps.selectors.recent_runs``), newest first."""
    def requester(run) -> str:
        user = run.requested_by
        return (user.get_full_name() or user.get_username()) if user else ""

    return Table(
        title=_("Recent gap analysis runs"),
        columns=[_("Run"), _("Status"), _("Trigger"), _("Requested by"), _("Started"), _("Finished"),
                 _("Duration (s)"), _("Employees"), _("Pairs"), _("Error")],
        rows=[[run.pk, run.get_status_display(), run.get_trigger_display(), requester(run), _local(run.started_at),
               _local(run.finished_at), round(run.duration.total_seconds(), 1) if run.duration else None,
               run.employees, run.pairs, run.error_display] for run in runs],
    )
