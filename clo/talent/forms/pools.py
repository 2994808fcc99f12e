from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.talent.models import ReadinessCategory
from clo.talent.selectors.pools import candidates_visible_to


class NominateForm(PlainTextMixin, forms.Form):
    employee = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("Choose the person to nominate."), "invalid": _("Choose the person to nominate.")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_employee(self):
        found = candidates_visible_to(self.user).filter(pk=self.cleaned_data["employee"]).first()
        if found is None:
            raise forms.ValidationError(_("This person cannot be nominated from your scope."))
        return found


class SuccessorActionForm(PlainTextMixin, forms.Form):
    ACTIONS = [("confirm", _("Confirm")), ("emergency", _("Mark as emergency successor")),
               ("rank", _("Move to rank")), ("plan", _("Build the development plan")), ("remove", _("Remove"))]
    action = forms.ChoiceField(choices=ACTIONS, error_messages={"required": _("Choose what to do."),
                                                                "invalid_choice": _("Choose what to do.")})
    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=99, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "rank" and not data.get("rank"):
            self.add_error("rank", _("Give the rank to move the successor to."))
        return data


class ReadinessCategoryForm(PlainTextMixin, forms.ModelForm):
    """One step of the readiness list, named in the three languages (the settings page: one form per category)."""

    class Meta:
        model = ReadinessCategory
        fields = ["name_ca", "name_es", "name_en", "max_weighted_gap", "counts_as_ready_now"]
