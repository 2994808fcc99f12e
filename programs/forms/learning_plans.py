"""Forms of learning plans: generate a plan, add or change an item, ask for a bulk PDF job."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.forms import IdField, PageField, PlainTextMixin, QueryForm, SearchForm
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


def _unit_choices(units, everything) -> list:
    """The units under the empty choice ``everything``; a sole root unit (the council itself) is that same choice, so
    it is left out and the organisation is offered once (as in ``_offer_units``)."""
    units = list(units)
    roots = [unit for unit in units if unit.parent_id is None]
    top = 0
    if len(roots) == 1:
        units, top = [unit for unit in units if unit.pk != roots[0].pk], 1
    return [("", everything)] + [(unit.pk, f"{'· ' * max(unit.depth - top, 0)}{unit.name}") for unit in units]


class PlanSearchForm(SearchForm):
    """The list of plans: the year, a name (or employee number) and a unit (its whole subtree), within the user's
    scope. A value in error filters nothing."""

    year = forms.IntegerField(label=_("Year of the plan"), min_value=2000, max_value=2100, required=False)
    unit = IdField(label=_("Unit"), widget=forms.Select, help_text=_("The unit and every unit under it."))
    page = PageField()

    def __init__(self, *args, units, **kwargs):
        """``units``: the units the user may filter by (a queryset, read only when the form is drawn or a unit
        asked for)."""
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Name or employee number")
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.units = units
        self.fields["unit"].widget.choices = lambda: _unit_choices(units, _("All my units"))

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        unit = self.units.filter(pk=pk).first() if pk else None
        if pk and unit is None:
            raise forms.ValidationError(_("Choose one of the units in the list."))
        return unit


class UncoveredGapsForm(QueryForm):
    """The list of gaps the catalogue does not cover: a unit (its whole subtree), a page."""

    unit = IdField(label=_("Unit"), widget=forms.Select, help_text=_("The unit and every unit under it."))
    page = PageField()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].widget.choices = lambda: _unit_choices(units, _("The whole organisation"))

    clean_unit = PlanSearchForm.clean_unit


class GapToPlanForm(PlainTextMixin, forms.Form):
    """An uncovered gap put in the annual plan as an action to design."""

    competency = forms.ModelChoiceField(queryset=Competency.objects.none(), widget=forms.HiddenInput)
    required_level = forms.IntegerField(min_value=1, max_value=100, widget=forms.HiddenInput)
    participants = forms.IntegerField(min_value=1, max_value=1_000_000, widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("Year of the training plan"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.all()
