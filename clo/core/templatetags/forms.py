"""Template filters of the shared form rendering (templates/includes/form_errors.html and field.html)."""

from __future__ import annotations

from django import template

register = template.Library()


def marked_required(field) -> bool:
    """Whether a form field must be filled: required by the form, or only to submit (a draft may leave it empty,
    ``required_to_submit`` set by the form)."""
    return bool(field.required or getattr(field, "required_to_submit", False))


@register.filter
def is_required(bound_field) -> bool:
    field = getattr(bound_field, "field", None)
    return field is not None and marked_required(field)


@register.filter
def has_required_fields(form) -> bool:
    """Whether any visible field of the form is marked required (then the form shows the legend of the asterisk)."""
    if not hasattr(form, "visible_fields"):
        return False
    return any(marked_required(bound.field) for bound in form.visible_fields())


@register.filter
def fields_with_errors(form) -> list:
    """The form's bound fields that have an error, in the form's order (hidden ones included: their error is shown)."""
    if not hasattr(form, "visible_fields"):
        return []
    return [bound for bound in form if bound.errors]
