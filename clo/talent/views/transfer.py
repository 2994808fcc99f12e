"""Views of knowledge-transfer plans: the holders who need a plan and the plans, open a plan, one plan with its
handover items (add, mark done, validate a shadowing session). A plan outside a person's scope answers 404 whatever
the method; a person who may see a plan but not act on it gets 404 on the actions too."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.talent.forms.transfer import HandoverItemForm, TransferPlanForm
from clo.talent.models import HandoverItem
from clo.talent.selectors import transfer as sel
from clo.talent.services import transfer as services

PAGE = "talent/transfer/plan.html"


def _plan_or_404(request, plan_id: int):
    plan = sel.plan_for_page(plan_id, request.user)
    if plan is None:
        raise Http404
    return plan


def _managed_plan(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    if not sel.can_manage_plan(request.user, plan):
        raise Http404
    return plan


def _context(request, plan, *, form=None) -> dict:
    items = sel.plan_items(plan)
    can_manage = sel.can_manage_plan(request.user, plan)
    return {
        "plan": plan, "items": items, "progress": sel.plan_progress(items), "can_manage": can_manage,
        "can_mark_done": sel.can_mark_done(request.user, plan),
        "form": (form or HandoverItemForm(plan=plan)) if can_manage else None,
    }


@require_safe
def transfer_plan_list(request):
    plans = sel.plans_for_list(request.user)
    can_manage = sel.can_manage_plans(request.user)
    if not can_manage and not plans:
        raise Http404
    holders = sel.holders_needing_plan(user=request.user, today=timezone.localdate()) if can_manage else []
    return render(request, "talent/transfer/list.html", {
        "plans": plans, "holders": holders, "can_manage": can_manage,
        "horizon_years": settings.CLO_SUCCESSION_HORIZON_YEARS})


@require_http_methods(["GET", "HEAD", "POST"])
def transfer_plan_create(request, employee_id: int):
    holder = sel.holder_for_new_plan(request.user, employee_id)
    if holder is None:
        raise Http404
    form = TransferPlanForm(request.POST or None, holder=holder)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.transfer_plan_create(holder=holder, created_by=request.user, today=timezone.localdate(),
                                                 **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The knowledge-transfer plan was created: add its handover items."))
            return redirect_after_post(request, plan.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "talent/transfer/create.html", "plan-form", {"holder": holder, "form": form},
                           status=status)


@require_safe
def transfer_plan_detail(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    return page_or_partial(request, PAGE, "plan-body", _context(request, plan))


@require_POST
def handover_item_add(request, plan_id: int):
    plan = _managed_plan(request, plan_id)
    form = HandoverItemForm(request.POST, plan=plan)
    if form.is_valid():
        services.handover_item_add(plan=plan, **form.cleaned_data)
        if not wants_partial(request):
            messages.success(request, _("The handover item was added."))
            return redirect(plan.get_absolute_url())
        return page_or_partial(request, PAGE, "plan-body", _context(request, plan))
    return page_or_partial(request, PAGE, "plan-body", _context(request, plan, form=form), status=422)


def _item_action(request, plan_id: int, item_id: int, *, manage: bool, action):
    plan = _managed_plan(request, plan_id) if manage else _plan_or_404(request, plan_id)
    if not manage and not sel.can_mark_done(request.user, plan):
        raise Http404
    item = get_object_or_404(HandoverItem, pk=item_id, plan=plan)
    try:
        action(item)
    except ValidationError as error:
        if not wants_partial(request):
            messages.error(request, " ".join(error.messages))
            return redirect(plan.get_absolute_url())
        context = {**_context(request, plan), "action_error": " ".join(error.messages)}
        return page_or_partial(request, PAGE, "plan-body", context, status=422)
    if not wants_partial(request):
        return redirect(plan.get_absolute_url())
    return page_or_partial(request, PAGE, "plan-body", _context(request, plan))


@require_POST
def handover_item_done(request, plan_id: int, item_id: int):
    return _item_action(request, plan_id, item_id, manage=False, action=lambda item: (
        services.handover_item_mark_done(item=item, today=timezone.localdate())))


@require_POST
def handover_item_validate(request, plan_id: int, item_id: int):
    return _item_action(request, plan_id, item_id, manage=True, action=lambda item: (
        services.handover_item_validate(item=item, validated_by=request.user, today=timezone.localdate())))
