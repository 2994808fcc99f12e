"""The URL walk: every URL pattern of the project, its parameters filled with objects of unit B (the other unit),
requested by a director of unit A, an employee of unit A and an anonymous visitor, GET and POST, full page and
HTMX. Nobody outside unit B may get B's data: the answer is a redirect to the login page, 403 or 404 (405 for a
method the page does not take), never a page with B's data and never a server error.

New URLs are covered by construction: the walk reads the URL configuration, and a URL whose parameter is not in
``FILL`` below makes the walk fail until someone says which object of unit B fills it.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clo.api import services as api_services
from clo.core.imports.models import ImportJob
from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from evaluations import services as evaluation_services
from evaluations.gaps import services as gap_services
from evaluations.models import Assessment, AssessmentCampaign
from programs.models import (
    Enrolment,
    LearningPlanItem,
    NeedsCampaign,
    PlanPdfJob,
    SessionDay,
    TrainingNeed,
    TransferFollowUp,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
# Reachable without logging in, by design.
PUBLIC = {"login", "logout", "set_language", "healthz", "accounts:oidc_start", "accounts:oidc_callback",
          "accounts:local_login",
          # an invited person's link and the password reset (tests/accounts/test_invitations.py)
          "accounts:invitation_accept", "accounts:invitation_renew", "accounts:password_reset",
          "accounts:password_reset_done", "accounts:password_reset_confirm", "accounts:password_reset_complete",
          # the API's documentation: its OpenAPI document and the interactive docs page (no data)
          "api:api-v1:openapi-json", "api:api-v1:openapi-view", "api:api-v1:api-root",
          # a badge's verification page and its issuer's profile and public keys (tests/careers/test_badges.py)
          "careers:badge_verify", "careers:issuer_profile", "careers:issuer_jwks",
          # the issuer's revocation status lists: bits only, one per badge id, no name (tests/careers/test_badges.py)
          "careers:badge_status_list",
          # a person's calendar feed: its secret address is its only key, any other answers 404
          # (tests/programs/test_calendar.py: a revoked, regenerated or unknown address, another person's)
          "programs:calendar_feed"}
# The REST API answers a request without a token (a browser's session is no token) with 401 problem details.
API = "api:api-v1:"
# Not walked: Django's admin (staff only, its own permission system) and files served in development only.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Literal:
    """A parameter that names no object (a board, a table, a format): every value listed is walked."""

    values: tuple[str, ...]


# Which object of unit B fills each parameter of each URL (an attribute of ``World``), or which literal values.
FILL: dict[str, dict[str, str | Literal]] = {
    # dashboards
    "dashboard_export": {"which": Literal(("clo", "director")), "table": Literal(("heatmap", "top-gaps", "headline")),
                         "fmt": Literal(("csv",))},
    "dashboard_critical": {"which": Literal(("clo", "director"))},
    "dashboard_report_download": {"report_id": "report"},
    "dashboard_workbook_download": {"workbook_id": "workbook"},
    "dashboard_people_export": {"fmt": Literal(("csv",))},
    "dashboard_employee": {"employee_id": "employee"},
    "dashboard_enrolment_decide": {"enrolment_id": "requested", "decision": Literal(("reject", "approve"))},
    "audit_export": {"fmt": Literal(("csv",))},
    "my_data_download": {"fmt": Literal(("json", "csv"))},
    # imports (HR and the learning office)
    "imports:job": {"job_id": "import_job"},
    "imports:confirm": {"job_id": "import_job"},
    "imports:undo": {"job_id": "import_job"},
    "imports:template": {"kind": Literal(("employees",)), "fmt": Literal(("csv",))},
    # the API's tokens page (HR and the learning office), and the API itself (a token, never a session)
    "api:token_revoke": {"token_id": "api_token"},
    "api:webhook_detail": {"webhook_id": "webhook"},
    "api:webhook_active": {"webhook_id": "webhook"},
    "api:api-v1:change_set_page": {"change_set_id": "change_set"},
    "api:api-v1:change_set_commit": {"change_set_id": "change_set"},
    # learning records (xAPI): the learning office's only
    "api:xapi_activity_remove": {"activity_id": "xapi_activity"},
    "api:xapi_statement_match": {"statement_id": "xapi_record"},
    "api:xapi_statement_dismiss": {"statement_id": "xapi_record"},
    # needs, triage and the annual plan
    "programs:need_detail": {"pk": "need"},
    "programs:need_edit": {"pk": "draft_need"},
    "programs:need_submit": {"pk": "draft_need"},
    "programs:need_attachment": {"pk": "need"},
    "programs:need_request_info": {"pk": "need"},
    "programs:need_reject": {"pk": "need"},
    "programs:need_accept": {"pk": "need"},
    "programs:campaign_close": {"pk": "needs_campaign"},
    "programs:training_plan_detail": {"year": "plan_year"},
    "programs:training_plan_edit": {"year": "plan_year"},
    "programs:training_plan_action_edit": {"year": "plan_year", "pk": "action"},
    "programs:training_plan_approve": {"year": "plan_year"},
    "programs:training_plan_pdf": {"year": "plan_year"},
    "programs:training_plan_xlsx": {"year": "plan_year"},
    "programs:funding_application": {"year": "plan_year"},
    "programs:funding_application_pdf": {"year": "plan_year"},
    "programs:funding_execution": {"year": "plan_year"},
    "programs:funding_justification": {"year": "plan_year"},
    "programs:funding_justification_pdf": {"year": "plan_year"},
    "programs:funding_plan_kind": {"year": "plan_year"},
    "programs:funding_action_edit": {"year": "plan_year", "pk": "action"},
    # catalogue, sessions, enrolments
    "programs:program_detail": {"pk": "program"},
    "programs:program_edit": {"pk": "program"},
    "programs:session_create": {"pk": "program"},
    "programs:session_detail": {"pk": "session"},
    "programs:session_edit": {"pk": "session"},
    "programs:enrolment_request": {"pk": "session"},
    "programs:attendance": {"pk": "past_session", "day_pk": "day"},
    "programs:enrolment_approve": {"pk": "requested"},
    "programs:enrolment_reject": {"pk": "requested"},
    "programs:enrolment_cancel": {"pk": "requested"},
    "programs:enrolment_confirm": {"pk": "attended"},
    "programs:enrolment_complete": {"pk": "attended"},
    "programs:enrolment_no_show": {"pk": "attended"},
    "programs:certificate": {"pk": "completed"},
    "programs:program_interest": {"pk": "program"},
    "programs:training_record": {"employee_id": "employee"},
    # learning plans and their PDFs
    "programs:plan_generate": {"employee_id": "employee"},
    "programs:plan_detail": {"plan_id": "learning_plan"},
    "programs:plan_pdf": {"plan_id": "learning_plan"},
    "programs:plan_item_add": {"plan_id": "learning_plan"},
    "programs:plan_item_edit": {"plan_id": "learning_plan", "item_id": "plan_item"},
    "programs:plan_item_done": {"plan_id": "learning_plan", "item_id": "plan_item"},
    "programs:pdf_job_detail": {"job_id": "pdf_job"},
    "programs:proposal_detail": {"pk": "proposal"},
    "programs:proposal_cancel": {"pk": "proposal"},
    "programs:proposal_accept": {"pk": "proposal"},
    "programs:pdf_job_download": {"job_id": "pdf_job"},
    # training evaluation
    "programs:reaction_answer": {"pk": "attended"},
    "programs:transfer_answer": {"pk": "follow_up"},
    "programs:program_evaluation": {"pk": "program"},
    "programs:learning_results": {"pk": "past_session"},
    # assessments
    "evaluations:campaign_detail": {"pk": "assessment_campaign"},
    "evaluations:campaign_open": {"pk": "draft_assessment_campaign"},
    "evaluations:campaign_edit": {"pk": "draft_assessment_campaign"},
    "evaluations:campaign_close": {"pk": "assessment_campaign"},
    "evaluations:campaign_units": {"pk": "draft_assessment_campaign"},
    "evaluations:campaign_peers": {"pk": "draft_assessment_campaign"},
    "evaluations:peers_choose": {"pk": "draft_assessment_campaign", "employee_id": "employee"},
    "evaluations:assessment_detail": {"pk": "assessment"},
    "evaluations:assessment_validate": {"pk": "assessment"},
    "evaluations:employee_results": {"employee_id": "employee"},
    # sign-in accounts (HR and the learning office)
    "accounts:invitation_job": {"job_id": "invitation_job"},
    "accounts:invitation_resend": {"employee_id": "employee"},
    # talent: writing to a person of unit B who chose to be in the expertise directory
    "talent:expertise_contact": {"employee_id": "listed_colleague"},
    # knowledge-transfer plans (succession)
    "talent:transfer_plan_create": {"employee_id": "transfer_holder"},
    "talent:transfer_plan_detail": {"plan_id": "transfer_plan"},
    "talent:handover_item_add": {"plan_id": "transfer_plan"},
    "talent:handover_item_done": {"plan_id": "transfer_plan", "item_id": "handover_item"},
    "talent:handover_item_validate": {"plan_id": "transfer_plan", "item_id": "handover_item"},
    # successor pools and talent reviews
    "talent:successor_pool": {"position_id": "critical_position"},
    "talent:successor_nominate": {"position_id": "critical_position"},
    "talent:successor_update": {"position_id": "critical_position", "successor_id": "successor"},
    "talent:review_detail": {"review_id": "talent_review"},
    "talent:review_status": {"review_id": "talent_review"},
    "talent:potential_rate": {"review_id": "talent_review", "employee_id": "employee"},
    "talent:review_calibration": {"review_id": "talent_review"},
    "talent:calibrate": {"review_id": "talent_review", "rating_id": "potential_rating"},
    "talent:nine_box": {"review_id": "talent_review"},
    # succession: a critical position held in unit B, unit B's knowledge at risk
    "talent:succession_position": {"position_id": "critical_position"},
    "talent:succession_position_flag": {"position_id": "critical_position"},
    "talent:succession_map_people": {"unit_id": "unit", "competency_id": "competency"},
    # succession settings (HR and the learning office): a readiness category, a framework's expert level
    "talent:readiness_category_update": {"category_id": "readiness_category"},
    "talent:expert_level_set": {"framework_id": "framework"},
    # internal trainers (employee B in the pool) and a mentoring relationship of unit B (issue 19, item 2)
    "talent:trainer_detail": {"trainer_id": "internal_trainer"},
    "talent:trainer_edit": {"trainer_id": "internal_trainer"},
    "talent:trainer_deactivate": {"trainer_id": "internal_trainer"},
    "talent:trainer_assign": {"trainer_id": "internal_trainer"},
    "talent:mentoring_detail": {"relationship_id": "mentoring"},
    "talent:mentoring_meeting_add": {"relationship_id": "mentoring"},
    # careers: a person's horizontal career and training record (PDF); the rules and their re-evaluation are HR's
    "careers:person_career": {"employee_id": "employee"},
    "careers:record_pdf": {"employee_id": "employee"},
    "careers:rule_edit": {"rule_id": "career_rule"},
    "careers:rule_delete": {"rule_id": "career_rule"},
    "careers:evaluation_job": {"job_id": "career_job"},
    "careers:record_job": {"job_id": "record_job"},
    "careers:record_job_download": {"job_id": "record_job"},
    # careers: the explorer for a person of unit B, an itinerary (the council's: readable by all staff), a badge of B
    "careers:explorer_person": {"employee_id": "employee"},
    "careers:itinerary_detail": {"itinerary_id": "itinerary"},
    "careers:itinerary_enrol": {"itinerary_id": "itinerary"},
    "careers:itinerary_step_add": {"itinerary_id": "itinerary"},
    "careers:itinerary_step_move": {"itinerary_id": "itinerary", "step_id": "itinerary_step"},
    "careers:itinerary_step_remove": {"itinerary_id": "itinerary", "step_id": "itinerary_step"},
    "careers:badge_detail": {"badge_id": "badge"},
    "careers:badge_revoke": {"badge_id": "badge"},
    "careers:badge_download": {"badge_id": "badge", "fmt": Literal(("json", "png", "svg"))},
    # challenge projects: a running project of unit B (employee B takes part), an open one of the whole council
    # (published to every employee) and employee B's application to it, waiting for unit B's director
    "talent:project_detail": {"project_id": "running_project"},
    "talent:project_status": {"project_id": "running_project"},
    "talent:project_close": {"project_id": "running_project"},
    "talent:project_apply": {"project_id": "open_project"},
    "talent:project_application_decide": {"application_id": "project_application"},
    # communities of practice: unit B's (published to B's service), employee B coordinates it, a colleague of B asks
    # to join; a meeting; the competency page and a resource's document (the council's: every employee reads them)
    "talent:community_detail": {"community_id": "community"},
    "talent:community_edit": {"community_id": "community"},
    "talent:community_join": {"community_id": "community"},
    "talent:community_leave": {"community_id": "community"},
    "talent:community_request_decide": {"community_id": "community", "membership_id": "community_request"},
    "talent:community_coordinator": {"community_id": "community", "membership_id": "community_member"},
    "talent:community_meeting_create": {"community_id": "community"},
    "talent:community_meeting_sign_up": {"community_id": "community", "meeting_id": "community_meeting"},
    "talent:community_meeting_enrol": {"community_id": "community", "meeting_id": "community_meeting"},
    "talent:community_meeting_attendance": {"community_id": "community", "meeting_id": "community_meeting"},
    "talent:community_resource_add": {"community_id": "community"},
    "competencies:competency_detail": {"competency_id": "competency"},
    "competencies:resource_download": {"resource_id": "level_resource"},
    "competencies:resource_add": {"competency_id": "competency"},
    "competencies:resource_remove": {"resource_id": "level_resource"},
    "talent:community_resource_remove": {"community_id": "community", "resource_id": "level_resource"},
}

# Pages about the catalogue, which is the whole organisation's: every employee reads a program and its sessions and
# asks for a seat for themselves. They answer 200 (or a redirect after a request) but must show nothing of unit B.
# Writing to a person listed in the expertise directory is open to the whole council too: they chose it; so is
# applying to an open challenge project (the council's, published to every employee).
CATALOGUE = {"programs:program_detail", "programs:session_detail", "programs:enrolment_request",
             "programs:program_interest", "talent:expertise_contact",
             # the learning office's itineraries are offered to the whole council; following one is for oneself
             "careers:itinerary_detail", "careers:itinerary_enrol", "talent:project_apply",
             # a competency's page and its resources are read by the whole council
             "competencies:competency_detail", "competencies:resource_download"}
B_COMMUNITY = "Licences community of B"


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    params: tuple[str, ...]


def walk(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every named URL pattern of the project, through every include."""
    resolver = resolver or get_resolver()
    found: list[Route] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found += walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            if route.startswith(SKIPPED_PREFIXES) or route.lstrip("^").startswith(SKIPPED_PREFIXES):
                continue
            assert pattern.name, f"the URL {route!r} has no name: name it so that the walk can reverse it"
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            params = tuple(getattr(pattern.pattern, "converters", {}))
            found.append(Route(name, route, params))
    return found


