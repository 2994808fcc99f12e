"""The learning office's page of gap analysis runs: the run in progress (polled while it lasts), the recent runs,
and "recalculate now"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clo.core import exports
from clo.people import roles
from evaluations import tables
from evaluations.gaps import selectors, services


def _require_learning_office(request) -> None:
    scope = roles.scope_of(request.user)
    if not (scope.has(roles.CLO) or request.user.is_superuser):
        raise Http404


@require_safe
def run_list(request):
    _require_learning_office(request)
    if (download := exports.export_response(request, lambda: tables.gap_runs(selectors.recent_runs()))):
        return download
    context = {"current": selectors.run_in_progress(), "runs": selectors.recent_runs(), "latest": selectors.latest_run()}
    template = "evaluations/gaps/runs.html"
    if request.htmx and not request.htmx.boosted:
        template += "#status"
    return render(request, template, context)


@require_POST
def run_request(request):
    _require_learning_office(request)
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
