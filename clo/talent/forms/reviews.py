from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import OrgUnit
from clo.talent.models.reviews import Band
from clo.talent.selectors.reviews import definitions


class ReviewOpenForm(PlainTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Scope (unit and everything under it)"),
                                  queryset=OrgUnit.objects.active().order_by("path"))


class PotentialForm(PlainTextMixin, forms.Form):
    potential = forms.ChoiceField(label=_("Potential"), widget=forms.RadioSelect, error_messages={
        "required": _("Choose one of the potential levels."), "invalid_choice": _("Choose one of the potential levels.")})
    comment = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["potential"].choices = [(value, f"{label} — {text}") for value, label, text in definitions()]


class CalibrationForm(PlainTextMixin, forms.Form):
    potential = forms.ChoiceField(label=_("Calibrated potential"), choices=Band.choices, error_messages={
        "invalid_choice": _("Choose one of the potential levels.")})
    performance = forms.ChoiceField(label=_("Calibrated performance"), choices=Band.choices, error_messages={
        "invalid_choice": _("Choose one of the performance levels.")})


class ReviewStatusForm(PlainTextMixin, forms.Form):
    status = forms.ChoiceField(choices=[("calibrating", _("Start calibration")), ("closed", _("Close the review"))])
