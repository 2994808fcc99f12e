"""The learning office's forms for itineraries: a new itinerary, and its next step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin


class ItineraryForm(PlainTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    job_family = forms.ChoiceField(label=_("Position family"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, families: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_family"].choices = [("", _("Choose a family")), *((f, f) for f in families)]  # type: ignore[attr-defined]


class StepForm(PlainTextMixin, forms.Form):
    program: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Program"), empty_label=_("Choose a program"))
    prerequisites: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(queryset=None, label=_("Needs first"), required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, programs, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["prerequisites"].queryset = steps
        self.fields["prerequisites"].label_from_instance = lambda s: f"{s.order}. {s.program.title}"
