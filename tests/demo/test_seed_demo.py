"""The demo seed (``manage.py seed_demo``): a small Ajuntament de Vilamar, checked as a user would notice.

The organisation is seeded once for the module (300 employees) inside a transaction that is rolled back at the
end; every test runs in a savepoint of it, so tests that reseed or reset do not disturb the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.urls import reverse

from clo.people import roles
from clo.people.models import Employee, OrgUnit, Position
from competencies.models import Competency, Framework, Requirement
from evaluations.models import CurrentLevel, Rating
from evaluations.models import GapRun, GapTrendPoint
from clo.demo import results as demo_results
from clo.demo import seed as demo
from clo.demo.accounts import DEMO_PASSWORD
from programs.models import Enrolment, LearningPlan, Session, TrainingNeed, TrainingPlan
from tests.dashboards.pages import read

pytestmark = pytest.mark.django_db

SIZE = 300
SEED = 11
TODAY = dt.date(2026, 5, 14)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            SCHEMA_BEFORE.update(schema())
            summary = demo.seed_demo(employees=SIZE, seed=SEED, today=TODAY)
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def empty(db):
    """No organisation (even while the module's seed is alive): cleared inside this test's savepoint."""
    demo.clear_demo_data()


SCHEMA_BEFORE: dict = {}


def schema() -> dict:
    """Constraints and indexes (with their columns and kinds) of the tables the seed loads in bulk."""
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: {
                name: (
                    info["columns"],
                    info["primary_key"],
                    info["unique"],
                    info["foreign_key"],
                    info["index"],
                )
                for name, info in connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                ).items()
            }
            for model in demo.BULK_MODELS
        }


def digest() -> str:
    """What a person would see of the people and their levels, independent of ids."""
    h = hashlib.sha256()
    for row in Employee.objects.order_by("employee_number").values_list(
        "employee_number",
        "first_name",
        "last_name",
        "unit__code",
        "position__code",
        "hire_date",
        "manager__employee_number",
    ):
        h.update(repr(row).encode())
    for row in CurrentLevel.objects.order_by(
        "employee__employee_number", "competency__framework__code", "competency__code"
    ).values_list(
        "employee__employee_number",
        "competency__framework__code",
        "competency__code",
        "level",
        "source",
        "assessed_on",
    ):
        h.update(repr(row).encode())
    for row in Enrolment.objects.order_by("session__code", "employee__employee_number").values_list(
        "session__code", "employee__employee_number", "status"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def user(username: str):
    return get_user_model().objects.get(username=username)


# --- the organisation ---------------------------------------------------------------------------------------
def test_counts(seeded):
    assert OrgUnit.objects.count() >= 25
    assert OrgUnit.objects.values("depth").distinct().count() >= 3
    assert Position.objects.count() >= 120
    assert Employee.objects.count() == SIZE == seeded.counts["employees"]
    per_position = Position.objects.annotate(n=Count("requirements")).aggregate(low=Min("n"), high=Max("n"))
    assert 4 <= per_position["low"] and per_position["high"] <= 10
    assert Position.objects.filter(requirements__isnull=True).count() == 0


def test_unit_paths_follow_parents(seeded):
    units = {u.pk: u for u in OrgUnit.objects.all()}
    for unit in units.values():
        parent = units.get(unit.parent_id)
        assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/"
        assert unit.depth == (parent.depth + 1 if parent else 0)


def test_every_unit_has_one_head_who_works_there_and_managers_follow_the_tree(seeded):
    heads = list(OrgUnit.objects.annotate(n=Count("heads")).values_list("n", flat=True))
    assert set(heads) == {1}
    assert not OrgUnit.objects.exclude(heads__unit=F("pk")).exists()
    # Staff report to their unit's head; a head reports to the parent unit's head.
    staff = Employee.objects.exclude(headed_units__isnull=False)
    assert not staff.exclude(manager__headed_units=F("unit")).exists()
    heads_below_root = Employee.objects.filter(headed_units__parent__isnull=False)
    assert not heads_below_root.exclude(manager__headed_units=F("unit__parent")).exists()


def test_people_look_like_a_council_payroll(seeded):
    types = dict(Employee.objects.values_list("employment_type").annotate(n=Count("id")))
    assert types["career"] > SIZE / 2 and types.get("interim", 0) > 0 and types.get("labour", 0) > 0
    assert (
        Employee.objects.filter(language="es").exists()
        and Employee.objects.filter(language="ca").count() > SIZE / 2
    )
    assert Employee.objects.filter(expected_retirement_date__lt=TODAY + dt.timedelta(days=5 * 365)).exists()
    assert all(" " in last for last in Employee.objects.values_list("last_name", flat=True))  # two surnames
    assert Employee.objects.values("email").distinct().count() == SIZE


# --- assessments, training ----------------------------------------------------------------------------------
def test_current_levels_come_from_the_ratings_that_count(seeded):
    """Manager level where the manager's assessment is validated, else the self-rating."""
    counting = Rating.objects.filter(
        assessment__employee=OuterRef("employee"),
        assessment__role=OuterRef("source"),
        competency=OuterRef("competency"),
        level=OuterRef("level"),
    ).exclude(assessment__status="draft")
    assert CurrentLevel.objects.count() > 0
    # The closed challenge project's participants (clo/demo/projects.py) have their levels worked out again by the
    # gap engine from all their evidence, its ratings included; everyone else's come from the ratings that count.
    from clo.talent.models import ProjectRating

    rated = ProjectRating.objects.filter(application__employee=OuterRef("employee"), competency=OuterRef("competency"),
                                         level=OuterRef("level"))
    participants = ProjectRating.objects.values("application__employee")
    assert CurrentLevel.objects.filter(source="project").exists()
    assert not CurrentLevel.objects.filter(source="project").filter(~Exists(rated)).exists()
    assert not CurrentLevel.objects.exclude(employee__in=participants).filter(~Exists(counting)).exists()
    validated = counting.filter(assessment__status="validated")
    assert not CurrentLevel.objects.filter(source="manager").filter(~Exists(validated)).exists()
    assert CurrentLevel.objects.filter(source="self").exists()
    gaps = CurrentLevel.objects.filter(
        employee__position__requirements__competency=F("competency"),
        level__lt=F("employee__position__requirements__required_level"),
    )
    assert 0 < gaps.count() < CurrentLevel.objects.count()


def test_enrolments_in_every_status_and_no_session_over_capacity(seeded):
    assert set(Enrolment.objects.values_list("status", flat=True)) == set(Enrolment.Status.values)
    over = Session.objects.annotate(
        seats=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEAT_HOLDING))
    ).filter(seats__gt=F("capacity"))
    assert not over.exists()
    assert not Enrolment.objects.filter(status="completed", completed_on__isnull=True).exists()
    assert Session.objects.filter(starts_at__date__gt=TODAY).exists()
    assert Session.objects.filter(ends_at__date__lt=TODAY).exists()


