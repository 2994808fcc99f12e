"""Challenge projects: the list (the open ones for every employee, the managed ones for the learning office and
directors), post one, a project with its applicants ranked, apply, my applications, the approvals of a director's
subtree (and the escalated ones for the learning office), the owner's close with ratings, and the figures. A project
or an application out of a person's scope answers 404 whatever the method, HTMX included."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.people import roles
from clo.people.access import own_staff_record_or_404
from clo.talent.forms.projects import ApplyForm, CloseForm, DecisionForm, ProjectForm
from clo.talent.models import ChallengeProject
from clo.talent.selectors import projects as sel
from clo.talent.services import projects as services


def _visible(request, project_id: int) -> ChallengeProject:
    project = sel.project_for_page(project_id, request.user)
    if project is None:
        raise Http404
    return project


def _managed(request, project_id: int) -> ChallengeProject:
    project = _visible(request, project_id)
    if not sel.can_manage(request.user, project):
        raise Http404
    return project


@require_safe
def project_list(request):
    scope = roles.scope_of(request.user)
    if scope.employee_id is None and not scope.is_learning_office:
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in ChallengeProject.Status.values else ""
    context = {"projects": sel.projects_for_list(request.user, status=status), "status": status,
               "statuses": ChallengeProject.Status.choices, "can_post": sel.can_post(request.user)}
    return page_or_partial(request, "talent/projects/list.html", "projects", context)


@require_http_methods(["GET", "HEAD", "POST"])
def project_create(request):
    if not sel.can_post(request.user):
        raise Http404
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                title=data["title"], goal=data["goal"], unit=data["unit"], starts_on=data["starts_on"],
                ends_on=data["ends_on"], weekly_hours=data["weekly_hours"], required=form.pairs("required"),
                to_learn=form.pairs("learn"), owner=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The project was saved as a draft: open it for applications when ready."))
            return redirect_after_post(request, project.get_absolute_url())
    return page_or_partial(request, "talent/projects/create.html", "project-form", {"form": form},
                           status=422 if form.errors else 200)


def _detail_context(request, project: ChallengeProject) -> dict:
    can_manage = sel.can_manage(request.user, project)
    scope = roles.scope_of(request.user)
    return {
        "project": project, "competencies": sel.project_competencies(project), "can_manage": can_manage,
        "applicants": sel.ranked_applicants(project) if can_manage else None,
        "mine": sel.own_application(project, scope.employee_id),
        "moves": services.MOVES.get(project.status, ()) if can_manage else (),
    }


@require_safe
def project_detail(request, project_id: int):
    project = _visible(request, project_id)
    return page_or_partial(request, "talent/projects/detail.html", "project-body", _detail_context(request, project))


@require_POST
def project_status(request, project_id: int):
    project = _managed(request, project_id)
    try:
        services.project_move(project=project, to=request.POST.get("to", ""))
    except ValidationError as error:
        if wants_partial(request):
            context = {**_detail_context(request, project), "action_error": " ".join(error.messages)}
            return page_or_partial(request, "talent/projects/detail.html", "project-body", context, status=422)
        messages.error(request, " ".join(error.messages))
    return redirect_after_post(request, project.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def project_apply(request, project_id: int):
    project = sel.open_project_for_applying(project_id, request.user)
    if project is None:
        raise Http404
    me = own_staff_record_or_404(request)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_apply(project=project, employee=me, motivation=form.cleaned_data["motivation"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your application was sent to your director."))
            return redirect_after_post(request, reverse("talent:my_project_applications"))
    return page_or_partial(request, "talent/projects/apply.html", "apply-form", {"project": project, "form": form},
                           status=422 if form.errors else 200)


@require_safe
def my_project_applications(request):
    me = own_staff_record_or_404(request)
    return render(request, "talent/projects/mine.html", {"applications": sel.my_applications(me.pk)})


def _approvals(request, *, status: int = 200, form=None, failed_id: int | None = None):
    context = {"applications": sel.applications_to_decide(request.user), "form": form, "failed_id": failed_id,
               "is_learning_office": roles.scope_of(request.user).is_learning_office}
    return page_or_partial(request, "talent/projects/approvals.html", "approvals", context, status=status)


@require_safe
def project_approvals(request):
    scope = roles.scope_of(request.user)
    if not (scope.unit_paths or scope.is_learning_office):
        raise Http404
    return _approvals(request)


@require_POST
def application_decide(request, application_id: int):
    application = sel.application_to_decide(application_id, request.user)
    if application is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(application=application, approve=form.cleaned_data["decision"] == "approve",
                                        reason=form.cleaned_data["reason"], decided_by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not wants_partial(request):
                messages.success(request, _("Your answer was recorded; the applicant sees it."))
                return redirect("talent:project_approvals")
            return _approvals(request)
    if not wants_partial(request):
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("talent:project_approvals")
    return _approvals(request, status=422, form=form, failed_id=application.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def project_close(request, project_id: int):
    project = _managed(request, project_id)
    if project.status != ChallengeProject.Status.RUNNING:
        raise Http404
    participants = sel.participants(project)
    form = CloseForm(request.POST or None, participants=participants,
                     competencies=sel.project_competencies(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_close(project=project, ratings=form.ratings(), today=timezone.localdate())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The project is closed: its ratings now count in the participants' levels."))
            return redirect_after_post(request, project.get_absolute_url())
    return page_or_partial(request, "talent/projects/close.html", "close-form", {"project": project, "form": form},
                           status=422 if form.errors else 200)


@require_safe
def project_dashboard(request):
    scope = roles.scope_of(request.user)
    if not (scope.everything or scope.unit_paths):
        raise Http404
    figures = sel.project_figures(request.user)
    by_status = [(label, figures.by_status[value]) for value, label in ChallengeProject.Status.choices]
    return render(request, "talent/projects/dashboard.html", {"figures": figures, "by_status": by_status})
