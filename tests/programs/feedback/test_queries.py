"""Queries per page of training evaluation do not grow with the number of sessions, answers or follow-ups."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrolment, LearningResult, ReactionResponse, TransferFollowUp
from tests import factories as f
from tests.programs.feedback.conftest import attendee, ended_session

pytestmark = pytest.mark.django_db

# Per request whatever the data: session, user, scope (2), the name in the header, the page's own queries (at most
# 8), the session saved (3, with its savepoint).
MAX_QUERIES = 16


def grow(course, employee_a, director_a, org, size: int) -> None:
    """``size`` more sessions of the program, each with three attendees of unit A1 who answered, results and
    follow-ups sent; and ``size`` more questionnaires waiting for employee_a."""
    now = timezone.now()
    for n in range(size):
        session = ended_session(course.program, days_ago=3 + n)
        for _ in range(3):
            enrolment = attendee(session, f.EmployeeFactory(unit=org.unit_a1, manager=director_a,
                                                            position=employee_a.position),
                                 status=Enrolment.Status.COMPLETED, completed_on=timezone.localdate())
            ReactionResponse.objects.create(enrolment=enrolment, submitted_at=now, usefulness=4, trainer=4,
                                            organisation=4, applicability=4, comment=f"Comment {n}")
            LearningResult.objects.create(enrolment=enrolment, pre_score=50, post_score=70)
            for role, who in (("employee", enrolment.employee), ("manager", director_a)):
                TransferFollowUp.objects.create(enrolment=enrolment, respondent_role=role, respondent=who,
                                                due_on=timezone.localdate(), sent_at=now)
        attendee(ended_session(f.ProgramFactory(), days_ago=1 + n), employee_a)


# Level 4 adds a fixed number of statements (work tables, the cohort, one consolidation for every completion day at
# once, two aggregates): the same with one completion day or many, never per person.
RESULTS_QUERIES = 32

PAGES = [
    ("employee_a_client", "programs:my_feedback", None, MAX_QUERIES),
    ("clo_client", "programs:follow_up_list", None, MAX_QUERIES),
    ("director_a_client", "programs:follow_up_list", None, MAX_QUERIES),
    ("clo_client", "programs:evaluation_index", None, MAX_QUERIES),
    ("clo_client", "programs:program_evaluation", "program", RESULTS_QUERIES),
    ("clo_client", "programs:learning_results", "session", MAX_QUERIES),
    ("employee_a_client", "programs:reaction_answer", "mine", MAX_QUERIES),
]


@pytest.mark.parametrize("client_name, url_name, arg, budget", PAGES)
def test_queries_do_not_grow(request, course, employee_a, director_a, org, client_name, url_name, arg, budget,
                             django_assert_max_num_queries):
    competency = f.CompetencyFactory()
    f.ProgramCompetencyFactory(program=course.program, competency=competency)
    f.RequirementFactory(position=employee_a.position, competency=competency)
    client = request.getfixturevalue(client_name)
    args = {"program": [course.program.pk], "session": [course.session.pk], "mine": [course.mine.pk], None: []}[arg]
    url = reverse(url_name, args=args)
    counts = []
    for size in (1, 6):
        grow(course, employee_a, director_a, org, size if not counts else size - 1)
        with django_assert_max_num_queries(budget) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