@dataclass
class World:
    """Unit B's side of the organisation, one object of each kind a URL can name."""

    employee: object
    director: object
    need: TrainingNeed
    draft_need: TrainingNeed
    needs_campaign: NeedsCampaign
    plan_year: int
    action: object
    program: object
    session: object
    past_session: object
    day: SessionDay
    requested: Enrolment
    attended: Enrolment
    completed: Enrolment
    follow_up: TransferFollowUp
    learning_plan: object
    plan_item: LearningPlanItem
    pdf_job: PlanPdfJob
    report: MonthlyReport
    workbook: OrganisationWorkbook
    assessment_campaign: AssessmentCampaign
    draft_assessment_campaign: AssessmentCampaign
    assessment: Assessment
    import_job: ImportJob
    transfer_holder: object
    transfer_plan: object
    handover_item: object
    api_token: object
    change_set: object
    running_project: object
    open_project: object
    project_application: object
    markers: tuple[str, ...]

    @property
    def proposal(self):
        """A finished plan proposal (the learning office's only)."""
        from programs.models import PlanProposal

        return PlanProposal.objects.get_or_create(year=self.plan_year, budget=1000, status="done")[0]

    @property
    def listed_colleague(self):
        """A person of unit B in the expertise directory (not one of the markers: the council may write to them)."""
        from clo.talent.models import ExpertiseListing

        listing = ExpertiseListing.objects.filter(employee__unit=self.employee.unit, listed=True).first()
        if listing is None:
            colleague = f.EmployeeFactory(unit=self.employee.unit, first_name="Jana", last_name="Llistada Oberta")
            listing = ExpertiseListing.objects.create(employee=colleague, listed=True, as_adviser=True)
        return listing.employee

    @property
    def webhook(self):
        """An outbound webhook the learning office made (HR's and the learning office's only)."""
        from clo.api.models import Webhook

        return Webhook.objects.get_or_create(name="HR system hook", defaults={
            "url": "https://hr.example/hooks/clo", "secret": "whsec_AAAA", "events": ["plan.approved"],
            "created_by": self.api_token.created_by})[0]

    @property
    def invitation_job(self):
        """An invitation job of unit B."""
        from clo.accounts.models import InvitationJob

        return InvitationJob.objects.get_or_create(kind="unit", unit=self.employee.unit)[0]

    @property
    def critical_position(self):
        """Employee B's position, in unit B and flagged critical (held in unit B only)."""
        from clo.people.models import Position

        Position.objects.filter(pk=self.employee.position_id).update(is_critical=True, criticality=3,
                                                                     unit=self.employee.unit)
        return Position.objects.get(pk=self.employee.position_id)

    @property
    def successor(self):
        from clo.talent.models import Successor

        return Successor.objects.get_or_create(position=self.critical_position, employee=self.employee)[0]

    @property
    def talent_review(self):
        from clo.talent.models import TalentReview

        return TalentReview.objects.get_or_create(name="Urbanisme talent review", unit=self.employee.unit)[0]

    @property
    def potential_rating(self):
        from clo.talent.models import PotentialRating

        return PotentialRating.objects.get_or_create(review=self.talent_review, employee=self.employee,
                                                     defaults={"potential": "high"})[0]

    @property
    def internal_trainer(self):
        """Employee B in the pool of internal trainers (the learning office's to keep; unit B's director reads it)."""
        from clo.talent.models import InternalTrainer

        return InternalTrainer.objects.get_or_create(employee=self.employee,
                                                     defaults={"availability": "Urbanisme-only availability"})[0]

    @property
    def mentoring(self):
        """Unit B's director mentoring employee B."""
        from clo.talent.models import MentoringRelationship

        return MentoringRelationship.objects.get_or_create(mentor=self.director, mentee=self.employee,
                                                           defaults={"starts_on": timezone.localdate()})[0]

    @property
    def career_rule(self):
        """A horizontal career rule of employee B's group (HR's: no director or employee edits one)."""
        from clo.careers.models import CareerRule

        return CareerRule.objects.get_or_create(group=self.employee.position.group, grade=1,
                                                defaults={"amount": Decimal("10")})[0]

    @property
    def career_job(self):
        """A finished re-evaluation of everyone (HR's)."""
        from clo.careers.models import CareerEvaluationJob

        return CareerEvaluationJob.objects.get_or_create(status=CareerEvaluationJob.Status.DONE)[0]

    @property
    def record_job(self):
        """A finished bulk training record job of unit B (HR's)."""
        from clo.careers.models import RecordPdfJob

        job = RecordPdfJob.objects.filter(unit=self.employee.unit).first()
        if job is None:
            job = RecordPdfJob(unit=self.employee.unit, total=1, done_count=1, status=RecordPdfJob.Status.DONE)
            job.file.save("unit-b-records.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
            job.save()
        return job

    @property
    def itinerary(self):
        """An itinerary of the learning office, followed by employee B (who is not shown to unit A)."""
        from clo.careers.models import Itinerary, ItineraryEnrolment, ItineraryStep

        itinerary, created = Itinerary.objects.get_or_create(title="Cap a la gestió de llicències",
                                                             job_family="Urbanisme")
        if created:
            ItineraryStep.objects.create(itinerary=itinerary, order=1, program=self.program)
            ItineraryEnrolment.objects.create(itinerary=itinerary, employee=self.employee)
        return itinerary

    @property
    def itinerary_step(self):
        """The first step of that itinerary (moving or removing it is the learning office's only)."""
        return self.itinerary.steps.order_by("order").first()

    @property
    def badge(self):
        """Employee B's badge of the program they completed."""
        from clo.careers.models import Badge
        from clo.careers.services.badges import badge_issue_for_enrolment

        return (Badge.objects.filter(enrolment=self.completed).first()
                or badge_issue_for_enrolment(enrolment_id=self.completed.pk))

    @property
    def xapi_activity(self):
        """An LMS course mapped to a program (the catalogue is the council's, not a unit's)."""
        from clo.api.xapi.models import XapiActivity

        return XapiActivity.objects.get_or_create(iri="https://campus.example/course/urbanisme",
                                                  defaults={"program": f.ProgramFactory(title="Urbanisme LMS")})[0]

    @property
    def xapi_record(self):
        """A learning record of employee B's email waiting for review (of another activity than ``xapi_activity``,
        which the walk removes)."""
        from clo.api.xapi.models import XapiActivity, XapiStatement

        return XapiStatement.objects.get_or_create(
            statement_id="7d5c2f3e-0000-4000-8000-00000000000b",
            defaults={"verb": "http://adlnet.gov/expapi/verbs/completed", "activity": XapiActivity.objects.get_or_create(
                iri="https://campus.example/course/llicencies", defaults={"program": f.ProgramFactory()})[0],
                      "actor": f"mailto:{self.employee.email}", "actor_name": str(self.employee),
                      "stored": timezone.now(), "completed_on": timezone.localdate(),
                      "problem": "Nobody in the staff register has this email or account name."})[0]

    @property
    def unit(self):
        return self.employee.unit

    @property
    def competency(self):
        from competencies.models import Competency

        return Competency.objects.get(code="WRI")

    @property
    def framework(self):
        return self.competency.framework

    @property
    def community(self):
        """Unit B's community of practice, published to B's service and joined on request: employee B coordinates
        it, a colleague of B asks to join; it has a meeting to come and a resource (a document) on its competency."""
        from clo.talent.models import Community
        from clo.talent.services import communities as community_services

        found = Community.objects.filter(name=B_COMMUNITY).first()
        if found is not None:
            return found
        community = community_services.community_save(
            community=Community(name=B_COMMUNITY, description="Licences talk of B", unit=self.employee.unit,
                                joining="request", published=True),
            competencies=[self.competency], coordinators=[self.employee])
        colleague = f.EmployeeFactory(unit=self.employee.unit, first_name="Pau", last_name="Demana Entrar")
        community_services.community_join(community=community, employee=colleague)
        # ten in the morning, nine days on: a meeting starts and ends on the same local day, on any clock
        starts = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=9), dt.time(10)))
        community_services.meeting_create(community=community, starts_at=starts,
                                          ends_at=starts + dt.timedelta(hours=2), place="Sala de B",
                                          online_url="", capacity=5)
        community_services.resource_add(community=community, competency=self.competency, level=2,
                                        title="Writing checklist", file=ContentFile(b"Short sentences.\n",
                                                                                    name="checklist.txt"))
        return community

    @property
    def community_request(self):
        return self.community.memberships.get(status="pending")

    @property
    def community_member(self):
        return self.community.memberships.get(employee=self.employee)

    @property
    def community_meeting(self):
        from programs.models import Session

        return Session.objects.filter(program_id=self.community.program_id).order_by("pk").first()

    @property
    def level_resource(self):
        from competencies.models import LevelResource

        return LevelResource.objects.filter(community=self.community.name).order_by("pk").first()

    @property
    def readiness_category(self):
        from clo.talent.models import ReadinessCategory

        return ReadinessCategory.objects.order_by("pk").first()


