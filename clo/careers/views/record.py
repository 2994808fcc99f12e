"""The training record as PDF: a person's own, or one person's for their director, HR and the learning office.
Every download is a read of personal data (competencies certified) and is logged."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_safe

from clo.careers.selectors.grades import person_in_scope
from clo.careers.services.record import record_filename, record_pdf as render
from clo.core import downloads
from clo.core.audit import record_read
from clo.core.models import PersonalDataRead
from clo.people.roles import scope_of


def _download(request, employee_id: int):
    employee = person_in_scope(request.user, employee_id)
    record_read(request, PersonalDataRead.What.TRAINING_RECORD, subjects=[employee.pk])
    return downloads.attachment(render(employee), filename=record_filename(employee), content_type="application/pdf")


@require_safe
def my_record(request):
    scope = scope_of(request.user)
    if scope.employee_id is None:
        raise Http404
    return _download(request, scope.employee_id)


@require_safe
def record_pdf(request, employee_id: int):
    return _download(request, employee_id)
