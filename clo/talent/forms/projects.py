"""Forms of challenge projects: post one (with a few rows of competencies required and to learn), apply, decide an
application, and the owner's ratings at the close."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people import roles
from clo.people.models import OrgUnit
from clo.talent.forms.transfer import DateInput
from competencies.models import Competency, Framework, Level

ROWS = 3  # competency rows of each kind on the form


def _competencies():
    return (Competency.objects.filter(framework__status=Framework.Status.PUBLISHED)
            .select_related("framework").order_by("framework__name", "name"))


def units_for_posting(user):
    """The units ``user`` may post a project in: all for the learning office, their subtree for a director."""
    scope = roles.scope_of(user)
    units = OrgUnit.objects.filter(active=True).order_by("path")
    if scope.is_learning_office:
        return units
    condition = Q(pk__in=[])
    for path in scope.unit_paths:
        condition |= Q(path__startswith=path)
    return units.filter(condition)


class ProjectForm(PlainTextMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("Goal"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("What the project must achieve, and for whom."))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    weekly_hours = forms.DecimalField(label=_("Hours a week"), min_value=0.5, max_value=40, decimal_places=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for_posting(user)
        competencies = _competencies()
        for kind, label in (("required", _("Competency required")), ("learn", _("Competency to learn"))):
            for n in range(1, ROWS + 1):
                field = forms.ModelChoiceField(label=f"{label} {n}", queryset=competencies, required=False)
                field.label_from_instance = lambda c: f"{c.name} ({c.framework.name})"
                self.fields[f"{kind}_{n}"] = field
                self.fields[f"{kind}_{n}_level"] = forms.IntegerField(
                    label=_("Level") if kind == "required" else _("Level reached"), min_value=1, max_value=20,
                    required=False)

    def rows(self, kind: str) -> list[tuple]:
        return [(self[f"{kind}_{n}"], self[f"{kind}_{n}_level"]) for n in range(1, ROWS + 1)]

    def required_rows(self):
        return self.rows("required")

    def learn_rows(self):
        return self.rows("learn")

    def pairs(self, kind: str) -> list[tuple]:
        data = self.cleaned_data
        return [(data[f"{kind}_{n}"], data[f"{kind}_{n}_level"]) for n in range(1, ROWS + 1)
                if data.get(f"{kind}_{n}")]

    def clean(self):
        data = super().clean()
        for kind in ("required", "learn"):
            for n in range(1, ROWS + 1):
                if data.get(f"{kind}_{n}") and not data.get(f"{kind}_{n}_level"):
                    self.add_error(f"{kind}_{n}_level", _("Give the level."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The project must end after it starts."))
        return data


class ApplyForm(PlainTextMixin, forms.Form):
    motivation = forms.CharField(label=_("Why you apply"), min_length=20, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("What you bring and what you want to learn. Your director reads it."))


class DecisionForm(PlainTextMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason for a refusal"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why you refuse: the applicant reads it."))
        return data


class CloseForm(PlainTextMixin, forms.Form):
    """One level per participant × project competency ("not rated" leaves it out)."""

    def __init__(self, *args, participants, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        scales = {pc.competency.framework.scale_id for pc in competencies}
        levels: dict[int, list] = {}
        for level in Level.objects.filter(scale_id__in=scales).order_by("value"):
            levels.setdefault(level.scale_id, []).append((level.value, f"{level.value} · {level.label}"))
        self.cells = []
        for application in participants:
            row = []
            for pc in competencies:
                name = f"r_{application.pk}_{pc.competency_id}"
                choices = [("", _("Not rated")), (0, _("0 · not demonstrated")),
                           *levels.get(pc.competency.framework.scale_id, [])]
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{application.employee.full_name} · {pc.competency.name}", choices=choices,
                    coerce=int, empty_value=None, required=False)
                row.append(self[name])
            self.cells.append((application, row))

    def ratings(self) -> dict[tuple[int, int], int]:
        found = {}
        for name, value in self.cleaned_data.items():
            if value is not None:
                _prefix, application_id, competency_id = name.split("_")
                found[(int(application_id), int(competency_id))] = value
        return found
