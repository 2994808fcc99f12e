"""Forms of the catalogue: its filter, and a program's editing with the competencies it develops."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Position
from programs.models import Modality, Program, ProgramCompetency


class CatalogueFilterForm(PlainTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    modality = forms.ChoiceField(label=_("Modality"), required=False,
                                 choices=[("", _("Any modality"))] + list(Modality.choices))
    gaps = forms.BooleanField(label=_("Only programs that close my gaps"), required=False)


class ProgramForm(PlainTextMixin, forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target civil-service groups"), required=False, choices=Position.Group.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = ["code", "title", "objectives", "contents", "modality", "hours", "provider", "cost", "cost_basis",
                  "is_open", "target_groups", "prerequisites", "active"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3}), "contents": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Program.objects.filter(active=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = others.order_by("code")
        self.fields["prerequisites"].required = False

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("A program must last more than zero hours."))
        return hours

    def clean_cost(self):
        cost = self.cleaned_data["cost"]
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("The cost cannot be negative."))
        return cost


ProgramCompetencyFormSet = inlineformset_factory(
    Program, ProgramCompetency, fields=["competency", "level_reached"], extra=2, can_delete=True,
)
