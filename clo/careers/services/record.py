"""The training record (*expedient formatiu*) as a tagged PDF (PDF/UA, like the learning plans), in the person's
language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from clo.core import pdf

if TYPE_CHECKING:
    from clo.people.models import Employee

TEMPLATE = "careers/record/pdf.html"


def record_language(employee: Employee) -> str:
    return employee.language or settings.LANGUAGE_CODE


def record_filename(employee: Employee) -> str:
    """"expedient-formatiu-soler-camps-pere-00123.pdf", in the language of the PDF (the person's)."""
    from clo.core.downloads import file_name

    with translation.override(record_language(employee)):
        title = gettext("Training record · %(name)s") % {"name": f"{employee.last_name} {employee.first_name}"}
    return file_name(f"{title} {employee.employee_number}", "pdf")


def record_html(employee: Employee) -> str:
    from clo.careers.selectors.record import record_context

    language = record_language(employee)
    with translation.override(language):
        context = record_context(employee)
    return pdf.render_html(TEMPLATE, context, language=language)


def record_pdf(employee: Employee, *, font_config=None) -> bytes:
    """The PDF of ``employee`` (loaded with unit and position)."""
    return pdf.html_to_pdf(record_html(employee), font_config=font_config)
