"""The training records' bulk job form: which unit's people (or the whole organisation)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import OrgUnit


class RecordJobForm(PlainTextMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("The whole organisation"),
        help_text=_("The unit and every unit under it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.active().order_by("path")
