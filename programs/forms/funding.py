"""Form of an action's funding: editions, participants planned per civil-service group, collective, amount granted
and cost incurred."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.forms import PlainTextMixin
from clo.people.models import Position
from programs.models import PlanAction, TrainingPlan


def group_field(code: str) -> str:
    return f"group_{code}"


class PlanActionFundingForm(PlainTextMixin, forms.Form):
    planned_editions = forms.IntegerField(label=_("Planned editions"), min_value=1, max_value=999)
    collective = forms.CharField(label=_("Target collective"), max_length=120, required=False)
    granted_amount = forms.DecimalField(label=_("Granted amount (€)"), min_value=0, max_digits=12, decimal_places=2)
    incurred_cost = forms.DecimalField(label=_("Incurred cost (€)"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, action: PlanAction, **kwargs):
        planned = action.planned_by_group or {}
        kwargs["initial"] = {"planned_editions": action.planned_editions, "collective": action.collective,
                   "granted_amount": action.granted_amount, "incurred_cost": action.incurred_cost,
                   **{group_field(code): planned.get(code, 0) for code in Position.Group.values}}
        super().__init__(*args, **kwargs)
        for code in Position.Group.values:
            self.fields[group_field(code)] = forms.IntegerField(
                label=format_lazy("{} {}", pgettext_lazy("funding form", "Participants"), code),
                min_value=0, max_value=100_000)

    def group_fields(self):
        return [self[group_field(code)] for code in Position.Group.values]

    def by_group(self) -> dict[str, int]:
        return {code: self.cleaned_data[group_field(code)] for code in Position.Group.values}


class PlanFundingKindForm(PlainTextMixin, forms.Form):
    """Who applies: the kind of plan and, for a grouped plan, the other entities, one a line ("name; staff")."""

    funding_kind = forms.ChoiceField(label=_("Kind of plan"), choices=TrainingPlan.FundingKind.choices,
                                     widget=forms.RadioSelect)
    funding_entities = forms.CharField(
        label=_("Other participating entities"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a grouped plan: one entity a line, its name, a semicolon and its staff, e.g. "
                    "Ajuntament de Santa Pau; 85."))

    def __init__(self, *args, plan: TrainingPlan, **kwargs):
        kwargs["initial"] = {"funding_kind": plan.funding_kind, "funding_entities": "\n".join(
            f"{e['name']}; {e['staff']}" for e in plan.funding_entities or [])}
        super().__init__(*args, **kwargs)

    def clean_funding_entities(self) -> list[tuple[str, int]]:
        entities: list[tuple[str, int]] = []
        seen: set[str] = set()
        for number, line in enumerate(self.cleaned_data["funding_entities"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, staff = line.rpartition(";")
            name = name.strip()
            if not name or not staff.strip().isdigit() or int(staff) < 1 or len(name) > 200:
                raise forms.ValidationError(
                    _("Line %(line)s: write the entity's name, a semicolon and its staff (a whole number above 0)."),
                    params={"line": number})
            if name.casefold() in seen:
                raise forms.ValidationError(_("Line %(line)s: %(name)s is already in the list."),
                                            params={"line": number, "name": name})
            seen.add(name.casefold())
            entities.append((name, int(staff)))
        return entities
