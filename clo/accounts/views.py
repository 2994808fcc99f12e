"""Views of the accounts app: HR's account page and invitations (404 for anybody else, directors included), the
invited person's link, the password reset, and the two-factor pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.accounts import forms, invitations, mfa, tables
from clo.accounts import selectors as sel
from clo.accounts.models import InvitationJob
from clo.core import exports
from clo.core.htmx import page_or_partial, redirect_after_post
from clo.people.models import Employee


def _hr_only(request) -> None:
    if not sel.can_manage_accounts(request.user):
        raise Http404


# --- HR: the account page and invitations -----------------------------------------------------------------------


@require_safe
def account_list(request):
    _hr_only(request)
    form = forms.AccountFilterForm(request.GET, units=sel.unit_choices())
    rows = sel.accounts(search=form.value("q", ""), unit=form.value("unit"), access=form.value("access", ""),
                        invitation=form.value("invitation", ""))
    if (download := exports.export_response(request, lambda: tables.accounts(rows))):
        return download
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(rows, sel.ACCOUNTS_PER_PAGE).get_page(form.value("page", 1))
    return page_or_partial(request, "accounts/accounts.html", "results",
                   {"form": form, "page": page, "base_query": query.urlencode()})


@require_http_methods(["GET", "HEAD", "POST"])
def invite(request):
    _hr_only(request)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = invitations.invitation_job_request(kind=data["kind"], employee=data.get("employee"),
                                                     unit=data.get("unit"), requested_by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("employee_number", message)
        except invitations.QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect_after_post(request, reverse("accounts:invite"))
        else:
            return redirect_after_post(request, reverse("accounts:invitation_job", args=[job.pk]))
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "accounts/invite.html", "invite-form",
                   {"form": form, "jobs": sel.recent_invitation_jobs()}, status=status)


@require_POST
def invitation_resend(request, employee_id: int):
    _hr_only(request)
    employee = get_object_or_404(Employee.objects.active(), pk=employee_id)
    try:
        job = invitations.invitation_job_request(kind=InvitationJob.Kind.PERSON, employee=employee,
                                                 requested_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:account_list")
    except invitations.QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("accounts:account_list")
    return redirect("accounts:invitation_job", job_id=job.pk)


@require_safe
def invitation_job(request, job_id: int):
    _hr_only(request)
    job = get_object_or_404(InvitationJob.objects.select_related("unit", "employee"), pk=job_id)
    return page_or_partial(request, "accounts/invitation_job.html", "progress", {"job": job})


# --- The invited person ------------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, uidb64: str, token: str):
    check = invitations.invitation_check(uidb64, token)
    if check.state != invitations.VALID or check.invitation is None or check.user is None:
        return render(request, "accounts/invitation_link.html", {"check": check, "uidb64": uidb64}, status=410
                      if check.state in (invitations.EXPIRED, invitations.USED) else 404)
    form = forms.InvitationPasswordForm(check.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.invitation_accept(invitation=check.invitation, user=check.user,
                                      password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Sign in with your employee number and your password."))
        return redirect("login")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", {"form": form, "check": check}, status=status)


@login_not_required
@require_POST
def invitation_renew(request, uidb64: str):
    """A new link to the address in the staff register (the page says the same whatever happened: it tells nobody
    whether the person exists or has an address)."""
    check = invitations.invitation_check(uidb64, "")
    if check.invitation is not None:
        invitations.invitation_renew(invitation=check.invitation)
    return render(request, "accounts/invitation_renewed.html")


# --- Password reset (Django's views, the project's templates) -----------------------------------------------------

password_reset = login_not_required(auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm, template_name="accounts/password_reset_form.html",
    email_template_name="accounts/email/password_reset.txt", subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
))
password_reset_done = login_not_required(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = login_not_required(auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.PasswordSetForm, template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
))
password_reset_complete = login_not_required(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


# --- Two-factor authentication -------------------------------------------------------------------------------------


def _mfa_user_only(request) -> None:
    if not mfa.mfa_required_for(request.user):
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_enrol(request):
    _mfa_user_only(request)
    if mfa.has_device(request.user) and not request.user.is_verified():
        return redirect(reverse("accounts:mfa_verify") + "?" + request.GET.urlencode())
    device = mfa.enrolment_device(request.user)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_confirm(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            return render(request, "accounts/mfa_recovery_codes.html",
                          {"codes": codes, "next": mfa.safe_next(request, reverse("home"))})
        form.add_error("token", _("This code is not right. Type the 6 digits your app shows now."))
    return render(request, "accounts/mfa_enrol.html", {
        "form": form, "qr": mfa.qr_svg_data_uri(device), "secret": mfa.secret_text(device),
        "next": mfa.safe_next(request, ""),
    }, status=422 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_verify(request):
    _mfa_user_only(request)
    if not mfa.has_device(request.user):
        return redirect(reverse("accounts:mfa_enrol") + "?" + request.GET.urlencode())
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(mfa.safe_next(request, reverse("home")))
        form.add_error("token", _("This code is not right, or too many wrong codes were typed: wait a moment and "
                                  "type the code your app shows now, or a recovery code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": mfa.safe_next(request, "")},
                  status=422 if request.method == "POST" else 200)
