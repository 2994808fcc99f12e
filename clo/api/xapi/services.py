"""Writes of learning records (xAPI).

Pull (``xapi_pull``, beat every 10 minutes): the statements stored in the LRS since the cursor, a batch at a time.
Each batch is one transaction that holds the cursor's row lock (so two pulls never overlap), takes each ``completed``
or ``passed`` statement of a mapped activity whose id clo has not seen (the unique statement id: a statement taken
twice changes nothing), and moves the cursor to the batch's newest ``stored`` before it commits. A crash midway rolls
the batch back with its cursor, and the next pull takes the batch again from the start.

A statement whose learner is an employee (by ``mbox`` = email, or by account name = employee number or sign-in
name) completes their enrolment through the delivery services of programs (an enrolment is made for a self-paced
program), which record the hours and certify the program's competencies for the gap engine. Any other waits in the
review list, where the learning office matches it to a person or dismisses it.

Send (task ``api.xapi_send``, queued by programs on commit): the attendance and completions recorded in clo, as
statements with ids derived from what they say, so a retry sends the same statement again and the LRS keeps one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clo.api.xapi import client
from clo.api.xapi.models import XapiActivity, XapiCursor, XapiStatement
from clo.people.models import Employee
from programs.models import Enrolment, Program, SessionDay
from programs.services.delivery import (
    CompletionRecord,
    EnrolmentError,
    enrolment_complete_from_record,
    enrolments_complete_from_records,
)

logger = logging.getLogger(__name__)
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
TAKEN = (COMPLETED, PASSED)
PLATFORM = "clo"  # the context.platform of the statements clo sends
# The pull asks for a little before its cursor (statements stored in the same instant as the last one taken); the
# statement ids skip those already taken.
OVERLAP = dt.timedelta(seconds=1)
_DURATION = re.compile(r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
                       r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


# --- Mapping of activities ----------------------------------------------------------------------------------------


def activity_map(*, iri: str, program: Program) -> XapiActivity:
    """The LMS activity ``iri`` is ``program``: its completions complete the program from the next pull on."""
    activity = XapiActivity(iri=iri.strip(), program=program)
    activity.full_clean()
    activity.save()
    return activity


def activity_unmap(*, activity: XapiActivity) -> None:
    """Forget the mapping, and the statements of it still waiting for review (those taken stay taken)."""
    if activity.statements.exclude(status=XapiStatement.Status.PENDING).exists():
        raise ValidationError(_("Learning records of this activity were already taken: the mapping stays."))
    activity.delete()


# --- Pull -----------------------------------------------------------------------------------------------------------


def xapi_pull(*, batch_size: int | None = None) -> int:
    """Take the LRS's new statements (see the module's docstring). Returns how many statements clo kept."""
    if not client.configured():
        return 0
    endpoint = settings.CLO_XAPI_ENDPOINT
    cursor, _created = XapiCursor.objects.get_or_create(endpoint=endpoint)
    since = cursor.since - OVERLAP if cursor.since else None
    kept = 0
    for page in client.statement_pages(since=since, limit=batch_size or settings.CLO_XAPI_BATCH):
        kept += _take_batch(endpoint, page)
    return kept


def xapi_take(*, endpoint: str, statements: list[dict]) -> int:
    """Take one page of statements as a pull from ``endpoint`` would (its cursor made if new): what
    ``bench_api`` times without an LRS in between. Returns how many statements clo kept."""
    XapiCursor.objects.get_or_create(endpoint=endpoint)
    return _take_batch(endpoint, statements)


@transaction.atomic
def _take_batch(endpoint: str, page: list[dict]) -> int:
    """One page: its new statements read (``_take``), their learners found in one query, their enrolments completed
    together (``enrolments_complete_from_records``: one training roll-up refresh, one gap refresh per person), their
    rows written in one INSERT, and the cursor moved, all in one transaction."""
    cursor = XapiCursor.objects.select_for_update().get(endpoint=endpoint)
    ids = {str(s.get("id")) for s in page if _is_uuid(s.get("id"))}
    seen = {str(i) for i in XapiStatement.objects.filter(statement_id__in=ids).values_list("statement_id", flat=True)}
    iris = {(s.get("object") or {}).get("id") for s in page}
    activities = {a.iri: a for a in XapiActivity.objects.filter(iri__in=[i for i in iris if i])
                  .select_related("program")}
    rows: list[tuple[XapiStatement, dict]] = []
    for statement in page:
        if (str(statement.get("id")) in seen or (statement.get("verb") or {}).get("id") not in TAKEN
                or (statement.get("context") or {}).get("platform") == PLATFORM):  # what clo itself sent
            continue
        activity = activities.get(str((statement.get("object") or {}).get("id") or ""))
        if activity is None:
            continue
        try:
            row = _take(statement, activity)
        except (ValidationError, KeyError, TypeError, ValueError) as error:  # malformed: it must not block the rest
            logger.warning("xAPI statement %s skipped: %s", statement.get("id"), error)
            continue
        seen.add(str(statement["id"]))
        rows.append((row, statement.get("actor") or {}))
    _match([row for row, _actor in rows], [actor for _row, actor in rows])
    _complete_all([row for row, _actor in rows])
    XapiStatement.objects.bulk_create([row for row, _actor in rows], batch_size=1000)
    moments = [m for m in (_moment(s.get("stored") or s.get("timestamp")) for s in page) if m is not None]
    if moments and (cursor.since is None or max(moments) > cursor.since):
        cursor.since = max(moments)
        cursor.save(update_fields=["since", "updated_at"])
    return len(rows)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _moment(value: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


def _required_moment(value: str | None) -> dt.datetime:
    moment = _moment(value)
    if moment is None:
        raise ValueError(f"not a moment: {value!r}")
    return moment


def _hours(result: dict | None) -> Decimal | None:
    found = _DURATION.match((result or {}).get("duration") or "")
    if not found or not any(found.groupdict().values()):
        return None
    parts = {k: Decimal(v or 0) for k, v in found.groupdict().items()}
    hours = parts["d"] * 24 + parts["h"] + parts["m"] / 60 + parts["s"] / 3600
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if hours > 0 else None


def _learner(actor: dict) -> tuple[str, str, str]:
    """The learner as the LMS named them, and the email or the account name that finds them (both empty: no way
    to)."""
    mbox = (actor.get("mbox") or "").strip()
    if mbox.lower().startswith("mailto:") and mbox[7:]:
        return mbox, mbox[7:], ""
    name = ((actor.get("account") or {}).get("name") or "").strip()
    return name, "", name


def _take(statement: dict, activity: XapiActivity) -> XapiStatement:
    """The row of one statement, not saved yet, its learner not yet looked for (``ValueError`` & co.: malformed)."""
    actor = statement.get("actor") or {}
    learner, _email, _name = _learner(actor)
    timestamp = _required_moment(statement.get("timestamp") or statement.get("stored"))
    row = XapiStatement(
        statement_id=statement["id"], verb=statement["verb"]["id"], activity=activity, actor=learner[:300],
        actor_name=str(actor.get("name") or "")[:300],
        stored=_required_moment(statement.get("stored") or statement.get("timestamp")),
        completed_on=timezone.localdate(timestamp), hours=_hours(statement.get("result")))
    # the fields' own rules (the foreign keys are the batch's, the constraint holds by construction)
    row.full_clean(exclude=["activity", "employee", "enrolment", "decided_by"], validate_unique=False,
                   validate_constraints=False)
    return row


def _match(rows: list[XapiStatement], actors: list[dict]) -> None:
    """Find the learner of each row among the active employees, all in one query: by email (any case), or by
    employee number or sign-in name. The problems are kept untranslated, and read in the reader's language."""
    learners = [_learner(actor) for actor in actors]
    emails = {email.upper() for _l, email, _n in learners if email}
    names = {name for _l, _e, name in learners if name}
    found: dict[tuple[bool, str], set[int]] = {}  # (by email?, the email in capitals or the name) → people
    if emails or names:
        active = Employee.objects.active().order_by()
        by_email = active.annotate(is_email=Value(True), key=Upper("email")).filter(key__in=emails)
        by_number = active.annotate(is_email=Value(False), key=F("employee_number")).filter(key__in=names)
        by_name = active.annotate(is_email=Value(False), key=F("user__username")).filter(key__in=names)
        for pk, is_email, key in by_email.values_list("pk", "is_email", "key").union(
                by_number.values_list("pk", "is_email", "key"), by_name.values_list("pk", "is_email", "key"),
                all=True):
            found.setdefault((is_email, key), set()).add(pk)
    for row, (_learner_, email, name) in zip(rows, learners, strict=True):
        if not email and not name:
            row.problem = gettext_noop("The LMS gave neither an email nor an account name.")
            continue
        people = found.get((True, email.upper()) if email else (False, name), set())
        if len(people) == 1:
            row.employee_id = next(iter(people))
        else:
            row.problem = (gettext_noop("Nobody in the staff register has this email or account name.") if not people
                           else gettext_noop("Several people have this email or account name."))


