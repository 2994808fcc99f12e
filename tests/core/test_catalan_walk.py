"""Every page and every PDF of clo reads as the council's own Catalan (tests/wording.py: d'/del, long dates with their
preposition, no raw keys, thousands grouped): the URL walk's pages as the learning office sees them in Catalan, on
the demo council (its names of people, units and programs are the ones that catch a "de Àrea"), and the documents
the application produces — learning plan, monthly report, certificate, "my data", annual plan — read with pdftotext.

The demo is seeded once for the module, in a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from clo.accounts.models import InvitationJob
from clo.api import services as api_services
from clo.core.imports.models import ImportJob
from clo.dashboards import reports
from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from clo.people.models import Employee
from clo.talent.models import HandoverItem, TransferPlan
from clo.talent.selectors.transfer import holders_without_transfer_plan
from evaluations.models import Assessment, AssessmentCampaign
from clo.demo.seed import MIN_EMPLOYEES, seed_demo
from programs.models import (
    Enrolment,
    LearningPlan,
    NeedsCampaign,
    PlanAction,
    PlanPdfJob,
    Session,
    SessionDay,
    TrainingNeed,
    TransferFollowUp,
)
from tests.core.test_url_walk import FILL, PUBLIC, Literal, walk
from tests.wording import problems

pytestmark = pytest.mark.django_db

# The documents the application produces, by URL name: each must be met (and read) by the walk.
PDFS = {
    "programs:plan_pdf": "learning plan",
    "dashboard_report_download": "monthly report",
    "programs:certificate": "certificate of completion",
    "my_data_download": "my data",
    "programs:training_plan_pdf": "annual training plan",
    "programs:funding_application_pdf": "funding application",
    "programs:funding_justification_pdf": "funding justification",
    "talent:succession_bench_pdf": "bench strength",
    "careers:record_pdf": "training record",
    "careers:my_record": "training record (own)",
}
# Who reads each page: the learning office, or else the first of the others it opens to (a draft need to its author,
# the retention page to data protection, the bulk PDF jobs to HR...).
READERS = ("clo", "rrhh", "directora", "empleat", "dpd")
# Literal parameters walked here: the PDF of "my data" (the URL walk asks for its other formats).
LITERALS = {"my_data_download": {"fmt": Literal(("pdf",))}}


def _first(queryset):
    return queryset.order_by("pk").first()


def _proposal(clo_user, plan):
    """A plan proposal of the demo, solved (a few seconds at most)."""
    from programs.models import PlanProposal
    from programs.services.optimiser import proposal_run

    proposal = PlanProposal.objects.create(year=plan.year, budget=plan.budget, time_limit=4, requested_by=clo_user)
    proposal_run(proposal_id=proposal.pk)
    return proposal


def _demo_objects(clo_user) -> SimpleNamespace:
    """One object of each kind a URL names, taken from the demo (made here when the demo has none)."""
    today = timezone.localdate()
    empleat = Employee.objects.get(user__username="empleat")
    plan = _first(LearningPlan.objects.filter(employee=empleat)) or _first(LearningPlan.objects.all())
    past = (_first(Session.objects.filter(ends_at__lt=timezone.now(), days__isnull=False).distinct())
            or _first(Session.objects.filter(ends_at__lt=timezone.now())))
    report = MonthlyReport.objects.create(period_start=today.replace(day=1), period_end=today, language="ca",
                                          requested_by=clo_user)
    report = reports.monthly_report_run(report.pk)
    assert report.status == "done", report.error
    pdf_job = PlanPdfJob(unit=empleat.unit, as_of=today, requested_by=clo_user, total=1, done_count=1,
                         status=PlanPdfJob.Status.DONE)
    pdf_job.file.save("unit.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    pdf_job.save()
    workbook = OrganisationWorkbook(status=OrganisationWorkbook.Status.DONE, requested_by=clo_user, rows=1)
    workbook.file.save("organisation.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    workbook.save()
    action = _first(PlanAction.objects.all())
    transfer_plan = _first(TransferPlan.objects.all())
    api_token, _secret = api_services.api_token_create(
        name="Sistema de RH", scopes=["register:write"], created_by=clo_user,
        expires_at=timezone.now() + dt.timedelta(days=30))
    from clo.talent.models import KnowledgeRisk

    risk = KnowledgeRisk.objects.filter(subtree=True, criticality__gt=0).order_by("-experts", "pk").first()
    return SimpleNamespace(
        unit=risk.unit if risk else None, competency=risk.competency if risk else None,
        employee=empleat, director=Employee.objects.get(user__username="directora"),
        need=_first(TrainingNeed.objects.exclude(status="draft")), draft_need=_first(TrainingNeed.objects.filter(
            status="draft")), needs_campaign=_first(NeedsCampaign.objects.all()), plan_year=action.plan.year,
        action=action, program=past.program, session=_first(Session.objects.filter(starts_at__gt=timezone.now())),
        past_session=past, day=_first(SessionDay.objects.filter(session=past)),
        requested=_first(Enrolment.objects.filter(status="requested")),
        attended=_first(Enrolment.objects.filter(status="attended")),
        completed=_first(Enrolment.objects.filter(status="completed", employee__language="ca")),
        follow_up=_first(TransferFollowUp.objects.all()), learning_plan=plan, plan_item=_first(plan.items.all()),
        pdf_job=pdf_job, report=report, workbook=workbook, proposal=_proposal(clo_user, action.plan),
        assessment_campaign=_first(AssessmentCampaign.objects.exclude(status="draft")),
        draft_assessment_campaign=_first(AssessmentCampaign.objects.filter(status="draft")),
        assessment=_first(Assessment.objects.filter(employee=empleat)),
        import_job=ImportJob.objects.create(kind="employees", original_name="personal.csv",
                                            file="imports/personal.csv", requested_by=clo_user),
        invitation_job=InvitationJob.objects.create(kind="unit", unit=empleat.unit),
        transfer_holder=_first(holders_without_transfer_plan(today=today)),
        transfer_plan=transfer_plan, handover_item=_first(HandoverItem.objects.filter(plan=transfer_plan)),
        **_talent_objects(),
        api_token=api_token, change_set=api_services.change_set_open(token=api_token),
    )


def _talent_objects() -> dict:
    """The demo's successor pools and talent review."""
    from clo.people.models import Position
    from clo.talent.models import PotentialRating, Successor, TalentReview

    successor = _first(Successor.objects.all())
    position = successor.position if successor else _first(Position.objects.filter(is_critical=True))
    from clo.talent.models import ExpertiseListing

    listing = _first(ExpertiseListing.objects.filter(listed=True))
    from clo.careers.models import Badge, CareerEvaluationJob, CareerRule, Itinerary, ItineraryStep, RecordPdfJob

    record_job = RecordPdfJob(status=RecordPdfJob.Status.DONE, total=1, done_count=1)
    record_job.file.save("records.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    record_job.save()
    return {"career_rule": _first(CareerRule.objects.all()), "record_job": record_job,
            "career_job": CareerEvaluationJob.objects.get_or_create(status=CareerEvaluationJob.Status.DONE)[0],
            "critical_position": position, "successor": successor,
            "listed_colleague": listing.employee if listing else None,
            "talent_review": _first(TalentReview.objects.all()), "potential_rating": _first(PotentialRating.objects.all()),
            # careers: the demo's itineraries and empleat's badge
            "itinerary": _first(Itinerary.objects.filter(steps__isnull=False).order_by("pk")),
            "itinerary_step": _first(ItineraryStep.objects.order_by("itinerary", "order")),
            "badge": _first(Badge.objects.filter(employee__user__username="empleat")),
            **_projects_and_settings(), **_integrations(), **_trainers_and_mentoring()}


def _trainers_and_mentoring() -> dict:
    """The demo's pool of internal trainers (one who teaches) and a mentoring relationship with its meetings."""
    from clo.talent.models import InternalTrainer, MentoringRelationship

    return {"internal_trainer": _first(InternalTrainer.objects.filter(teaches=True)),
            "mentoring": _first(MentoringRelationship.objects.filter(meetings__isnull=False).distinct())}


def _projects_and_settings() -> dict:
    """The demo's challenge projects and an application, and the succession settings' objects."""
    from clo.talent.models import ChallengeProject, ProjectApplication, ReadinessCategory
    from competencies.models import Framework

    return {"open_project": _first(ChallengeProject.objects.filter(status="open")),
            "running_project": _first(ChallengeProject.objects.filter(status="running")),
            "project_application": _first(ProjectApplication.objects.all()),
            "readiness_category": _first(ReadinessCategory.objects.all()),
            "framework": _first(Framework.objects.all()), **_communities()}


def _communities() -> dict:
    """The demo's community joined on request: its request waiting, a member, its past meeting; a resource's document
    (the demo's resources are links, so the download is not walked)."""
    from clo.talent.models import Community, Membership
    from competencies.models import LevelResource

    community = _first(Community.objects.filter(joining="request"))
    return {"community": community,
            "community_request": _first(Membership.objects.filter(community=community, status="pending")),
            "community_member": _first(Membership.objects.filter(community=community, status="member")),
            "community_meeting": _first(Session.objects.filter(program__community=community,
                                                               ends_at__lt=timezone.now())) if community else None,
            "level_resource": _first(LevelResource.objects.exclude(file=""))}


def _integrations() -> dict:
    """A webhook, an LMS course mapped to a program and a learning record waiting for review (made here: the demo
    has no LMS nor receivers)."""
    from clo.api.models import Webhook
    from clo.api.xapi.models import XapiActivity, XapiStatement
    from programs.models import Program

    author = get_user_model().objects.get(username="clo")
    program = _first(Program.objects.all())
    course = XapiActivity.objects.create(iri="https://campus.vilamar.example/course/contractacio", program=program)
    waiting = XapiStatement.objects.create(
        statement_id="7d5c2f3e-0000-4000-8000-0000000000ca", verb="http://adlnet.gov/expapi/verbs/completed",
        activity=XapiActivity.objects.create(iri="https://campus.vilamar.example/course/arxiu", program=program),
        actor="mailto:algu@exemple.cat", actor_name="Algú de fora", stored=timezone.now(),
        completed_on=timezone.localdate(), problem="Nobody in the staff register has this email or account name.")
    webhook = Webhook.objects.create(name="Sistema de RH", url="https://rrhh.vilamar.example/hooks/clo",
                                     secret="whsec_AAAA", events=["plan.approved"], created_by=author)
    return {"webhook": webhook, "xapi_activity": course, "xapi_record": waiting}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            seed_demo(employees=MIN_EMPLOYEES, today=timezone.localdate())
            clo_user = get_user_model().objects.get(username="clo")
            yield clo_user, _demo_objects(clo_user)
            transaction.set_rollback(True)


def url_of(route, objects) -> str | None:
    """The route's URL with the demo's objects (the first value of a literal), or None when the demo has none."""
    values = {}
    for param in route.params:
        source = LITERALS.get(route.name, {}).get(param) or FILL[route.name][param]
        if isinstance(source, Literal):
            values[param] = source.values[0]
            continue
        value = getattr(objects, source)
        if value is None:
            return None
        values[param] = value if isinstance(value, int) else value.pk
    from django.urls import reverse

    return reverse(route.name, kwargs=values)


def page_text(content: bytes) -> str:
    # <code> holds what a person types as it is (an import file's column names), not wording.
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<code>.*?</code>", " ", content.decode(), flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_every_page_and_pdf_in_catalan_passes_the_document_check(demo, tmp_path):
    clo_user, objects = demo
    clients = []
    for username in READERS:
        client = Client(HTTP_ACCEPT_LANGUAGE="ca")
        client.cookies["django_language"] = "ca"
        client.force_login(get_user_model().objects.get(username=username))
        clients.append(client)
    found: list[str] = []
    pages, pdfs, others = [], {}, []
    for route in walk():
        if route.name in PUBLIC:
            continue
        url = url_of(route, objects)
        if url is None:
            continue
        for client in clients:  # the first reader the page opens to
            response = client.get(url)
            if response.status_code == 200:
                break
        kind = response.get("Content-Type", "")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            others.append(f"{response.status_code} {url}")
            continue
        if kind.startswith("application/pdf"):
            text = pdf_text(content, tmp_path)
            pdfs[route.name] = url
        elif kind.startswith("text/html"):
            text = page_text(content)
            pages.append(url)
        else:
            continue
        found += [f"{url}: {problem}" for problem in problems(text)]
    assert set(PDFS) <= set(pdfs), f"PDFs not read: {sorted(set(PDFS) - set(pdfs))}"
    assert len(pages) >= 45, "\n".join(others)  # the POST-only URLs answer 405
    assert not found, f"{len(found)} problems in {len(pages)} pages and {len(pdfs)} PDFs:\n" + "\n".join(found)
