"""The expertise directory: search it, choose whether and how you appear, write to a listed colleague."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from clo.core.audit import record_read
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.models import PersonalDataRead
from clo.people.access import own_staff_record, own_staff_record_or_404
from clo.people.roles import scope_of
from clo.talent.forms.expertise import MY_UNIT, ContactForm, DirectorySearchForm, ListingForm
from clo.talent.selectors import expertise as selectors
from clo.talent.services import expertise as services

PAGE_SIZE = 25


@require_safe
def directory(request):
    scope = scope_of(request.user)
    me = own_staff_record(request)
    if me is None and not scope.is_learning_office:
        raise Http404
    form = DirectorySearchForm(request.GET or None, competencies=selectors.searchable_competencies(),
                               has_unit=me is not None)
    page, query = None, ""
    if request.GET and form.is_valid():
        data = form.cleaned_data
        unit_path = me.unit.path if me is not None and data["where"] == MY_UNIT else ""
        rows = selectors.directory_search(competency_id=data["competency"].pk, min_level=data["min_level"],
                                          unit_path=unit_path)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_level_names(page.object_list)
        record_read(request, PersonalDataRead.What.EXPERTISE, subjects=[row.employee_id for row in page])
        query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {"form": form, "page": page, "query": query, "me": me}
    return page_or_partial(request, "talent/expertise/directory.html", "results", context,
                           status=422 if request.GET and not form.is_valid() else 200)


@require_http_methods(["GET", "POST"])
def my_listing(request):
    me = own_staff_record_or_404(request)
    listing = selectors.listing_of(employee_id=me.pk)
    shareable = selectors.shareable_levels(employee_id=me.pk)
    form = ListingForm(request.POST or None, instance=listing, shareable=shareable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.expertise_listing_save(
                employee_id=me.pk, listed=data["listed"], as_mentor=data["as_mentor"],
                as_trainer=data["as_trainer"], as_adviser=data["as_adviser"], note=data["note"],
                hidden_competency_ids=[c.pk for c in data["hidden_competencies"]])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("You appear in the expertise directory.") if data["listed"]
                             else _("You do not appear in the expertise directory."))
            return redirect_after_post(request, reverse("talent:expertise_me"))
    context = {"form": form, "shareable": shareable, "listing": listing}
    return page_or_partial(request, "talent/expertise/listing.html", "form", context,
                           status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def contact(request, employee_id: int):
    me = own_staff_record_or_404(request)
    entry = selectors.listed_entry(employee_id=employee_id)
    if entry is None or entry.employee_id == me.pk:
        raise Http404
    form = ContactForm(request.POST or None)
    competency = request.GET.get("about", "")[:200]
    if request.method == "POST" and form.is_valid():
        try:
            services.expertise_contact(sender=me, recipient_id=employee_id, message=form.cleaned_data["message"],
                                       competency_name=request.POST.get("about", "")[:200])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your message has been sent to %(name)s.") % {"name": entry.employee.full_name})
            return redirect_after_post(request, reverse("talent:expertise_directory"))
    context = {"form": form, "entry": entry, "about": competency or request.POST.get("about", "")[:200]}
    return render(request, "talent/expertise/contact.html", context, status=422 if form.errors else 200)