def test_needs_and_annual_plans(seeded):
    statuses = set(TrainingNeed.objects.values_list("status", flat=True))
    assert {"submitted", "accepted"} <= statuses and len(statuses) >= 4
    assert set(TrainingPlan.objects.values_list("year", flat=True)) == {TODAY.year, TODAY.year + 1}
    assert not TrainingNeed.objects.filter(status="accepted", plan_action__isnull=True).exists()


# --- the demo logins ----------------------------------------------------------------------------------------
def test_each_demo_login_has_its_role(seeded, settings):
    assert roles.scope_of(user("clo")).primary_role == roles.CLO
    assert roles.scope_of(user("rrhh")).primary_role == roles.HR
    directora = roles.scope_of(user("directora"))
    assert directora.primary_role == roles.DIRECTOR and not directora.everything
    assert roles.scope_of(user("empleat")).roles == frozenset({roles.EMPLOYEE})
    assert user("admin").is_superuser
    # The module's seed hashed with the project's hasher, before conftest switched the tests to MD5.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert user("empleat").check_password(DEMO_PASSWORD) and user("admin").check_password(DEMO_PASSWORD)
    clo_unit = Employee.objects.get(user__username="clo").unit
    assert clo_unit.name == "Servei de Formació i Desenvolupament"


def test_directora_heads_a_populated_area_and_empleat_is_inside_it(seeded):
    directora = Employee.objects.get(user__username="directora")
    area = directora.headed_units.get()
    assert area.kind == OrgUnit.Kind.AREA and area.depth == 1
    assert OrgUnit.objects.subtree_of([area]).count() >= 5
    empleat = Employee.objects.get(user__username="empleat")
    assert Employee.objects.visible_to(user("directora")).filter(pk=empleat.pk).exists()
    assert not Employee.objects.visible_to(user("empleat")).exclude(pk=empleat.pk).exists()
    chain, boss = [], empleat.manager
    while boss is not None and boss != directora:
        chain.append(boss)
        boss = boss.manager
    assert boss == directora and len(chain) >= 1
    assert Requirement.objects.filter(position=empleat.position).count() >= 4
    assert Rating.objects.filter(assessment__employee=empleat).exists()
    plan = LearningPlan.objects.get(employee=empleat)
    assert plan.items.count() >= 2


