"""The competency's page (its levels, their behavioural indicators and the resources attached to them) and the
download of a resource's document. Read-only: a competency of a framework in force is the whole council's; a draft
framework's competency answers 404 to anyone but the learning office and HR."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from clo.core import downloads, uploads
from competencies import selectors


@require_safe
def competency_detail(request, competency_id: int):
    competency = selectors.competency_for_page(competency_id, request.user)
    if competency is None:
        raise Http404
    return render(request, "competencies/competency.html",
                  {"competency": competency, "levels": selectors.competency_levels(competency)})


@require_safe
def resource_download(request, resource_id: int):
    resource = selectors.resource_for_download(resource_id, request.user)
    if resource is None:
        raise Http404
    return downloads.private_file(resource.file, filename=uploads.display_name(resource.file.name))