def _complete_all(rows: list[XapiStatement]) -> None:
    """Complete the enrolments of ``rows``' employees together (each row's status says whether it could)."""
    found = [(row, row.employee_id) for row in rows if row.employee_id is not None]
    outcomes = enrolments_complete_from_records(records=[
        CompletionRecord(row.activity.program, employee_id, row.completed_on, row.hours) for row, employee_id in found])
    for (row, _employee_id), outcome in zip(found, outcomes, strict=True):
        _settle(row, outcome)


def _settle(row: XapiStatement, outcome: Enrolment | EnrolmentError) -> None:
    if isinstance(outcome, EnrolmentError):
        row.status, row.problem = XapiStatement.Status.PENDING, " ".join(outcome.messages)[:300]
    else:
        row.status, row.enrolment, row.problem = XapiStatement.Status.MATCHED, outcome, ""


def _complete(row: XapiStatement) -> None:
    """Complete the enrolment of ``row``'s employee (its status says whether it could)."""
    assert row.employee is not None
    try:
        with transaction.atomic():
            enrolment = enrolment_complete_from_record(
                program=row.activity.program, employee=row.employee, completed_on=row.completed_on, hours=row.hours)
    except EnrolmentError as error:
        _settle(row, error)
        return
    _settle(row, enrolment)


