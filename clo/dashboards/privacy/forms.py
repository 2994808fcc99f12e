"""The audit page's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.dashboards.privacy.audit import Filters
from clo.people.models import Employee


class AuditFilterForm(PlainTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    person = forms.CharField(label=_("Person (employee number)"), required=False, max_length=20)
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + kinds

    def clean_person(self):
        number = self.cleaned_data["person"].strip()
        if not number:
            return None
        employee = Employee.objects.filter(employee_number=number).only("pk", "first_name", "last_name").first()
        if employee is None:
            raise forms.ValidationError(_("No employee has this number."))
        return employee

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date cannot come before the start date."))
        return data

    def filters(self) -> Filters:
        """The valid filters (a field in error filters nothing; the form shows its message)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        kind = data.get("kind") if "kind" not in self.errors else None
        return Filters(
            kind=int(kind) if kind else None,
            person=data.get("person") if "person" not in self.errors else None,
            actor=(data.get("actor") or "").strip(),
            since=data.get("since") if "since" not in self.errors else None,
            until=data.get("until") if "until" not in self.errors else None,
        )
