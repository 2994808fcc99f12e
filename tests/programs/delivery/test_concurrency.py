"""Capacity holds under concurrent requests: several people ask for the last seat at once, each from its own thread
and database connection; exactly one gets it, the others are waitlisted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from programs.models import Enrolment
from programs.services import delivery as services
from tests import factories as f

S = Enrolment.Status


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_the_last_seat_give_it_to_exactly_one(org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers anyway — CI runs this")
    session = f.SessionFactory(program=f.ProgramFactory(is_open=True), capacity=3)
    for _ in range(2):
        f.EnrolmentFactory(session=session, employee=f.EmployeeFactory(unit=org.unit_a1), status=S.APPROVED)
    people = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(6)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def ask(employee):
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.enrolment_request(session=session.pk, employee=employee).status)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == sorted([S.APPROVED] + [S.WAITLISTED] * 5)
    assert Enrolment.objects.filter(session=session, status__in=Enrolment.SEAT_HOLDING).count() == 3
