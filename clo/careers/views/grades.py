"""Horizontal career pages: my career (and a person's, for their director and HR), the people eligible for their next
grade (CSV/XLSX), HR's rules and the re-evaluation job. Out of scope is a 404 whatever the method."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.careers.forms.grades import CareerRuleForm, EligibilityForm
from clo.careers.selectors import grades as selectors
from clo.careers.selectors.recognition import recognition_of
from clo.careers.services import grades as services
from clo.careers.tables import grades as tables
from clo.core import exports
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.tasks import QueueUnavailable
from clo.people.roles import scope_of

PAGE_SIZE = 50


def _career_page(request, employee):
    progress, today = selectors.progress_of(employee), timezone.localdate()
    context = {"employee": employee, "progress": progress, "today": today, "eligible": progress.eligible_on(today),
               "is_self": employee.pk == scope_of(request.user).employee_id,
               "recognition": recognition_of(employee)}
    return render(request, "careers/grades/person.html", context)


@require_safe
def my_career(request):
    scope = scope_of(request.user)
    if scope.employee_id is None:
        raise Http404
    return _career_page(request, selectors.person_in_scope(request.user, scope.employee_id))


@require_safe
def person_career(request, employee_id: int):
    return _career_page(request, selectors.person_in_scope(request.user, employee_id))


@require_safe
def eligibility(request):
    if not selectors.can_see_eligibility(scope_of(request.user)):
        raise Http404
    form = EligibilityForm(request.GET)
    months, group = form.values()
    today = timezone.localdate()
    rows = selectors.eligible_people(request.user, today=today, months=months, group=group)
    if (download := exports.export_response(request, lambda: tables.eligible_people(rows, today=today))):
        return download
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.eligible_now = selectors.is_eligible(row, today)
    context = {"form": EligibilityForm(initial={"months": months, "group": group}), "page": page, "months": months,
               "query": urlencode({"months": months, "group": group}), "job": selectors.latest_job()}
    return page_or_partial(request, "careers/grades/eligibility.html", "results", context)


def _manager(request):
    if not selectors.can_manage_rules(scope_of(request.user)):
        raise Http404


def _save_rule(request, form, rule=None):
    """Bind, save through the service (which queues the re-evaluation), and go to the job's page."""
    if request.method == "POST" and form.is_valid():
        try:
            job = services.career_rule_save(rule=form.instance, requested_by=request.user)
            return redirect_after_post(request, reverse("careers:evaluation_job", args=[job.pk]))
        except ValidationError as error:
            apply_errors(form, error)
        except QueueUnavailable as error:
            form.add_error(None, str(error))
    status = 422 if form.is_bound else 200
    return page_or_partial(request, "careers/grades/rules.html", "form",
                           {"form": form, "rule": rule, "rules": selectors.rules(), "job": selectors.latest_job()},
                           status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def rules(request):
    _manager(request)
    return _save_rule(request, CareerRuleForm(request.POST or None))


@require_http_methods(["GET", "HEAD", "POST"])
def rule_edit(request, rule_id: int):
    _manager(request)
    rule = selectors.rule_or_404(rule_id)
    return _save_rule(request, CareerRuleForm(request.POST or None, instance=rule), rule)


@require_POST
def rule_delete(request, rule_id: int):
    _manager(request)
    job = services.career_rule_delete(rule=selectors.rule_or_404(rule_id), requested_by=request.user)
    return redirect_after_post(request, reverse("careers:evaluation_job", args=[job.pk]))


@require_safe
def evaluation_job(request, job_id: int):
    _manager(request)
    job = selectors.job_or_404(job_id)
    return page_or_partial(request, "careers/grades/job.html", "progress", {"job": job})
