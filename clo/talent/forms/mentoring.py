"""Forms of mentoring relationships: start one (the pair by employee number) and record a meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Employee
from clo.talent.forms.trainers import competency_choices
from clo.talent.forms.transfer import DateInput
from clo.talent.selectors.trainers import active_employee


class MentoringForm(PlainTextMixin, forms.Form):
    mentor = forms.CharField(label=_("Mentor's employee number"), max_length=20)
    mentee = forms.CharField(label=_("Mentee's employee number"), max_length=20)
    competencies: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Competencies worked on"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())

    def __init__(self, *args, mentees, **kwargs):
        """``mentees``: the employees the user may start a relationship for (their subtree, or everyone)."""
        super().__init__(*args, **kwargs)
        self.mentees = mentees
        self.fields["competencies"].queryset = competency_choices()

    def clean_mentor(self) -> Employee:
        mentor = active_employee(self.cleaned_data["mentor"])
        if mentor is None:
            raise forms.ValidationError(_("No active employee has this number."))
        return mentor

    def clean_mentee(self) -> Employee:
        mentee = active_employee(self.cleaned_data["mentee"])
        if mentee is None or not self.mentees.filter(pk=mentee.pk).exists():
            raise forms.ValidationError(_("No active employee of your units has this number."))
        return mentee

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end of the period cannot come before its start."))
        mentor, mentee = data.get("mentor"), data.get("mentee")
        if mentor and mentee and mentor.pk == mentee.pk:
            self.add_error("mentee", _("The mentor and the mentee must be two different people."))
        return data


class MeetingForm(PlainTextMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
