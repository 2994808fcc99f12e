"""Forms of learning plans: generate a plan, add or change an item, ask for a bulk PDF job."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import OrgUnit
from competencies.models import Competency
from programs.models import LearningPlanItem, Program


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GenerateForm(PlainTextMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the plan"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class ItemAddForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = LearningPlanItem
        fields = ["kind", "program", "title", "competency", "target_level", "due_date"]
        widgets = {"due_date": DateInput()}
        labels = {"title": _("Activity (if it is not a program)")}

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("instance", LearningPlanItem(plan=plan, origin=LearningPlanItem.Origin.MANUAL, edited=True))
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(active=True).order_by("code")
        self.fields["competency"].queryset = Competency.objects.active().order_by("code")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == LearningPlanItem.Kind.PROGRAM and not data.get("program"):
            self.add_error("program", _("Choose the program."))
        if kind and kind != LearningPlanItem.Kind.PROGRAM and not data.get("title"):
            self.add_error("title", _("Describe the activity (e.g. mentoring with the head of service)."))
        if data.get("target_level") is not None and not data.get("competency"):
            self.add_error("competency", _("Choose the competency the target level is about."))
        return data


class ItemEditForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = LearningPlanItem
        fields = ["due_date", "target_level", "status"]
        widgets = {"due_date": DateInput()}

    def clean_target_level(self):
        level = self.cleaned_data.get("target_level")
        if level is not None and not self.instance.competency_id:
            raise forms.ValidationError(_("This activity targets no competency, so it has no target level."))
        return level


def _offer_units(field: forms.ModelChoiceField) -> None:
    """The units a bulk run can cover, as a tree under "The whole organisation" (the empty choice). When the
    organisation has one root unit (the council itself), that unit *is* the whole organisation: it is left out, so
    the organisation is offered once, and its children are the first level."""
    units = OrgUnit.objects.active()
    roots = list(units.filter(parent__isnull=True).values_list("pk", flat=True)[:2])
    if len(roots) == 1:
        units, top = units.exclude(pk=roots[0]), 1
    else:
        top = 0
    field.queryset = units.order_by("path")
    field.label_from_instance = lambda unit: f"{'· ' * max(unit.depth - top, 0)}{unit.name}"


class PdfJobForm(PlainTextMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False,
        empty_label=_("The whole organisation"),
        help_text=_("The unit and every unit under it."),
    )
    as_of = forms.DateField(label=_("Plans in force on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate()})
        super().__init__(*args, **kwargs)
        _offer_units(self.fields["unit"])


class GenerateUnitForm(PlainTextMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("The whole organisation"),
    )
    year = forms.IntegerField(label=_("Year of the plans"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        _offer_units(self.fields["unit"])
