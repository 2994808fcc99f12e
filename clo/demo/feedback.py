"""The demo's training evaluation, level 1: most attendees of the sessions that have ended answered the satisfaction
questionnaire, a few days after their session, so the dashboards show a mean satisfaction and the programs' pages
their breakdown. The employee's login keeps the questionnaire of his latest session unanswered, to show him one.
"""

from __future__ import annotations

import datetime as dt

from auditlog.context import disable_auditlog

from clo.demo.world import World
from programs.models import Enrolment, ReactionResponse, Session

ANSWER_SHARE = 0.7
COMMENTS = (
    "Molt pràctic: ho puc aplicar a la feina de seguida.",
    "El formador domina la matèria i respon els dubtes.",
    "Caldrien més exercicis amb casos de l'Ajuntament.",
    "La sessió era massa llarga per al contingut.",
    "",
)


def ensure_persona_training(w: World) -> None:
    """Each demo login linked to an employee has completed at least one training (their "My training" is never
    empty, whatever the reference day): the latest ended session with a seat left, if they have none."""
    from django.db.models import Count, F, Q

    for username in ("clo", "rrhh", "directora", "empleat"):
        employee_id = w.employee_id(w.personas[username])
        if Enrolment.objects.filter(employee_id=employee_id, status__in=("attended", "completed")).exists():
            continue
        session = (
            Session.objects.filter(ends_at__lte=w.now).exclude(status="cancelled")
            .exclude(enrolments__employee_id=employee_id)
            .annotate(held=Count("enrolments", filter=Q(enrolments__status__in=("approved", "attended", "completed"))))
            .filter(held__lt=F("capacity")).select_related("program").order_by("-ends_at", "pk").first()
        )
        if session is None:
            continue
        with disable_auditlog():  # the demo's own data, like the rows loaded in bulk: not a change anybody made
            Enrolment.objects.create(
                session=session, employee_id=employee_id, status="completed", decided_at=session.starts_at,
                completed_on=session.ends_at.date(), hours_attended=session.program.hours,
            )


def build_reactions(w: World) -> int:
    """Answers for the attended sessions that ended before the reference day. Returns how many."""
    rng = w.rng("feedback")
    keep_open = set(
        Enrolment.objects.filter(
            employee_id=w.employee_id(w.personas["empleat"]), status__in=("attended", "completed"),
            session__ends_at__lte=w.now,
        ).order_by("-session__ends_at").values_list("pk", flat=True)[:1]
    )
    enrolments = (
        Enrolment.objects.filter(status__in=("attended", "completed"), session__ends_at__lte=w.now)
        .exclude(session__status="cancelled").order_by("pk").values_list("pk", "session__ends_at")
    )
    answers = []
    for pk, ends_at in enrolments:
        if pk in keep_open or rng.random() >= ANSWER_SHARE:
            continue
        usefulness = rng.choice((3, 4, 4, 5, 5))
        answers.append(ReactionResponse(
            enrolment_id=pk, usefulness=usefulness, trainer=rng.choice((3, 4, 5, 5)),
            organisation=rng.choice((2, 3, 4, 4, 5)), applicability=max(1, usefulness - rng.choice((0, 0, 1, 2))),
            comment=rng.choice(COMMENTS),
            submitted_at=min(ends_at + dt.timedelta(days=rng.uniform(0.2, 6)), w.now - dt.timedelta(hours=1)),
        ))
    ReactionResponse.objects.bulk_create(answers, batch_size=2000)
    return len(answers)
