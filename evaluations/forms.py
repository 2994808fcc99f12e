"""Forms of assessment campaigns: open a campaign, answer an assessment, validate a self-assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clo.core.forms import PlainTextMixin
from clo.people.models import OrgUnit
from competencies.models import Competency, Framework
from evaluations.models import AssessmentCampaign
from evaluations.services import Answer, Decision


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(PlainTextMixin, forms.ModelForm):
    frameworks: forms.ModelMultipleChoiceField[Framework] = forms.ModelMultipleChoiceField(
        label=_("Frameworks"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Framework.objects.filter(status=Framework.Status.PUBLISHED).order_by("code"),
        help_text=_("Only the requirements of these frameworks are assessed. None: all frameworks."),
    )
    competencies: forms.ModelMultipleChoiceField[Competency] = forms.ModelMultipleChoiceField(
        label=_("Competencies in scope"), required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        queryset=Competency.objects.filter(framework__status=Framework.Status.PUBLISHED).select_related("framework"),
        help_text=_("Leave empty to assess the requirements of each person's position."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units in scope"), required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
        queryset=OrgUnit.objects.active().order_by("path"),
        help_text=_("With their whole subtrees. None: the whole organisation."),
    )

    class Meta:
        model = AssessmentCampaign
        fields = ["name", "kind", "period_start", "period_end", "opens_on", "closes_on", "peer_anonymity_threshold"]
        widgets = {name: DateInput() for name in ("period_start", "period_end", "opens_on", "closes_on")}
        labels = {"kind": _("Kinds of rater")}

    def clean(self):
        """The model's date rules, at the field at fault (the model would report them for the whole form)."""
        data = super().clean()
        pairs = (
            ("period_start", "period_end", _("The period cannot end before it starts.")),
            ("opens_on", "closes_on", _("The campaign cannot close before it opens.")),
        )
        for start, end, message in pairs:
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, message)
        threshold = data.get("peer_anonymity_threshold")
        if threshold is not None and threshold < 2:
            self.add_error("peer_anonymity_threshold", _("The peer anonymity threshold must be at least 2."))
        return data


def level_field(name: str) -> str:
    return f"level_{name}"


class AssessmentForm(PlainTextMixin, forms.Form):
    """One group of fields per competency of the assessment (``rows`` from ``selectors.assessment_form_rows``):
    the level (radio buttons whose labels are the level descriptors), evidence and a comment. Saving a draft accepts
    levels left unchosen; submitting does not."""

    def __init__(self, *args, rows, submit: bool = False, **kwargs):
        self.rows = rows
        self.submit = submit
        initial = {}
        for row in rows:
            cid = row.competency.pk
            if row.rating is not None:
                initial.update({f"level_{cid}": row.rating.level, f"evidence_{cid}": row.rating.evidence,
                                f"comment_{cid}": row.rating.comment})
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[misc]  # initial is built here, never passed
        self.fields["confirm"] = forms.BooleanField(
            label=_("I have checked my answers: once submitted, they can no longer be changed."), required=submit,
            error_messages={"required": _("Tick the box to submit: a submitted assessment cannot be changed.")},
        )
        for row in rows:
            cid = row.competency.pk
            self.fields[f"level_{cid}"] = forms.TypedChoiceField(
                label=row.competency.name, coerce=int, required=submit, empty_value=None,
                choices=[(option.value, option.label) for option in row.options], widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for this competency.")},
            )
            self.fields[f"evidence_{cid}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Facts, work or results that show this level."),
            )
            self.fields[f"comment_{cid}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
            )

    def groups(self):
        """For the template: each row with its three bound fields and the chosen level."""
        for row in self.rows:
            cid = row.competency.pk
            level = self[f"level_{cid}"]
            chosen = level.value()
            yield {
                "row": row, "level": level, "evidence": self[f"evidence_{cid}"], "comment": self[f"comment_{cid}"],
                "chosen": str(chosen) if chosen not in (None, "") else "",
            }

    def answers(self) -> dict[int, Answer]:
        data = self.cleaned_data
        return {
            row.competency.pk: Answer(
                data.get(f"level_{row.competency.pk}"), data.get(f"evidence_{row.competency.pk}", ""),
                data.get(f"comment_{row.competency.pk}", ""),
            )
            for row in self.rows
        }