@pytest.fixture
def world(org, director_a, employee_a, director_b, employee_b, clo_user, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    now = timezone.now()
    framework = f.FrameworkFactory(name="Competències transversals")
    area = f.AreaFactory(framework=framework)
    writing = f.CompetencyFactory(area=area, framework=framework, code="WRI", name="Administrative writing")
    for level in range(1, 5):
        f.DescriptorFactory(competency=writing, level=level, indicators=f"Writes level-{level} documents")
    for person in (employee_a, employee_b):
        f.RequirementFactory(position=person.position, competency=writing, required_level=3, is_critical=True)
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=1)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=2)

    # the needs campaign, a submitted need of unit B with an attachment, a draft one, the annual plan
    needs_campaign = NeedsCampaign.objects.create(
        year=today.year + 1, opens_on=today - dt.timedelta(days=10), deadline=today + dt.timedelta(days=20),
        opened_by=clo_user,
    )
    need = f.TrainingNeedFactory(unit=org.unit_b1, submitted_by=director_b, year=needs_campaign.year,
                                 title="Licences backlog training (unit B)", status=TrainingNeed.Status.SUBMITTED,
                                 justification="Urbanisme-only justification text")
    need.competencies.add(writing)
    need.attachment.save("b-context.pdf", ContentFile(b"%PDF-1.7\nunit B\n%%EOF\n"))
    draft_need = f.TrainingNeedFactory(unit=org.unit_b1, submitted_by=director_b, year=needs_campaign.year,
                                       title="Draft need of unit B")
    plan = f.TrainingPlanFactory(year=needs_campaign.year)
    action = f.PlanActionFactory(plan=plan, title="Action for unit B")

    # the catalogue: a program, an upcoming session B asked for, a past one B attended and completed
    program = f.ProgramFactory(code="P-WRITE", title="Clear administrative writing")
    f.ProgramCompetencyFactory(program=program, competency=writing, level_reached=3)
    session = f.SessionFactory(program=program, code="S-NEXT", starts_at=now + dt.timedelta(days=20))
    starts = now - dt.timedelta(days=2, hours=4)
    past_session = f.SessionFactory(program=program, code="S-PAST", starts_at=starts,
                                    ends_at=starts + dt.timedelta(hours=3))
    day = SessionDay.objects.create(session=past_session, date=starts.date(), hours=Decimal("3.0"))
    requested = Enrolment.objects.create(session=session, employee=employee_b, status=Enrolment.Status.REQUESTED)
    attended = Enrolment.objects.create(session=past_session, employee=employee_b, status=Enrolment.Status.ATTENDED)
    other_program = f.ProgramFactory(code="P-OLD", title="Licensing law")
    old_start = now - dt.timedelta(days=120)
    old_session = f.SessionFactory(program=other_program, code="S-OLD", starts_at=old_start,
                                   ends_at=old_start + dt.timedelta(hours=3))
    completed = Enrolment.objects.create(session=old_session, employee=employee_b,
                                         status=Enrolment.Status.COMPLETED, completed_on=old_start.date())
    follow_up = TransferFollowUp.objects.create(
        enrolment=completed, respondent_role=TransferFollowUp.Respondent.MANAGER, respondent=director_b,
        due_on=today, sent_at=now,
    )

    # employee B's learning plan, a finished bulk PDF job of unit B, a finished monthly report
    learning_plan = f.LearningPlanFactory(employee=employee_b, period_start=dt.date(today.year, 1, 1),
                                          period_end=dt.date(today.year, 12, 31), goal="Licences goal of B")
    plan_item = f.LearningPlanItemFactory(plan=learning_plan, title="Mentoring with the head of licences")
    pdf_job = PlanPdfJob(unit=org.unit_b, as_of=today, requested_by=director_b.user, total=1, done_count=1,
                         status=PlanPdfJob.Status.DONE)
    pdf_job.file.save("unit-b.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    pdf_job.save()
    report = MonthlyReport(period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 1, 31),
                           status=MonthlyReport.Status.DONE, requested_by=clo_user)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    report.save()
    workbook = OrganisationWorkbook(status=OrganisationWorkbook.Status.DONE, requested_by=clo_user, rows=1)
    workbook.file.save("organisation.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    workbook.save()

    # an open assessment campaign of unit B (and one in draft), with employee B's self-assessment
    def campaign(name, *, kind):
        created = evaluation_services.campaign_create(
            name=name, kind=kind, period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year, 12, 31), opens_on=today - dt.timedelta(days=5),
            closes_on=today + dt.timedelta(days=10), units=[org.unit_b],
        )
        if kind == "self_manager":
            evaluation_services.campaign_open(campaign_id=created.pk)
        created.refresh_from_db()
        return created

    assessment_campaign = campaign("Urbanisme 2026", kind="self_manager")  # opened
    draft_assessment_campaign = campaign("Urbanisme draft", kind="360")  # in draft: peers to choose
    assessment = Assessment.objects.get(campaign=assessment_campaign, employee=employee_b, role="self")
    evaluation_services.assessment_save(  # submitted: unit B's director may validate it
        assessment_id=assessment.pk, submit=True,
        answers={writing.pk: evaluation_services.Answer(2, "Drafted the licences report of B")},
    )

    import_job = ImportJob.objects.create(kind="employees", original_name="personal-urbanisme.csv",
                                          file="imports/personal-urbanisme.csv", requested_by=clo_user)

    # a knowledge-transfer plan of unit B: its critical position's holder retires within the horizon
    from clo.talent.services import transfer as transfer_services

    critical = f.PositionFactory(code="CAP-LLI", title="Cap de Llicències", unit=org.unit_b1, is_critical=True)
    transfer_holder = f.EmployeeFactory(unit=org.unit_b1, position=critical, first_name="Bru",
                                        last_name="Llicències Relleu",
                                        expected_retirement_date=today + dt.timedelta(days=200))
    transfer_plan = transfer_services.transfer_plan_create(
        holder=transfer_holder, successor=employee_b, leaving_on=None, reason="retirement", created_by=clo_user,
        today=today)
    handover_item = transfer_services.handover_item_add(
        plan=transfer_plan, kind="shadowing", title="Shadowing the licences committee of B",
        due_on=today + dt.timedelta(days=30), competency=writing, level=3)
    transfer_services.handover_item_mark_done(item=handover_item, today=today)

    # a token of the learning office, with a change set opened
    api_token, _secret = api_services.api_token_create(
        name="HR sync", scopes=["figures:read", "register:write"], created_by=clo_user,
        expires_at=now + dt.timedelta(days=30))
    change_set = api_services.change_set_open(token=api_token)
    # challenge projects: unit B's running one with employee B taking part; the council's open one, employee B's
    # application to it waiting for unit B's director
    from clo.talent.services import projects as project_services

    def project(title, unit):
        return project_services.project_create(
            title=title, goal=f"The goal of {title}", unit=unit, starts_on=today + dt.timedelta(days=5),
            ends_on=today + dt.timedelta(days=60), weekly_hours=Decimal("3"), required=[(writing, 2)], to_learn=[],
            owner=director_b.user)

    running_project = project_services.project_move(project=project("Licences pilot of B", org.unit_b1), to="open")
    participant = project_services.project_apply(project=running_project, employee=employee_b,
                                                 motivation="Taking part in the licences pilot")
    project_services.application_decide(application=participant, approve=True, reason="",
                                        decided_by=director_b.user)
    project_services.project_move(project=running_project, to="running")
    open_project = project_services.project_move(project=project("Open council project", org.root), to="open")
    project_application = project_services.project_apply(project=open_project, employee=employee_b,
                                                         motivation="Applying from the licences service")
    gap_services.gaps_full_run(today=today)  # B's gaps and figures exist, for the dashboards to (not) show
    markers = (
        employee_b.full_name, director_b.full_name, employee_b.user.username, director_b.user.username,
        employee_b.employee_number, org.unit_b.name, org.unit_b1.name, need.title, draft_need.title,
        "Urbanisme-only justification text", "Licences goal of B", "Mentoring with the head of licences",
        "Urbanisme 2026", "Urbanisme draft", "Drafted the licences report of B", transfer_holder.full_name,
        "Shadowing the licences committee of B", "Licences pilot of B", "Taking part in the licences pilot",
        "Applying from the licences service", B_COMMUNITY, "Licences talk of B", "Pau Demana Entrar",
    )
    built = World(
        employee=employee_b, director=director_b, need=need, draft_need=draft_need, needs_campaign=needs_campaign,
        plan_year=plan.year, action=action, program=program, session=session, past_session=past_session, day=day,
        requested=requested, attended=attended, completed=completed, follow_up=follow_up,
        learning_plan=learning_plan, plan_item=plan_item, pdf_job=pdf_job, report=report, workbook=workbook,
        assessment_campaign=assessment_campaign, draft_assessment_campaign=draft_assessment_campaign,
        assessment=assessment, import_job=import_job, transfer_holder=transfer_holder, transfer_plan=transfer_plan,
        handover_item=handover_item, api_token=api_token, change_set=change_set, running_project=running_project,
        open_project=open_project, project_application=project_application, markers=markers,
    )
    assert built.community.name == B_COMMUNITY  # made before the walk, so that the lists are walked with it
    return built


