"""Mentoring relationships: the list (the learning office and HR: all; a director: their subtree's mentees; anyone:
their own as mentor or mentee), start one (from a knowledge-transfer plan, pre-filled), one relationship with its
meetings, and record a meeting. Out of a person's scope everything answers 404, whatever the method, HTMX included."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.people import roles
from clo.people.models import Employee
from clo.talent.forms.mentoring import MeetingForm, MentoringForm
from clo.talent.models import MentoringRelationship
from clo.talent.selectors import mentoring as sel
from clo.talent.services import mentoring as services

PAGE = "talent/mentoring/detail.html"


def _relationship(request, relationship_id: int) -> MentoringRelationship:
    relationship = sel.relationship_for_page(request.user, relationship_id)
    if relationship is None:
        raise Http404
    return relationship


@require_safe
def mentoring_list(request):
    scope = roles.scope_of(request.user)
    if scope.employee_id is None and not scope.everything:
        raise Http404
    return page_or_partial(request, "talent/mentoring/list.html", "relationships", {
        "relationships": sel.relationships_for_list(request.user), "can_create": sel.can_create(request.user)})


def _transfer_plan(request):
    plan_id = request.GET.get("transfer_plan") or request.POST.get("transfer_plan") or ""
    if not plan_id:
        return None
    plan = sel.transfer_plan_for_mentoring(request.user, int(plan_id)) if re.fullmatch(r"[0-9]{1,9}", plan_id) else None
    if plan is None:
        raise Http404
    return plan


@require_http_methods(["GET", "HEAD", "POST"])
def mentoring_create(request):
    if not sel.can_create(request.user):
        raise Http404
    plan = _transfer_plan(request)
    initial = {"starts_on": timezone.localdate()}
    if plan is not None:
        initial |= {"mentor": plan.holder.employee_number, "mentee": plan.successor.employee_number,
                    "ends_on": plan.leaving_on}
    form = MentoringForm(request.POST or None, initial=initial, mentees=Employee.objects.visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.mentoring_create(created_by=request.user, transfer_plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The mentoring relationship was created: record its meetings here."))
            return redirect_after_post(request, relationship.get_absolute_url())
    return page_or_partial(request, "talent/mentoring/create.html", "mentoring-form", {"form": form, "plan": plan},
                           status=422 if form.errors else 200)


def _context(request, relationship, *, form=None) -> dict:
    record = sel.can_record_meeting(request.user, relationship)
    return {"relationship": relationship, "can_record": record,
            "form": (form or MeetingForm(initial={"held_on": timezone.localdate()})) if record else None,
            "meetings": list(relationship.meetings.all())}


@require_safe
def mentoring_detail(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    return page_or_partial(request, PAGE, "meetings", _context(request, relationship))


@require_POST
def meeting_add(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not sel.can_record_meeting(request.user, relationship):
        raise Http404
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_add(relationship=relationship, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not wants_partial(request):
                messages.success(request, _("The meeting was recorded."))
                return redirect_after_post(request, relationship.get_absolute_url())
            relationship = _relationship(request, relationship_id)
            return page_or_partial(request, PAGE, "meetings", _context(request, relationship))
    return page_or_partial(request, PAGE, "meetings", _context(request, relationship, form=form), status=422)
