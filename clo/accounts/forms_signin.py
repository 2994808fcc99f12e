"""The password form of the login page (local passwords, or LDAP / Active Directory), which says when the directory
did not answer or the person is not in the staff register instead of "wrong password"."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


REFUSALS = {
    "not_in_register": _("You are not in the staff register, so you cannot sign in here. Please contact Human "
                         "Resources."),
    "inactive": _("Your record in the staff register is no longer active, so you cannot sign in. Please contact "
                  "Human Resources if this is a mistake."),
    "ambiguous": _("More than one person in the staff register has your email address, so you cannot be signed in. "
                   "Please contact Human Resources."),
    "no_identifier": _("Your organisation's account does not say who you are in the staff register (no employee "
                       "number or email). Please contact Human Resources."),
}


class SignInForm(AuthenticationForm):
    """Django's login form (no PlainTextMixin: a password is checked exactly as typed)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "clo_directory_unavailable", False):
                raise forms.ValidationError(
                    _("The council's directory did not answer in time, so your password could not be checked. "
                      "Please try again in a few minutes."), code="directory_unavailable") from None
            reason = getattr(self.request, "clo_signin_refusal", None)
            if reason in REFUSALS:
                raise forms.ValidationError(REFUSALS[reason], code=reason) from None
            raise
