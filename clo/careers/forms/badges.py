"""The badges' forms: what the holder shares on the public page, and the learning office's revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin


class ShareForm(PlainTextMixin, forms.Form):
    share_name = forms.BooleanField(label=_("Show my name on the public verification page"), required=False)


class RevokeForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(label=_("Why is the badge revoked?"), max_length=300)
