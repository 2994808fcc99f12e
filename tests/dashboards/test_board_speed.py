"""The learning office's board reads the organisation's training without joining every active employee
(speed at 250 000 employees): the figures must stay those of the active employees only, and those of the
position group when the board is narrowed to one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clo.people import services as people_services
from programs.services.training_rollup import training_rollup_rebuild
from tests import factories as f
from tests.dashboards.pages import read
from tests.dashboards.test_boards import CLO_URL, get, world  # noqa: F401  (world: fixture)


def _training(employee_a, employee_b, org):
    year = timezone.localdate().year
    start = timezone.make_aware(dt.datetime(year, 2, 3, 9))
    session = f.SessionFactory(program=f.ProgramFactory(title="Public procurement"), starts_at=start,
                               ends_at=start + dt.timedelta(hours=6), capacity=10)
    f.EnrolmentFactory(session=session, employee=employee_a, status="completed", completed_on=start.date(),
                       hours_attended=Decimal("6"))
    f.EnrolmentFactory(session=session, employee=employee_b, status="no_show")
    gone = f.EmployeeFactory(unit=org.unit_a1, position=employee_a.position, active=False)
    f.EnrolmentFactory(session=session, employee=gone, status="completed", completed_on=start.date(),
                       hours_attended=Decimal("30"))
    last_year = timezone.make_aware(dt.datetime(year - 1, 5, 3, 9))
    old = f.SessionFactory(program=session.program, starts_at=last_year,
                           ends_at=last_year + dt.timedelta(hours=2), capacity=10)
    f.EnrolmentFactory(session=old, employee=employee_a, status="completed", completed_on=last_year.date(),
                       hours_attended=Decimal("2"))
    training_rollup_rebuild()  # the enrolments were written around the services: as the nightly rebuild does


def test_whole_organisation_training_counts_only_active_employees_of_the_year(
    clo_client, org, world, employee_a, employee_b
):
    _training(employee_a, employee_b, org)
    headline = read(get(clo_client, CLO_URL)).figures["headline"]
    assert headline["Employees"] == "5"
    # 6 hours / 5 employees: not the inactive one's 30 hours, nor last year's 2.
    assert headline["Training hours per employee"] == "1.2"
    # 1 completed of 2 closed: the inactive one left out.
    assert headline["Completion rate"].startswith("50")


def test_a_unit_or_a_group_narrows_the_training_figures(
    clo_client, org, world, employee_a, employee_b, eager_tasks, django_capture_on_commit_callbacks
):
    _training(employee_a, employee_b, org)
    unit = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}")).figures["headline"]
    assert unit["Completion rate"].startswith("100")  # employee_a only: employee_b is in unit B
    employee_a.position.group = "C1"  # the position moves to another group, as the admin does it
    employee_a.position.save()
    with django_capture_on_commit_callbacks(execute=True):
        people_services.positions_regrouped(position_ids=[employee_a.position_id])
    group = read(get(clo_client, f"{CLO_URL}?group=C1")).figures["headline"]
    assert group["Employees"] == "1"
    assert group["Training hours per employee"] == "6.0"
    assert group["Completion rate"].startswith("100")
