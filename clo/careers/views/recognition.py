"""The learning office's figures of recognition: credits and badges by unit and by position group in a year, with
their downloads (CSV/XLSX). HR and the learning office only (everyone's figures); anyone else gets 404."""

from __future__ import annotations

import re

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_safe

from clo.careers.selectors import recognition as selectors
from clo.careers.tables import recognition as tables
from clo.core import exports
from clo.core.htmx import page_or_partial
from clo.people.roles import scope_of


def _year(request) -> int:
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    return int(value) if re.fullmatch(r"[0-9]{4}", value) and 2000 <= int(value) <= this_year + 1 else this_year


@require_safe
def recognition_figures(request):
    if not scope_of(request.user).everything:
        raise Http404
    figures = selectors.recognition_figures(year=_year(request))
    if (download := exports.export_response(request, {"": lambda: tables.by_unit(figures),
                                                      "groups": lambda: tables.by_group(figures)})):
        return download
    return page_or_partial(request, "careers/recognition/figures.html", "figures", {"figures": figures})