def urls_of(route: Route, world: World) -> list[tuple[str, bool]]:
    """The URLs to request for ``route``, and whether one of its parameters is an object of unit B."""
    if not route.params:
        return [(reverse(route.name), False)]
    fill = FILL.get(route.name)
    missing = [param for param in route.params if fill is None or param not in fill]
    assert not missing, (
        f"{route.name} ({route.route}): add its parameter(s) {missing} to FILL in tests/core/test_url_walk.py, "
        "with the object of unit B that fills each"
    )
    names = list(route.params)
    choices = []
    for param in names:
        source = fill[param]
        if isinstance(source, Literal):
            choices.append(source.values)
        else:
            value = getattr(world, source)
            choices.append((value if isinstance(value, int) else value.pk,))
    names_an_object = any(not isinstance(fill[param], Literal) for param in names)
    return [(reverse(route.name, kwargs=dict(zip(names, values))), names_an_object)
            for values in itertools.product(*choices)]


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(raw.decode("utf-8", errors="replace"))


def requests_of(world: World):
    """Every (route, url, names an object of B, method, headers) of the project."""
    for route in walk():
        if route.name in PUBLIC:
            continue
        for url, names_object in urls_of(route, world):
            for method, headers in itertools.product(("get", "post"), ({}, HX)):
                yield route, url, names_object, method, headers


