"""The dashboards' filter form: a GET form (shareable URL, works without JavaScript) whose choices come from the
place on screen (units) and the published frameworks (areas)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.forms import IdField, PlainTextMixin, QueryForm, QuickSelect, query_value
from clo.dashboards.boards import Filters
from clo.people.models import Position
from competencies.models import Competency

YEARS_BACK = 4


class FilterForm(PlainTextMixin, forms.Form):
    # QuickSelect: the same HTML as Django's Select, written without a template per option (every board shows it).
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None, widget=QuickSelect)
    framework = forms.TypedChoiceField(
        label=_("Framework"), coerce=int, required=False, empty_value=None, widget=QuickSelect,
        error_messages={"invalid_choice": _("This unit has no figures for that framework: choose another.")},
    )
    area = forms.TypedChoiceField(
        label=_("Competency area"), coerce=int, required=False, empty_value=None, widget=QuickSelect,
        error_messages={"invalid_choice": _("This unit has no figures for that area: choose another.")},
    )
    kind = forms.ChoiceField(label=_("Kind of competency"), required=False, widget=QuickSelect)
    group = forms.ChoiceField(label=_("Position group"), required=False, widget=QuickSelect)
    year = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=None, widget=QuickSelect)
    # Chosen in the heatmap itself (links above it); kept here so that applying the filters keeps it.
    heatmap = forms.TypedChoiceField(
        label=_("Framework shown in the heatmap"), coerce=int, required=False, empty_value=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This unit has no figures for that framework: choose another.")},
    )

    def __init__(self, data, *, units, areas, **kwargs):
        super().__init__(data, **kwargs)
        every = pgettext_lazy("filter: any framework/area/kind/group", "All")
        self.fields["unit"].choices = [(u.pk, "\u2003" * u.depth + u.name) for u in units]
        frameworks = {area.framework_id: area.framework for area in areas}
        self.fields["framework"].choices = [("", every)] + [(pk, f.name) for pk, f in frameworks.items()]
        self.fields["heatmap"].choices = [("", "")] + [(pk, f.name) for pk, f in frameworks.items()]
        self.fields["area"].choices = [("", every)] + [
            (framework.name, [(a.pk, a.name) for a in areas if a.framework_id == pk])
            for pk, framework in frameworks.items()
        ]
        self.fields["kind"].choices = [("", every), *Competency.Kind.choices]
        self.fields["group"].choices = [("", every), *Position.Group.choices]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - YEARS_BACK - 1, -1)]
        self._areas = {a.pk: a for a in areas}

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self.auto_id % name}-error"}
                )

    def clean(self):
        cleaned = super().clean()
        area, framework = cleaned.get("area"), cleaned.get("framework")
        if area and framework and self._areas[area].framework_id != framework:
            self.add_error("area", _("This area belongs to another framework: choose one of the framework's areas."))
        return cleaned

    def filters(self, *, unit_id: int | None) -> Filters:
        """The valid filters (a field in error counts as not set)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        filters = Filters(
            unit_id=unit_id,
            framework_id=data.get("framework"),
            area_id=data.get("area") if "area" not in self.errors else None,
            kind=data.get("kind") or "",
            group=data.get("group") or "",
            heatmap_framework_id=data.get("heatmap"),
        )
        if data.get("year"):
            filters.year = data["year"]
        return filters


def requested_id(data, name: str = "unit") -> int | None:
    """The id (of a unit, an area, a framework) asked for in the query string before the form is bound, or before
    its scope is checked; a malformed or out-of-range id asks for none (the form says why)."""
    return query_value(IdField(), data.get(name))


def requested_group(data) -> str:
    """The position group asked for in the query string, before the form is bound (the board's figures are read for
    it first); an unknown group asks for none, and the form says why."""
    group = data.get("group") or ""
    return group if group in Position.Group.values else ""


class PeopleForm(QueryForm):
    """Which people behind a figure of a board: those of a unit (its subtree, or its own staff), with a gap in a
    competency, an area or a framework, of a kind of competency and a position group. The page has no form to show:
    its links come from the boards, and one this form refuses is a page that does not exist."""

    unit = IdField(required=True)
    competency = IdField()
    area = IdField()
    framework = IdField()
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Competency.Kind.choices])
    group = forms.ChoiceField(required=False, choices=[("", ""), *Position.Group.choices])
    own = forms.BooleanField(required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportForm(PlainTextMixin, forms.Form):
    """The period (and language) of a CLO report asked for on demand."""

    period_start = forms.DateField(label=_("First day"), widget=DateInput)
    period_end = forms.DateField(label=_("Last day"), widget=DateInput)
    language = forms.ChoiceField(label=_("Language of the report"))

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        for name, field in self.fields.items():
            if self.is_bound and name in self.errors:
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean(self):
        from clo.dashboards.reports import validate_period

        data = super().clean()
        if data.get("period_start") and data.get("period_end"):
            try:
                validate_period(data["period_start"], data["period_end"], today=timezone.localdate())
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data
