"""End to end through real processes: a completion posted to the real LRS is pulled by the beat's task on a real
Celery worker (Redis, PostgreSQL), completes the enrolment, and the gap engine's refresh that follows on the same
worker closes the gap, within seconds."""

from __future__ import annotations

import time
import uuid

import pytest

from clo.api import tasks
from clo.api.xapi import services
from evaluations.models import Gap
from programs.models import Enrolment, Modality
from tests import factories as f
from tests.api.xapi.conftest import PASSWORD, USERNAME
from tests.worker.conftest import own_broker, redis_server, workers  # noqa: F401  (the worker tests' fixtures)
from tests.worker.processes import require_postgresql, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.lrs, pytest.mark.django_db(transaction=True)]


def test_a_completion_in_the_lrs_closes_the_gap_through_the_worker(lrs, workers, employee_a, monkeypatch):  # noqa: F811
    require_postgresql()
    competency = f.CompetencyFactory(code="C-WRITE", name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.CurrentLevelFactory(employee=employee_a, competency=competency, level=2)
    program = f.ProgramFactory(code="P-ONLINE", title="Clear writing online", modality=Modality.ONLINE, hours=6)
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    services.activity_map(iri="https://campus.example/course/writing", program=program)
    for name, value in (("CLO_XAPI_ENDPOINT", lrs.endpoint), ("CLO_XAPI_USERNAME", USERNAME),
                        ("CLO_XAPI_PASSWORD", PASSWORD)):
        monkeypatch.setenv(name, value)  # the worker's settings
    worker = workers.start()
    lrs.post([{"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{employee_a.email}"},
               "verb": {"id": services.COMPLETED}, "object": {"id": "https://campus.example/course/writing"},
               "result": {"duration": "PT5H"}}])
    started = time.monotonic()
    tasks.xapi_pull.delay()
    wait_for(lambda: Gap.objects.filter(employee=employee_a, competency=competency, gap=0).exists(), timeout=60,
             message=f"the gap did not close; worker output:\n{worker.output[-3000:]}")
    elapsed = time.monotonic() - started
    enrolment = Enrolment.objects.get(employee=employee_a, session__program=program)
    assert (enrolment.status, str(enrolment.hours_attended)) == ("completed", "5.0")
    assert elapsed < 30
