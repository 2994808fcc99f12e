"""Succession forms: flag a position critical, and the map's and board's query-string choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.talent.selectors.succession import DEFAULT_HORIZON


class CriticalityForm(PlainTextMixin, forms.Form):
    criticality = forms.TypedChoiceField(
        label=_("Criticality"), coerce=int, empty_value=None, required=False,
        choices=[("", _("Not critical")), (1, _("1 · important")), (2, _("2 · high")), (3, _("3 · vital"))],
        help_text=_("How hard the position would be to cover if its holders left. Choose “Not critical” to remove "
                    "the flag."),
    )
    critical_reason = forms.CharField(label=_("Reason it is critical"), max_length=500, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("criticality") is None and (data.get("critical_reason") or "").strip():
            self.add_error("critical_reason", _("Only a critical position has a reason for being critical."))
        return data


class MapForm(PlainTextMixin, forms.Form):
    """The map's query string: a unit (checked against the scope by the selector) and a horizon."""

    unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    horizon = forms.TypedChoiceField(
        label=_("Horizon"), coerce=int, required=False, empty_value=DEFAULT_HORIZON,
        choices=[(1, _("1 year")), (3, _("3 years")), (5, _("5 years"))],
    )

    def values(self) -> tuple[int | None, int]:
        """(unit id or None, horizon): a bad value falls back to the default."""
        if self.is_valid():
            return self.cleaned_data.get("unit"), self.cleaned_data.get("horizon") or DEFAULT_HORIZON
        return None, DEFAULT_HORIZON


class ExpertLevelForm(PlainTextMixin, forms.Form):
    """A framework's expert level: one of its scale's levels, or the default (three quarters of the top level)."""

    expert_level = forms.TypedChoiceField(label=_("Expert from level"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, levels=(), default: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        default_label = _("Default: level %(level)s (three quarters of the scale)") % {"level": default}
        field = self.fields["expert_level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", default_label), *[(v, f"{v} · {label}") for v, label in levels]]
