"""Forms of the competencies layer: a resource (a link or a document, through the uploads' checks) attached to a
level of a competency, used by the competency's page (the learning office) and by a community of practice's page (its
coordinators, clo.talent)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _

from clo.core import uploads
from clo.core.forms import PlainTextMixin
from competencies.models import RESOURCE_FILE_KINDS, RESOURCE_MAX_BYTES, Competency


class ResourceForm(PlainTextMixin, forms.Form):
    competency: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Competency"),
                                                                queryset=Competency.objects.none())
    level = forms.IntegerField(label=_("Level"), min_value=1, max_value=20,
                               help_text=_("The level of the competency this resource helps to reach."))
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("or a document"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(
            f".{e}" for e in uploads.extensions_of(RESOURCE_FILE_KINDS))}))

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies
        self.fields["file"].help_text = gettext("PDF, office documents or text; at most %(mb)s MB.") % {
            "mb": RESOURCE_MAX_BYTES // 1024 // 1024}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            uploads.validate_upload(upload, kinds=set(RESOURCE_FILE_KINDS),
                                    max_bytes=min(RESOURCE_MAX_BYTES, settings.UPLOAD_MAX_BYTES))
        return upload

    def clean(self):
        data = super().clean()
        if "url" in data and "file" in data and bool(data.get("url")) == bool(data.get("file")):
            self.add_error("url", _("Give either a link or a document."))
        return data
