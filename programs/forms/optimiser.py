"""Forms of the annual-plan optimiser: the inputs of a proposal, the items to accept, the two proposals to compare."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from programs.models import PlanProposal, ProposalItem


class ProposalForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = PlanProposal
        fields = ["year", "budget", "budget_own", "budget_afedap", "budget_other", "need_bonus", "critical_factor",
                  "hours_cap", "coverage", "time_limit"]


class AcceptForm(PlainTextMixin, forms.Form):
    items = forms.ModelMultipleChoiceField(
        queryset=ProposalItem.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Actions to accept"),
        error_messages={"required": _("Choose at least one action to accept.")},
    )

    def __init__(self, *args, proposal: PlanProposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = proposal.items.filter(accepted_at__isnull=True)


class CompareForm(PlainTextMixin, forms.Form):
    first = forms.ModelChoiceField(queryset=PlanProposal.objects.filter(status=PlanProposal.Status.DONE),
                                   label=_("First proposal"))
    second = forms.ModelChoiceField(queryset=PlanProposal.objects.filter(status=PlanProposal.Status.DONE),
                                    label=_("Second proposal"))
