"""The satisfaction of a period of every session is read from the answers added up per hour (``ReactionHour``, kept
by triggers for every writer): whatever was written, deleted or moved, and wherever the bounds fall, it gives what
adding up the answers themselves gives, and the learning office's board shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import selectors
from programs.models import ReactionHour, ReactionResponse
from programs.selectors.figures import year_bounds
from tests.programs.feedback.conftest import attendee, ended_session
from tests import factories as f

pytestmark = pytest.mark.django_db

SCORES = ReactionResponse.SCORES


def oracle(start: dt.datetime, end: dt.datetime) -> tuple:
    """The answers submitted in [start, end), added up in Python."""
    kept = [r for r in ReactionResponse.objects.all() if start <= r.submitted_at < end]
    return (len(kept), *(sum(getattr(r, score) for r in kept) for score in SCORES))


def summed(start: dt.datetime, end: dt.datetime) -> tuple:
    """What the summary reads: the count and, from its means, the sums (the means are shown from three answers)."""
    summary = selectors.satisfaction_summary(start=start, end=end)
    answers = summary["answers"]
    if not summary["shown"]:
        return (answers,)
    return (answers, *(round(float(summary[score]) * answers) for score in SCORES))


def agree(start: dt.datetime, end: dt.datetime) -> None:
    expected = oracle(start, end)
    got = summed(start, end)
    assert got == expected[:len(got)], (start, end)


@pytest.fixture
def answers(db):
    """Twelve answers around one local midnight and one hour boundary, with different scores."""
    program = f.ProgramFactory()
    session = ended_session(program)
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    moments = [midnight + dt.timedelta(minutes=m) for m in (-95, -61, -30, -1, 0, 1, 29, 59, 60, 61, 150, 1500)]
    made = []
    for index, moment in enumerate(moments):
        made.append(ReactionResponse.objects.create(
            enrolment=attendee(session), submitted_at=moment, usefulness=1 + index % 5, trainer=1 + (index * 2) % 5,
            organisation=1 + (index * 3) % 5, applicability=5 - index % 5))
    return midnight, made


def periods(midnight: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    year = year_bounds(midnight.year)
    minute = dt.timedelta(minutes=1)
    return [
        year, year_bounds(midnight.year - 1), (midnight, midnight + dt.timedelta(days=1)),
        (midnight - dt.timedelta(hours=2), midnight + dt.timedelta(hours=1)),  # whole hours
        (midnight - 30 * minute, midnight + 61 * minute),  # both bounds inside an hour
        (midnight + minute, midnight + 59 * minute),  # inside one hour
        (midnight - 61 * minute, midnight + dt.timedelta(days=3)),
        (midnight + 30 * minute, midnight + 30 * minute),  # empty
    ]


def test_the_hourly_sums_give_what_the_answers_give_for_any_period(answers):
    midnight, _made = answers
    assert ReactionHour.objects.count() > 1
    for start, end in periods(midnight):
        agree(start, end)


def test_they_follow_deletions_moves_and_score_changes_by_any_writer(answers):
    midnight, made = answers
    made[0].delete()
    ReactionResponse.objects.filter(pk=made[1].pk).delete()
    made[2].submitted_at = midnight + dt.timedelta(days=2, minutes=7)  # moved to another hour (and day)
    made[2].save()
    ReactionResponse.objects.filter(pk__in=[made[3].pk, made[4].pk]).update(usefulness=5, trainer=1)
    ReactionResponse.objects.filter(pk=made[5].pk).update(blocked_at=timezone.now())  # past retention: still counted
    session = made[6].enrolment.session
    ReactionResponse.objects.bulk_create([
        ReactionResponse(enrolment=attendee(session), submitted_at=midnight + dt.timedelta(minutes=m), usefulness=2,
                         trainer=3, organisation=4, applicability=5) for m in (2, 3, 62)])
    for start, end in periods(midnight):
        agree(start, end)
    ReactionResponse.objects.all().delete()
    assert summed(*year_bounds(midnight.year)) == (0,)


def test_the_learning_office_board_shows_the_year_from_the_hourly_sums(answers, clo_client):
    midnight, made = answers
    start, end = year_bounds(timezone.localdate().year)
    this_year = [r for r in made if start <= r.submitted_at < end]
    page = clo_client.get(reverse("dashboard_clo")).content.decode()
    total = sum(getattr(r, score) for r in this_year for score in SCORES)
    mean = f"{total / (len(this_year) * len(SCORES)):.2f}"
    assert f"{len(this_year)} answers" in page
    assert mean in page