class ValidationForm(PlainTextMixin, forms.Form):
    """The manager's level for each rated competency, prefilled with the self-assessed one; a changed level needs a
    reason, refused at the field otherwise."""

    def __init__(self, *args, rows, **kwargs):
        self.rows = [row for row in rows if row.rating is not None]
        initial = {f"level_{row.competency.pk}": row.rating.level for row in self.rows}
        super().__init__(*args, initial=initial, **kwargs)
        for row in self.rows:
            cid = row.competency.pk
            self.fields[f"level_{cid}"] = forms.TypedChoiceField(
                label=row.competency.name, coerce=int, choices=[(o.value, o.label) for o in row.options],
                widget=forms.RadioSelect, error_messages={"required": _("Choose a level for this competency.")},
            )
            self.fields[f"reason_{cid}"] = forms.CharField(
                label=_("Reason for the change"), required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required when you change the self-assessed level."),
            )

    def clean(self):
        data = super().clean()
        for row in self.rows:
            cid = row.competency.pk
            level = data.get(f"level_{cid}")
            if level is not None and level != row.rating.level and not data.get(f"reason_{cid}", "").strip():
                self.add_error(f"reason_{cid}", _("Give a reason for changing the level."))
        return data

    def groups(self):
        for row in self.rows:
            cid = row.competency.pk
            chosen = self[f"level_{cid}"].value()
            yield {
                "row": row, "level": self[f"level_{cid}"], "reason": self[f"reason_{cid}"],
                "chosen": str(chosen) if chosen not in (None, "") else "",
            }

    def decisions(self) -> dict[int, Decision]:
        data = self.cleaned_data
        return {
            row.competency.pk: Decision(data[f"level_{row.competency.pk}"], data.get(f"reason_{row.competency.pk}", ""))
            for row in self.rows
        }


class CampaignEditForm(CampaignForm):
    """The campaign's form for a change: everything while in draft; once open, the scope and the opening date are
    shown but locked (the browser does not send them and the service keeps them)."""

    LOCKED_WHEN_OPEN = ("kind", "frameworks", "competencies", "units", "opens_on")

    def __init__(self, *args, instance: AssessmentCampaign, **kwargs):
        initial = {
            "frameworks": list(instance.frameworks.values_list("pk", flat=True)),
            "competencies": list(instance.competencies.values_list("pk", flat=True)),
            "units": list(instance.units.values_list("pk", flat=True)),
        }
        super().__init__(*args, instance=instance, initial=initial, **kwargs)  # type: ignore[misc]
        if instance.status == AssessmentCampaign.Status.OPEN:
            for name in self.LOCKED_WHEN_OPEN:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Locked: the campaign is open.")


class PeersForm(PlainTextMixin, forms.Form):
    """The peers of one person: the chosen (or suggested) colleagues and the search results, as checkboxes; what is
    ticked when saving is the new list (checked by the service: at most N, never the person, each once)."""

    peers = forms.TypedMultipleChoiceField(
        label=_("Peers"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].choices = [(p.pk, f"{p.full_name} · {p.unit.name}") for p in people]


class OpenCampaignForm(PlainTextMixin, forms.Form):
    """The second step before opening a campaign: opening cannot be undone, so the page says what it does and asks
    for a tick; a POST without it opens nothing."""

    confirm = forms.BooleanField(
        label=_("I understand that opening the campaign cannot be undone."),
        error_messages={"required": _("Tick the box to confirm: opening the campaign cannot be undone.")},
    )
