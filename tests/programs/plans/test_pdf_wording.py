"""The learning plan PDF reads as the council's own Catalan (tests/wording.py)."""

from __future__ import annotations

from programs.selectors.learning_plans import plan_for_page
from programs.services.learning_plans import pdfs as plan_pdfs
from tests.programs.plans.test_pdfs import _media, _text, plan  # noqa: F401 (fixtures)
from tests.wording import problems


def test_the_catalan_learning_plan_pdf_reads_as_the_councils_own(plan, hr_user, employee_a):  # noqa: F811
    employee_a.first_name = "Andreu"
    employee_a.save(update_fields=["first_name"])
    reader, text = _text(plan_pdfs.learning_plan_pdf(plan_for_page(plan.pk, hr_user)))
    assert reader.trailer["/Root"]["/Lang"] == "ca"
    assert problems(text) == []
