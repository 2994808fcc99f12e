"""Forms of training delivery: catalogue filter, program and session editing, decisions, attendance."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import Position
from programs.models import Modality, Program, ProgramCompetency, Session, SessionDay


class CatalogueFilterForm(PlainTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    modality = forms.ChoiceField(label=_("Modality"), required=False,
                                 choices=[("", _("Any modality"))] + list(Modality.choices))
    gaps = forms.BooleanField(label=_("Only programs that close my gaps"), required=False)


class ProgramForm(PlainTextMixin, forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Target civil-service groups"), required=False, choices=Position.Group.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = ["code", "title", "objectives", "contents", "modality", "hours", "provider", "cost", "cost_basis",
                  "is_open", "target_groups", "prerequisites", "active"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 3}), "contents": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Program.objects.filter(active=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = others.order_by("code")
        self.fields["prerequisites"].required = False

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("A program must last more than zero hours."))
        return hours

    def clean_cost(self):
        cost = self.cleaned_data["cost"]
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("The cost cannot be negative."))
        return cost


ProgramCompetencyFormSet = inlineformset_factory(
    Program, ProgramCompetency, fields=["competency", "level_reached"], extra=2, can_delete=True,
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(PlainTextMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("online link"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Session
        fields = ["code", "starts_at", "ends_at", "timetable", "place", "online_url", "trainer", "capacity", "status"]
        widgets = {"starts_at": DateTimeLocalInput(), "ends_at": DateTimeLocalInput()}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("A session cannot end before it starts."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online link."))
        if starts and not self.instance.pk and starts <= timezone.now():
            self.add_error("starts_at", _("A new session must start in the future."))
        return data


class RejectForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"), max_length=1000,
        error_messages={"required": _("Say why the request is refused: the person will read it.")},
    )


class AttendanceForm(PlainTextMixin, forms.Form):
    """One "hours attended" field per person holding a seat, for one session day."""

    def __init__(self, *args, day: SessionDay, attendees: list, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.day, self.attendees = day, attendees
        for enrolment in attendees:
            self.fields[f"hours_{enrolment.pk}"] = forms.DecimalField(
                label=_("Hours attended: %(name)s") % {"name": enrolment.employee.full_name},
                min_value=Decimal("0"), max_value=day.hours, max_digits=4, decimal_places=1,
                initial=recorded.get(enrolment.pk, Decimal("0")),
                error_messages={
                    "max_value": _("At most %(hours)s hours: the length of the day.") % {"hours": day.hours},
                },
            )

    def rows(self):
        return [(enrolment, self[f"hours_{enrolment.pk}"]) for enrolment in self.attendees]

    def hours(self) -> dict[int, Decimal]:
        return {enrolment.pk: self.cleaned_data[f"hours_{enrolment.pk}"] for enrolment in self.attendees}