def call(client: Client, method: str, url: str, headers: dict, world: World):
    if method == "get":
        # a unit filter pointing at unit B too, as a curious user would try
        return client.get(url, {"unit": world.employee.unit.pk}, **headers)
    return client.post(url, {}, **headers)


def leaked(text: str, world: World) -> list[str]:
    return [marker for marker in world.markers if marker and marker in text]


def test_every_named_url_with_parameters_is_filled(world):
    """The walk covers what the URL configuration holds: every parameter has its object of unit B."""
    routes = walk()
    assert len(routes) > 40
    for route in routes:
        if route.name not in PUBLIC:
            urls_of(route, world)
    unknown = set(FILL) - {route.name for route in routes}
    assert not unknown, f"FILL names URLs that no longer exist: {sorted(unknown)}"


def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(client, world):
    login = reverse("login")
    for route, url, _names_object, method, headers in requests_of(world):
        response = call(client, method, url, headers, world)
        where = f"{method.upper()} {url} {'(htmx)' if headers else ''}"
        if route.name.startswith(API):
            assert_api_refused(response, where, world)
            continue
        assert response.status_code == 302, where
        assert response["Location"].startswith(f"{login}?next="), where


@pytest.mark.parametrize("who", ["director_a", "employee_a"])
def test_people_of_unit_a_never_reach_unit_b(client, world, who, request):
    client.force_login(request.getfixturevalue(who).user)
    problems = []
    for route, url, names_object, method, headers in requests_of(world):
        response = call(client, method, url, headers, world)
        where = f"{who} {method.upper()} {url} {'(htmx)' if headers else ''} → {response.status_code}"
        status = response.status_code
        if route.name.startswith(API):
            assert_api_refused(response, where, world)
            continue
        if status in (403, 404, 405):
            continue
        if names_object and route.name not in CATALOGUE:
            problems.append(f"{where}: a page about an object of unit B must answer 403 or 404")
            continue
        if 300 <= status < 400:  # an allowed page of their own (a form sent, a default filter applied)
            continue
        if (found := leaked(body(response), world)):
            problems.append(f"{where}: shows unit B's {found}")
    assert not problems, "\n".join(problems)
    assert_unit_b_unchanged(world)  # every POST above was refused before it wrote anything


