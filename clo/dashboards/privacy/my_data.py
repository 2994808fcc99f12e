"""Right of access (GDPR art. 15): everything clo holds about one employee, gathered from each app's
``selectors_personal`` and written as a PDF (for reading), JSON or a zip of CSV files (for machines).

CSV is a zip with one file per section rather than one file with a "section" column: every section has its own
columns, and a single table would need the union of them all, mostly empty, with types mixed in one column.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core import exports
from clo.core.models import AuditEntry
from clo.core.personal_data import Section
from clo.dashboards.privacy import audit
from clo.people import selectors as people
from clo.people.models import Employee
from clo.people import selectors_personal as people_personal
from evaluations import selectors_personal as evaluations_personal
from programs import selectors as programs_personal


def _audit_section(employee) -> Section:
    """Changes to the person's records; of assessments and ratings only their own (self, manager), never the
    peers' (their answers and who gave them stay out, as on the results page)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from evaluations.models import Assessment, Rating

    own = evaluations_personal.own_record_ids(employee)
    types = ContentType.objects.get_for_models(Assessment, Rating)
    entries = AuditEntry.objects.readable().filter(person_id=employee.pk).exclude(
        Q(content_type=types[Assessment]) & ~Q(object_id__in=own["assessment"])
    ).exclude(Q(content_type=types[Rating]) & ~Q(object_id__in=own["rating"])).select_related(
        "content_type", "actor").order_by("-timestamp", "-pk")
    rows = [[row.entry.timestamp, row.action, row.kind, row.record,
             row.entry.actor.get_username() if row.entry.actor else "", audit.changes_text(row)]
            for row in audit.readable(entries)]
    columns = [("timestamp", _("When")), ("action", _("Action")), ("record_kind", _("Kind of record")),
               ("record", _("Record")), ("actor", _("Who")), ("changes", _("Before → after"))]
    return Section("audit_entries", _("Changes to my data (audit trail)"), columns, rows)


def _reads_section(employee) -> Section:
    """Who read the person's levels, gaps and learning plans, and what (one query)."""
    from clo.core.models import PersonalDataRead

    reads = PersonalDataRead.objects.filter(subjects__person_id=employee.pk, blocked_at__isnull=True).order_by(
        "-read_at", "-pk")
    rows = [[r.read_at, r.username, r.get_what_display(), r.subject_count] for r in reads]
    columns = [("read_at", _("Read at")), ("reader", _("Reader")), ("what", _("What was read")),
               ("people", _("People in the same read"))]
    return Section("personal_data_reads", _("Who read my levels, gaps and learning plans"), columns, rows)


def personal_data(employee_id: int) -> tuple[object, list[Section]]:
    """The employee and every section about them, in a fixed number of queries."""
    employee = people.employee_profile(employee_id)
    if employee is None:  # the caller passes the reader's own employee
        raise Employee.DoesNotExist(employee_id)
    sections = [
        *people_personal.personal_data(employee),
        *evaluations_personal.personal_data(employee),
        *programs_personal.personal_data(employee),
        _audit_section(employee),
        _reads_section(employee),
    ]
    return employee, sections


def as_json(employee, sections: list[Section]) -> bytes:
    document = {
        "generated_at": timezone.now(),
        "employee_number": employee.employee_number,
        "sections": {s.key: {"title": s.title, "records": s.records()} for s in sections},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv_zip(employee, sections: list[Section]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, section in enumerate(sections, start=1):
            table = exports.Table(section.title, section.keys, section.rows)
            archive.writestr(f"{number:02d}-{section.key}.csv", exports.to_csv(table))
    return buffer.getvalue()


def as_pdf(employee, sections: list[Section], *, language: str) -> bytes:
    from clo.core.pdf import render_pdf

    from django.conf import settings

    context = {"employee": employee, "sections": sections, "generated_at": timezone.now(),
               "organisation_name": settings.CLO_ORGANISATION_NAME}
    return render_pdf("dashboards/pdf/my_data.html", context, language=language)
