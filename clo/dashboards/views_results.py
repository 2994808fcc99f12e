"""The learning office's "Training results (level 4)" panel: loaded after the CLO's board (HTMX), or as a page of its
own without JavaScript. It reads the stored snapshots (``clo.dashboards.results``), so the board's own query budget
does not grow with it."""

from __future__ import annotations

from django.http import Http404, HttpResponseNotAllowed

from clo.core import exports
from clo.core.htmx import page_or_partial
from clo.people.roles import scope_of
from clo.dashboards import tables
from clo.dashboards.results import training_results as read_results
from evaluations.gaps import selectors as gaps

TEMPLATE = "dashboards/training_results.html"


def training_results(request):
    if not scope_of(request.user).everything:  # first: for anybody else the page does not exist, whatever the method
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    results = read_results()
    if (download := exports.export_response(request, lambda: tables.training_results(results))):
        return download
    computed = bool(results.rows) or gaps.latest_run() is not None  # no snapshot may just mean no run yet
    return page_or_partial(request, TEMPLATE, "results", {"results": results, "gaps_computed": computed})
