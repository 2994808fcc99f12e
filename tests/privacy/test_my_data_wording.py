"""The "my data" PDF reads as the council's own Catalan: labels, never the machine keys JSON and CSV use."""

from __future__ import annotations

import io
import json

from django.urls import reverse
from pypdf import PdfReader

from tests.privacy.test_my_data import history  # noqa: F401 (fixture)
from tests.wording import problems


def test_the_catalan_pdf_shows_labels_and_no_field_keys(employee_a_client, employee_a, history):  # noqa: F811
    response = employee_a_client.get(reverse("my_data_download", args=["pdf"]), HTTP_ACCEPT_LANGUAGE="ca")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Número de persona empleada" in text and employee_a.employee_number in text
    assert "employee_number" not in text and "expected_retirement_date" not in text
    assert "Obligatòria" not in text
    assert problems(text) == []
    # JSON keeps the machine keys, for programs.
    data = json.loads(employee_a_client.get(reverse("my_data_download", args=["json"])).content)
    assert data["sections"]["identity"]["records"][0]["field"] == "employee_number"
