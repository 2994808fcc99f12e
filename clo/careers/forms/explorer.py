"""The career explorer's form: a position family, or one position (of the family, when one is chosen)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.careers.selectors.explorer import POSITIONS_SHOWN
from clo.core.forms import PlainTextMixin


class ExplorerForm(PlainTextMixin, forms.Form):
    family = forms.ChoiceField(label=_("Position family"), required=False)
    q = forms.CharField(label=_("Find a position"), required=False, max_length=100,
                        help_text=_("Part of its title or its code; within the family when one is chosen."))
    position: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Position"), required=False,
                                      empty_label=_("The whole family"))

    def __init__(self, *args, families: list[str], positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = [("", _("Choose a family")), *((f, f) for f in families)]  # type: ignore[attr-defined]
        position = self.fields["position"]
        assert isinstance(position, forms.ModelChoiceField)
        position.queryset = positions
        position.label_from_instance = lambda p: f"{p.title} ({p.code})"  # type: ignore[method-assign,assignment]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("family") and not data.get("position") and not data.get("q"):
            raise forms.ValidationError(_("Choose a position family or a position."))
        return data

    def offer_positions(self, positions, more: bool) -> None:
        """List only ``positions`` (any active position with requirements was accepted); say when more matched."""
        field = self.fields["position"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = positions
        field.help_text = (_("Only the first %(count)s positions are listed: narrow the search to find another.")
                           % {"count": POSITIONS_SHOWN}) if more else ""
        self["position"].help_text = field.help_text  # the bound field copied it when the form was validated
