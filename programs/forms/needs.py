"""Forms of the needs-detection campaign and the triage. They validate input; the services decide."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core import uploads
from clo.core.forms import IdField, PlainTextMixin, QueryForm, SearchForm, valid_ids
from clo.people import roles
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import Competency
from programs.models import NeedsCampaign, PlanAction, Program, TrainingNeed
from programs.services import needs as needs_services

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SEARCH_LIMIT = 50

# What a need may carry: checked by content, not only by extension (clo.core.uploads).
NEED_ATTACHMENT_KINDS = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "txt", "csv", "png",
                         "jpeg"}


class NeedForm(PlainTextMixin, forms.ModelForm):
    """A director's need. ``for_submission`` also asks for what the learning office needs to decide."""

    SEARCHABLE = ("competencies", "target_positions", "target_employees")
    # A draft may leave them empty; submitting it needs them, so the form marks them required (asterisk, aria-required).
    REQUIRED_TO_SUBMIT = needs_services.REQUIRED_TO_SUBMIT

    remove_attachment = forms.BooleanField(label=_("Remove the current attachment"), required=False)

    class Meta:
        model = TrainingNeed
        fields = [
            "unit", "title", "competencies", "target_positions", "target_employees", "estimated_participants",
            "priority", "preferred_modality", "desired_period", "strategic_objective", "justification", "attachment",
        ]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 5}),
            "attachment": forms.FileInput(),
        }
        help_texts = {
            "desired_period": _("For example: first quarter, before the summer, October."),
            "strategic_objective": _("The objective of the council's strategic plan this training serves."),
            "attachment": _("Optional. PDF, office document, image, text or CSV; at most 10 MB."),
            "competencies": _("Search by name or code, then choose one or more (Ctrl or ⌘ to select several)."),
        }

    def __init__(self, *args, user=None, for_submission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_submission = for_submission
        scope = roles.scope_of(user)
        units = OrgUnit.objects.visible_to(user).active()
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["competencies"].queryset = Competency.objects.active()
        employees = Employee.objects.visible_to(user).active()
        self.fields["target_employees"].queryset = employees
        positions = Position.objects.filter(active=True)
        if not scope.everything:
            held = Employee.objects.filter(position=OuterRef("pk"), active=True).in_units(scope.unit_paths)
            positions = positions.filter(Q(unit__in=units) | Exists(held))
        self.fields["target_positions"].queryset = positions
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        for name in self.REQUIRED_TO_SUBMIT:
            self.fields[name].required_to_submit = True
            self.fields[name].widget.attrs["aria-required"] = "true"
        if not self.instance.attachment:
            del self.fields["remove_attachment"]

    def clean_estimated_participants(self):
        value = self.cleaned_data.get("estimated_participants")
        if value is not None and value < 1:
            raise forms.ValidationError(_("Estimate at least one participant."))
        return value

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "size") and upload is not self.instance.attachment:
            uploads.validate_upload(upload, kinds=NEED_ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES)
            upload.name = uploads.stored_name(upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.for_submission:  # the service's rule, on the values as typed
            for name, messages in needs_services.submission_errors_of(cleaned).items():
                if name not in self.errors:  # a field already at fault says so once
                    self.add_error(name, messages)
        return cleaned

    def hide_errors(self) -> None:
        """Show the form as typed without validating it (after a search within the form)."""
        self._errors = ErrorDict()

    @cached_property
    def search_lists(self) -> dict[str, dict]:
        """For each searchable list: its bound field, the search typed and the options to show."""
        return {
            name: {"field": self[name], "term": self.search_term(name), "options": self.search_options(name),
                   "search_label": label}
            for name, label in zip(self.SEARCHABLE, (_("Search competencies"), _("Search positions"),
                                                     _("Search people")))
        }

    def search_term(self, name: str) -> str:
        return (self.data.get(f"{name}_q") or "").strip() if self.is_bound else ""

    def selected_ids(self, name: str) -> list[int]:
        if self.is_bound:
            raw = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
            return valid_ids(raw)
        if self.instance.pk or self.initial.get(name):  # a need being changed, or one started from a link
            return [getattr(obj, "pk", obj) for obj in self.initial.get(name) or []]
        return []

    def search_options(self, name: str) -> list[tuple[int, str, bool]]:
        """The options shown for a searchable list: what is selected, then what matches the search (at most
        ``SEARCH_LIMIT``). Two queries."""
        queryset = self.fields[name].queryset
        selected = self.selected_ids(name)
        term = self.search_term(name)
        matching = queryset.exclude(pk__in=selected)
        if term:
            matching = matching.filter(_search_condition(name, term))
        chosen = list(queryset.filter(pk__in=selected)) if selected else []
        shown = chosen + list(matching[:SEARCH_LIMIT])
        return [(obj.pk, _option_label(name, obj), obj.pk in selected) for obj in shown]


def _search_condition(name: str, term: str) -> Q:
    if name == "competencies":  # the name is translated: search it in every language
        condition = Q(code__icontains=term)
        for language, _label in settings.LANGUAGES:
            condition |= Q(**{f"name_{language}__icontains": term})
        return condition
    if name == "target_positions":
        return Q(title__icontains=term) | Q(code__icontains=term)
    return Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(employee_number__icontains=term)


def _option_label(name: str, obj) -> str:
    if name == "target_employees":
        return f"{obj.full_name} ({obj.employee_number})"
    return str(obj)


class NeedFilterForm(SearchForm):
    """The filters of a director's list of needs (the page shows them as a search box and a list of statuses)."""

    status = forms.ChoiceField(required=False, choices=[("", ""), *TrainingNeed.Status.choices])


class NeedPrefillForm(QueryForm):
    """A new need started from a link (the learning office's list of gaps the catalogue does not cover): its
    competency, participants and title. A value in error is left out."""

    competency = IdField()
    participants = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    title = forms.CharField(required=False, max_length=200)

    def initial_need(self) -> dict:
        initial = {}
        pk = self.value("competency")
        if pk and Competency.objects.active().filter(pk=pk).exists():
            initial["competencies"] = [pk]
        if participants := self.value("participants"):
            initial["estimated_participants"] = participants
        if title := self.value("title"):
            initial["title"] = title
        return initial


class TriageFilterForm(QueryForm):
    """The plan year the triage queue is asked for (a link's parameter); any other value shows every year."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)


class ReasonForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("Give the reason: the director will read it.")})


class MoreInfoForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(label=_("What information is missing?"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000, error_messages={"required": _("Say what information is missing.")})


class AcceptForm(PlainTextMixin, forms.Form):
    """Accept a need into the plan of its year: into an existing action, or a new action with an existing or new
    program."""

    class Mode:
        EXISTING_ACTION = "existing_action"
        NEW_ACTION = "new_action"
        NEW_PROGRAM = "new_program"

    mode = forms.ChoiceField(
        label=_("Where does this need go?"), widget=forms.RadioSelect,
        choices=[
            (Mode.EXISTING_ACTION, _("Into an existing action of the plan")),
            (Mode.NEW_ACTION, _("Into a new action with a program of the catalogue")),
            (Mode.NEW_PROGRAM, _("Into a new action with a new program")),
        ],
    )
    action = forms.ModelChoiceField(label=_("Existing action"), queryset=PlanAction.objects.none(), required=False)
    program = forms.ModelChoiceField(label=_("Program of the catalogue"), queryset=Program.objects.filter(active=True),
                                     required=False)
    new_program_code = forms.CharField(label=_("Code of the new program"), max_length=30, required=False)
    new_program_title = forms.CharField(label=_("Title of the new program"), max_length=200, required=False)
    new_program_hours = forms.DecimalField(label=_("Hours of the new program"), max_digits=6, decimal_places=1,
                                           min_value=0.5, required=False)
    title = forms.CharField(label=_("Title of the action"), max_length=200, required=False,
                            help_text=_("Leave it empty to use the program's title."))
    estimated_cost = forms.DecimalField(label=_("Estimated cost (€)"), max_digits=12, decimal_places=2, min_value=0,
                                        required=False)
    estimated_hours = forms.DecimalField(label=_("Estimated hours"), max_digits=7, decimal_places=1, min_value=0,
                                         required=False)
    funding = forms.ChoiceField(label=_("Funding source"), choices=PlanAction.Funding.choices, required=False)

    def __init__(self, *args, need: TrainingNeed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = PlanAction.objects.filter(plan__year=need.year).order_by("title")
        self.fields["program"].queryset = Program.objects.filter(active=True).order_by("code")

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        required = {
            self.Mode.EXISTING_ACTION: ["action"],
            self.Mode.NEW_ACTION: ["program"],
            self.Mode.NEW_PROGRAM: ["new_program_code", "new_program_title", "new_program_hours"],
        }.get(mode, [])
        for name in required:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required for the choice you made."))
        code = cleaned.get("new_program_code")
        if mode == self.Mode.NEW_PROGRAM and code and Program.objects.filter(code=code).exists():
            self.add_error("new_program_code", _("A program with this code already exists: choose it from the "
                                                 "catalogue instead."))
        return cleaned

    def service_arguments(self) -> dict:
        data, mode = self.cleaned_data, self.cleaned_data["mode"]
        if mode == self.Mode.EXISTING_ACTION:
            return {"action": data["action"]}
        new_action = {
            "title": data.get("title") or "",
            "estimated_cost": data.get("estimated_cost") or 0,
            "estimated_hours": data.get("estimated_hours") or 0,
            "funding": data.get("funding") or PlanAction.Funding.OWN,
        }
        if mode == self.Mode.NEW_ACTION:
            return {"new_action": {**new_action, "program": data["program"]}}
        new_program = {"code": data["new_program_code"], "title": data["new_program_title"],
                       "hours": data["new_program_hours"]}
        return {"new_action": {**new_action, "title": new_action["title"] or new_program["title"]},
                "new_program": new_program}


class MergeForm(PlainTextMixin, forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs to merge"), queryset=TrainingNeed.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the duplicate needs to merge.")},
    )
    target = forms.ModelChoiceField(
        label=pgettext_lazy("merge target", "Keep this need"), queryset=TrainingNeed.objects.none(),
        error_messages={"required": _("Choose the need the others are merged into.")},
    )

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = queue
        self.fields["target"].queryset = queue

    def clean(self):
        cleaned = super().clean()
        needs, target = cleaned.get("needs"), cleaned.get("target")
        if needs is not None and target is not None and not [n for n in needs if n.pk != target.pk]:
            self.add_error("needs", _("Tick at least one need besides the one you keep."))
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CampaignForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        model = NeedsCampaign
        fields = ["year", "opens_on", "deadline", "instructions"]
        widgets = {"opens_on": DateInput(), "deadline": DateInput(), "instructions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"year": _("The year of the training plan the needs are for.")}
        error_messages = {"year": {"unique": _("There is already a campaign for this year.")}}
