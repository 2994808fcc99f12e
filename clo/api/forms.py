from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.api.models import Scope, WebhookEvent
from clo.core.forms import PlainTextMixin


class TokenForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=_("Integration"), max_length=100,
                           help_text=_("Which system uses it, e.g. “HR system (Meta4)” or “Power BI”."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.CharField(label=_("Only the unit (code)"), max_length=20, required=False,
                           help_text=_("Leave empty for the whole council; a unit's code limits the figures the "
                                       "token reads to that unit and its subunits."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=settings.CLO_API_TOKEN_DAYS)

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        if not code:
            return None
        unit = apps.get_model("people", "OrgUnit").objects.filter(code=code, active=True).first()
        if unit is None:
            raise forms.ValidationError(_("No active unit has this code."))
        return unit

    def expires_at(self) -> dt.datetime:
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class WebhookForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=_("Receiving system"), max_length=100,
                           help_text=_("Which system listens, e.g. “HR system (Meta4)”."))
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https",
                         help_text=_("clo sends each event to it as a signed POST."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple)
