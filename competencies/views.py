"""The competency's page (its levels, their behavioural indicators and the resources attached to them), the
download of a resource's document, and the learning office's forms to attach one and to take one off. Read-only: a competency of a framework in force is the whole council's; a draft
framework's competency answers 404 to anyone but the learning office and HR."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clo.core import downloads, uploads
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people import roles
from clo.people.access import learning_office_only
from competencies import selectors, services
from competencies.forms import ResourceForm
from competencies.models import Competency, LevelResource


@require_safe
def competency_detail(request, competency_id: int):
    competency = selectors.competency_for_page(competency_id, request.user)
    if competency is None:
        raise Http404
    return render(request, "competencies/competency.html", {
        "competency": competency, "levels": selectors.competency_levels(competency),
        "can_add": roles.scope_of(request.user).is_learning_office})


@require_safe
def resource_download(request, resource_id: int):
    resource = selectors.resource_for_download(resource_id, request.user)
    if resource is None:
        raise Http404
    return downloads.private_file(resource.file, filename=uploads.display_name(resource.file.name))


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def resource_add(request, competency_id: int):
    """The learning office attaches a link or a document to a level of any competency."""
    competency = selectors.competency_for_page(competency_id, request.user)
    if competency is None:
        raise Http404
    form = ResourceForm(request.POST or None, request.FILES or None, initial={"competency": competency},
                        competencies=Competency.objects.filter(pk=competency.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_add(competency=competency, level=data["level"], title=data["title"], url=data["url"],
                                  file=data["file"], added_by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The resource was added: it shows on the competency's page and in the "
                                        "learning plans of the people with a gap on it."))
            return redirect_after_post(request, reverse("competencies:competency_detail", args=[competency.pk]))
    return page_or_partial(request, "competencies/resource_add.html", "resource-form",
                           {"competency": competency, "form": form}, status=422 if form.errors else 200)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def resource_remove(request, resource_id: int):
    """The learning office takes a resource off a competency's level: a question first, the removal on POST."""
    resource = get_object_or_404(LevelResource.objects.select_related("competency"), pk=resource_id)
    back = reverse("competencies:competency_detail", args=[resource.competency_id])
    if request.method == "POST":
        services.resource_remove(resource=resource)
        messages.success(request, _("The resource was removed from the competency's page and the learning plans."))
        return redirect_after_post(request, back)
    return render(request, "competencies/resource_remove.html", {
        "resource": resource, "action": reverse("competencies:resource_remove", args=[resource.pk]), "back": back})
