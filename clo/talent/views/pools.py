"""The successor pool of a critical position: suggestions from competency fit, the pool with readiness, and the
actions of HR, the learning office and the position's director (nominate, confirm, rank, emergency, plan)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.translation import gettext as _

from clo.core.audit import record_read
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.models import PersonalDataRead
from clo.talent.forms.pools import NominateForm, SuccessorActionForm
from clo.talent.models import Successor
from clo.talent.selectors import pools as sel
from clo.talent.services import pools as services

PAGE = "talent/pools/pool.html"


def _position_or_404(request, position_id: int):
    position = sel.position_for_pool(request.user, position_id)
    if position is None:
        raise Http404
    return position


def _context(request, position, *, error_form=None) -> dict:
    pool, suggestions = sel.pool(position), sel.suggested_successors(position, request.user)
    record_read(request, PersonalDataRead.What.SUCCESSORS,
                subjects=[c.employee.pk for c in [*pool, *suggestions]])
    return {"position": position, "requirements": list(sel.position_requirements(position.pk)), "pool": pool,
            "suggestions": suggestions, "categories": sel.readiness_categories(), "error_form": error_form}


def pool_page(request, position_id: int):
    position = _position_or_404(request, position_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return page_or_partial(request, PAGE, "pool", _context(request, position))


def successor_nominate(request, position_id: int):
    position = _position_or_404(request, position_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NominateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.successor_nominate(position=position, employee=form.cleaned_data["employee"], by=request.user)
            messages.success(request, _("The person was added to the successor pool."))
            return redirect_after_post(request, reverse("talent:successor_pool", args=[position.pk]))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, PAGE, "pool", _context(request, position, error_form=form), status=422)


def successor_update(request, position_id: int, successor_id: int):
    position = _position_or_404(request, position_id)
    successor = Successor.objects.filter(position=position, pk=successor_id).select_related("position").first()
    if successor is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SuccessorActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if action == "confirm":
            services.successor_confirm(successor=successor, by=request.user)
        elif action == "emergency":
            services.successor_mark_emergency(successor=successor)
        elif action == "rank":
            services.successor_rank(successor=successor, rank=form.cleaned_data["rank"])
        elif action == "plan":
            services.successor_plan_build(successor=successor)
        else:
            services.successor_remove(successor=successor)
        messages.success(request, _("The successor pool was updated."))
        return redirect_after_post(request, reverse("talent:successor_pool", args=[position.pk]))
    return page_or_partial(request, PAGE, "pool", _context(request, position, error_form=form), status=422)
