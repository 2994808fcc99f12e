"""Forms of the accounts app: HR's invitations and account filters, the invited person's password, the password
reset, and the two-factor codes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from clo.accounts import selectors as sel
from clo.accounts.models import InvitationJob
from clo.core.forms import IdField, PageField, PlainTextMixin, QueryForm
from clo.people.models import Employee, OrgUnit


class AccountFilterForm(QueryForm):
    q = forms.CharField(label=_("Name, employee number or username"), required=False, max_length=100)
    unit = IdField(label=_("Unit (and the units under it)"), widget=forms.Select)
    access = forms.ChoiceField(label=_("Signs in with"), required=False,
                               choices=[("", _("Any")), *sel.ACCESS_LABELS.items()])
    invitation = forms.ChoiceField(label=_("Invitation"), required=False,
                                   choices=[("", _("Any")), *sel.INVITATION_LABELS.items()])
    page = PageField()

    def __init__(self, *args, units: list[tuple[int, str]] | tuple[()] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [("", _("Every unit")), *units]

    def clean_q(self):
        return self.cleaned_data["q"].strip()

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        unit = OrgUnit.objects.filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has this number."))
        return unit


class InviteForm(PlainTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Who"), choices=InvitationJob.Kind.choices, widget=forms.RadioSelect,
                             initial=InvitationJob.Kind.PERSON)
    employee_number = forms.CharField(label=_("Employee number (one person)"), required=False, max_length=20)
    unit = forms.ModelChoiceField(label=_("Unit (a unit and every unit under it)"), required=False,
                                  queryset=OrgUnit.objects.active().order_by("path"), empty_label=_("Choose a unit"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == InvitationJob.Kind.PERSON:
            number = (data.get("employee_number") or "").strip()
            if not number:
                self.add_error("employee_number", _("Type the employee number of the person to invite."))
            else:
                employee = Employee.objects.active().filter(employee_number=number).first()
                if employee is None:
                    self.add_error("employee_number", _("No active employee has this number."))
                data["employee"] = employee
        elif kind == InvitationJob.Kind.UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the unit whose people to invite."))
        return data


class InvitationPasswordForm(PlainTextMixin, auth_forms.SetPasswordForm):
    """The invited person chooses their password (Django's validators apply)."""


class PasswordResetForm(PlainTextMixin, auth_forms.PasswordResetForm):
    pass


class PasswordSetForm(PlainTextMixin, auth_forms.SetPasswordForm):
    pass


class CodeForm(PlainTextMixin, forms.Form):
    token = forms.CharField(label=_("Code"), max_length=16, strip=True,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                          "autocapitalize": "off", "spellcheck": "false"}))

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")
