"""A partial employees file must not empty the register: an employees import updates the people in the file unless
the person says the file is the whole staff register; deactivating more than a share of the staff needs the number
typed; an import can be undone for a grace period, and the gap and training figures follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clo.core.imports import services
from clo.core.imports.models import ImportChange, ImportJob
from clo.people.models import Employee
from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
MADRID = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def staff(org, hr_user):
    """Twelve people in A1 and eight in B1 (plus the HR persona at the top): 21 active employees."""
    position = f.PositionFactory(code="LT1")
    as_in_the_file = {"position": position, "first_name": "Laia", "last_name": "Puig Serra", "email": "",
                      "hire_date": dt.date(2015, 3, 1), "expected_retirement_date": None,
                      "employment_type": "career", "language": "ca"}
    a1 = [f.EmployeeFactory(employee_number=f"A{i:02d}", unit=org.unit_a1, **as_in_the_file) for i in range(12)]
    b1 = [f.EmployeeFactory(employee_number=f"B{i:02d}", unit=org.unit_b1, **as_in_the_file) for i in range(8)]
    return a1, b1


def _department_file(unit: str = "A1", count: int = 12, *, prefix: str = "A", extra=()) -> bytes:
    """The file of one department: its people as they are, and ``extra`` rows."""
    rows = [employee_row(f"{prefix}{i:02d}", unit=unit) for i in range(count)]
    return csv_bytes(EMPLOYEE_HEADER, [*rows, *extra])


def _upload(client, data: bytes, **fields):
    response = client.post(reverse("imports:index"), {
        "kind": "employees", "file": SimpleUploadedFile("personal.csv", data, content_type="text/csv"), **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def _active() -> set[str]:
    return set(Employee.objects.filter(active=True).values_list("employee_number", flat=True))


# --- The mode ----------------------------------------------------------------------------------------------------


def test_the_upload_form_offers_both_modes_with_the_update_chosen(hr_client, english):
    page = hr_client.get(reverse("imports:index")).content.decode()
    assert 'type="radio" name="mode" value="update"' in page and "checked" in page.split('value="update"')[1][:80]
    assert "Update the people in the file: nobody else is deactivated" in page
    assert "The file is the whole staff register: the active employees who are not in it are deactivated" in page
    assert "a file of one department would deactivate everyone else" in page


def test_by_default_a_department_file_deactivates_nobody(hr_client, media, staff, english):
    before = _active()
    job = _upload(hr_client, _department_file(extra=[employee_row("A99", unit="A1")]))
    assert job.mode == ImportJob.Mode.UPDATE
    assert job.counts == {"create": 1, "update": 0, "unchanged": 12, "deactivate": 0}
    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Update the people in the file." in page and "nobody is deactivated" in page
    assert 'id="count-deactivate">0<' in page
    hr_client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert _active() == before | {"A99"}  # the eight people of B1 and HR are still there


def test_whole_register_mode_deactivates_the_absent_people(hr_client, media, staff, settings, english):
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 50  # 9 of 21: confirmed with a click
    job = _upload(hr_client, _department_file(), mode="register")
    assert job.counts["deactivate"] == 9 and job.active_before == 21 and not job.needs_typed_confirmation
    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "The file is the whole staff register." in page and 'id="count-deactivate">9<' in page
    assert 'name="confirmation"' not in page
    hr_client.post(reverse("imports:confirm", args=[job.pk]))
    assert _active() == {f"A{i:02d}" for i in range(12)}


def test_in_an_update_a_manager_outside_the_file_is_kept_and_an_inactive_one_refused(media, staff, english):
    a1, b1 = staff
    Employee.objects.filter(pk=b1[1].pk).update(active=False)
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("A00", unit="A1", manager="B00"),
                                       employee_row("A01", unit="A1", manager="B01")])
    job = services.import_job_create(kind="employees", data=data, original_name="a.csv")
    assert [(m["row"], m["column"], m["message"]) for m in job.messages()] == [
        (3, "manager_number", "The manager “B01” is not an active employee: add them to the file to reactivate them.")]
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("A00", unit="A1", manager="B00")])
    job = services.import_job_create(kind="employees", data=data, original_name="a.csv")
    assert job.error_count == 0 and job.counts["update"] == 1
    services.import_job_confirm(job)
    assert Employee.objects.get(employee_number="A00").manager == b1[0]


def test_in_an_update_a_cycle_through_people_outside_the_file_is_refused(media, staff, english):
    a1, b1 = staff
    Employee.objects.filter(pk=b1[0].pk).update(manager=a1[0])
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("A00", unit="A1", manager="B00")])
    job = services.import_job_create(kind="employees", data=data, original_name="a.csv")
    assert [(m["row"], m["message"]) for m in job.messages()] == [
        (2, "This manager would make a cycle of managers: A00 → B00 → A00.")]


# --- The typed confirmation ---------------------------------------------------------------------------------------


def test_above_the_share_the_number_must_be_typed(hr_client, media, staff, english):
    job = _upload(hr_client, _department_file(), mode="register")  # 9 of 21 active: above 10 %
    assert job.needs_typed_confirmation
    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Type 9 to confirm" in page and 'name="confirmation"' in page
    assert "This import deactivates 9 of the 21 active employees." in page
    url = reverse("imports:confirm", args=[job.pk])
    for typed, headers in (("", {}), ("8", {}), ("99", {}), ("19", HX)):
        response = hr_client.post(url, {"confirmation": typed}, **headers)
        assert response.status_code == 422
        content = response.content.decode()
        assert 'id="id_confirmation_error"' in content
        assert "Type the number of employees this import deactivates (9) to confirm it." in content
        if headers:
            assert content.lstrip().startswith('<div id="job-status"') and "<html" not in content
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and len(_active()) == 21  # nothing written
    response = hr_client.post(url, {"confirmation": "Sí, desactivar 9 persones"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and len(_active()) == 12


@pytest.mark.parametrize(("typed", "count", "matches"), [
    ("1200", 1200, True), ("1.200", 1200, True), ("1 200 persones", 1200, True), ("desactivar 1200", 1200, True),
    ("120", 1200, False), ("12000", 1200, False), ("1.2000", 1200, False), ("", 1200, False), ("9", 19, False),
])
def test_the_confirmation_names_the_number(typed, count, matches):
    job = ImportJob(counts={"deactivate": count})
    assert services.confirmation_matches(job, typed) is matches


def test_the_import_never_deactivates_more_than_its_confirmed_preview(media, staff, settings, english):
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 100
    job = services.import_job_create(kind="employees", data=_department_file(), original_name="a.csv",
                                     mode=ImportJob.Mode.REGISTER)
    assert job.counts["deactivate"] == 9
    f.EmployeeFactory(employee_number="C01")  # arrived between the preview and the confirmation
    services.import_job_confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.counts["deactivate"] == 10
    assert job.failure_display().startswith("The file would now deactivate more employees than its preview showed")
    assert len(_active()) == 22


# --- The undo ------------------------------------------------------------------------------------------------------


def _figures():
    from evaluations.models import UnitAreaGap, UnitCompetencyGap, UnitGap, UnitGroupCompetencyGap
    from programs.models import UnitTraining

    def rows(model, *columns):
        return sorted(model.objects.values_list(*columns))

    return (
        rows(UnitCompetencyGap, "unit_id", "subtree", "competency_id", "people", "gap_sum", "not_assessed"),
        rows(UnitGroupCompetencyGap, "unit_id", "subtree", "position_group", "competency_id", "people", "gap_sum"),
        rows(UnitAreaGap, "unit_id", "subtree", "area_id", "people_with_gap"),
        rows(UnitGap, "unit_id", "subtree", "people_with_gap"),
        rows(UnitTraining, "unit_id", "subtree", "year", "position_group", "hours", "completed", "closed"),
    )


@pytest.fixture
def importers_outside_the_file(request):
    """The files of these tests hold a part of the register only, so a register import deactivates the personas'
    own records too; a deactivated employee's login is signed out (clo.accounts), which would end the importer's own
    session. Their logins are kept apart from their records here, as for an office account of the council."""
    users = [request.getfixturevalue(name) for name in ("clo_user", "hr_user") if name in request.fixturenames]
    Employee.objects.filter(user__in=users).update(user=None)


@pytest.fixture
def figures_world(staff):
    """A requirement of everyone's position and a course that two people of B1 completed, with every figure built."""
    from evaluations.gaps.services import gaps_full_run
    from programs.services.training_rollup import training_rollup_rebuild

    a1, b1 = staff
    f.RequirementFactory(position=a1[0].position, required_level=3)
    session = f.SessionFactory(starts_at=dt.datetime(2026, 3, 10, 9, tzinfo=MADRID),
                               ends_at=dt.datetime(2026, 3, 10, 13, tzinfo=MADRID))
    for person in b1[:2]:
        f.EnrolmentFactory(session=session, employee=person, status="completed", hours_attended=Decimal("4"),
                           completed_on=dt.date(2026, 3, 10))
    gaps_full_run(full_consolidation=True)
    training_rollup_rebuild()
    return staff


