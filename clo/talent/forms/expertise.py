"""The expertise directory's forms: the search, a person's own listing, a message to a listed colleague."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.talent.models import ExpertiseListing
from competencies.validators import level_in_scale_error

COUNCIL, MY_UNIT = "council", "unit"


class DirectorySearchForm(PlainTextMixin, forms.Form):
    competency = forms.ModelChoiceField(queryset=None, label=_("Competency"),
                                        empty_label=_("Choose a competency"))
    min_level = forms.IntegerField(label=_("At least level"), min_value=1, max_value=20, initial=3)
    where = forms.ChoiceField(label=_("Where"), choices=[(COUNCIL, _("The whole council")),
                                                         (MY_UNIT, _("My unit and the units under it"))],
                              initial=COUNCIL, widget=forms.RadioSelect)

    def __init__(self, *args, competencies, has_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["competency"]
        field.queryset = competencies
        field.label_from_instance = lambda c: f"{c.name} ({c.framework.name})"
        if not has_unit:  # the learning office without a staff record: the council only
            self.fields["where"].choices = self.fields["where"].choices[:1]

    def clean(self):
        data = super().clean()
        competency, level = data.get("competency"), data.get("min_level")
        if competency and level and (error := level_in_scale_error(competency.pk, level, allow_zero=False)):
            self.add_error("min_level", error)
        return data


class ListingForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = ExpertiseListing
        fields = ["listed", "as_mentor", "as_trainer", "as_adviser", "note", "hidden_competencies"]
        widgets = {"hidden_competencies": forms.CheckboxSelectMultiple, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "listed": _("Colleagues can find you by the competencies your manager or your training has validated. "
                        "Untick it to leave the directory at once."),
            "hidden_competencies": _("Tick those you prefer not to show."),
        }

    def __init__(self, *args, shareable, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["hidden_competencies"]
        field.queryset = field.queryset.filter(pk__in=[row.competency_id for row in shareable])
        field.required = False


class ContactForm(PlainTextMixin, forms.Form):
    message = forms.CharField(label=_("Your message"), min_length=20, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Say what you need and how they can help. They will answer to your email "
                                          "address."))
