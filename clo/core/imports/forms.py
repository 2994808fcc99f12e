from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clo.core.imports import registry
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in registry.all_importers()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=ACCEPTED, max_bytes=settings.UPLOAD_MAX_BYTES)
        return upload
