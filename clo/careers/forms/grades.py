"""Horizontal career forms: HR's rule, and the eligibility list's query string."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.careers.models import CareerRule
from clo.careers.selectors.grades import DEFAULT_MONTHS, MAX_MONTHS
from clo.core.forms import PlainTextMixin
from clo.people.models import Position


class CareerRuleForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = CareerRule
        fields = ["group", "grade", "measure", "amount", "period_years", "min_years", "needs_evaluation"]


class EligibilityForm(PlainTextMixin, forms.Form):
    """The list's query string: a horizon in months and a group; a bad value falls back to the default."""

    months = forms.IntegerField(label=_("Eligible within (months)"), min_value=0, max_value=MAX_MONTHS,
                                required=False, help_text=_("0: eligible today."))
    group = forms.ChoiceField(label=_("Group"), required=False,
                              choices=[("", _("All groups")), *Position.Group.choices])

    def values(self) -> tuple[int, str]:
        if self.is_valid():
            months = self.cleaned_data.get("months")
            return (DEFAULT_MONTHS if months is None else months), self.cleaned_data.get("group") or ""
        return DEFAULT_MONTHS, ""
