"""Badges: a person's own, one badge (share, download, revoke), the public verification page, and the issuer's
public documents (its profile, its JWKS and its revocation status lists) that a verifier reads without signing in."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.careers.forms.badges import RevokeForm, ShareForm
from clo.careers.selectors import badges as selectors
from clo.careers.services import badges as services
from clo.core.downloads import attachment, file_name
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people.roles import scope_of

STATUS_LIST_MAX_AGE = 300  # seconds a verifier may keep a status list before reading it again
FORMATS = {"json": "application/json", "png": "image/png", "svg": "image/svg+xml"}


@require_safe
def badge_list(request):
    scope = scope_of(request.user)
    if scope.employee_id is None:
        raise Http404
    return render(request, "careers/badges/list.html", {"badges": selectors.badges_of(scope.employee_id)})


def _badge(request, badge_id: int):
    badge = selectors.badge_for(request.user, badge_id)
    if badge is None:
        raise Http404
    return badge


@require_http_methods(["GET", "POST"])
def badge_detail(request, badge_id: int):
    badge = _badge(request, badge_id)
    holder = selectors.is_holder(request.user, badge)
    form = ShareForm(request.POST or None, initial={"share_name": badge.share_name})
    if request.method == "POST":
        if not holder:
            raise Http404
        if form.is_valid():
            services.badge_share(badge=badge, share_name=form.cleaned_data["share_name"])
            messages.success(request, _("Your choice is saved."))
            return redirect_after_post(request, reverse("careers:badge_detail", args=[badge.pk]))
    context = {"badge": badge, "holder": holder, "form": form, "verify_url": services.verification_url(badge),
               "revoke_form": RevokeForm() if selectors.can_revoke(request.user) and not badge.revoked else None,
               "claims": services.credential_claims(badge)}
    return page_or_partial(request, "careers/badges/detail.html", "share", context,
                           status=422 if form.errors else 200)


@require_POST
def badge_revoke(request, badge_id: int):
    if not selectors.can_revoke(request.user):
        raise Http404
    badge = _badge(request, badge_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.badge_revoke(badge=badge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The badge is revoked: its public page says so."))
            return redirect_after_post(request, reverse("careers:badge_detail", args=[badge.pk]))
    context = {"badge": badge, "holder": False, "form": ShareForm(), "revoke_form": form,
               "verify_url": services.verification_url(badge), "claims": services.credential_claims(badge)}
    return render(request, "careers/badges/detail.html", context, status=422)


@require_safe
def badge_download(request, badge_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    badge = _badge(request, badge_id)
    if fmt == "png":
        body = services.baked_png(badge)
    else:
        body = (services.credential_json(badge) if fmt == "json" else services.baked_svg(badge)).encode()
    return attachment(body, content_type=FORMATS[fmt], filename=file_name(badge.name, fmt))


@login_not_required
@require_safe
def badge_verify(request, public_id):
    """The public page of a badge: no sign-in, only the badge, its status and the name if its holder shares it."""
    badge = selectors.public_badge(public_id)
    if badge is None:
        raise Http404
    try:
        claims, problem = services.badge_verify(badge.credential), ""
    except ValidationError as error:
        claims, problem = services.credential_claims(badge), " ".join(error.messages)
    credential = claims["vc"]
    context = {"badge": badge, "credential": credential, "achievement": credential["credentialSubject"]["achievement"],
               "problem": problem, "issuer": credential["issuer"]["name"]}
    return render(request, "careers/badges/verify.html", context)


@login_not_required
@require_safe
def issuer_jwks(request):
    return JsonResponse(services.public_jwks())


@login_not_required
@require_safe
@cache_control(public=True, max_age=STATUS_LIST_MAX_AGE)
def badge_status_list(request, number: int):
    """The issuer's revocation status list ``number`` (W3C Bitstring Status List), a signed VC-JWT."""
    if not services.status_list_exists(number):
        raise Http404
    return HttpResponse(services.status_list_credential(number), content_type="application/vc+jwt")


@login_not_required
@require_safe
def issuer_profile(request):
    return JsonResponse(services.issuer_profile(), json_dumps_params={"ensure_ascii": False})


