"""The certificate of completion reads as the council's own Catalan (tests/wording.py)."""

from __future__ import annotations

import io
import re

import pypdf
from django.urls import reverse

from tests.programs.delivery.test_views import client_for, completed  # noqa: F401 (fixture)
from tests.wording import MONTHS, problems


def test_the_catalan_certificate_has_long_dates_with_their_preposition(completed, employee_a):  # noqa: F811
    employee_a.language = "ca"
    employee_a.first_name = "Andreu"
    employee_a.save(update_fields=["language", "first_name"])
    response = client_for(employee_a.user).get(reverse("programs:certificate", args=[completed.pk]))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert problems(text) == []
    assert re.search(rf"\b\d{{1,2}} (?:de |d')(?:{MONTHS}) de \d{{4}}\b", text)
