"""Delivery of the catalogue: sessions, their days, enrolments, attendance and interest in a program."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.models.catalogue import Program


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timetable = models.CharField(_("timetable"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    # An employee of the council who teaches it, from the pool of internal trainers (clo.talent.models.trainers),
    # assigned by programs.services.delivery.session_trainer_assign; ``trainer`` stays for an outside trainer's name.
    internal_trainer = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions_taught",
        verbose_name=_("internal trainer"),
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # The iCalendar SEQUENCE of the session's invitations: raised when its dates, times or place change, or when it
    # is cancelled, so that calendars take the newer invitation (programs.services.calendar).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="programs_session_capacity_positive",
                violation_error_message=_("A session needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="programs_session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="programs_session_has_venue",
                violation_error_message=_("Give a place or an online link."),
            ),
        ]
        indexes = [
            # dashboards and catalogue: upcoming scheduled sessions.
            models.Index(fields=["status", "starts_at"], name="programs_session_upcoming"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} · {self.starts_at:%Y-%m-%d}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ATTENDED = "attended", _("Attended")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # Statuses that hold a seat of the session.
    SEAT_HOLDING = (Status.APPROVED, Status.ATTENDED, Status.COMPLETED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session"))
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("employee")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours_attended = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=1, default=0)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # Added to the session's sequence in this person's invitations: raised when they withdraw a seat (the
    # cancellation must be newer than the invitation) and when they ask again (the new invitation newer still).
    calendar_revision = models.PositiveIntegerField(_("calendar revision"), default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"],
                name="programs_enrolment_one_per_session",
                violation_error_message=_("This person is already enrolled in this session."),
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__gte=0),
                name="programs_enrolment_hours_not_negative",
                violation_error_message=_("Hours attended cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="programs_enrolment_completed_dated",
                violation_error_message=_("A completed enrolment needs its completion date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="programs_enrolment_rejection_reason",
                violation_error_message=_("A rejected request must say why."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="programs_enrolment_seats"),
            models.Index(fields=["employee", "status"], name="programs_enrolment_employee"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.session}"


class ProgramInterest(models.Model):
    """A person's interest in a program, registered when it has no session they can ask a seat in: it counts as
    demand where the learning office triages the needs and plans the year. One per person and program; the person
    may withdraw it (the row is deleted)."""

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="program_interests", verbose_name=_("employee")
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="interests", verbose_name=_("program"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interest in a program")
        verbose_name_plural = _("interests in programs")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "program"],
                name="programs_programinterest_one_per_person",
                violation_error_message=_("This person has already registered their interest in this program."),
            ),
        ]
        indexes = [
            # the demand per program (selectors.catalogue.interest_demand): a count grouped by program
            models.Index(fields=["program"], name="programs_interest_by_program"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.program}"


class SessionDay(models.Model):
    """One day of a session, with the hours it lasts: attendance is recorded per day."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="days", verbose_name=_("session"))
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        ordering = ["session", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date"],
                name="programs_sessionday_unique",
                violation_error_message=_("This session already has this day."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="programs_sessionday_hours_range",
                violation_error_message=_("A session day lasts more than 0 and at most 24 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """Hours a person attended on one day of their session."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("day"))
    hours = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"],
                name="programs_attendance_unique",
                violation_error_message=_("Attendance for this person and day is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0),
                name="programs_attendance_hours_not_negative",
                violation_error_message=_("Hours attended cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.day.date:%Y-%m-%d}: {self.hours}"
