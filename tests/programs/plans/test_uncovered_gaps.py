"""Learning plans that say what they could not do: deadlines that follow the sessions offered (and a horizon, never
31 December for a plan made in December), gaps no program covers flagged on the plan, its PDF and its export, the
learning office's list of those gaps (which feeds the annual plan), and the plan list's name search and unit filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from zoneinfo import ZoneInfo

from programs.models import PlanAction, TrainingPlan
from programs.selectors.learning_plans import plan_for_page
from programs.services import learning_plans as services
from programs.services.learning_plans import pdfs as plan_pdfs
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
MADRID = ZoneInfo("Europe/Madrid")
NO_PROGRAM = "No program in the catalogue covers this gap yet; the learning office has been told."
NO_SESSION = "The programs that cover this gap have no session with places yet; the learning office has been told."


def _program(competency, level, title, *, hours="10"):
    program = f.ProgramFactory(title=title, hours=Decimal(hours))
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=level)
    return program


def _session(program, *, starts: dt.datetime, days: int = 1, capacity: int = 10):
    return f.SessionFactory(program=program, capacity=capacity, starts_at=starts,
                            ends_at=starts + dt.timedelta(days=days - 1, hours=3))


@pytest.fixture
def three_gaps(org, employee_a):
    """employee_a's position requires three competencies: ``writing`` (a program with a session), ``law`` (a
    program that has no session) and ``ethics`` (critical, and no program at all)."""
    framework = f.FrameworkFactory()
    area = f.AreaFactory(framework=framework)
    writing = f.CompetencyFactory(area=area, framework=framework, name="Administrative writing")
    law = f.CompetencyFactory(area=area, framework=framework, name="Licensing law")
    ethics = f.CompetencyFactory(area=area, framework=framework, name="Public ethics")
    for competency, critical in ((writing, False), (law, False), (ethics, True)):
        f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3,
                             is_critical=critical)
    writing_course = _program(writing, 3, "Clear administrative writing")
    law_course = _program(law, 3, "Licensing law in practice")
    return {"writing": writing, "law": law, "ethics": ethics, "writing_course": writing_course,
            "law_course": law_course}


# --- Deadlines ---------------------------------------------------------------------------------------------------


def test_a_plan_made_in_december_is_due_with_next_years_sessions_not_on_new_years_eve(three_gaps, employee_a,
                                                                                      settings):
    settings.CLO_PLAN_HORIZON_MONTHS = 6
    with time_machine.travel(dt.datetime(2026, 12, 10, 10, 0, tzinfo=MADRID), tick=False):
        # the writing course's next session runs from 9 to 11 February next year
        _session(three_gaps["writing_course"], starts=dt.datetime(2027, 2, 9, 9, 0, tzinfo=MADRID), days=3)
        plan = services.learning_plan_generate(employee_id=employee_a.pk, year=2026)
    due = {item.program: item.due_date for item in plan.items.exclude(status="retired")}
    assert due[three_gaps["writing_course"]] == dt.date(2027, 2, 11)  # the end of the session
    assert due[three_gaps["law_course"]] == dt.date(2027, 6, 10)  # no session: six months from today
    assert dt.date(2026, 12, 31) not in due.values()
    plan.refresh_from_db()
    assert plan.period_end == dt.date(2027, 6, 10)  # the plan holds its own due dates


def test_the_deadline_is_the_end_of_the_next_session_and_the_horizon_is_configurable(three_gaps, employee_a,
                                                                                     settings):
    settings.CLO_PLAN_HORIZON_MONTHS = 3
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=MADRID), tick=False):
        _session(three_gaps["writing_course"], starts=dt.datetime(2026, 10, 5, 9, 0, tzinfo=MADRID), days=5)
        plan = services.learning_plan_generate(employee_id=employee_a.pk, year=2026)
    due = {item.program: item.due_date for item in plan.items.exclude(status="retired")}
    assert due == {three_gaps["writing_course"]: dt.date(2026, 10, 9), three_gaps["law_course"]: dt.date(2026, 6, 2)}
    plan.refresh_from_db()
    assert plan.period_end == dt.date(2026, 12, 31)


def test_regenerating_later_never_leaves_an_untouched_suggestion_overdue(three_gaps, employee_a, settings):
    settings.CLO_PLAN_HORIZON_MONTHS = 6
    with time_machine.travel(dt.datetime(2026, 1, 12, 10, 0, tzinfo=MADRID), tick=False):
        plan = services.learning_plan_generate(employee_id=employee_a.pk, year=2026)
    law_item = plan.items.get(program=three_gaps["law_course"])
    assert law_item.due_date == dt.date(2026, 7, 12)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=MADRID), tick=False):
        services.learning_plan_generate(employee_id=employee_a.pk, year=2026)
    law_item.refresh_from_db()
    assert law_item.due_date == dt.date(2027, 3, 1) and not law_item.edited


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert services.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert services.add_months(dt.date(2026, 12, 7), 6) == dt.date(2027, 6, 7)
    assert services.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


# --- The plan says which gaps it does not cover ----------------------------------------------------------------------


@pytest.fixture
def plan(three_gaps, employee_a):
    now = timezone.now()
    _session(three_gaps["writing_course"], starts=now + dt.timedelta(days=20))
    return services.learning_plan_generate(employee_id=employee_a.pk, year=timezone.localdate().year)


def test_the_plan_page_flags_each_gap_no_program_covers(hr_client, plan, three_gaps):
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = hr_client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()
    assert "2 gaps are not covered by this plan." in html
    ethics_row = html[html.index("Public ethics"):]
    assert ethics_row.index(NO_PROGRAM) < ethics_row.index("</tr>")
    law_row = html[html.index(">Licensing law</a></th>"):]
    assert law_row.index(NO_SESSION) < law_row.index("</tr>")
    writing_row = html[html.index(">Administrative writing</a></th>"):]
    assert "Not covered" not in writing_row[:writing_row.index("</tr>")]  # the writing gap is covered


def test_a_gap_with_no_action_in_the_plan_is_flagged_too(hr_client, plan, three_gaps):
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    plan.items.filter(program=three_gaps["writing_course"]).update(status="retired")
    html = hr_client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()
    assert "3 gaps are not covered by this plan." in html and "The plan has no action for this gap yet." in html


def test_the_pdf_and_the_export_say_the_same_in_the_persons_language(hr_client, hr_user, plan, employee_a):
    employee_a.language = "ca"
    employee_a.save(update_fields=["language"])
    html = unescape(plan_pdfs.learning_plan_html(plan_for_page(plan.pk, hr_user)))
    assert "Cap programa del catàleg no cobreix encara aquesta bretxa; s'ha avisat l'oficina de formació." in html
    assert "2 bretxes no estan cobertes per aquest pla." in html
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    csv = hr_client.get(reverse("programs:plan_detail", args=[plan.pk]), {"export": "csv", "table": "gaps"})
    text = csv.content.decode("utf-8-sig")
    assert "Not covered by the plan" in text and NO_PROGRAM in text and NO_SESSION in text


# --- The learning office's list of gaps the catalogue does not cover ---------------------------------------------------


def test_the_learning_office_lists_the_gaps_the_catalogue_does_not_cover(clo_client, plan, three_gaps, org,
                                                                         employee_b):
    f.RequirementFactory(position=employee_b.position, competency=three_gaps["ethics"], required_level=3)
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = clo_client.get(reverse("programs:uncovered_gaps")).content.decode()
    rows = html[html.index("<tbody>"):html.index("</tbody>")].split("<tr>")[1:]
    assert len(rows) == 2  # the writing gap has a program with a session: not listed
    ethics, law = rows  # no program at all first
    assert "Public ethics" in ethics and "No program" in ethics and ">2<" in ethics.replace(" ", "")
    assert "Servei d&#x27;Educació" in ethics and "Servei de Llicències" in ethics
    assert "Licensing law" in law and "No session scheduled" in law
    only_b = clo_client.get(reverse("programs:uncovered_gaps"), {"unit": org.unit_b.pk}).content.decode()
    only_b = only_b[only_b.index("<tbody>"):only_b.index("</tbody>")]
    assert "Public ethics" in only_b and "Licensing law" not in only_b and "Servei d&#x27;Educació" not in only_b


def test_the_list_downloads_with_the_same_rows(clo_client, plan):
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = clo_client.get(reverse("programs:uncovered_gaps"), {"export": "csv"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3 and "Public ethics" in lines[1] and "Licensing law" in lines[2]


@pytest.mark.parametrize("client_name", ["hr_client", "director_a_client", "employee_a_client"])
@pytest.mark.parametrize("htmx", [False, True])
def test_the_list_is_the_learning_offices_only(request, client_name, htmx, plan, three_gaps):
    client = request.getfixturevalue(client_name)
    headers = HTMX if htmx else {}
    assert client.get(reverse("programs:uncovered_gaps"), **headers).status_code == 404
    data = {"competency": three_gaps["ethics"].pk, "required_level": 3, "participants": 1, "year": 2030}
    assert client.post(reverse("programs:uncovered_gap_to_plan"), data, **headers).status_code == 404
    assert not PlanAction.objects.exists()


def _client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_navigation_offers_the_list_to_the_learning_office_only(clo_user, hr_user, director_a, plan):
    url = reverse("programs:uncovered_gaps")
    assert f'href="{url}"' in _client_of(clo_user).get(reverse("programs:plan_list")).content.decode()
    for user in (hr_user, director_a.user):
        assert f'href="{url}"' not in _client_of(user).get(reverse("programs:plan_list")).content.decode()


@pytest.mark.parametrize("extra", [2, 30])
def test_the_list_runs_the_same_queries_whatever_the_organisation(clo_client, three_gaps, org, extra,
                                                                 django_assert_max_num_queries):
    for n in range(extra):
        framework = f.FrameworkFactory()
        competency = f.CompetencyFactory(framework=framework, area=f.AreaFactory(framework=framework))
        person = f.EmployeeFactory(unit=org.unit_b1 if n % 2 else org.unit_a1)
        f.RequirementFactory(position=person.position, competency=competency, required_level=2)
        f.RequirementFactory(position=person.position, competency=three_gaps["ethics"], required_level=3)
    with django_assert_max_num_queries(12):  # 5 for the user and scope, 3 for the session, 4 for the page
        response = clo_client.get(reverse("programs:uncovered_gaps"))
    assert response.status_code == 200 and response.content.decode().count('name="competency"') == min(extra + 3, 25)


def test_a_gap_goes_into_the_annual_plan_once(clo_client, plan, three_gaps):
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"competency": three_gaps["ethics"].pk, "required_level": 3, "participants": 4, "year": 2031}
    response = clo_client.post(reverse("programs:uncovered_gap_to_plan"), data)
    assert response.status_code == 302 and response["Location"] == reverse("programs:training_plan_detail",
                                                                           args=[2031])
    action = PlanAction.objects.get()
    assert action.plan.year == 2031 and action.estimated_participants == 4 and action.program is None
    assert "Public ethics" in action.title
    again = clo_client.post(reverse("programs:uncovered_gap_to_plan"), data, follow=True).content.decode()
    assert "The 2031 plan already has an action for this gap." in again and PlanAction.objects.count() == 1
    TrainingPlan.objects.filter(year=2031).update(status=TrainingPlan.Status.APPROVED)
    data["required_level"] = 4
    closed = clo_client.post(reverse("programs:uncovered_gap_to_plan"), data, follow=True).content.decode()
    assert "it can no longer change" in closed and PlanAction.objects.count() == 1
    bad = clo_client.post(reverse("programs:uncovered_gap_to_plan"), {**data, "participants": "x"}, follow=True)
    assert bad.status_code == 200 and PlanAction.objects.count() == 1


# --- The plan list: name search and unit filter -------------------------------------------------------------------


def test_hr_finds_a_person_by_name_whatever_the_accents(hr_client, org, plan, employee_b):
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    f.EmployeeFactory(unit=org.unit_b1, first_name="Núria", last_name="Cabré Ollé")
    html = hr_client.get(reverse("programs:plan_list"), {"q": "nuria cabre"}).content.decode()
    assert "Núria Cabré Ollé" in html and "Pere Soler Camps" not in html and "Anna Pujol Sala" not in html
    html = hr_client.get(reverse("programs:plan_list"), {"q": "SOLER"}).content.decode()
    assert "Pere Soler Camps" in html and "Núria" not in html
    # the pages keep the search
    assert "Nobody matches this search" in hr_client.get(reverse("programs:plan_list"), {"q": "zzz"}).content.decode()


def test_the_unit_filter_takes_the_subtree_within_the_users_scope(hr_user, director_a, org, plan, employee_b):
    html = _client_of(hr_user).get(reverse("programs:plan_list"), {"unit": org.unit_b.pk}).content.decode()
    assert "Anna Pujol Sala" in html and "Pere Soler Camps" not in html
    response = _client_of(director_a.user).get(reverse("programs:plan_list"), {"unit": org.unit_b.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "Anna Pujol Sala" not in html
    assert "Choose one of the units in the list." in html
    assert org.unit_b.name not in html[html.index('name="unit"'):html.index("</select>")]


def test_the_next_page_keeps_the_search(hr_client, org, plan):
    for n in range(55):
        f.EmployeeFactory(unit=org.unit_a1, first_name="Jordi", last_name=f"Vidal {n:02d}")
    html = hr_client.get(reverse("programs:plan_list"), {"q": "vidal", "unit": org.unit_a.pk}).content.decode()
    assert f"q=vidal&amp;unit={org.unit_a.pk}&amp;page=2" in html


@pytest.mark.parametrize("extra", [3, 40])
def test_a_search_runs_the_same_queries_whatever_the_organisation(hr_client, org, plan, extra,
                                                                  django_assert_max_num_queries):
    for _ in range(extra):
        f.EmployeeFactory(unit=org.unit_a1, first_name="Jordi")
    with django_assert_max_num_queries(15):
        response = hr_client.get(reverse("programs:plan_list"), {"q": "jordi", "unit": org.unit_a.pk}, **HTMX)
    assert response.status_code == 200 and response.content.decode().count("Jordi") == min(extra, 50) * 2


def test_a_gap_is_proposed_as_a_training_need_with_its_competency_and_people(clo_client, clo_user, plan, three_gaps):
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = clo_client.get(reverse("programs:uncovered_gaps")).content.decode()
    start = html.index(reverse("programs:need_create") + "?competency=")
    link = unescape(html[start:html.index('"', start)])
    assert f"competency={three_gaps['ethics'].pk}&participants=1&title=" in link
    form = clo_client.get(link).content.decode()
    assert f'<option value="{three_gaps["ethics"].pk}" selected>' in form
    assert 'value="Public ethics to level 3"' in form
    # a hostile link prefills nothing and breaks nothing
    assert clo_client.get(reverse("programs:need_create"), {"competency": "9" * 40, "participants": "-3"}).status_code == 200