def test_demo_accounts_command_lists_the_logins(seeded):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in ("clo", "rrhh", "directora", "empleat", "admin"):
        assert f"  {username} " in text


# --- what the boards read -----------------------------------------------------------------------------------
def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option value=\"([^\"]*)\"", select)


def test_the_demo_arrives_with_every_figure_the_boards_read(seeded, client):
    """Nobody has to press "Recalculate now" first: the gap analysis ran, level 4 was stored for that run, and the
    trend has a year of history."""
    client.force_login(user("clo"))
    response = client.get("/dashboards/learning-office/", HTTP_ACCEPT_LANGUAGE="en")
    html, board = response.content.decode(), read(response)
    assert response.status_code == 200
    assert board.tables["heatmap-table"] and board.tables["top-gaps-table"]
    assert len(board.tables["chart-trend-table"]) == demo_results.HISTORY_MONTHS + 1
    headline = board.figures["headline"]
    assert headline["Requirements met"][0].isdigit() and headline["People not yet assessed"][0].isdigit()
    assert "The gap analysis has not run yet." not in html
    frameworks, areas = _options(html, "framework"), _options(html, "area")
    assert frameworks[0] == "" and len(frameworks) >= 3  # "All", and the frameworks with figures
    assert areas[0] == "" and len(areas) > len(frameworks)
    results = read(client.get("/dashboards/learning-office/training-results/", HTTP_ACCEPT_LANGUAGE="en"))
    assert results.tables["training-results-table"]
    home = read(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert home.figures["section-clo"]["People not yet assessed"][0].isdigit()

    client.force_login(user("directora"))
    director = read(client.get("/dashboards/director/", HTTP_ACCEPT_LANGUAGE="en"))
    assert director.tables["heatmap-table"] and director.tables["top-gaps-table"]


def test_the_gap_runs_are_the_demos_too(seeded):
    """One run of the reference day, the latest, and one a month over the year before it; a reset replaces them."""
    latest = GapRun.objects.filter(status=GapRun.Status.DONE).order_by("-finished_at", "-pk").first()
    assert latest.as_of == TODAY and latest.trigger == GapRun.Trigger.COMMAND
    points = list(GapTrendPoint.objects.order_by("as_of").values_list("as_of", flat=True))
    assert len(points) == demo_results.HISTORY_MONTHS + 1 and points[-1] == TODAY
    assert points[0] == dt.date(TODAY.year - 1, TODAY.month, TODAY.day)
    weighted = [p.weighted_gap for p in GapTrendPoint.objects.order_by("as_of")]
    assert weighted[0] > weighted[-1]  # the gaps closed over the year
    demo.seed_demo(employees=200, seed=SEED, today=TODAY, reset=True)
    assert GapTrendPoint.objects.count() == demo_results.HISTORY_MONTHS + 1


# --- running it ---------------------------------------------------------------------------------------------
def test_same_seed_same_data_and_another_seed_other_data(seeded):
    first = digest()
    demo.seed_demo(employees=SIZE, seed=SEED, today=TODAY, reset=True)
    assert digest() == first
    demo.seed_demo(employees=SIZE, seed=SEED + 1, today=TODAY, reset=True)
    assert digest() != first


def test_refuses_to_seed_over_an_organisation(seeded):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", "--employees", "200", stdout=StringIO())
    assert Employee.objects.count() == SIZE


def test_if_empty_does_nothing_when_there_is_an_organisation(seeded):
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()
    assert Employee.objects.count() == SIZE


def test_reset_replaces_the_organisation(seeded):
    out = StringIO()
    call_command(
        "seed_demo", "--reset", "--employees", "250", "--seed", "3", "--date", "2026-02-01", stdout=out
    )
    assert "250 employees" in out.getvalue()
    assert Employee.objects.count() == 250
    assert Employee.objects.filter(user__username="directora").exists()
    assert roles.scope_of(user("directora")).primary_role == roles.DIRECTOR


def test_seed_on_an_empty_database_and_rollback_on_failure(empty, monkeypatch):
    assert not demo.demo_data_exists()

    def broken(w):
        raise RuntimeError("boom")

    monkeypatch.setattr(demo, "build_plans_and_needs", broken)
    with pytest.raises(RuntimeError):
        demo.seed_demo(employees=200, seed=1, today=TODAY)
    assert not demo.demo_data_exists()
    assert not Employee.objects.exists() and not Rating.objects.exists()


def test_constraints_and_indexes_are_back_after_a_seed(seeded):
    """On PostgreSQL the bulk load drops keys, foreign keys and indexes, then puts them back as they were."""
    assert SCHEMA_BEFORE and schema() == SCHEMA_BEFORE


def test_reference_frameworks_are_recreated_when_missing(empty):
    digcomp = Framework.objects.get(code="DIGCOMP-2.2")
    count = Competency.objects.filter(framework=digcomp).count()
    codes = ["DIGCOMP-2.2", "CLO-TRANSVERSAL"]
    Competency.objects.filter(framework__code__in=codes).delete()  # competency → area is PROTECT
    Framework.objects.filter(code__in=codes).delete()
    from clo.demo import frameworks

    ids = frameworks.ensure_reference_frameworks()
    assert Competency.objects.filter(framework_id=ids["DIGCOMP-2.2"]).count() == count == 21
    assert Competency.objects.filter(framework_id=ids["CLO-TRANSVERSAL"], kind="leadership").exists()
    # Once present, they are used as they are: a second call creates nothing.
    assert frameworks.ensure_reference_frameworks() == ids
    assert Framework.objects.filter(code="DIGCOMP-2.2").count() == 1


def test_a_level_outside_the_scale_is_refused_by_the_bulk_load(seeded):
    from clo.demo.bulk import Loader

    assessment = Rating.objects.first().assessment
    competency = Competency.objects.exclude(ratings__assessment=assessment).first()
    loader = Loader()
    with pytest.raises(IntegrityError, match="level_in_scale"):
        with transaction.atomic():
            with loader.constraints_set_aside([Rating]):
                loader.insert(
                    Rating,
                    [
                        "id",
                        "assessment",
                        "competency",
                        "level",
                        "evidence",
                        "comment",
                        "original_level",
                        "adjustment_reason",
                    ],
                    [(loader.ids(Rating, 1), assessment.pk, competency.pk, 99, "", "", None, "")],
                )


def test_each_sessions_dates_and_hours_agree_with_its_timetable(seeded, client):
    """What a session page says twice — its timetable ("Dimecres, de 15 a 19 h") and its dates and hours in Madrid
    time — says the same thing."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from clo.demo.catalogue import TIMETABLES

    madrid, specs = ZoneInfo("Europe/Madrid"), {t[0]: t for t in TIMETABLES}
    # a community of practice's meetings have no timetable of the catalogue: their hours are their own
    sessions = list(Session.objects.exclude(program__modality="community").values_list(
        "pk", "program_id", "starts_at", "ends_at", "timetable"))
    assert sessions and {s[4] for s in sessions} <= set(specs)
    for _pk, _program, starts_at, ends_at, timetable in sessions:
        _text, weekdays, start, end = specs[timetable]
        first, last = starts_at.astimezone(madrid), ends_at.astimezone(madrid)
        assert (first.weekday(), last.weekday()) in {(a, b) for a in weekdays for b in weekdays}
        assert ((first.hour, first.minute), (last.hour, last.minute)) == (start, end)
    wednesday = next(s for s in sessions if s[4] == "Dimecres, de 15 a 19 h")
    client.force_login(user("clo"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ca"
    page = html.unescape(client.get(reverse("programs:session_detail", args=[wednesday[0]])).content.decode())
    day = timezone.localtime(wednesday[2])
    assert "Dimecres, de 15 a 19 h" in page and f"imecres {day.day} de " in page and ", de 15 a 19 h" in page


def test_the_demo_has_successor_pools_and_a_calibrated_talent_review(seeded):
    from clo.talent.models import PotentialRating, Successor, TalentReview

    assert Successor.objects.filter(status="confirmed", is_emergency=True, learning_plan__isnull=False).exists()
    assert all(s.position.is_critical for s in Successor.objects.select_related("position"))
    review = TalentReview.objects.get()
    assert review.status == "calibrating"
    ratings = PotentialRating.objects.filter(review=review)
    assert ratings.exclude(calibrated_potential="").exists() and ratings.filter(calibrated_potential="").exists()


def test_a_colleague_finds_experts_in_the_demos_directory(seeded, client):
    """A fresh demo's expertise directory answers a search: people who chose to appear, with the record of their
    consent, none of them a demo login (empleat meets the opt-in form as a new colleague would)."""
    from clo.talent.models import ExpertiseConsent, ExpertiseListing

    listings = ExpertiseListing.objects.filter(listed=True).select_related("employee")
    assert 0 < listings.count() <= 40
    assert not listings.filter(employee__user__username__in=["clo", "rrhh", "directora", "empleat", "dpd"]).exists()
    assert ExpertiseConsent.objects.filter(given=True).count() == listings.count()
    listing = listings.order_by("pk").first()
    level = (CurrentLevel.objects.filter(employee=listing.employee).exclude(source="self").order_by("-level").first())
    client.force_login(user("empleat"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ca"
    page = html.unescape(client.get(reverse("talent:expertise_directory"), {
        "competency": level.competency_id, "min_level": level.level, "where": "council"}).content.decode())
    assert f"{listing.employee.first_name} {listing.employee.last_name}" in page


def test_the_demo_has_itineraries_and_badges_that_verify(seeded, client):
    """empleat follows the itinerary of their family (its programs are in their plan) and holds a badge that
    verifies on its public page; one badge of the demo is revoked."""
    from clo.careers.models import Badge, Itinerary, ItineraryEnrolment
    from clo.careers.services.badges import badge_verify

    assert Itinerary.objects.filter(steps__isnull=False).distinct().count() >= 2
    followed = ItineraryEnrolment.objects.get(employee__user__username="empleat")
    plan_programs = set(LearningPlan.objects.filter(employee__user__username="empleat")
                        .values_list("items__program", flat=True))
    assert set(followed.itinerary.steps.values_list("program", flat=True)) <= plan_programs
    badge = Badge.objects.filter(employee__user__username="empleat", share_name=True).first()
    assert badge is not None and badge_verify(badge.credential)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ca"
    page = html.unescape(client.get(reverse("careers:badge_verify", args=[badge.public_id])).content.decode())
    assert badge.employee.full_name in page
    assert Badge.objects.filter(revoked_at__isnull=False).count() == 1


def test_the_demo_has_two_communities_whose_meetings_count_and_whose_resources_show(seeded, client):
    """Two communities of practice with coordinators and members; the council's has had two meetings whose
    attendance is in the training figures, and has one to come in empleat's calendar; the directora answers a
    request to join; each community's links show on its competency's page."""
    from clo.talent.models import Community, Membership
    from competencies.models import LevelResource

    communities = {c.joining: c for c in Community.objects.select_related("program")}
    assert set(communities) == {"open", "request"} and all(c.published for c in communities.values())
    council, area = communities["open"], communities["request"]
    assert area.memberships.get(role="coordinator").employee.user.username == "directora"
    assert area.memberships.filter(status="pending").count() == 1
    assert area.memberships.get(status="refused").refusal_reason
    assert council.memberships.filter(employee__user__username="empleat", status="member").exists()
    meetings = Session.objects.filter(program=council.program)
    from zoneinfo import ZoneInfo

    midnight = dt.datetime.combine(TODAY, dt.time(0), tzinfo=ZoneInfo("Europe/Madrid"))
    past, upcoming = meetings.filter(ends_at__lt=midnight), meetings.filter(starts_at__gt=midnight)
    assert past.count() == 2 and upcoming.count() == 1
    attended = Enrolment.objects.filter(session__in=past, hours_attended__gt=0)
    assert attended.count() >= 8 and not Enrolment.objects.filter(session__in=past, status="approved").exists()
    assert Enrolment.objects.filter(session__in=past, status="no_show").exists()
    assert Enrolment.objects.filter(session__in=upcoming, employee__user__username="empleat",
                                    status="approved").exists()
    resource = LevelResource.objects.filter(community=council.name).order_by("level").first()
    client.force_login(user("empleat"))
    page = html.unescape(client.get(reverse("competencies:competency_detail",
                                            args=[resource.competency_id])).content.decode())
    assert resource.title in page and resource.url in page
    assert Membership.objects.count() < 40 and LevelResource.objects.count() == 5
