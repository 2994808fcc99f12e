"""In a real browser: the board's unit filter shows each unit's whole name (its longest name fits inside the select)
at 1366 and 1920 px, and the page still does not scroll sideways on a 390 px phone."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.e2e.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG = "Servei de Llicències d'Activitats, Disciplina Urbanística i Protecció de la Legalitat"

FITS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const longest = Math.max(...[...select.options].map(option => context.measureText(option.text).width));
  const inside = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [longest, inside];
}"""


def test_the_unit_filter_shows_whole_names(e2e_page, org, clo_user):
    f.OrgUnitFactory(code="B2", name=LONG, parent=org.unit_b)
    page = e2e_page
    log_in(page, "clo")
    for width in (1366, 1920, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/dashboards/learning-office/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0, width
        if width > 390:
            longest, inside = page.eval_on_selector("#id_unit", FITS)
            assert longest <= inside + 1, (width, longest, inside)
