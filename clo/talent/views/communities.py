"""Communities of practice: the list (the ones published to a person, their subtree's for a director, all for the
learning office), create and edit one, its page (members, requests, meetings, resources), join, leave, answer a
request, name a coordinator, plan a meeting, enrol the members, sign up, record who came, add a resource. A community
out of a person's scope answers 404 whatever the method, HTMX included; managing is for the learning office and the
community's coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.people import roles
from clo.people.access import learning_office_only, own_staff_record_or_404
from clo.talent.forms.communities import CommunityForm, MeetingAttendanceForm, MeetingForm
from clo.talent.forms.projects import DecisionForm
from clo.talent.models import Community
from clo.talent.selectors import communities as sel
from clo.talent.services import communities as services
from competencies import services as competency_services
from competencies.forms import ResourceForm
PAGE = "talent/communities/detail.html"


def _visible(request, community_id: int) -> Community:
    community = sel.community_for_page(community_id, request.user)
    if community is None:
        raise Http404
    return community


def _managed(request, community_id: int) -> Community:
    community = _visible(request, community_id)
    if not sel.can_manage(request.user, community):
        raise Http404
    return community


@require_safe
def community_list(request):
    if not sel.can_list(request.user):
        raise Http404
    mine = request.GET.get("mine") == "1"
    context = {"communities": sel.communities_for_list(request.user, mine=mine), "mine": mine,
               "can_create": sel.can_create(request.user)}
    return page_or_partial(request, "talent/communities/list.html", "communities", context)


def _form_page(request, form, community=None):
    return page_or_partial(request, "talent/communities/form.html", "community-form",
                           {"form": form, "community": community}, status=422 if form.errors else 200)


def _save(request, form) -> Community | None:
    try:
        return services.community_save(community=form.save(commit=False), competencies=form.cleaned_data[
            "competencies"], coordinators=form.cleaned_data.get("coordinators"))
    except ValidationError as error:
        apply_errors(form, error)
        return None


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def community_create(request):
    form = CommunityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and (community := _save(request, form)):
        messages.success(request, _("The community was created."))
        return redirect_after_post(request, community.get_absolute_url())
    return _form_page(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
def community_edit(request, community_id: int):
    community = _managed(request, community_id)
    form = CommunityForm(request.POST or None, instance=community, user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("The community was saved."))
        return redirect_after_post(request, community.get_absolute_url())
    return _form_page(request, form, community)


def _detail_context(request, community: Community, **extra) -> dict:
    scope = roles.scope_of(request.user)
    can_manage = sel.can_manage(request.user, community)
    mine = sel.own_membership(community, scope.employee_id)
    return {
        "community": community, "competencies": sel.competencies(community), "members": sel.members(community),
        "requests": sel.requests(community) if can_manage else [], "can_manage": can_manage, "mine": mine,
        "is_member": bool(mine and mine.status == "member"),
        "can_join": (mine is None or mine.status == "refused") and sel.can_join(request.user, community),
        "meetings": sel.meetings(community, employee_id=scope.employee_id),
        "resources": sel.resources(community), "now": timezone.now(), **extra,
    }


def _detail(request, community: Community, *, status: int = 200, **extra):
    return page_or_partial(request, PAGE, "community-body", _detail_context(request, community, **extra),
                           status=status)


@require_safe
def community_detail(request, community_id: int):
    return _detail(request, _visible(request, community_id))


def _act(request, community: Community, action, success: str):
    """Run ``action``; the page again (its body for HTMX) with the message, or the error at the top."""
    try:
        action()
    except ValidationError as error:
        if wants_partial(request):
            return _detail(request, community, status=422, action_error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
        if wants_partial(request):
            return _detail(request, community)
    return redirect_after_post(request, community.get_absolute_url())


@require_POST
def community_join(request, community_id: int):
    community = _visible(request, community_id)
    if not sel.can_join(request.user, community):
        raise Http404
    me = own_staff_record_or_404(request)
    success = (_("Welcome to the community.") if community.joining == Community.Joining.OPEN
               else _("Your request was sent to the coordinators."))
    return _act(request, community, lambda: services.community_join(community=community, employee=me), success)


@require_POST
def community_leave(request, community_id: int):
    community = _visible(request, community_id)
    me = own_staff_record_or_404(request)
    return _act(request, community, lambda: services.community_leave(community=community, employee=me),
                _("You have left the community."))


@require_POST
def community_request_decide(request, community_id: int, membership_id: int):
    community = _managed(request, community_id)
    membership = sel.pending_request(community, membership_id)
    if membership is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        if wants_partial(request):
            return _detail(request, community, status=422, decision_form=form, failed_id=membership.pk)
        messages.error(request, errors)
        return redirect_after_post(request, community.get_absolute_url())
    return _act(request, community, lambda: services.membership_decide(
        membership=membership, accept=form.cleaned_data["decision"] == "approve",
        reason=form.cleaned_data["reason"], decided_by=request.user), _("Your answer was recorded."))


@require_POST
def community_coordinator(request, community_id: int, membership_id: int):
    community = _managed(request, community_id)
    membership = community.memberships.filter(pk=membership_id, status="member").select_related("employee").first()
    if membership is None:
        raise Http404
    make = request.POST.get("coordinator") == "1"
    return _act(request, community, lambda: services.coordinator_set(
        community=community, employee=membership.employee, coordinator=make), _("The coordinators were changed."))


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request, community_id: int):
    community = _managed(request, community_id)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_create(community=community, starts_at=data["starts_at"], ends_at=data["ends_at"],
                                    place=data["place"], online_url=data["online_url"], capacity=data["capacity"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting was planned: enrol the members or let them sign up."))
            return redirect_after_post(request, community.get_absolute_url())
    return page_or_partial(request, "talent/communities/meeting.html", "meeting-form",
                           {"community": community, "form": form}, status=422 if form.errors else 200)


def _meeting(community: Community, meeting_id: int):
    meeting = sel.meeting_of(community, meeting_id)
    if meeting is None:
        raise Http404
    return meeting


@require_POST
def meeting_sign_up(request, community_id: int, meeting_id: int):
    community = _visible(request, community_id)
    meeting = _meeting(community, meeting_id)
    me = own_staff_record_or_404(request)
    if not community.memberships.filter(employee=me, status="member").exists():
        raise Http404
    return _act(request, community, lambda: services.meeting_sign_up(meeting=meeting, employee=me),
                _("You are signed up: the meeting is in your calendar."))


@require_POST
def meeting_enrol_members(request, community_id: int, meeting_id: int):
    community = _managed(request, community_id)
    meeting = _meeting(community, meeting_id)
    return _act(request, community, lambda: services.meeting_enrol_members(community=community, meeting=meeting),
                _("The members have a seat in the meeting and its invitation."))


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_attendance(request, community_id: int, meeting_id: int):
    community = _managed(request, community_id)
    meeting = _meeting(community, meeting_id)
    roster = sel.meeting_roster(meeting)
    form = MeetingAttendanceForm(request.POST or None, roster=roster)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_attendance_record(meeting=meeting, attended=set(form.cleaned_data["attended"]))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendance has been recorded: the hours count in the training figures."))
            return redirect_after_post(request, community.get_absolute_url())
    return page_or_partial(request, "talent/communities/attendance.html", "attendance-form",
                           {"community": community, "meeting": meeting, "form": form},
                           status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def resource_add(request, community_id: int):
    community = _managed(request, community_id)
    form = ResourceForm(request.POST or None, request.FILES or None, competencies=community.competencies.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_add(community=community, competency=data["competency"], level=data["level"],
                                  title=data["title"], url=data["url"], file=data["file"], added_by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The resource was added: it shows on the competency's page and in the "
                                        "learning plans of the people with a gap on it."))
            return redirect_after_post(request, community.get_absolute_url())
    return page_or_partial(request, "talent/communities/resource.html", "resource-form",
                           {"community": community, "form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def resource_remove(request, community_id: int, resource_id: int):
    """A coordinator takes off a resource the community added: a question first, the removal on POST."""
    community = _managed(request, community_id)
    resource = sel.own_resource(community, resource_id)
    if resource is None:
        raise Http404
    if request.method == "POST":
        competency_services.resource_remove(resource=resource)
        messages.success(request, _("The resource was removed from the competency's page and the learning plans."))
        return redirect_after_post(request, community.get_absolute_url())
    return render(request, "competencies/resource_remove.html", {
        "resource": resource, "community": community, "back": community.get_absolute_url(),
        "action": reverse("talent:community_resource_remove", args=[community.pk, resource.pk])})
