"""Forms of training evaluation: the satisfaction questionnaire, the transfer follow-up, the learning results sheet."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.forms import PlainTextMixin

# The questionnaire's scale: every value carries its words, never a bare number.
RATING_CHOICES = [
    (1, pgettext_lazy("rating scale", "1 — Very low")),
    (2, pgettext_lazy("rating scale", "2 — Low")),
    (3, pgettext_lazy("rating scale", "3 — Medium")),
    (4, pgettext_lazy("rating scale", "4 — High")),
    (5, pgettext_lazy("rating scale", "5 — Very high")),
]
APPLYING_CHOICES = [
    (1, _("1 — Not at all")),
    (2, _("2 — A little")),
    (3, _("3 — Partly")),
    (4, _("4 — Largely")),
    (5, _("5 — Fully")),
]


def _rating(label, choices=RATING_CHOICES, help_text="") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect, help_text=help_text,
        error_messages={"required": _("Choose a value from 1 to 5.")},
    )


class ReactionForm(PlainTextMixin, forms.Form):
    usefulness = _rating(_("How useful was the training for your work?"))
    trainer = _rating(_("How do you rate the trainer?"))
    organisation = _rating(_("How do you rate the organisation (timetable, place, materials)?"))
    applicability = _rating(_("How much of it can you apply in your job?"))
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your answers are anonymous: reports show only totals of at least three answers."),
    )


class TransferForm(PlainTextMixin, forms.Form):
    applying = _rating(_("Are you applying what you learnt?"), APPLYING_CHOICES)
    example = forms.CharField(
        label=_("An example (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A task or a situation where it made a difference, or what stands in the way."),
    )

    def __init__(self, *args, manager_of: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if manager_of:
            self.fields["applying"].label = _("Is %(name)s applying what they learnt?") % {"name": manager_of}


PASSED_CHOICES = [("", _("Not judged")), ("yes", _("Passed")), ("no", _("Not passed"))]


class LearningResultsForm(PlainTextMixin, forms.Form):
    """One row per attendee: score before, score after (0–100) and the trainer's judgement."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        self.rows = []
        for enrolment in enrolments:
            result = enrolment.result
            name = enrolment.employee.full_name
            pre = forms.DecimalField(
                label=_("Score before · %(name)s") % {"name": name}, required=False, min_value=Decimal("0"),
                max_value=Decimal("100"), max_digits=5, decimal_places=1,
                initial=result.pre_score if result else None,
            )
            post = forms.DecimalField(
                label=_("Score after · %(name)s") % {"name": name}, required=False, min_value=Decimal("0"),
                max_value=Decimal("100"), max_digits=5, decimal_places=1,
                initial=result.post_score if result else None,
            )
            passed = forms.ChoiceField(
                label=_("Trainer's judgement · %(name)s") % {"name": name}, required=False, choices=PASSED_CHOICES,
                initial={True: "yes", False: "no"}.get(result.passed if result else None, ""),
            )
            keys = (f"pre_{enrolment.pk}", f"post_{enrolment.pk}", f"passed_{enrolment.pk}")
            for key, field in zip(keys, (pre, post, passed)):
                self.fields[key] = field
            self.rows.append((enrolment, [self[key] for key in keys]))

    def results(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            e.pk: {"pre_score": data.get(f"pre_{e.pk}"), "post_score": data.get(f"post_{e.pk}"),
                   "passed": {"yes": True, "no": False}.get(data.get(f"passed_{e.pk}") or "")}
            for e in self.enrolments
        }
