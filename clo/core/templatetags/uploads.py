"""``{{ file.name|display_name }}``: an uploaded file's name as the person chose it, without folder or token."""

from django import template

from clo.core import uploads

register = template.Library()


@register.filter
def display_name(stored: str) -> str:
    return uploads.display_name(stored or "")
