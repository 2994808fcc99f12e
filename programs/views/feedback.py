"""Views of training evaluation (Kirkpatrick): the attendee's satisfaction questionnaire, the 90-day transfer
follow-up, the learning results sheet of a session, unanswered follow-ups, and a program's evaluation on the four
levels. Whatever is outside a person's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clo.core import exports
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people import roles
from clo.people.access import learning_office_only
from programs.selectors import feedback as selectors
from programs import tables
from programs.forms.feedback import LearningResultsForm, ReactionForm, TransferForm
from programs.models import Program, Session, TransferFollowUp
from programs.selectors.results import program_results
from programs.services import feedback as services

PAGE_SIZE = 50


@require_safe
@never_cache
def my_feedback(request):
    scope = roles.scope_of(request.user)
    if not scope.employee_id:
        raise Http404
    items = selectors.pending_feedback(scope.employee_id)
    if (download := exports.export_response(request, lambda: tables.pending_feedback(items))):
        return download
    return render(request, "programs/feedback/mine.html", {"items": items})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def reaction_answer(request, pk: int):
    enrolment = selectors.reaction_enrolment(request.user, pk)
    if enrolment is None:
        raise Http404
    if enrolment.status not in selectors.ATTENDED or enrolment.session.status == Session.Status.CANCELLED:
        raise Http404  # not an attendee: nothing to answer here
    now = timezone.now()
    refusal = services.reaction_refusal(enrolment, now=now)
    form = ReactionForm(request.POST or None) if not refusal else None
    if request.method == "POST" and form is not None and form.is_valid():
        scores = {name: form.cleaned_data[name] for name in selectors.SCORES}
        try:
            services.reaction_submit(enrolment=enrolment, scores=scores, comment=form.cleaned_data["comment"], now=now)
        except ValidationError as error:
            refusal, form = " ".join(error.messages), None
        else:
            messages.success(request, _("Thank you: your answers have been recorded."))
            return redirect_after_post(request, reverse("programs:my_feedback"))
    status = 422 if request.method == "POST" else 200
    context = {"enrolment": enrolment, "session": enrolment.session, "form": form, "refusal": refusal,
               "answered": selectors.reaction_of(enrolment.pk) if refusal else None}
    return page_or_partial(request, "programs/feedback/reaction.html", "questionnaire", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def transfer_answer(request, pk: int):
    follow_up = selectors.follow_up_for_respondent(request.user, pk)
    if follow_up is None:
        raise Http404
    is_manager = follow_up.respondent_role == TransferFollowUp.Respondent.MANAGER
    manager_of = follow_up.enrolment.employee.full_name if is_manager else ""
    refusal = _("This follow-up has already been answered: answers cannot be changed.") if follow_up.answered_at else ""
    form = TransferForm(request.POST or None, manager_of=manager_of) if not refusal else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.transfer_answer(follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            refusal, form = " ".join(error.messages), None
        else:
            messages.success(request, _("Thank you: your answer has been recorded."))
            return redirect_after_post(request, reverse("programs:my_feedback"))
    status = 422 if request.method == "POST" else 200
    context = {"follow_up": follow_up, "form": form, "refusal": refusal, "is_manager": is_manager}
    return page_or_partial(request, "programs/feedback/transfer.html", "follow_up", context, status=status)


@require_safe
@never_cache
def follow_up_list(request):
    scope = roles.scope_of(request.user)
    if not (scope.is_learning_office or scope.has(roles.DIRECTOR)):
        raise Http404
    follow_ups = selectors.unanswered_follow_ups(request.user)
    if (download := exports.export_response(request, lambda: tables.follow_ups(follow_ups))):
        return download
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_or_partial(request, "programs/feedback/follow_ups.html", "table", {"page": page})


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def learning_results(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("program"), pk=pk)
    enrolments = selectors.learning_sheet(session.pk)
    if (download := exports.export_response(
            request, lambda: tables.learning_results(session, enrolments))):
        return download
    form = LearningResultsForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_results_record(session=session, results=form.results(), by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The learning results have been recorded."))
            return redirect_after_post(request, reverse("programs:program_evaluation", args=[session.program_id]))
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/feedback/learning.html", "sheet", {"form": form, "session": session}, status=status)


@learning_office_only
@require_safe
def evaluation_index(request):
    programs = selectors.evaluated_programs()
    if (download := exports.export_response(request, lambda: tables.evaluated_programs(programs))):
        return download
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/feedback/index.html", {"page": page, "min_answers": selectors.MIN_ANSWERS})


@learning_office_only
@require_safe
def program_evaluation(request, pk: int):
    program = get_object_or_404(Program, pk=pk)
    if (download := exports.export_response(request, {
            "": lambda: tables.session_satisfaction(program, *selectors.program_satisfaction(program.pk)),
            "results": lambda: tables.program_results(
                program, program_results(program.pk, today=timezone.localdate()))})):
        return download
    total, sessions = selectors.program_satisfaction(program.pk)
    context = {"program": program, "satisfaction": total, "sessions": sessions,
               "learning": selectors.program_learning(program.pk), "transfer": selectors.program_transfer(program.pk),
               "results": program_results(program.pk, today=timezone.localdate()),
               "min_answers": selectors.MIN_ANSWERS}
    return render(request, "programs/feedback/program.html", context)