def assert_api_refused(response, where: str, world: World) -> None:
    """Without a token: 401 problem details that name nothing (405 for a method the operation does not take)."""
    if response.status_code == 405:
        return
    assert response.status_code == 401, where
    assert response["Content-Type"] == "application/problem+json", where
    text = body(response)
    assert '"items"' not in text and not leaked(text, world), where


def assert_unit_b_unchanged(world: World) -> None:
    for obj in (world.need, world.draft_need, world.requested, world.attended, world.follow_up,
                world.draft_assessment_campaign, world.plan_item, world.assessment):
        obj.refresh_from_db()
    assert world.need.status == TrainingNeed.Status.SUBMITTED
    assert world.draft_need.status == TrainingNeed.Status.DRAFT
    assert world.requested.status == Enrolment.Status.REQUESTED
    assert world.attended.status == Enrolment.Status.ATTENDED
    assert world.follow_up.answered_at is None
    assert world.draft_assessment_campaign.status == AssessmentCampaign.Status.DRAFT
    assert world.plan_item.status == LearningPlanItem.Status.PLANNED
    assert world.assessment.status == Assessment.Status.SUBMITTED
    world.handover_item.refresh_from_db()
    assert world.handover_item.validated_on is None and world.transfer_plan.items.count() == 1
    world.running_project.refresh_from_db()
    world.project_application.refresh_from_db()
    assert world.running_project.status == "running" and world.project_application.status == "pending"
    assert world.community_request.status == "pending" and world.community.memberships.count() == 2
    assert world.level_resource is not None  # the community's resource is still on its competency


