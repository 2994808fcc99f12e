"""The admin of the four domain apps: every page loads for a superuser, lists don't grow queries with rows, and the
unit tree is edited through the services (materialised path kept right)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clo.people.models import Employee, OrgUnit, Position, UnitHeadcount
from competencies.models import (
    Area,
    Competency,
    CompetencyLevelDescriptor,
    Framework,
    Level,
    LevelResource,
    ProficiencyScale,
    Requirement,
)
from evaluations.models import (
    Assessment,
    AssessmentCampaign,
    AssessmentReadLog,
    CurrentLevel,
    Evidence,
    GapRun,
    GapTrendPoint,
    PeerResult,
    Rating,
    UnitAreaGap,
    UnitCompetencyGap,
    UnitGap,
    UnitGroupCompetencyGap,
)
from programs.models import (
    CalendarFeed,
    ProgramInterest,
    UnitTraining,
    ProgramResultSnapshot,
    Attendance,
    Enrolment,
    LearningPlan,
    LearningPlanItem,
    NeedEvent,
    NeedsCampaign,
    PlanAction,
    PlanProposal,
    ProposalItem,
    PlanPdfJob,
    Program,
    ProgramCompetency,
    Session,
    SessionDay,
    TrainingNeed,
    TrainingPlan,
)
from programs.models import LearningResult, ReactionHour, ReactionInvitation, ReactionResponse, TransferFollowUp
from tests import factories as f

pytestmark = pytest.mark.django_db

APPS = ("people", "competencies", "evaluations", "programs")
# Per request, whatever the rows: session, user, session save (3 with its savepoint), navigation scope (2), two
# counts, the page, filter choices and date-hierarchy bounds. Never one per row.
MAX_CHANGELIST_QUERIES = 16


def _units(n: int) -> None:
    parent = f.OrgUnitFactory()
    f.OrgUnitFactory.create_batch(n - 1, parent=parent)


def _scales(n: int) -> None:
    f.ScaleFactory.create_batch(n, levels=2)


def _levels(n: int) -> None:
    f.ScaleFactory(levels=n)


def _descriptors(n: int) -> None:
    for competency in f.CompetencyFactory.create_batch(n):
        f.DescriptorFactory(competency=competency)


def _plans(n: int) -> None:
    start = 2000 + TrainingPlan.objects.count()
    for year in range(start, start + n):
        f.TrainingPlanFactory(year=year)


def _learning_plan_items(n: int) -> None:
    plan = f.LearningPlanFactory()
    competency = f.CompetencyFactory()
    for i in range(n):
        if i % 2:
            f.LearningPlanItemFactory(plan=plan, kind="program", program=f.ProgramFactory(), title="")
        else:
            f.LearningPlanItemFactory(plan=plan, competency=competency, target_level=2)


def _needs(n: int) -> None:
    for _ in range(n):
        need = f.TrainingNeedFactory()
        need.competencies.add(f.CompetencyFactory())


def _campaigns(n: int) -> None:
    first = (NeedsCampaign.objects.order_by("-year").values_list("year", flat=True).first() or 2030) + 1
    NeedsCampaign.objects.bulk_create([
        NeedsCampaign(year=first + i, opens_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 10, 31)) for i in range(n)
    ])


def _need_events(n: int) -> None:
    user, need = f.UserFactory(), f.TrainingNeedFactory()
    NeedEvent.objects.bulk_create([NeedEvent(need=need, kind="edited", actor=user) for _ in range(n)])


def _gap_runs(n: int) -> None:
    from django.utils import timezone

    now = timezone.now()
    user = f.UserFactory()
    GapRun.objects.bulk_create(
        [GapRun(status="done", trigger="nightly", requested_by=user, started_at=now, finished_at=now)
         for _ in range(n)]
    )


def _unit_competency_gaps(n: int) -> None:
    unit = f.OrgUnitFactory()
    UnitCompetencyGap.objects.bulk_create(
        [UnitCompetencyGap(unit=unit, subtree=True, competency=c, area=c.area, people=2)
         for c in f.CompetencyFactory.create_batch(n)]
    )


def _unit_group_competency_gaps(n: int) -> None:
    unit = f.OrgUnitFactory()
    UnitGroupCompetencyGap.objects.bulk_create(
        [UnitGroupCompetencyGap(unit=unit, subtree=True, position_group="A1", competency=c, area=c.area, people=2)
         for c in f.CompetencyFactory.create_batch(n)]
    )


def _unit_area_gaps(n: int) -> None:
    unit = f.OrgUnitFactory()
    areas = f.AreaFactory.create_batch(n)
    UnitAreaGap.objects.bulk_create([UnitAreaGap(unit=unit, subtree=False, area=a) for a in areas])


def _unit_gaps(n: int) -> None:
    UnitGap.objects.bulk_create([UnitGap(unit=unit, subtree=True, people=4) for unit in f.OrgUnitFactory.create_batch(n)])


def _done_run() -> GapRun:
    now = timezone.now()
    return GapRun.objects.create(status="done", trigger="nightly", started_at=now, finished_at=now)


def _read_logs(n: int) -> None:
    user, assessment = f.UserFactory(), f.AssessmentFactory()
    AssessmentReadLog.objects.bulk_create(
        [AssessmentReadLog(user=user, username=user.username, employee=assessment.employee, assessment=assessment,
                           page="assessment", path=f"/assessments/{assessment.pk}/") for _ in range(n)]
    )


def _trend_points(n: int) -> None:
    _gap_runs(n)
    runs = GapRun.objects.filter(trend_point__isnull=True)
    GapTrendPoint.objects.bulk_create([GapTrendPoint(run=run, as_of=dt.date(2026, 1, 1)) for run in runs])


def _session_days(n: int) -> None:
    session = f.SessionFactory()
    SessionDay.objects.bulk_create(
        SessionDay(session=session, date=dt.date(2027, 3, 1) + dt.timedelta(days=i), hours=4) for i in range(n)
    )


def _attendances(n: int) -> None:
    session = f.SessionFactory()
    day = SessionDay.objects.create(session=session, date=dt.date(2027, 3, 1), hours=4)
    enrolments = f.EnrolmentFactory.create_batch(n, session=session, status="approved")
    Attendance.objects.bulk_create(Attendance(enrolment=e, day=day, hours=3) for e in enrolments)


# How to add n rows of each model, with their foreign keys filled so that list columns follow them.
def _proposals(n: int) -> None:
    PlanProposal.objects.bulk_create([PlanProposal(year=2027, budget=Decimal("1000")) for _ in range(n)])


def _proposal_items(n: int) -> None:
    proposal = PlanProposal.objects.create(year=2027, budget=Decimal("1000"))
    ProposalItem.objects.bulk_create([ProposalItem(proposal=proposal, program=f.ProgramFactory(), sessions=1, seats=10,
                                                   cost=Decimal("100"), value=1.0) for _ in range(n)])


BUILDERS: dict[type, Callable[[int], None]] = {
    OrgUnit: _units,
    Position: lambda n: f.PositionFactory.create_batch(n, unit=f.OrgUnitFactory()),
    Employee: lambda n: f.EmployeeFactory.create_batch(n),
    ProficiencyScale: _scales,
    Level: _levels,
    Framework: lambda n: f.FrameworkFactory.create_batch(n),
    Area: lambda n: f.AreaFactory.create_batch(n),
    Competency: lambda n: f.CompetencyFactory.create_batch(n),
    CompetencyLevelDescriptor: _descriptors,
    Requirement: lambda n: f.RequirementFactory.create_batch(n),
    AssessmentCampaign: lambda n: f.CampaignFactory.create_batch(n),
    Assessment: lambda n: f.AssessmentFactory.create_batch(n),
    Rating: lambda n: f.RatingFactory.create_batch(n),
    PeerResult: lambda n: [PeerResult.objects.create(campaign=f.CampaignFactory(), employee=f.EmployeeFactory(),
                                                     competency=f.CompetencyFactory(), answers=3, mean=2.5)
                           for _ in range(n)],
    CurrentLevel: lambda n: f.CurrentLevelFactory.create_batch(n),
    Evidence: lambda n: f.EvidenceFactory.create_batch(n),
    Program: lambda n: f.ProgramFactory.create_batch(n),
    ProgramCompetency: lambda n: f.ProgramCompetencyFactory.create_batch(n),
    Session: lambda n: [f.EnrolmentFactory(session=s, status="approved") for s in f.SessionFactory.create_batch(n)],
    Enrolment: lambda n: f.EnrolmentFactory.create_batch(n),
    ProgramInterest: lambda n: [ProgramInterest.objects.create(employee=f.EmployeeFactory(), program=f.ProgramFactory())
                                for _ in range(n)],
    SessionDay: _session_days,
    Attendance: _attendances,
    TrainingPlan: _plans,
    PlanAction: lambda n: f.PlanActionFactory.create_batch(n, program=f.ProgramFactory()),
    PlanProposal: _proposals,
    ProposalItem: _proposal_items,
    LevelResource: lambda n: [LevelResource.objects.create(competency=f.CompetencyFactory(), level=1, title=f"Guia {i}",
                                                           url=f"https://seu.example.cat/guia-{i}") for i in range(n)],
    CalendarFeed: lambda n: CalendarFeed.objects.bulk_create(
        CalendarFeed(employee=employee, token_hash=f"{employee.pk:064d}", created_at=timezone.now())
        for employee in f.EmployeeFactory.create_batch(n)),
    TrainingNeed: _needs,
    NeedsCampaign: _campaigns,
    NeedEvent: _need_events,
    LearningPlan: lambda n: f.LearningPlanFactory.create_batch(n),
    LearningPlanItem: _learning_plan_items,
    GapRun: _gap_runs,
    AssessmentReadLog: _read_logs,
    UnitCompetencyGap: _unit_competency_gaps,
    UnitGroupCompetencyGap: _unit_group_competency_gaps,
    UnitAreaGap: _unit_area_gaps,
    UnitGap: _unit_gaps,
    GapTrendPoint: _trend_points,
    ProgramResultSnapshot: lambda n: ProgramResultSnapshot.objects.bulk_create(
        [ProgramResultSnapshot(program=f.ProgramFactory(), run=_done_run(), completers=3, comparison=4,
                               computed_at=timezone.now()) for _ in range(n)]),
    # Counted by the database: an active employee in a new unit gives that unit its row.
    UnitHeadcount: lambda n: [f.EmployeeFactory(unit=f.OrgUnitFactory()) for _ in range(n)],
    UnitTraining: lambda n: UnitTraining.objects.bulk_create(
        [UnitTraining(unit=unit, subtree=True, year=2026, position_group="A2", hours=12, completed=1, closed=2)
         for unit in f.OrgUnitFactory.create_batch(n)]),
    PlanPdfJob: lambda n: PlanPdfJob.objects.bulk_create(
        PlanPdfJob(unit=f.OrgUnitFactory(), as_of=dt.date(2027, 1, 1)) for _ in range(n)
    ),
    # Added up by the database: an answer in an hour of its own gives that hour its row.
    ReactionHour: lambda n: [ReactionResponse.objects.create(
        enrolment=e, submitted_at=timezone.now() - dt.timedelta(hours=i), usefulness=4, trainer=5, organisation=3,
        applicability=4) for i, e in enumerate(f.EnrolmentFactory.create_batch(n, status="attended"))],
    ReactionInvitation: lambda n: [ReactionInvitation.objects.create(enrolment=e)
                                   for e in f.EnrolmentFactory.create_batch(n, status="attended")],
    ReactionResponse: lambda n: [
        ReactionResponse.objects.create(enrolment=e, usefulness=4, trainer=4, organisation=3, applicability=5,
                                        submitted_at=dt.datetime(2026, 6, 1, 10, tzinfo=dt.timezone.utc))
        for e in f.EnrolmentFactory.create_batch(n, status="attended")
    ],
    LearningResult: lambda n: [LearningResult.objects.create(enrolment=e, pre_score=40, post_score=80)
                               for e in f.EnrolmentFactory.create_batch(n, status="attended")],
    TransferFollowUp: lambda n: [
        TransferFollowUp.objects.create(enrolment=e, respondent_role="employee", respondent=e.employee,
                                        due_on=dt.date(2026, 6, 1))
        for e in f.EnrolmentFactory.create_batch(n, status="completed", completed_on=dt.date(2026, 3, 3))
    ],
}


def registered_models() -> list[type]:
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in APPS),
        key=lambda m: m._meta.label,
    )


def model_id(model: type) -> str:
    return model._meta.label


def url(model: type, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_model_of_the_four_apps_is_registered():
    from django.apps import apps

    # Django's admin cannot show a model with a composite primary key (the ``evaluations_gap`` view).
    expected = {m for label in APPS for m in apps.get_app_config(label).get_models() if not m._meta.is_composite_pk}
    assert set(registered_models()) == expected
    assert set(BUILDERS) == expected


def _changelist(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(model, "changelist"))
    assert response.status_code == 200, response.content[:500]
    return response, queries


@pytest.mark.parametrize("model", registered_models(), ids=model_id)
def test_changelist_loads_with_a_bounded_number_of_queries(superuser_client, model):
    # Reference frameworks shipped by migration are already there; count what this test adds.
    baseline = model.objects.count()
    BUILDERS[model](2)
    small_rows = model.objects.count() - baseline
    _, small_queries = _changelist(superuser_client, model)

    BUILDERS[model](20)
    response, big_queries = _changelist(superuser_client, model)
    small, big = len(small_queries), len(big_queries)
    listing = "\n".join(q["sql"][:200] for q in big_queries.captured_queries)
    added = model.objects.count() - baseline

    assert small_rows >= 2 and added >= 20
    assert response.context["cl"].result_count == baseline + added
    assert big <= small, f"{model_id(model)}: {small} queries with {small_rows} rows, {big} with {added}:\n{listing}"
    assert big <= MAX_CHANGELIST_QUERIES, listing


# Derived data, written by the gap engine only: shown, never added, changed or deleted by hand.
READ_ONLY = {
    AssessmentReadLog, NeedEvent, CurrentLevel, GapRun, UnitCompetencyGap, UnitGroupCompetencyGap, UnitAreaGap, UnitGap,
    GapTrendPoint, PlanPdfJob, ProgramResultSnapshot, PeerResult, UnitTraining, UnitHeadcount, PlanProposal, ProposalItem,
    CalendarFeed, LevelResource, ReactionHour,
}


def editable(model) -> bool:
    return model not in READ_ONLY


@pytest.mark.parametrize("model", registered_models(), ids=model_id)
def test_add_page_loads(superuser_client, model):
    response = superuser_client.get(url(model, "add"))
    if editable(model):
        assert response.status_code == 200
        assert b'name="_save"' in response.content
    else:  # derived data: written by its engine, never by hand
        assert response.status_code == 403


@pytest.mark.parametrize("model", registered_models(), ids=model_id)
def test_change_page_loads_with_its_inlines(superuser_client, model):
    BUILDERS[model](3)
    obj = model.objects.order_by("-pk").first()
    response = superuser_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert (b'name="_save"' in response.content) is editable(model)


def test_translated_models_edit_the_three_languages_side_by_side(superuser_client):
    competency = f.CompetencyFactory()
    f.DescriptorFactory(competency=competency, level=1)
    content = superuser_client.get(url(Competency, "change", competency.pk)).content.decode()
    for lang in ("ca", "es", "en"):
        assert f'name="name_{lang}"' in content
        assert f'name="descriptors-0-indicators_{lang}"' in content
    content = superuser_client.get(url(Program, "add")).content.decode()
    assert all(f'name="title_{lang}"' in content for lang in ("ca", "es", "en"))


def test_a_scale_page_lists_its_levels_inline(superuser_client):
    scale = f.ScaleFactory(levels=5)
    content = superuser_client.get(url(ProficiencyScale, "change", scale.pk)).content.decode()
    assert 'name="levels-TOTAL_FORMS" value="5"' in content


def test_a_position_page_edits_its_requirements_inline(superuser_client):
    requirement = f.RequirementFactory()
    content = superuser_client.get(url(Position, "change", requirement.position.pk)).content.decode()
    assert 'name="requirements-TOTAL_FORMS" value="1"' in content


# --- the unit tree through the admin ---------------------------------------------------------------------------


def _unit_form(**values) -> dict:
    data = {"code": "", "name": "", "kind": "service", "parent": "", "active": "on", "_save": "Save"}
    data.update({k: str(v) for k, v in values.items()})
    return data


def test_adding_a_unit_builds_its_path(superuser_client, org):
    data = _unit_form(code="A2", name="Servei d'Esports", parent=org.unit_a.pk)
    response = superuser_client.post(url(OrgUnit, "add"), data)
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="A2")
    assert (unit.path, unit.depth) == (f"{org.unit_a.path}{unit.pk}/", 2)


def test_adding_a_unit_with_heads_and_inactive_keeps_both(superuser_client, org):
    head = f.EmployeeFactory(unit=org.unit_a)
    data = _unit_form(code="A3", name="Oficina", heads=head.pk)
    del data["active"]
    assert superuser_client.post(url(OrgUnit, "add"), data).status_code == 302
    unit = OrgUnit.objects.get(code="A3")
    assert list(unit.heads.all()) == [head]
    assert unit.active is False
    assert unit.path == f"/{unit.pk}/"


def test_changing_the_parent_moves_the_whole_subtree(superuser_client, org):
    response = superuser_client.post(
        url(OrgUnit, "change", org.unit_a.pk),
        _unit_form(code="A", name="Àrea de Persones", kind="area", parent=org.unit_b.pk),
    )
    assert response.status_code == 302
    a, a1 = OrgUnit.objects.get(pk=org.unit_a.pk), OrgUnit.objects.get(pk=org.unit_a1.pk)
    assert a.name == "Àrea de Persones"
    assert (a.parent_id, a.path, a.depth) == (org.unit_b.pk, f"{org.unit_b.path}{a.pk}/", 2)
    assert (a1.path, a1.depth) == (f"{a.path}{a1.pk}/", 3)


def test_renaming_a_unit_leaves_the_tree_alone(superuser_client, org):
    before = org.unit_a1.path
    response = superuser_client.post(
        url(OrgUnit, "change", org.unit_a1.pk), _unit_form(code="A1", name="Educació", parent=org.unit_a.pk)
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(pk=org.unit_a1.pk)
    assert (unit.name, unit.path, unit.parent_id) == ("Educació", before, org.unit_a.pk)


def test_putting_a_unit_under_its_own_subunit_is_a_form_error(superuser_client, org):
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "en"}
    response = superuser_client.post(
        url(OrgUnit, "change", org.unit_a.pk),
        _unit_form(code="A", name="Àrea", kind="area", parent=org.unit_a1.pk),
        **with_lang,
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        "A unit cannot be placed under itself or one of its own subunits."
    ]
    assert OrgUnit.objects.get(pk=org.unit_a.pk).parent_id == org.root.pk


def test_path_and_depth_are_read_only(superuser_client, org):
    content = superuser_client.get(url(OrgUnit, "change", org.unit_a.pk)).content.decode()
    assert 'name="path"' not in content and 'name="depth"' not in content
    assert org.unit_a.path in content


def test_a_descriptor_off_the_scale_of_a_new_competency_is_a_form_error(superuser_client):
    area = f.AreaFactory()  # its framework's scale has levels 1 to 4
    data = {
        "framework": area.framework.pk, "area": area.pk, "code": "NOVA", "kind": "technical", "order": 0,
        "name_ca": "Nova", "name_es": "", "name_en": "", "description_ca": "", "description_es": "",
        "description_en": "",
        "descriptors-TOTAL_FORMS": 1, "descriptors-INITIAL_FORMS": 0,
        "descriptors-0-level": 7, "descriptors-0-indicators_ca": "Indicador", "descriptors-0-indicators_es": "",
        "descriptors-0-indicators_en": "", "_save": "Save",
    }
    response = superuser_client.post(url(Competency, "add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "outside the scale" in errors[0]["level"][0]
    assert not Competency.objects.filter(code="NOVA").exists()

    data["descriptors-0-level"] = 4
    assert superuser_client.post(url(Competency, "add"), data).status_code == 302
    assert CompetencyLevelDescriptor.objects.get(competency__code="NOVA").level == 4


def test_an_assessment_rating_off_the_scale_is_a_form_error(superuser_client):
    assessment = f.AssessmentFactory(campaign=None)
    competency = f.CompetencyFactory()
    data = {
        "campaign": "", "employee": assessment.employee.pk, "assessor": assessment.employee.pk, "role": "self",
        "status": "draft", "submitted_at_0": "", "submitted_at_1": "", "validated_at_0": "", "validated_at_1": "",
        "validated_by": "",
        "ratings-TOTAL_FORMS": 1, "ratings-INITIAL_FORMS": 0,
        "ratings-0-competency": competency.pk, "ratings-0-level": 9, "ratings-0-evidence": "",
        "ratings-0-comment": "", "ratings-0-original_level": "", "ratings-0-adjustment_reason": "",
        "_save": "Save",
    }
    response = superuser_client.post(url(Assessment, "change", assessment.pk), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "outside the scale" in response.context["inline_admin_formsets"][0].formset.errors[0]["level"][0]
    assert not Rating.objects.filter(assessment=assessment).exists()
    data["ratings-0-level"] = 0  # "not demonstrated" is a valid rating
    assert superuser_client.post(url(Assessment, "change", assessment.pk), data).status_code == 302
    assert Rating.objects.get(assessment=assessment).level == 0


def test_session_list_counts_seats_taken(superuser_client):
    session = f.SessionFactory(capacity=3)
    f.EnrolmentFactory(session=session, status="approved")
    f.EnrolmentFactory(session=session, status="completed", completed_on=dt.date(2026, 5, 1))
    f.EnrolmentFactory(session=session, status="waitlisted")
    response = superuser_client.get(url(Session, "changelist"))
    row = response.context["cl"].result_list.get(pk=session.pk)
    assert row._seats_taken == 2


def test_a_plan_item_due_outside_the_plan_being_created_is_a_form_error(superuser_client):
    employee = f.EmployeeFactory()
    data = {
        "employee": employee.pk, "period_start": "2027-01-01", "period_end": "2027-12-31", "goal": "",
        "status": "draft", "generated_at_0": "", "generated_at_1": "",
        "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0,
        "items-0-kind": "mentoring", "items-0-program": "", "items-0-title": "Mentoria", "items-0-competency": "",
        "items-0-target_level": "", "items-0-due_date": "2028-03-01", "items-0-status": "planned",
        "items-0-origin": "manual", "_save": "Save",
    }
    response = superuser_client.post(url(LearningPlan, "add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    error = response.context["inline_admin_formsets"][0].formset.errors[0]["due_date"][0]
    assert "must fall within the plan's period" in error
    assert not LearningPlan.objects.filter(employee=employee).exists()

    data["items-0-due_date"] = "2027-06-30"
    assert superuser_client.post(url(LearningPlan, "add"), data).status_code == 302
    assert LearningPlanItem.objects.get(plan__employee=employee).due_date == dt.date(2027, 6, 30)
