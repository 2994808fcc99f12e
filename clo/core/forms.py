"""What every form of the project shares: text read without control characters (``PlainTextMixin``), and the
parameters of a query string read through bounded fields (``QueryForm``, ``IdField``, ``PageField``), so that no
value a person or a script puts in an address reaches the database unchecked: a malformed or out-of-range value is
a field in error (shown by a page that shows its filters), never a server error."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from clo.core.text import without_control_characters


class FormRenderer(TemplatesSetting):
    """Django's form templates through the project's template engine, with the project's field template
    (templates/includes/field.html: the asterisk of a required field, help text and errors next to the field) for
    ``{{ field.as_field_group }}``, so every form marks its required fields the same way."""

    field_template_name = "includes/field.html"


def _attrs(attrs: dict) -> str:
    """A widget's attributes as Django's ``django/forms/widgets/attrs.html`` writes them."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items() if value is not False
    )


class QuickSelect(forms.Select):
    """A ``Select`` written in Python, character for character what Django's ``select.html`` and
    ``select_option.html`` templates write: a filter form's choices (units, areas) are rendered on every board, and
    two template renderings per option cost more than the rest of the form."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                        f'{conditional_escape(option["label"])}</option>\n' for option in options)
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 — every name, value and label is escaped above


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


# Ids are the database's 64-bit integers (BigAutoField): a larger number names nothing (and SQLite cannot even compare
# a column with it). A page number stays well within what an OFFSET of pages of 20 to 50 rows can hold.
MAX_ID = 2**63 - 1
MAX_PAGE = 10_000_000


class IdField(forms.IntegerField):
    """The id of a record in a query string: a whole number from 1 to the largest id the database holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"min_value": _("No record has this number."),
                                            "max_value": _("No record has this number.")})
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class PageField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_PAGE, **kwargs)


class QueryForm(PlainTextMixin, forms.Form):
    """A form bound to a query string (a list's filters, its page). A field in error filters nothing: read the
    values with ``value``, and a page that shows the form shows the field's message next to it."""

    def value(self, name: str, default=None):
        """The valid value of ``name``, or ``default`` when it is missing, empty or in error."""
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class SearchForm(QueryForm):
    """The search box of a list: at most ``LENGTH`` characters are searched."""

    LENGTH = 100

    q = forms.CharField(required=False)

    def clean_q(self):
        return self.cleaned_data["q"].strip()[: self.LENGTH]


def query_value(field: forms.Field, value):
    """``value`` cleaned by ``field``, or None when it is not valid: for a parameter that no form on the page shows
    (the unit a board is asked for before its filters are bound, a page number)."""
    try:
        return field.clean(value)
    except forms.ValidationError:
        return None


def requested_page(data, name: str = "page") -> int:
    """The page a list is asked for: the first when the value is not a page number (as Django's paginator does)."""
    return query_value(PageField(), data.get(name)) or 1


def valid_ids(values: Iterable) -> list[int]:
    """The ids among ``values`` (ticked boxes sent back), in order; anything else is left out."""
    ids = (query_value(IdField(), value) for value in values)
    return [pk for pk in ids if pk is not None]
