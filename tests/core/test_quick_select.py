"""``QuickSelect`` (the boards' filters) writes a select in Python: the same HTML, character for character, as Django's
``Select`` with its templates, whatever the choices (groups, an empty one), the value (chosen, unknown, several
kinds) and the attributes (booleans, an error's ARIA attributes); names and labels escaped the same way."""

from __future__ import annotations

import pytest
from django import forms

from clo.core.forms import QuickSelect

CHOICES = [
    ("", "All"),
    ("Group <one>", [(1, "First & best"), (2, '"Quoted"')]),
    (3, "\u2003Indented unit"),
    ("Second group", [("x", "Ex")]),
    ("d'or", "L'or <b>"),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", 3, "x", "d'or", 99, '"><script>'])
@pytest.mark.parametrize("attrs", [None, {"id": "id_unit"}, {"id": "id_area", "aria-invalid": "true",
                                                               "aria-describedby": "id_area-error", "required": True,
                                                               "disabled": False}])
def test_the_same_html_as_djangos_select(value, attrs):
    django_select = forms.Select(choices=CHOICES).render("unit", value, attrs)
    quick_select = QuickSelect(choices=CHOICES).render("unit", value, attrs)
    assert quick_select == django_select


def test_a_form_field_renders_the_same_with_either_widget():
    class Django(forms.Form):
        area = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False)

    class Quick(forms.Form):
        area = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False, widget=QuickSelect)

    for data in ({"area": "2"}, {"area": "nonsense"}, {}):
        django_form, quick_form = Django(data), Quick(data)
        django_form.is_valid(), quick_form.is_valid()
        assert str(quick_form["area"]) == str(django_form["area"])
        assert "<optgroup label=\"Group &lt;one&gt;\">" in str(quick_form["area"])