def _rebuilt_figures():
    from evaluations.gaps.services import gaps_full_run
    from programs.services.training_rollup import training_rollup_rebuild

    gaps_full_run(full_consolidation=True)
    training_rollup_rebuild()
    return _figures()


@pytest.mark.parametrize("inline", [True, False], ids=["inline", "celery-job"])
def test_undo_brings_the_people_back_and_the_figures_follow(hr_client, hr_user, media, figures_world, settings,
                                                            eager_tasks, django_capture_on_commit_callbacks,
                                                            inline, english, importers_outside_the_file):
    from clo.core.models import AuditEntry

    a1, b1 = figures_world
    if not inline:
        settings.CLO_IMPORTS_INLINE_ROWS = 5
    before = _figures()
    moved = employee_row("A00", unit="B1", first="Adrià")  # the file also moves and renames A00
    data = csv_bytes(EMPLOYEE_HEADER, [moved, *[employee_row(f"A{i:02d}", unit="A1") for i in range(1, 12)],
                                       employee_row("A99", unit="A1")])
    with django_capture_on_commit_callbacks(execute=True):
        job = _upload(hr_client, data, mode="register")
    job.refresh_from_db()
    assert job.counts == {"create": 1, "update": 1, "unchanged": 11, "deactivate": 9}
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("imports:confirm", args=[job.pk]), {"confirmation": "9"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.changes.count() == 11
    assert len(_active()) == 13 and _figures() != before

    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Undoing the import reactivates the employees it deactivated" in page
    assert reverse("imports:undo", args=[job.pk]) in page
    confirm = hr_client.get(reverse("imports:undo", args=[job.pk])).content.decode()
    assert 'id="undo-reactivate">9<' in confirm and 'id="undo-revert">1<' in confirm
    assert 'id="undo-deactivate">1<' in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(reverse("imports:undo", args=[job.pk]), follow=True)
    assert "The import was undone." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UNDONE and job.undone_by == hr_user
    assert job.undo_counts == {"reactivated": 9, "reverted": 1, "deactivated": 1, "kept": 0}
    assert len(_active()) == 21 and "A99" not in _active()
    a00 = Employee.objects.get(employee_number="A00")
    assert (a00.unit, a00.first_name) == (a1[0].unit, "Laia")  # its previous data, its history kept
    assert Employee.objects.get(employee_number="A99").active is False  # created by the import: deactivated
    assert Employee.objects.get(pk=b1[0].pk).enrolments.count() == 1
    undo_entries = AuditEntry.objects.filter(person_id=b1[0].pk, changes={"active": [False, True]})
    assert [entry.actor for entry in undo_entries] == [hr_user]
    # the stored figures are those of a rebuild from scratch, and those before the import
    undone = _figures()
    assert undone == before
    assert _rebuilt_figures() == undone
    assert "Undone on" in hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    # once undone, it is not undone twice
    response = hr_client.post(reverse("imports:undo", args=[job.pk]), follow=True)
    assert "This import cannot be undone" in response.content.decode()


def test_undo_keeps_what_changed_since_the_import(hr_client, media, staff, settings, english):
    a1, b1 = staff
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 100
    data = csv_bytes(EMPLOYEE_HEADER, [employee_row("A00", unit="A1", first="Adrià", last="Vidal")])
    job = services.import_job_create(kind="employees", data=data, original_name="a.csv", mode=ImportJob.Mode.REGISTER)
    services.import_job_confirm(job)
    Employee.objects.filter(pk=a1[0].pk).update(last_name="Vidal Roca")  # corrected by hand since
    Employee.objects.filter(pk=b1[0].pk).update(active=True)  # brought back by hand since
    services.import_job_undo(job_id=job.pk)
    a00 = Employee.objects.get(pk=a1[0].pk)
    assert (a00.first_name, a00.last_name) == ("Laia", "Vidal Roca")
    job.refresh_from_db()
    assert job.undo_counts == {"reactivated": 19, "reverted": 1, "deactivated": 0, "kept": 1}
    assert len(_active()) == 21


def test_after_the_grace_period_the_undo_is_gone_and_refused(hr_client, hr_user, media, staff, settings, english,
                                                            importers_outside_the_file):
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 100
    settings.CLO_IMPORTS_UNDO_DAYS = 7
    job = services.import_job_create(kind="employees", data=_department_file(), original_name="a.csv",
                                     mode=ImportJob.Mode.REGISTER)
    services.import_job_confirm(job)
    job.refresh_from_db()
    url = reverse("imports:undo", args=[job.pk])
    with time_machine.travel(job.finished_at + dt.timedelta(days=6, hours=23)):
        hr_client.force_login(hr_user)  # a new session: the previous one has expired meanwhile
        assert url in hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    with time_machine.travel(job.finished_at + dt.timedelta(days=7, seconds=1)):
        hr_client.force_login(hr_user)
        page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
        assert url not in page and "This import can no longer be undone" in page
        response = hr_client.get(url, follow=True)
        assert "This import can no longer be undone." in response.content.decode()
        response = hr_client.post(url, follow=True)
        assert "the 7 days in which it could be undone are over" in response.content.decode()
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE and len(_active()) == 12
        # the next import forgets the before-images kept for the undo (personal data kept for nothing now)
        assert job.changes.count() == 9
        later = services.import_job_create(kind="employees", data=_department_file(), original_name="b.csv")
        services.import_job_confirm(later)
        assert job.changes.count() == 0


def test_other_kinds_of_data_have_no_mode_and_no_undo(hr_client, media, org, english):
    from tests.imports.helpers import UNIT_HEADER

    response = hr_client.post(reverse("imports:index"), {
        "kind": "units", "mode": "register",
        "file": SimpleUploadedFile("u.csv", csv_bytes(UNIT_HEADER, [["X", "X", "", "A"]]), content_type="text/csv")})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.mode == ImportJob.Mode.UPDATE
    services.import_job_confirm(job)
    page = hr_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert reverse("imports:undo", args=[job.pk]) not in page and "import-mode" not in page
    assert not ImportChange.objects.exists()


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_only_hr_and_the_learning_office_reach_the_undo(request, persona, media, staff, settings):
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 100
    job = services.import_job_create(kind="employees", data=_department_file(), original_name="a.csv",
                                     mode=ImportJob.Mode.REGISTER)
    services.import_job_confirm(job)
    client = request.getfixturevalue(persona)
    url = reverse("imports:undo", args=[job.pk])
    for headers in ({}, HX):
        assert client.get(url, **headers).status_code == 404
        assert client.post(url, **headers).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not Employee.objects.get(employee_number="B00").active


def test_the_learning_office_can_undo_too(clo_client, media, staff, settings, importers_outside_the_file):
    settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT = 100
    job = services.import_job_create(kind="employees", data=_department_file(), original_name="a.csv",
                                     mode=ImportJob.Mode.REGISTER)
    services.import_job_confirm(job)
    assert clo_client.get(reverse("imports:undo", args=[job.pk])).status_code == 200
    clo_client.post(reverse("imports:undo", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UNDONE
