"""Forms of the pool of internal trainers: add a person (by employee number, so the form stays light at any size of
organisation), edit what they cover, and assign them to a session (by its code)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.talent.models import InternalTrainer
from clo.talent.selectors.trainers import active_employee
from competencies.models import Competency
from programs.models import Session


def competency_choices():
    return Competency.objects.exclude(framework__status="archived").select_related("framework").order_by("code")


class TrainerForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = InternalTrainer
        fields = ["teaches", "mentors", "competencies", "availability"]
        widgets = {"competencies": forms.SelectMultiple(attrs={"size": 8}),
                   "availability": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competency_choices()
        self.fields["availability"].help_text = _("When and how much they can teach or mentor.")

    def clean(self):
        data = super().clean()
        if not data.get("teaches") and not data.get("mentors"):
            self.add_error("teaches", _("Say whether this person teaches programs, mentors colleagues, or both."))
        return data


class TrainerAddForm(TrainerForm):
    # Not a model field of the form: whether the person is in the pool already is the service's question (a person
    # taken out of it comes back with their record).
    employee = forms.CharField(label=_("Employee number"), max_length=20)
    field_order = ["employee"]

    def clean_employee(self):
        employee = active_employee(self.cleaned_data["employee"])
        if employee is None:
            raise forms.ValidationError(_("No active employee has this number."))
        return employee


class TrainerAssignForm(PlainTextMixin, forms.Form):
    session = forms.CharField(label=_("Session code"), max_length=40,
                              help_text=_("The code of a session of the catalogue, as on its page."))

    def clean_session(self) -> Session:
        session = Session.objects.filter(code__iexact=self.cleaned_data["session"].strip()).first()
        if session is None:
            raise forms.ValidationError(_("No session has this code."))
        return session
