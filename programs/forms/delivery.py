"""Forms of training delivery: session editing, decisions, attendance."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from programs.models import Session, SessionDay


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
