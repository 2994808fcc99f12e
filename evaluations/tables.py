"""The evaluations app's lists as plain rows, for CSV and XLSX export (``clo.core.exports``): each builder takes
what the page renders (same scope, same order, unpaginated) and writes the values it shows (choice labels, dates as
dates, numbers as numbers). A fixed number of queries each."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from clo.core.catalan import of
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


def campaign_progress(campaign, rows) -> Table:
    """A campaign's assessments by kind of rater (``selectors.campaign_progress``), in the user's units or all."""
    return Table(
        title=_("Progress · %(name)s") % {"name": campaign.name},
        columns=[_("Kind of rater"), _("Assessments"), _("Answered"),
                 pgettext("number of assessments", "Validated"), _("Not answered yet"),
                 _("Share answered (%)")],
        rows=[[str(r["label"]), r["total"], r["answered"], r["validated"], r["pending"],
               None if r["percent"] is None else round(r["percent"], 1)] for r in rows],
    )


def campaign_pending(campaign, queryset) -> Table:
    """Who has not answered a campaign yet (``selectors.pending_assessments``): every page of the list."""
    return Table(
        title=_("Not answered yet · %(name)s") % {"name": campaign.name},
        columns=[_("Person assessed"), _("Unit"), _("Kind of rater"), _("Rater"), _("Status")],
        rows=([a.employee.full_name, a.employee.unit.name, a.get_role_display(), a.assessor.full_name,
               a.get_status_display()] for a in queryset.iterator(chunk_size=2000)),
    )


def campaign_peers(campaign, queryset) -> Table:
    """The people whose peers the user may choose (``selectors.peer_pickable_people``), with their number of peers."""
    return Table(
        title=_("Peers · %(name)s") % {"name": campaign.name},
        columns=[_("Person assessed"), _("Unit"), _("Peers")],
        rows=([p.full_name, p.unit.name, p.peer_count] for p in queryset.iterator(chunk_size=2000)),
    )


def _assessed(assessment) -> str:
    return _("Myself") if assessment.role == assessment.Role.SELF else assessment.employee.full_name


def assessments_to_fill(assessments) -> Table:
    """The assessments a person still has to answer (``selectors.assessments_to_fill``)."""
    return Table(
        title=_("To answer"),
        columns=[_("Person assessed"), _("Kind of rater"), _("Campaign"), _("Answer before")],
        rows=[[_assessed(a), a.get_role_display(), a.campaign.name, a.campaign.closes_on] for a in assessments],
    )


def assessments_to_validate(queryset) -> Table:
    """The self-assessments waiting for the person's validation (``selectors.assessments_to_validate``), all pages."""
    return Table(
        title=_("Self-assessments to validate"),
        columns=[_("Person"), _("Unit"), _("Campaign"), _("Submitted")],
        rows=[[a.employee.full_name, a.employee.unit.name, a.campaign.name if a.campaign else "",
               _local(a.submitted_at)] for a in queryset],
    )


def assessments_given(assessments) -> Table:
    """The assessments a person has answered (``selectors.assessments_given``), newest first."""
    return Table(
        title=_("Answered"),
        columns=[_("Person assessed"), _("Kind of rater"), _("Campaign"), _("Status")],
        rows=[[_assessed(a), a.get_role_display(), a.campaign.name if a.campaign else "", a.get_status_display()]
              for a in assessments],
    )


def _against_required(row) -> str:
    if row.shortfall is None:
        return _("No level yet") if row.required_level is not None else _("Not required by the position")
    if row.shortfall:
        return ngettext("Below: %(counter)s level short", "Below: %(counter)s levels short",
                        row.shortfall) % {"counter": row.shortfall}
    return _("Met")


def employee_results(employee, blocks) -> Table:
    """A person's results, one block per campaign (``selectors.employee_results``), as the results page shows them:
    the peers' mean only as released when a campaign closed (at least its anonymity threshold of answers), the
    column only when some campaign shows it, and for a 360° campaign why peers' results are or are not shown.
    Individual peer answers are not in the blocks to begin with."""
    peers = any(block.peers_shown for block in blocks)
    notes = any(block.has_peers for block in blocks)

    def row(block, r) -> list:
        cells = [block.campaign.name if block.campaign else _("Assessments outside a campaign"), r.competency.name,
                 r.required_level, r.self_level, r.manager_level, r.adjustment_reason]
        if peers:
            cells.append(round(r.peer_mean, 1) if r.peer_mean is not None else None)
        cells.append(_against_required(r))
        return cells + ([block.peers_note] if notes else [])

    return Table(
        title=_("Assessment results %(of_name)s") % {"of_name": of(employee.full_name)},
        columns=[_("Campaign"), _("Competency"), _("Required level"), _("Self-assessment"), _("Manager"),
                 _("Reason for the manager's level")] + ([_("Peers (mean)")] if peers else [])
                + [_("Against the required level")] + ([_("Peers' results")] if notes else []),
        rows=[row(block, r) for block in blocks for r in block.rows],
    )
