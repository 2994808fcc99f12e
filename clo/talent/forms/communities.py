"""Forms of communities of practice: the community itself (its first coordinators by employee number), a meeting and
a meeting's attendance (who came). Answering a request to join uses the challenge projects' decision form (accept or
refuse, a refusal with its reason); a resource, the competencies' form (``competencies.forms.ResourceForm``: the
layer the resources live in, for the competency's page and the community's alike)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Employee, OrgUnit
from clo.talent.forms.transfer import DateInput
from clo.talent.models import Community
from competencies.models import Competency, Framework


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CommunityForm(PlainTextMixin, forms.ModelForm):
    tool_url = forms.URLField(label=_("Link to the community's space"), required=False, max_length=500,
                              assume_scheme="https",
                              help_text=_("The council's own tool where the community talks (Teams, Viva Engage...): "
                                          "an https:// address. clo has no forum."))
    coordinators = forms.CharField(
        label=_("Coordinators' employee numbers"), max_length=500,
        help_text=_("One or more, separated by commas. More can be named later among the members."))

    class Meta:
        model = Community
        fields = ["name", "description", "competencies", "unit", "joining", "published", "tool_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "joining": forms.RadioSelect,
                   "competencies": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = (
            Competency.objects.filter(framework__status=Framework.Status.PUBLISHED).order_by("name"))
        self.fields["competencies"].required = True
        self.fields["unit"].queryset = OrgUnit.objects.filter(active=True).order_by("path")
        if self.instance.pk:  # coordinators are named among the members, on the community's page
            del self.fields["coordinators"]
            from clo.people import roles

            if not roles.scope_of(user).is_learning_office:  # who it is published to is the learning office's
                del self.fields["unit"]

    def clean_coordinators(self):
        numbers = [n.strip() for n in self.cleaned_data["coordinators"].split(",") if n.strip()]
        found = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers, active=True)}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(_("No active employee has the number %(numbers)s.")
                                        % {"numbers": ", ".join(unknown)})
        if not found:
            raise forms.ValidationError(_("Name at least one coordinator."))
        return list(found.values())


class MeetingForm(PlainTextMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=200, required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000, initial=30)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("starts") and data.get("ends"):
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(data["date"], data["starts"]))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(data["date"], data["ends"]))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", _("The meeting must end after it starts."))
            elif data["starts_at"] <= timezone.now():
                self.add_error("date", _("A new meeting must start in the future."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online link."))
        return data


class MeetingAttendanceForm(PlainTextMixin, forms.Form):
    """Who came to the meeting (the whole meeting's hours count for them; 0 for the others)."""

    attended = forms.TypedMultipleChoiceField(label=_("Who came"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(e.pk, e.employee.full_name) for e in roster]
        self.fields["attended"].initial = [e.pk for e in roster if e.hours_attended > 0]
