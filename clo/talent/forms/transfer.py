"""Forms of knowledge-transfer plans: open a plan (its successor by employee number, so the form stays light at any
size of organisation) and add a handover item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Employee
from clo.talent.models import HandoverItem, TransferPlan
from competencies.models import Competency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TransferPlanForm(PlainTextMixin, forms.Form):
    successor = forms.CharField(
        label=_("Successor's employee number"), max_length=20,
        help_text=_("Any employee; a candidate of the position's successor pool, for instance."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=TransferPlan.Reason.choices)
    leaving_on = forms.DateField(
        label=_("Leaving date"), required=False, widget=DateInput(),
        help_text=_("Leave empty for the expected retirement date."),
    )

    def __init__(self, *args, holder: Employee, **kwargs):
        kwargs.setdefault("initial", {"leaving_on": holder.expected_retirement_date})
        super().__init__(*args, **kwargs)
        self.holder = holder

    def clean_successor(self) -> Employee:
        number = self.cleaned_data["successor"].strip()
        successor = Employee.objects.filter(employee_number__iexact=number, active=True,
                                            blocked_at__isnull=True).first()
        if successor is None:
            raise forms.ValidationError(_("No active employee has this number."))
        if successor.pk == self.holder.pk:
            raise forms.ValidationError(_("The successor must be another person than the leaving holder."))
        return successor


class HandoverItemForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = HandoverItem
        fields = ["kind", "title", "due_on", "competency", "level"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, plan: TransferPlan, **kwargs):
        kwargs.setdefault("instance", HandoverItem(plan=plan))
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = (
            Competency.objects.exclude(framework__status="archived").select_related("framework").order_by("code"))
