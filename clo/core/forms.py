"""What every form of the project shares: text read without control characters, and bounded numbers in query
strings."""

from __future__ import annotations

from django import forms

from clo.core.text import without_control_characters


class PlainTextMixin:
    """Every text field of the form (``CharField`` and its kinds: email, URL, slug...) is read without control
    characters (``clo.core.text``): they are removed, a vertical tab or a form feed pasted in a text area becomes a
    line break, and a line break or a tab in a one-line field becomes a space.

    They are removed rather than refused because a person cannot see them to take them out: a refusal would leave them
    stuck with text that looks right. The form shows the cleaned text when it is shown again.
    Put it first among the bases: ``class NeedForm(PlainTextMixin, forms.ModelForm)``.
    """

    def full_clean(self):
        if self.is_bound:
            self.data = self._without_control_characters(self.data)
        super().full_clean()

    def _without_control_characters(self, data):
        text = {self.add_prefix(name): isinstance(field.widget, forms.Textarea)
                for name, field in self.fields.items() if isinstance(field, forms.CharField)}
        data = data.copy()
        for key, multiline in text.items():
            if key not in data:
                continue
            if hasattr(data, "getlist"):
                data.setlist(key, [_clean(value, multiline) for value in data.getlist(key)])
            else:
                data[key] = _clean(data[key], multiline)
        return data


def _clean(value, multiline: bool):
    return without_control_characters(value, multiline=multiline) if isinstance(value, str) else value
