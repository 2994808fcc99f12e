from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clo.core.imports import registry
from clo.core.forms import PlainTextMixin
from clo.core.imports.models import ImportJob
from clo.core.uploads import extensions_of, validate_upload

ACCEPTED = {"csv", "xlsx"}


class UploadForm(forms.Form):
    """Which import, and the file."""

    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("CSV in UTF-8 or Windows-1252, separated by commas or semicolons, or an Excel workbook (the "
                    "first sheet). Use the templates below."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in extensions_of(ACCEPTED))}),
    )

    mode = forms.ChoiceField(
        label=_("What an employees file stands for"),
        choices=[
            (ImportJob.Mode.UPDATE, _("Update the people in the file: nobody else is deactivated")),
            (ImportJob.Mode.REGISTER, _("The file is the whole staff register: the active employees who are not in "
                                        "it are deactivated")),
        ],
        initial=ImportJob.Mode.UPDATE,
        required=False,  # not sent (a script, an old form): an update, which deactivates nobody
        widget=forms.RadioSelect,
        help_text=_("Only for employees; other data never deactivates anything. Choose “whole staff register” only "
                    "for a complete export of the HR system: a file of one department would deactivate everyone "
                    "else."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in registry.all_importers()]  # type: ignore[attr-defined]

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or ImportJob.Mode.UPDATE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=ACCEPTED, max_bytes=settings.UPLOAD_MAX_BYTES)
        return upload


class ConfirmForm(PlainTextMixin, forms.Form):
    """The confirmation of an import; above the share of deactivations that needs it, the number typed."""

    confirmation = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, job: ImportJob, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        count = job.counts.get("deactivate") or 0
        field = self.fields["confirmation"]
        field.label = _("Type %(count)s to confirm") % {"count": count}
        field.help_text = _(
            "This import deactivates %(count)s of the %(active)s active employees. Type the number to confirm that "
            "the file is the whole staff register."
        ) % {"count": count, "active": job.active_before}
        field.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})
