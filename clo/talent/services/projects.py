"""Writes of challenge projects: post one with its competencies, move it through its states, apply, decide an
application (a refusal with its reason), escalate the unanswered ones to the learning office (beat, daily), and close
a project with the owner's ratings, each recorded as evidence through ``evaluations.services.evidence_record`` (source
``project``): the gap engine re-consolidates the participant on commit."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.talent.models import ChallengeProject, ProjectApplication, ProjectCompetency, ProjectRating
from competencies.validators import level_in_scale_error
from evaluations.models import Evidence
from evaluations.services import evidence_record

logger = logging.getLogger(__name__)

Status = ChallengeProject.Status
# The moves a project may make, from each state (closing has its own service: it records the ratings).
MOVES = {
    Status.DRAFT: (Status.OPEN, Status.CANCELLED),
    Status.OPEN: (Status.RUNNING, Status.CANCELLED),
    Status.RUNNING: (Status.CANCELLED,),
}


@transaction.atomic
def project_create(*, title: str, goal: str, unit, starts_on: dt.date, ends_on: dt.date, weekly_hours: Decimal,
                   required: list[tuple], to_learn: list[tuple], owner) -> ChallengeProject:
    """Post a project in draft, with the competencies it requires and those it teaches ((competency, level) pairs;
    a competency is in one list only)."""
    project = ChallengeProject(title=title.strip(), goal=goal.strip(), unit=unit, starts_on=starts_on,
                               ends_on=ends_on, weekly_hours=weekly_hours, owner=owner)
    project.full_clean()
    project.save()
    seen: set[int] = set()
    rows = []
    for kind, pairs in ((ProjectCompetency.Kind.REQUIRED, required), (ProjectCompetency.Kind.LEARN, to_learn)):
        for competency, level in pairs:
            if competency.pk in seen:
                raise ValidationError(_("“%(name)s” is listed twice: a competency is either required or to learn.")
                                      % {"name": competency.name})
            if error := level_in_scale_error(competency.pk, level, allow_zero=False):
                raise ValidationError(f"{competency.name}: {error}")
            seen.add(competency.pk)
            rows.append(ProjectCompetency(project=project, competency=competency, kind=kind, level=level))
    if not rows:
        raise ValidationError(_("Name at least one competency the project requires or teaches."))
    ProjectCompetency.objects.bulk_create(rows)
    return project


@transaction.atomic
def project_move(*, project: ChallengeProject, to: str) -> ChallengeProject:
    """Open, start or cancel a project. Starting it needs at least one approved participant; the pending
    applications are then refused (the project no longer takes people)."""
    project = ChallengeProject.objects.select_for_update().get(pk=project.pk)
    if to not in MOVES.get(project.status, ()):
        raise ValidationError(_("A project that is “%(status)s” cannot change like this.")
                              % {"status": project.get_status_display()})
    if to == Status.RUNNING:
        if not project.applications.filter(status=ProjectApplication.Status.APPROVED).exists():
            raise ValidationError(_("Approve at least one participant before starting the project."))
        project.applications.filter(status=ProjectApplication.Status.PENDING).update(
            status=ProjectApplication.Status.REFUSED, decided_at=timezone.now(),
            refusal_reason=_("The project started before this application was answered."))
    project.status = to
    project.save(update_fields=["status"])
    return project


def approval_due_on(applied_on: dt.date) -> dt.date:
    """The day an application's director must have answered by (``CLO_PROJECT_APPROVAL_DAYS`` after applying)."""
    return applied_on + dt.timedelta(days=settings.CLO_PROJECT_APPROVAL_DAYS)


@transaction.atomic
def project_apply(*, project: ChallengeProject, employee, motivation: str,
                  now: dt.datetime | None = None) -> ProjectApplication:
    now = now or timezone.now()
    project = ChallengeProject.objects.select_for_update().get(pk=project.pk)
    if project.status != Status.OPEN:
        raise ValidationError(_("This project no longer takes applications."))
    if project.applications.filter(employee=employee).exists():
        raise ValidationError(_("You have already applied to this project."))
    application = ProjectApplication(project=project, employee=employee, motivation=motivation.strip(),
                                     applied_at=now, due_on=approval_due_on(timezone.localdate(now)))
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_decide(*, application: ProjectApplication, approve: bool, reason: str, decided_by,
                       now: dt.datetime | None = None) -> ProjectApplication:
    """Approve or refuse a pending application (a refusal needs its reason). Deciding twice changes nothing: an
    application already decided is refused with a message."""
    application = ProjectApplication.objects.select_for_update().select_related("project").get(pk=application.pk)
    if application.status != ProjectApplication.Status.PENDING:
        raise ValidationError(_("This application has already been answered."))
    if application.project.status != Status.OPEN:
        raise ValidationError(_("This project no longer takes applications."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why you refuse: the applicant reads it.")})
    application.status = ProjectApplication.Status.APPROVED if approve else ProjectApplication.Status.REFUSED
    application.refusal_reason = "" if approve else reason.strip()
    application.decided_by, application.decided_at = decided_by, now or timezone.now()
    application.full_clean()
    application.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return application


def project_applications_escalate(*, now: dt.datetime | None = None) -> int:
    """The pending applications whose director did not answer by their deadline go to the learning office (which
    may then decide them): one guarded UPDATE, so a second run the same day changes nothing. Returns how many."""
    now = now or timezone.now()
    escalated = ProjectApplication.objects.filter(
        status=ProjectApplication.Status.PENDING, escalated_at__isnull=True, due_on__lt=timezone.localdate(now),
    ).update(escalated_at=now)
    if escalated:
        logger.info("challenge projects: %d applications sent to the learning office", escalated)
    return escalated


@transaction.atomic
def project_close(*, project: ChallengeProject, ratings: dict[tuple[int, int], int], today: dt.date
                  ) -> ChallengeProject:
    """Close a running project with the owner's ratings ({(application id, competency id): level}) of the
    competencies the participants exercised. Each rating is one piece of evidence dated by the close (source
    ``project``, ranked like a validated manager rating, expiring like one); the gap engine re-consolidates each
    participant on commit."""
    project = ChallengeProject.objects.select_for_update().get(pk=project.pk)
    if project.status != Status.RUNNING:
        raise ValidationError(_("Only a running project can be closed."))
    participants = {a.pk: a for a in project.applications.filter(status=ProjectApplication.Status.APPROVED)}
    competencies = dict(project.competencies.values_list("competency_id", "competency__name"))
    reference = (_("Challenge project %(id)s: “%(title)s”") % {"id": project.pk, "title": project.title})[:200]
    rows = []
    for (application_id, competency_id), level in sorted(ratings.items()):
        if application_id not in participants or competency_id not in competencies:
            raise ValidationError(_("Rate only the project's participants in the project's competencies."))
        if error := level_in_scale_error(competency_id, level, allow_zero=True):
            raise ValidationError(f"{competencies[competency_id]}: {error}")
        piece = evidence_record(employee_id=participants[application_id].employee_id, competency_id=competency_id,
                                level=level, evidenced_on=today, source=Evidence.Source.PROJECT,
                                reference=reference)
        rows.append(ProjectRating(application_id=application_id, competency_id=competency_id, level=level,
                                  evidence=piece))
    ProjectRating.objects.bulk_create(rows)
    project.status, project.closed_on = Status.CLOSED, today
    project.full_clean()
    project.save(update_fields=["status", "closed_on"])
    return project