def test_the_walk_fills_urls_with_objects_that_exist(world, clo_user, hr_user, director_b, employee_b):
    """The control: unit B's objects are real and reachable by the people entitled to them (the learning office,
    HR, unit B's director or its employee), so the refusals above come from the scope checks, not from wrong ids."""
    owners = []
    for user in (clo_user, hr_user, director_b.user, employee_b.user):
        owner = Client(HTTP_ACCEPT_LANGUAGE="en")
        owner.force_login(user)
        owners.append(owner)
    seen_b = 0
    reached: dict[str, list[int]] = {}
    post_only = []
    for route, url, names_object, method, headers in requests_of(world):
        if not names_object or headers or method == "post":
            continue
        statuses = reached.setdefault(url, [])
        for owner in owners:
            response = owner.get(url)
            statuses.append(response.status_code)
            seen_b += response.status_code == 200 and bool(leaked(body(response), world))
            if response.status_code not in (403, 404):
                break
        if statuses[-1] == 405:
            post_only.append(url)
    for url in post_only:  # POST only, after every page was read: an empty form, the object is looked up first
        statuses = reached[url] = []
        for owner in owners:
            statuses.append(owner.post(url, {}, HTTP_HX_REQUEST="true").status_code)
            if statuses[-1] not in (403, 404):
                break
    unreached = [f"{url} {statuses}" for url, statuses in reached.items() if statuses[-1] in (403, 404)]
    assert not unreached, "nobody reaches:\n" + "\n".join(unreached)
    assert seen_b >= 8  # the markers do show up where B's data is legitimately shown
