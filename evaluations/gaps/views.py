"""The learning office's page of gap analysis runs: the run in progress (polled while it lasts), the recent runs,
and "recalculate now"."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clo.core import exports
from clo.core.htmx import page_or_partial
from clo.people.access import learning_office_only
from evaluations import tables
from evaluations.gaps import selectors, services


@learning_office_only
@require_safe
def run_list(request):
    if (download := exports.export_response(request, lambda: tables.gap_runs(selectors.recent_runs()))):
        return download
    context = {"current": selectors.run_in_progress(), "runs": selectors.recent_runs(), "latest": selectors.latest_run()}
    return page_or_partial(request, "evaluations/gaps/runs.html", "status", context)


@learning_office_only
@require_POST
def run_request(request):
    try:
        run, created = services.gaps_request_run(requested_by=request.user)
    except services.QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("evaluations:gap_runs")
    if created:
        messages.success(request, _("Recalculation requested: run #%(id)s. The figures change when it finishes.")
                         % {"id": run.pk})
    elif run.started_at:
        messages.info(request, _("Run #%(id)s is already in progress since %(since)s: no second run was queued.")
                      % {"id": run.pk, "since": f"{timezone.localtime(run.started_at):%H:%M}"})
    else:
        messages.info(request, _("Run #%(id)s is already waiting to start: no second run was queued.") % {"id": run.pk})
    return redirect("evaluations:gap_runs")