# --- Review ---------------------------------------------------------------------------------------------------------


def _pending(statement: XapiStatement) -> XapiStatement:
    locked = XapiStatement.objects.select_for_update().select_related("activity__program").get(pk=statement.pk)
    if locked.status != XapiStatement.Status.PENDING:
        raise ValidationError(_("This learning record was already reviewed."))
    return locked


@transaction.atomic
def statement_match(*, statement: XapiStatement, employee: Employee, by) -> XapiStatement:
    """The learning office says who the learner of ``statement`` is: their enrolment is completed, or, when it
    cannot be, nothing changes and the reason is raised."""
    locked = _pending(statement)
    locked.employee = employee
    _complete(locked)
    if locked.status != XapiStatement.Status.MATCHED:
        raise ValidationError(locked.problem)
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["employee", "status", "enrolment", "problem", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def statement_dismiss(*, statement: XapiStatement, by) -> XapiStatement:
    """The learning office sets ``statement`` aside: it changes nobody's training."""
    locked = _pending(statement)
    locked.status, locked.decided_by, locked.decided_at = XapiStatement.Status.DISMISSED, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


# --- Send -----------------------------------------------------------------------------------------------------------


def _base() -> str:
    return settings.CLO_BASE_URL or "https://clo.invalid"


def _actor(employee: Employee) -> dict:
    if employee.email:
        return {"objectType": "Agent", "name": f"{employee.first_name} {employee.last_name}",
                "mbox": f"mailto:{employee.email}"}
    return {"objectType": "Agent", "name": f"{employee.first_name} {employee.last_name}",
            "account": {"homePage": _base(), "name": employee.employee_number}}


def program_iri(program: Program) -> str:
    """The activity that is ``program`` in the LRS: the LMS's when one is mapped to it, clo's own otherwise."""
    mapped = XapiActivity.objects.filter(program=program).order_by("pk").values_list("iri", flat=True).first()
    return mapped or f"{_base()}/xapi/programs/{program.code}"


def _statement(kind: str, enrolment: Enrolment, *, hours: Decimal, on: dt.date, verb: str, key: str) -> dict:
    program = enrolment.session.program
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{_base()}/xapi/{kind}/{enrolment.pk}/{key}/{hours}")),
        "actor": _actor(enrolment.employee),
        "verb": {"id": verb, "display": {"en-US": kind}},
        "object": {"objectType": "Activity", "id": program_iri(program),
                   "definition": {"name": {"en-US": program.title}}},
        "result": {"completion": kind == "completed", "duration": f"PT{hours.normalize():f}H"},
        "context": {"platform": PLATFORM},
        "timestamp": timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0))).isoformat(),
    }


def xapi_send(*, kind: str, enrolment_ids: list[int], day_id: int | None = None) -> int:
    """Send the LRS the attendance (``attended``, on day ``day_id``) or the completion (``completed``) of these
    enrolments, as recorded now. Returns how many statements were sent (0 without an LRS)."""
    if not client.configured() or not enrolment_ids:
        return 0
    enrolments = Enrolment.objects.filter(pk__in=enrolment_ids).select_related("employee", "session__program")
    statements = []
    if kind == "attended":
        day = SessionDay.objects.filter(pk=day_id).first() if day_id is not None else None
        if day is None:
            return 0
        hours = dict(day.attendances.filter(enrolment_id__in=enrolment_ids).values_list("enrolment_id", "hours"))
        statements = [_statement(kind, e, hours=hours[e.pk], on=day.date, verb=ATTENDED, key=f"day{day.pk}")
                      for e in enrolments if hours.get(e.pk)]
    elif kind == "completed":
        statements = [_statement(kind, e, hours=e.hours_attended or e.session.program.hours, on=e.completed_on,
                                 verb=COMPLETED, key="done")
                      for e in enrolments if e.status == Enrolment.Status.COMPLETED and e.completed_on]
    if statements:
        client.statements_send(statements)
    return len(statements)
