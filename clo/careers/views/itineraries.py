"""Itineraries: the list, one itinerary with the person's progress and the enrolment, and who follows which in a
director's subtree (everyone's for HR and the learning office)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clo.careers.selectors import itineraries as selectors
from clo.careers.services.itineraries import itinerary_enrol
from clo.core.htmx import page_or_partial, redirect_after_post
from clo.people.roles import scope_of

PAGE_SIZE = 50


def _staff(request) -> int | None:
    """Itineraries are for the council's staff, and for the learning office and HR that look after them."""
    scope = scope_of(request.user)
    if scope.employee_id is None and not scope.everything:
        raise Http404
    return scope.employee_id


@require_safe
def itinerary_list(request):
    me = _staff(request)
    context = {"itineraries": list(selectors.active_itineraries()),
               "mine": selectors.my_itineraries(me) if me else [],
               "can_see_people": selectors.can_see_people(request.user)}
    return page_or_partial(request, "careers/itineraries/list.html", "list", context)


@require_safe
def itinerary_detail(request, itinerary_id: int):
    me = _staff(request)
    itinerary = selectors.itinerary_of(itinerary_id)
    if itinerary is None:
        raise Http404
    context = {"itinerary": itinerary, "steps": selectors.progress(itinerary, employee_id=me),
               "enrolment": selectors.enrolment_of(itinerary_id=itinerary.pk, employee_id=me), "me": me}
    return page_or_partial(request, "careers/itineraries/detail.html", "steps", context)


@require_POST
def itinerary_enrol_view(request, itinerary_id: int):
    me = _staff(request)
    itinerary = selectors.itinerary_of(itinerary_id)
    if itinerary is None or me is None:
        raise Http404
    try:
        itinerary_enrol(itinerary=itinerary, employee_id=me)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You follow the itinerary: its programs are in your learning plan."))
    return redirect_after_post(request, reverse("careers:itinerary_detail", args=[itinerary.pk]))


@require_safe
def itinerary_people(request):
    if not selectors.can_see_people(request.user):
        raise Http404
    rows = selectors.people_on_itineraries(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_or_partial(request, "careers/itineraries/people.html", "table", {"page": page})
