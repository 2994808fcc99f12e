"""Forms of the annual training plan: the plan's title and budget, and an action's figures."""

from __future__ import annotations

from django import forms

from clo.core.forms import PlainTextMixin
from programs.models import PlanAction, Program, TrainingPlan


class PlanForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["title", "budget"]


class PlanActionForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["title", "program", "estimated_cost", "estimated_hours", "estimated_participants", "funding"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(active=True).order_by("code")
