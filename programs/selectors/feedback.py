"""Reads of training evaluation (Kirkpatrick): what a person still has to answer, satisfaction aggregates (never
names: below MIN_ANSWERS answers nothing but the count is shown), learning results, unanswered transfer follow-ups.

Every function runs a fixed number of queries whatever the size of the organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from clo.people import roles
from clo.people.models import Employee
from programs.models import Enrolment, LearningResult, ReactionHour, ReactionResponse, Session, TransferFollowUp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Anonymity: a satisfaction breakdown (means, comments) is shown only from this many answers on.
MIN_ANSWERS = 3
SCORES = ReactionResponse.SCORES
# Level 1: who may answer (the session ended and they attended), and for how long after the session's end.
ATTENDED = (Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED)
REACTION_OPEN_DAYS = 60


def reaction_eligible(*, now: dt.datetime) -> Q:
    """Enrolments whose person may answer the questionnaire at ``now``: attended or completed, in a session that
    ended (and was not cancelled) less than REACTION_OPEN_DAYS ago."""
    return Q(
        status__in=ATTENDED, session__ends_at__lte=now,
        session__ends_at__gt=now - dt.timedelta(days=REACTION_OPEN_DAYS),
    ) & ~Q(session__status=Session.Status.CANCELLED)


@dataclass(frozen=True)
class PendingFeedback:
    """A questionnaire a person still has to answer: ``kind`` "reaction" (satisfaction) or "transfer" (follow-up)."""

    kind: str
    program: str
    person: str  # whose training it is (the manager answers about someone else's)
    since: dt.date
    url: str


def pending_feedback(employee_id: int | None, *, now: dt.datetime | None = None) -> list[PendingFeedback]:
    """The satisfaction questionnaires ``employee_id`` may still answer (sessions attended that ended, not answered,
    still open) and the transfer follow-ups sent to them and not answered yet (as the person trained or as their
    manager), oldest first. Two queries."""
    if not employee_id:
        return []
    now = now or timezone.now()
    answered = ReactionResponse.objects.filter(enrolment=OuterRef("pk"))
    reactions = (
        Enrolment.objects.filter(reaction_eligible(now=now), employee_id=employee_id).filter(~Exists(answered))
        .select_related("employee", "session__program").order_by("session__ends_at", "pk")
    )
    items = [
        PendingFeedback("reaction", e.session.program.title, e.employee.full_name,
                        timezone.localtime(e.session.ends_at).date(), reverse("programs:reaction_answer", args=[e.pk]))
        for e in reactions
    ]
    follow_ups = (
        TransferFollowUp.objects.filter(respondent_id=employee_id, answered_at__isnull=True, sent_at__isnull=False)
        .select_related("enrolment__employee", "enrolment__session__program").order_by("due_on", "pk")
    )
    items += [
        PendingFeedback("transfer", f.enrolment.session.program.title, f.enrolment.employee.full_name, f.due_on,
                        reverse("programs:transfer_answer", args=[f.pk]))
        for f in follow_ups
    ]
    return items


def _mean(total, count: int = 1) -> Decimal | None:
    if total is None or not count:
        return None
    return (Decimal(str(total)) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _figures(row: dict) -> dict:
    """Means of one row of sums (``_sums``), hidden (None) below MIN_ANSWERS answers."""
    answers = row.get("answers") or 0
    shown = answers >= MIN_ANSWERS
    figures = {name: _mean(row.get(name), answers) if shown else None for name in SCORES}
    total = sum(row.get(name) or 0 for name in SCORES)
    figures["mean"] = _mean(total, answers * len(SCORES)) if shown else None
    return {"answers": answers, "shown": shown, **figures}


def _sums() -> dict:
    return {"answers": Count("pk"), **{name: Sum(name) for name in SCORES}}


def satisfaction_summary(sessions: QuerySet | None = None, *, start: dt.datetime | None = None,
                         end: dt.datetime | None = None) -> dict:
    """Mean satisfaction (1–5) of the answers about ``sessions`` (a queryset; all sessions if None) submitted in
    [start, end): ``{"answers", "shown", "usefulness", "trainer", "organisation", "applicability", "mean"}``; the
    means are None below MIN_ANSWERS answers. One query (two for a period of every session whose bounds are not whole
    hours: ``_period_sums``)."""
    answers = ReactionResponse.objects.all()
    if sessions is None and start is not None and end is not None:
        return _figures(_period_sums(start, end))
    if sessions is not None:
        answers = answers.filter(enrolment__session__in=sessions.values("pk"))
    if start is not None:
        answers = answers.filter(submitted_at__gte=start)
    if end is not None:
        answers = answers.filter(submitted_at__lt=end)
    return _figures(answers.aggregate(**_sums()))


def _whole_hour(moment: dt.datetime, *, up: bool) -> dt.datetime:
    hour = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return hour + dt.timedelta(hours=1) if up and hour < moment else hour


def _period_sums(start: dt.datetime, end: dt.datetime) -> dict:
    """The answers of every session submitted in [start, end), added up: the whole hours inside from the hourly
    sums the database keeps (``ReactionHour``), the minutes at either edge from the answers (none when the bounds
    are whole hours, as a year's or a month's are): one query over a few thousand rows for a year, instead of every
    answer."""
    first, last = _whole_hour(start, up=True), _whole_hour(end, up=False)
    if first >= last:
        return ReactionResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(**_sums())
    totals = ReactionHour.objects.filter(hour__gte=first, hour__lt=last).aggregate(
        answers=Sum("answers"), **{name: Sum(name) for name in SCORES})
    if start < first or last < end:
        edges = ReactionResponse.objects.filter(
            Q(submitted_at__gte=start, submitted_at__lt=first) | Q(submitted_at__gte=last, submitted_at__lt=end))
        for name, value in edges.aggregate(**_sums()).items():
            totals[name] = (totals[name] or 0) + (value or 0)
    return totals


def program_satisfaction(program_id: int) -> tuple[dict, list[Session]]:
    """The program's satisfaction, and its sessions that ended (newest first), each with ``attendees``,
    ``satisfaction`` (figures of ``satisfaction_summary``) and ``comments`` (only from MIN_ANSWERS answers on, in
    alphabetical order: never in the order given). The program's figures add up only the sessions whose own figures
    are shown, so that no session's few answers can be told by difference; ``hidden`` counts the others. Three
    queries."""
    attendees = Count("enrolments", filter=Q(enrolments__status__in=ATTENDED))
    sessions = list(
        Session.objects.filter(program_id=program_id, ends_at__lte=timezone.now())
        .exclude(status=Session.Status.CANCELLED).annotate(attendees=attendees).order_by("-starts_at", "-pk")
    )
    answers = ReactionResponse.objects.filter(enrolment__session__program_id=program_id)
    rows = {r["enrolment__session_id"]: r for r in answers.values("enrolment__session_id").annotate(**_sums())
            .order_by()}
    comments: dict[int, list[str]] = {}
    for session_id, text in answers.exclude(comment="").order_by("comment").values_list(
            "enrolment__session_id", "comment"):
        comments.setdefault(session_id, []).append(text)
    for session in sessions:
        session.satisfaction = _figures(rows.get(session.pk, {}))
        session.comments = comments.get(session.pk, []) if session.satisfaction["shown"] else []
    shown = [row for row in rows.values() if (row["answers"] or 0) >= MIN_ANSWERS]
    total = _figures({"answers": sum(r["answers"] for r in shown),
                      **{name: sum(r[name] or 0 for r in shown) for name in SCORES}})
    total["hidden"] = sum(r["answers"] for r in rows.values()) - total["answers"]
    return total, sessions


def reaction_enrolment(user: User | AnonymousUser, enrolment_id: int) -> Enrolment | None:
    """``user``'s own enrolment ``enrolment_id`` (None if it is someone else's): only its person answers."""
    employee_id = roles.scope_of(user).employee_id
    if not employee_id:
        return None
    return (
        Enrolment.objects.filter(pk=enrolment_id, employee_id=employee_id)
        .select_related("session__program").first()
    )


def reaction_of(enrolment_id: int) -> ReactionResponse | None:
    return ReactionResponse.objects.filter(enrolment_id=enrolment_id).first()


# --- Level 2 ------------------------------------------------------------------------------------------------------


def learning_sheet(session_id: int) -> list[Enrolment]:
    """The attendees of a session, by name, each with ``result`` (their LearningResult or None). One query."""
    enrolments = list(
        Enrolment.objects.filter(session_id=session_id, status__in=ATTENDED)
        .select_related("employee").prefetch_related("learning_results")
        .order_by("employee__last_name", "employee__first_name", "pk")
    )
    for enrolment in enrolments:
        results = list(enrolment.learning_results.all())
        enrolment.result = results[0] if results else None
    return enrolments


def program_learning(program_id: int) -> dict:
    """Level 2 of a program: results recorded, mean score before and after, passed of those judged. One query."""
    row = LearningResult.objects.filter(enrolment__session__program_id=program_id).aggregate(
        results=Count("pk"), pre=Avg("pre_score"), post=Avg("post_score"),
        judged=Count("pk", filter=Q(passed__isnull=False)), passed=Count("pk", filter=Q(passed=True)),
    )
    row["pre"], row["post"] = _mean(row["pre"]), _mean(row["post"])
    return row


# --- Level 3 ------------------------------------------------------------------------------------------------------


def visible_follow_ups(user: User | AnonymousUser) -> QuerySet:
    """Transfer follow-ups ``user`` may follow: all for the learning office, those about the people of their units
    for a director, none otherwise."""
    scope = roles.scope_of(user)
    follow_ups = TransferFollowUp.objects.filter(blocked_at__isnull=True)  # past retention: hidden
    if user.is_superuser or scope.has(roles.CLO):
        return follow_ups
    if not scope.unit_paths:
        return TransferFollowUp.objects.none()
    people = Employee.objects.in_units(scope.unit_paths)
    return follow_ups.filter(enrolment__employee__in=people.values("pk"))


def unanswered_follow_ups(user: User | AnonymousUser) -> QuerySet:
    """The follow-ups sent and not answered that ``user`` may follow, longest waiting first, with the person
    trained, the respondent and the program loaded."""
    return (
        visible_follow_ups(user).filter(answered_at__isnull=True, sent_at__isnull=False)
        .select_related("enrolment__employee__unit", "enrolment__session__program", "respondent")
        .order_by("due_on", "pk")
    )


def program_transfer(program_id: int) -> dict:
    """Level 3 of a program: follow-ups sent, answered, and the mean "applying it" of the answers (1–5) of the people
    trained and of their managers. One query."""
    follow_ups = TransferFollowUp.objects.filter(enrolment__session__program_id=program_id, sent_at__isnull=False)
    row = follow_ups.aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)),
        employees=Avg("applying", filter=Q(respondent_role=TransferFollowUp.Respondent.EMPLOYEE)),
        managers=Avg("applying", filter=Q(respondent_role=TransferFollowUp.Respondent.MANAGER)),
    )
    row["employees"], row["managers"] = _mean(row["employees"]), _mean(row["managers"])
    return row


def follow_up_for_respondent(user: User | AnonymousUser, follow_up_id: int) -> TransferFollowUp | None:
    """The follow-up ``follow_up_id`` if ``user`` is the one asked to answer it (sent already)."""
    employee_id = roles.scope_of(user).employee_id
    if not employee_id:
        return None
    return (
        TransferFollowUp.objects.filter(pk=follow_up_id, respondent_id=employee_id, sent_at__isnull=False)
        .select_related("enrolment__employee", "enrolment__session__program").first()
    )


def evaluated_programs() -> QuerySet:
    """Programs with at least one session that ended, with ``sessions_ended``, ``answers`` (satisfaction
    questionnaires) and ``satisfaction`` (mean of the four ratings over the sessions with at least MIN_ANSWERS
    answers; None without such a session), and
    ``follow_ups_waiting`` (sent, unanswered), most recent session first. One query per page."""
    from django.db.models import ExpressionWrapper, FloatField, Max, Subquery
    from django.db.models.functions import Coalesce

    from programs.models import Program

    now = timezone.now()
    answers = ReactionResponse.objects.filter(enrolment__session__program=OuterRef("pk")).order_by().values(
        "enrolment__session__program")
    total = ExpressionWrapper(
        (F("usefulness") + F("trainer") + F("organisation") + F("applicability")) / 4.0, output_field=FloatField()
    )
    waiting = TransferFollowUp.objects.filter(
        enrolment__session__program=OuterRef("pk"), sent_at__isnull=False, answered_at__isnull=True
    ).order_by().values("enrolment__session__program")
    count = Subquery(answers.annotate(n=Count("pk")).values("n")[:1])
    # only sessions whose own figures are shown count in the program's mean (no session's answers by difference)
    shown_sessions = (
        ReactionResponse.objects.order_by().values("enrolment__session").annotate(n=Count("pk"))
        .filter(n__gte=MIN_ANSWERS).values("enrolment__session")
    )
    return (
        Program.objects.filter(sessions__ends_at__lte=now, sessions__status__in=[Session.Status.SCHEDULED,
                                                                        Session.Status.FINISHED])
        .annotate(
            last_ended=Max("sessions__ends_at"),
            sessions_ended=Count("sessions", distinct=True),
            answers=Coalesce(count, 0),
            satisfaction=Subquery(answers.filter(enrolment__session__in=shown_sessions).annotate(m=Avg(total))
                                  .values("m")[:1], output_field=FloatField()),
            follow_ups_waiting=Coalesce(Subquery(waiting.annotate(n=Count("pk")).values("n")[:1]), 0),
        )
        .order_by("-last_ended", "code")
    )


def trainer_reaction(*, trainer: str = "pk") -> dict:
    """Scalar subqueries over the satisfaction answers (level 1) about the sessions the internal trainer that
    ``trainer`` names (an outer query's employee pk) taught: ``reaction_answers`` and ``reaction_mean`` (the mean of
    the four ratings, 1–5) and ``trainer_rating`` (the "trainer" rating). Only the sessions with at least MIN_ANSWERS
    answers count, as in a program's figures (``program_satisfaction``): no session's few answers can be told, and a
    trainer with no such session has no mean (None)."""
    from django.db.models import FloatField, Func, IntegerField, Subquery
    from django.db.models.functions import Coalesce

    answered = (
        ReactionResponse.objects.filter(enrolment__session__internal_trainer__isnull=False, blocked_at__isnull=True)
        .order_by().values("enrolment__session").annotate(n=Count("pk")).filter(n__gte=MIN_ANSWERS)
        .values("enrolment__session")
    )
    answers = ReactionResponse.objects.filter(
        enrolment__session__internal_trainer_id=OuterRef(trainer), enrolment__session__in=answered,
        blocked_at__isnull=True,
    ).order_by()

    def scalar(expression, output_field):
        return Subquery(answers.annotate(v=expression).values("v")[:1], output_field=output_field)

    mean = Func((F("usefulness") + F("trainer") + F("organisation") + F("applicability")) / 4.0, function="AVG")
    return {
        "reaction_answers": Coalesce(scalar(Func(F("pk"), function="COUNT"), IntegerField()), 0),
        "reaction_mean": scalar(mean, FloatField()),
        "trainer_rating": scalar(Func(F("trainer") * 1.0, function="AVG"), FloatField()),
    }
