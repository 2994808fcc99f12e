"""Itineraries: the list, one itinerary with the person's progress and the enrolment, and who follows which in a
director's subtree (everyone's for HR and the learning office)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.careers.forms.itineraries import ItineraryForm, StepForm
from clo.careers.selectors import itineraries as selectors
from clo.careers.selectors.explorer import job_families
from clo.careers.services.itineraries import (
    itinerary_create,
    itinerary_enrol,
    itinerary_step_add,
    itinerary_step_move,
    itinerary_step_remove,
)
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people.access import learning_office_only
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
               "can_see_people": selectors.can_see_people(request.user),
               "can_define": scope_of(request.user).is_learning_office}
    return page_or_partial(request, "careers/itineraries/list.html", "list", context)


@require_safe
def itinerary_detail(request, itinerary_id: int):
    me = _staff(request)
    itinerary = selectors.itinerary_of(itinerary_id)
    if itinerary is None:
        raise Http404
    return page_or_partial(request, "careers/itineraries/detail.html", "steps", _detail(request, itinerary, me))


def _detail(request, itinerary, me: int | None, **extra) -> dict:
    office = scope_of(request.user).is_learning_office
    return {"itinerary": itinerary, "steps": selectors.progress(itinerary, employee_id=me),
            "enrolment": selectors.enrolment_of(itinerary_id=itinerary.pk, employee_id=me), "me": me,
            "step_form": _step_form(itinerary) if office else None, "can_edit": office, **extra}


def _step_form(itinerary, data=None) -> StepForm:
    return StepForm(data, programs=selectors.programs_for_steps(), steps=selectors.steps_of(itinerary.pk))


@learning_office_only
@require_http_methods(["GET", "POST"])
def itinerary_create_view(request):
    form = ItineraryForm(request.POST or None, families=job_families())
    if request.method == "POST" and form.is_valid():
        try:
            itinerary = itinerary_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The itinerary is created: add its programs in order."))
            return redirect_after_post(request, reverse("careers:itinerary_detail", args=[itinerary.pk]))
    return page_or_partial(request, "careers/itineraries/new.html", "form", {"form": form},
                           status=422 if form.errors else 200)


@learning_office_only
@require_POST
def itinerary_step_add_view(request, itinerary_id: int):
    itinerary = selectors.itinerary_of(itinerary_id)
    if itinerary is None:
        raise Http404
    form = _step_form(itinerary, request.POST)
    if form.is_valid():
        try:
            itinerary_step_add(itinerary=itinerary, program=form.cleaned_data["program"],
                               prerequisites=form.cleaned_data["prerequisites"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The program is added to the itinerary."))
            return redirect_after_post(request, reverse("careers:itinerary_detail", args=[itinerary.pk]))
    context = {**_detail(request, itinerary, None), "step_form": form}
    return page_or_partial(request, "careers/itineraries/detail.html", "step_form", context, status=422)


def _step_change(request, itinerary_id: int, step_id: int, change, done: str):
    """Apply ``change`` to a step of the itinerary; refused: the steps again, the reason beside the step (422)."""
    itinerary = selectors.itinerary_of(itinerary_id)
    if itinerary is None:
        raise Http404
    step = next((s for s in itinerary.steps.all() if s.pk == step_id), None)
    if step is None:
        raise Http404
    try:
        change(step)
    except ValidationError as error:
        context = _detail(request, itinerary, scope_of(request.user).employee_id,
                          step_error={"step_id": step.pk, "message": " ".join(error.messages)})
        return page_or_partial(request, "careers/itineraries/detail.html", "steps", context, status=422)
    messages.success(request, done)
    return redirect_after_post(request, reverse("careers:itinerary_detail", args=[itinerary.pk]))


@learning_office_only
@require_POST
def itinerary_step_move_view(request, itinerary_id: int, step_id: int):
    direction = request.POST.get("direction", "")
    return _step_change(request, itinerary_id, step_id,
                        lambda step: itinerary_step_move(step=step, direction=direction), _("The step is moved."))


@learning_office_only
@require_POST
def itinerary_step_remove_view(request, itinerary_id: int, step_id: int):
    return _step_change(request, itinerary_id, step_id, lambda step: itinerary_step_remove(step=step),
                        _("The step is removed from the itinerary."))


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
