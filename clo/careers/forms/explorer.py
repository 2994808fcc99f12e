"""The career explorer's form: a position family, or one position (of the family, when one is chosen)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin


class ExplorerForm(PlainTextMixin, forms.Form):
    family = forms.ChoiceField(label=_("Position family"), required=False)
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
        if not self.errors and not data.get("family") and not data.get("position"):
            raise forms.ValidationError(_("Choose a position family or a position."))
        return data
