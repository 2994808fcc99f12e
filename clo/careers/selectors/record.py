"""What the training record (*expedient formatiu*) shows: accredited training by year, the certificates (completed
programs with hours and credits) and the competencies they certified. Four queries, the same figures as the
training record page (``programs.selectors.delivery``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from clo.people.models import Employee


def record_context(employee: Employee) -> dict:
    from programs.selectors.delivery import _credits, certified_competencies, training_by_year, training_enrolments

    years = training_by_year(employee.pk)
    completed = sorted((e for e in training_enrolments(employee.pk) if e.completed_on),
                       key=lambda e: (e.completed_on, e.session.program.code), reverse=True)
    certificates = [{"enrolment": e, "program": e.session.program, "hours": e.session.program.hours,
                     "credits": _credits(e.session.program.hours)} for e in completed]
    return {
        "employee": employee, "years": years, "certificates": certificates,
        "competencies": certified_competencies(employee.pk),
        "total_hours": sum((y["hours"] for y in years), start=0),
        "total_credits": sum((y["credits"] for y in years), start=0),
        "organisation_name": settings.CLO_ORGANISATION_NAME, "printed_on": timezone.localdate(),
    }
