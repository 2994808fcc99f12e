"""The optimiser's pages: the learning office asks for a proposal, sees it beside the baselines with its budget
curve, accepts part of it into the plan (a re-run keeps it fixed) and compares two proposals; nobody else finds the
pages (404 on GET, POST and HTMX); bad inputs get a clear message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import PlanAction, PlanProposal, TrainingNeed
from programs.services.optimiser import proposal_run
from tests import factories as f

HX = {"HTTP_HX_REQUEST": "true"}
YEAR = 2027


@pytest.fixture
def catalogue(org):
    """Two positions of unit A1 with gaps in two competencies; three programs (one per session, one per seat, one
    with a prerequisite); an accepted need of A1."""
    comp_a, comp_b = f.CompetencyFactory(name="Atenció ciutadana"), f.CompetencyFactory(name="Contractació pública")
    positions = [f.PositionFactory(unit=org.unit_a1), f.PositionFactory(unit=org.unit_b1)]
    f.RequirementFactory(position=positions[0], competency=comp_a, required_level=3, weight=2, is_critical=True)
    f.RequirementFactory(position=positions[0], competency=comp_b, required_level=2)
    f.RequirementFactory(position=positions[1], competency=comp_b, required_level=3)
    for i in range(12):
        f.EmployeeFactory(unit=org.unit_a1 if i < 8 else org.unit_b1, position=positions[0] if i < 8 else positions[1])
    basic = f.ProgramFactory(title="Atenció bàsica", cost=Decimal("300"), cost_basis="session", hours=Decimal("6"))
    f.ProgramCompetencyFactory(program=basic, competency=comp_a, level_reached=2)
    advanced = f.ProgramFactory(title="Atenció avançada", cost=Decimal("40"), hours=Decimal("10"))
    f.ProgramCompetencyFactory(program=advanced, competency=comp_a, level_reached=3)
    advanced.prerequisites.add(basic)
    contracts = f.ProgramFactory(title="Contractes", cost=Decimal("60"), hours=Decimal("8"))
    f.ProgramCompetencyFactory(program=contracts, competency=comp_b, level_reached=3)
    for program in (basic, advanced, contracts):
        f.SessionFactory(program=program, capacity=10)
    need = f.TrainingNeedFactory(unit=org.unit_a1, status=TrainingNeed.Status.ACCEPTED, year=YEAR)
    need.competencies.add(comp_b)
    return {"basic": basic, "advanced": advanced, "contracts": contracts}


def _propose(client, **inputs):
    data = {"year": YEAR, "budget": "1000", "need_bonus": 50, "critical_factor": "2", "hours_cap": 40,
            "coverage": 0, "time_limit": 10, **inputs}
    return client.post(reverse("programs:proposal_list"), data)


def _solved(client, **inputs) -> PlanProposal:
    response = _propose(client, **inputs)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = PlanProposal.objects.latest("pk")
    proposal_run(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    return proposal


def test_the_clo_gets_a_proposal_beside_the_baselines_and_accepts_part_of_it(clo_client, catalogue, english):
    proposal = _solved(clo_client)
    assert proposal.status == PlanProposal.Status.DONE, proposal.error
    methods = proposal.result["methods"]
    assert methods["optimiser"]["value"] >= methods["greedy"]["value"] > 0
    assert methods["optimiser"]["cost"] <= 1000
    page = clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk])).content.decode()
    for text in ("Greedy by value per euro", "First come, first served", "Budget curve", "150 %",
                 "Contractes", "Cost per unit of weighted gap"):
        assert text in page
    assert '<svg' in page and 'role="img"' in page
    items = list(proposal.items.all())
    chosen = items[0]
    response = clo_client.post(reverse("programs:proposal_accept", args=[proposal.pk]), {"items": [chosen.pk]})
    assert response.status_code == 302
    actions = PlanAction.objects.filter(plan__year=YEAR, program=chosen.program)
    assert sum(a.estimated_cost for a in actions) == chosen.cost
    assert {a.funding for a in actions} <= {"own", "afedap", "other"}
    # a re-run keeps what was accepted
    again = _solved(clo_client)
    kept = again.items.get(program=chosen.program)
    assert kept.seats >= chosen.seats and kept.fixed
    compare = clo_client.get(reverse("programs:proposal_compare"), {"first": proposal.pk, "second": again.pk})
    assert compare.status_code == 200 and str(YEAR) in compare.content.decode()


def test_the_hours_cap_and_the_budget_are_kept(clo_client, catalogue):
    proposal = _solved(clo_client, budget="500", hours_cap=8)
    assert proposal.status == PlanProposal.Status.DONE
    assert proposal.result["methods"]["optimiser"]["cost"] <= 500
    # nobody takes more than 8 hours: only the 8-hour program (contracts) or the 6-hour basic one fit
    assert not proposal.items.filter(program=catalogue["advanced"]).exists()
    assert any(row["reason"] in ("hours", "budget") for row in proposal.result["left_out"])


def test_an_empty_catalogue_says_so(clo_client, org, english):
    proposal = _solved(clo_client)
    page = clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk])).content.decode()
    assert "The catalogue has no active program that develops a competency" in page


def test_a_coverage_the_budget_cannot_pay_says_so(clo_client, catalogue, english):
    proposal = _solved(clo_client, budget="0", coverage=100)
    page = clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk])).content.decode()
    assert "No plan meets the constraints" in page


def test_bad_inputs_come_back_at_the_field(clo_client, org, english):
    response = _propose(clo_client, budget="-5", budget_own="10")
    assert response.status_code == 422
    assert "Ensure this value is greater than or equal to 0" in response.content.decode()
    response = _propose(clo_client, budget="1000", budget_own="100", budget_afedap="100")
    assert response.status_code == 422
    assert "The funding sources add up to less than the budget" in response.content.decode()
    assert not PlanProposal.objects.exists()


def test_the_catalan_page_speaks_catalan(clo_client, catalogue):
    proposal = _solved(clo_client)
    page = clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Corba del pressupost" in page and "Voraç per valor per euro" in page


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client", "hr_client"])
def test_nobody_else_finds_the_optimiser(request, persona, clo_user, catalogue):
    from django.test import Client

    clo = Client()
    clo.force_login(clo_user)
    proposal = _solved(clo)
    client = request.getfixturevalue(persona)
    pk = proposal.pk
    for name, args in (("proposal_list", []), ("proposal_detail", [pk]), ("proposal_compare", [])):
        assert client.get(reverse(f"programs:{name}", args=args)).status_code == 404
        assert client.get(reverse(f"programs:{name}", args=args), **HX).status_code == 404
    for name, args in (("proposal_list", []), ("proposal_cancel", [pk]), ("proposal_accept", [pk])):
        assert client.post(reverse(f"programs:{name}", args=args), {"items": []}).status_code == 404
        assert client.post(reverse(f"programs:{name}", args=args), {"items": []}, **HX).status_code == 404
    assert not PlanAction.objects.exists()


def test_the_progress_partial_and_cancelling(clo_client, catalogue):
    _propose(clo_client)
    proposal = PlanProposal.objects.latest("pk")
    response = clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk]), **HX)
    assert 'id="proposal-status"' in response.content.decode() and "<html" not in response.content.decode()
    clo_client.post(reverse("programs:proposal_cancel", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == PlanProposal.Status.CANCELLED
    proposal_run(proposal_id=proposal.pk)  # a cancelled row is not claimed
    assert not proposal.items.exists()


@pytest.mark.parametrize("size", [1, 4])
def test_the_proposal_page_queries_do_not_grow(clo_client, catalogue, django_assert_max_num_queries, size):
    for i in range(size):
        program = f.ProgramFactory(title=f"Extra {i}", cost=Decimal("10"))
        f.ProgramCompetencyFactory(program=program, competency=catalogue["contracts"].developed.first().competency,
                                   level_reached=2)
    proposal = _solved(clo_client, budget="5000")
    assert proposal.items.count() >= 1
    with django_assert_max_num_queries(12):
        clo_client.get(reverse("programs:proposal_detail", args=[proposal.pk]))
    with django_assert_max_num_queries(12):
        clo_client.get(reverse("programs:proposal_list"))


def test_the_plans_page_links_the_optimiser_for_the_learning_office(clo_client, english):
    assert reverse("programs:proposal_list") in clo_client.get(reverse("programs:training_plan_list")).content.decode()


def test_hr_sees_the_plans_without_the_optimiser_link(hr_client, english):
    assert reverse("programs:proposal_list") not in hr_client.get(reverse("programs:training_plan_list")).content.decode()
