"""Data retention, with time frozen: nothing happens before the period; past it the records are blocked (hidden
from the pages that list them); past the grace period they are deleted, people anonymised; a second run changes
nothing. The data-protection role reads the runs and the blocked counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from auditlog.context import set_actor
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from clo.core.models import AuditEntry, RetentionRun
from clo.core.retention import ANONYMOUS_NAME, retention_run
from clo.people.models import Employee
from evaluations.models import Assessment, AssessmentReadLog, Rating
from programs.models import ReactionResponse
from tests import factories as f

MADRID = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2026, 1, 15, 10, 0, tzinfo=MADRID)


@pytest.fixture(autouse=True)
def _periods(settings, english):
    settings.RETENTION_DAYS = {"assessments": 1000, "feedback": 500, "audit": 1000, "read_logs": 500,
                               "inactive_employees": 700}
    settings.RETENTION_GRACE_DAYS = 90


def at(days: int):
    return time_machine.travel(START + dt.timedelta(days=days), tick=False)


@pytest.fixture
def records(employee_a, director_a, clo_user):
    """Made at START: employee_a's submitted self-assessment with a rating, a satisfaction answer, a read of their
    results, an audit entry; and a leaver, employee 'leaver', inactive from START."""
    with at(0):
        assessment = f.AssessmentFactory(employee=employee_a, assessor=employee_a, role="self", status="submitted",
                                         submitted_at=timezone.now())
        f.RatingFactory(assessment=assessment, level=3, evidence="Wrote the 2025 report",
                        competency=f.CompetencyFactory(name="Retention writing"))
        enrolment = f.EnrolmentFactory(employee=employee_a, status="completed", completed_on=timezone.localdate())
        ReactionResponse.objects.create(enrolment=enrolment, usefulness=5, trainer=4, organisation=4,
                                        applicability=5, comment="Molt útil", submitted_at=timezone.now())
        AssessmentReadLog.objects.create(user=director_a.user, username=director_a.user.username,
                                         employee=employee_a, assessment=assessment, page="results", path="/x/")
        leaver = f.EmployeeFactory(first_name="Rosa", last_name="Vidal Mas", email="rosa@ajuntament.example",
                                   user=f.UserFactory(username="rosa.vidal"), unit=employee_a.unit)
        with set_actor(clo_user):
            leaver.active = False
            leaver.save(update_fields=["active"])
        retention_run()  # starts the leaver's clock
    return {"assessment": assessment, "leaver": leaver}


def test_before_the_period_nothing_happens(records):
    with at(499):  # the shortest period is 500 days
        run = retention_run()
    assert sum(sum(kind.values()) for kind in run.counts.values()) == 0
    assert not Assessment.objects.filter(blocked_at__isnull=False).exists()
    assert Employee.objects.get(pk=records["leaver"].pk).first_name == "Rosa"


def test_past_the_period_records_are_blocked_and_hidden(records, employee_a, employee_a_client, clo_client,
                                                       clo_user):
    results = reverse("evaluations:employee_results", args=[employee_a.pk])
    with at(1):  # this read is logged too: on a fixed day, so that it is past its period at 1001 whatever today is
        assert "Retention writing" in employee_a_client.get(results).content.decode()
    clo_client.force_login(clo_user)  # a new session from today (the one used on day 1 has been idle since)
    with at(1001):
        run = retention_run()
    assert run.counts["assessments"] == {"blocked": 1, "deleted": 0}
    assert run.counts["satisfaction_answers"]["blocked"] == 1 and run.counts["read_logs"]["blocked"] >= 1
    assert run.counts["audit_entries"]["blocked"] >= 1
    assert run.counts["inactive_employees"] == {"blocked": 1, "anonymised": 0}
    assert Rating.objects.filter(assessment=records["assessment"]).exists()  # blocked, not yet deleted
    # Hidden from the employee's results page, from the audit trail and the reads tab.
    assert not Assessment.objects.visible_to(employee_a.user).exists()
    assert not Assessment.objects.visible_to(clo_user).exists()
    audit = clo_client.get(reverse("audit_log"), {"tab": "reads"}).content.decode()
    assert "Nothing recorded with these filters." in audit
    html = employee_a_client.get(results).content.decode()
    assert "Retention writing" not in html
    leaver = records["leaver"]
    assert not Employee.objects.visible_to(clo_user).filter(pk=leaver.pk).exists()
    assert Employee.objects.visible_to(clo_user).filter(pk=employee_a.pk).exists()


def test_past_the_grace_period_records_are_deleted_and_people_anonymised(records, employee_a):
    with at(1001):
        retention_run()
    with at(1001 + 91):
        run = retention_run()
    assert run.counts["assessments"]["deleted"] == 1
    assert not Assessment.objects.filter(pk=records["assessment"].pk).exists()
    assert not Rating.objects.filter(evidence="Wrote the 2025 report").exists()
    assert not ReactionResponse.objects.exists() and not AssessmentReadLog.objects.exists()
    leaver = Employee.objects.select_related("unit").get(pk=records["leaver"].pk)
    assert (leaver.first_name, leaver.last_name, leaver.email, leaver.user_id) == (
        ANONYMOUS_NAME, f"#{leaver.pk}", "", None)
    assert leaver.employee_number == f"anon-{leaver.pk}" and leaver.unit == employee_a.unit  # still counted
    assert run.counts["inactive_employees"]["anonymised"] == 1
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="rosa.vidal").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Rosa").exists()

    with at(1001 + 92):
        again = retention_run()
    assert sum(sum(kind.values()) for kind in again.counts.values()) == 0  # safe to run twice
    assert RetentionRun.objects.filter(status="done").count() == 4


def test_a_leaver_who_comes_back_stops_the_clock(records):
    leaver = records["leaver"]
    with at(300):
        Employee.objects.filter(pk=leaver.pk).update(active=True)
        retention_run()
    with at(800):
        Employee.objects.filter(pk=leaver.pk).update(active=False)
        retention_run()
    with at(1001 + 91):
        retention_run()
    assert Employee.objects.get(pk=leaver.pk).first_name == "Rosa"  # 700 days after 800 is not yet here


def test_the_data_protection_role_reads_runs_and_blocked_counts(client, records, employee_b):
    with at(1001):
        retention_run()
    employee_b.user.groups.add(Group.objects.get_or_create(name="data_protection")[0])
    client.force_login(employee_b.user)
    html = client.get(reverse("data_retention")).content.decode()
    assert "Assessments and ratings" in html and "Inactive employees" in html
    assert 'id="runs-table"' in html and "1 blocked" in html


def test_the_task_runs_the_job(records):
    from clo.core.tasks_retention import retention_run as task

    with at(1001):
        task.apply()
    assert RetentionRun.objects.latest("started_at").counts["assessments"]["blocked"] == 1


def test_a_draft_never_submitted_counts_from_its_campaign_s_closing(employee_a):
    with at(0):
        campaign = f.CampaignFactory(opens_on=dt.date(2025, 12, 1), closes_on=dt.date(2026, 1, 10))
        draft = f.AssessmentFactory(campaign=campaign, employee=employee_a, assessor=employee_a, role="self")
    with at(990):
        retention_run()
    assert Assessment.objects.get(pk=draft.pk).blocked_at is None
    with at(1001):
        run = retention_run()
    assert Assessment.objects.get(pk=draft.pk).blocked_at is not None and run.counts["assessments"]["blocked"] == 1


def test_a_run_left_running_by_a_lost_worker_does_not_block_the_next(db):
    with at(0):
        RetentionRun.objects.create(started_at=timezone.now())
        assert retention_run() is None  # one at a time
    with at(1):
        run = retention_run()
    assert run.status == "done"
    assert RetentionRun.objects.filter(status="failed").count() == 1


def test_data_protections_home_shows_the_blocked_records_and_the_last_run(client, records):
    """A login with the data protection role only: its home is a data protection section, not "no role yet"."""
    from django.contrib.auth import get_user_model

    from tests.dashboards.pages import read

    officer = get_user_model().objects.create_user("dpd-officer")
    officer.groups.add(Group.objects.get_or_create(name="data_protection")[0])
    client.force_login(officer)
    RetentionRun.objects.all().delete()  # as on a new installation
    before = read(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert before.figures["section-data-protection"] == {"Records blocked now": "0", "Last retention run": "Not run yet"}
    with at(1001):
        run = retention_run()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    figures = read(page).figures["section-data-protection"]
    from clo.core.retention import blocked_counts

    blocked = sum(row["count"] for row in blocked_counts())
    assert blocked > 0 and figures["Records blocked now"] == str(blocked)
    assert figures["Last retention run"] != "Not run yet" and run.finished_at is not None
    assert "has no role yet" not in page.content.decode() and 'href="/data-retention/"' in page.content.decode()
