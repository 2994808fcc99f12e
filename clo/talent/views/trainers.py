"""The pool of internal trainers and mentors: the directory (the learning office and HR: everyone; a director: their
subtree), add a person, one trainer with their figures and sessions, edit, deactivate, and assign them to a session
of the catalogue. Keeping the pool is the learning office's; out of a person's scope everything answers 404, whatever
the method, HTMX included."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people.access import learning_office_only
from clo.talent.forms.trainers import TrainerAddForm, TrainerAssignForm, TrainerForm
from clo.talent.models import InternalTrainer
from clo.talent.selectors import trainers as sel
from clo.talent.services import trainers as services

PAGE = "talent/trainers/detail.html"


def _year(request) -> int:
    """The year of the figures (``?year=``), this year when absent or not a plausible year."""
    this_year = timezone.localdate().year
    value = request.GET.get("year", "")
    return int(value) if re.fullmatch(r"[0-9]{4}", value) and 2000 <= int(value) <= this_year + 1 else this_year


def _trainer(request, trainer_id: int) -> InternalTrainer:
    trainer = sel.trainer_for_page(request.user, trainer_id, year=_year(request))
    if trainer is None:
        raise Http404
    return trainer


def _detail_context(request, trainer: InternalTrainer, *, assign_form=None) -> dict:
    manage = sel.can_manage_pool(request.user)
    return {"trainer": trainer, "year": _year(request), "min_answers": sel.MIN_ANSWERS, "can_manage": manage,
            "sessions": sel.trainer_sessions(trainer.employee_id),
            "assign_form": (assign_form or TrainerAssignForm()) if manage and trainer.active else None}


@require_safe
def trainer_list(request):
    if not sel.can_see_pool(request.user):
        raise Http404
    year, manage = _year(request), sel.can_manage_pool(request.user)
    trainers = sel.pool_for_list(request.user, year=year, include_inactive=manage)
    return page_or_partial(request, "talent/trainers/list.html", "pool", {
        "trainers": trainers, "year": year, "can_manage": manage, "min_answers": sel.MIN_ANSWERS})


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def trainer_add(request):
    form = TrainerAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            trainer = services.trainer_add(employee=data["employee"], teaches=data["teaches"],
                                           mentors=data["mentors"], competencies=data["competencies"],
                                           availability=data["availability"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is in the pool of internal trainers.")
                             % {"name": trainer.employee.full_name})
            return redirect_after_post(request, trainer.get_absolute_url())
    return page_or_partial(request, "talent/trainers/form.html", "trainer-form", {"form": form, "trainer": None},
                           status=422 if form.errors else 200)


@require_safe
def trainer_detail(request, trainer_id: int):
    trainer = _trainer(request, trainer_id)
    return page_or_partial(request, PAGE, "trainer-body", _detail_context(request, trainer))


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def trainer_edit(request, trainer_id: int):
    trainer = _trainer(request, trainer_id)
    form = TrainerForm(request.POST or None, instance=trainer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.trainer_update(trainer=trainer, teaches=data["teaches"], mentors=data["mentors"],
                                competencies=data["competencies"], availability=data["availability"])
        messages.success(request, _("The internal trainer's details were saved."))
        return redirect_after_post(request, trainer.get_absolute_url())
    return page_or_partial(request, "talent/trainers/form.html", "trainer-form", {"form": form, "trainer": trainer},
                           status=422 if form.errors else 200)


@learning_office_only
@require_POST
def trainer_deactivate(request, trainer_id: int):
    trainer = _trainer(request, trainer_id)
    services.trainer_deactivate(trainer=trainer)
    messages.success(request, _("%(name)s is no longer in the pool: the sessions they taught keep them.")
                     % {"name": trainer.employee.full_name})
    return redirect_after_post(request, trainer.get_absolute_url())


@learning_office_only
@require_POST
def trainer_assign(request, trainer_id: int):
    trainer = _trainer(request, trainer_id)
    form = TrainerAssignForm(request.POST)
    if form.is_valid():
        try:
            services.trainer_assign(trainer=trainer, session=form.cleaned_data["session"])
        except ValidationError as error:
            apply_errors(form, ValidationError({"session": error.messages}))  # the form's one field
        else:
            messages.success(request, _("%(name)s teaches the session %(code)s.")
                             % {"name": trainer.employee.full_name, "code": form.cleaned_data["session"].code})
            return redirect_after_post(request, trainer.get_absolute_url())
    return page_or_partial(request, PAGE, "assign-form", _detail_context(request, trainer, assign_form=form),
                           status=422)
