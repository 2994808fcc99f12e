"""Forms of the learning-records pages: an activity mapped to a program, and the person a statement is matched to."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Employee
from programs.models import Program


class ActivityForm(PlainTextMixin, forms.Form):
    iri = forms.URLField(label=_("Activity IRI"), max_length=500, assume_scheme="https",
                         help_text=_("The activity's identifier in the LMS statements (the “object.id”), e.g. "
                                     "https://campus.example/course/42."))
    program = forms.CharField(label=_("Program (code)"), max_length=30)

    def clean_program(self) -> Program:
        program = Program.objects.filter(code=self.cleaned_data["program"].strip(), active=True).first()
        if program is None:
            raise forms.ValidationError(_("No active program has this code."))
        return program


class MatchForm(PlainTextMixin, forms.Form):
    employee = forms.CharField(label=_("Employee number"), max_length=20)

    def clean_employee(self) -> Employee:
        employee = Employee.objects.active().filter(employee_number=self.cleaned_data["employee"].strip()).first()
        if employee is None:
            raise forms.ValidationError(_("No active employee has this number."))
        return employee
