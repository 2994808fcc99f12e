"""``bench_api`` prints its one JSON line at its smallest size: the sync against the CSV import of the same rows, the
BI pages, and the xAPI ingestion (statements become completed enrolments; the same statements again change
nothing), and leaves the bench's enrolments behind it removed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from programs.models import Enrolment

pytestmark = pytest.mark.django_db


def test_bench_api_prints_the_sync_the_bi_pages_and_the_xapi_ingestion():
    out = StringIO()
    call_command("bench_api", employees=30, statements=5, stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["created"] == 30 and result["ratio_sync_to_csv"] > 0
    assert all(page["pages"] >= 1 for page in result["bi_pages"].values())
    xapi = result["xapi"]
    assert xapi["statements"] == xapi["kept"] == xapi["completed_enrolments"] == 5
    assert xapi["kept_again"] == 0 and xapi["statements_per_s"] > 0
    assert not Enrolment.objects.filter(session__program__code="BENCH-XAPI").exists()
