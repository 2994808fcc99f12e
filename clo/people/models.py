"""The organisation: units (a tree), positions (llocs de treball) and employees, and who may see whom.

The unit tree is stored twice on purpose: ``parent`` (the truth an administrator edits) and a materialised
``path`` ("/1/5/9/") kept by ``services.orgunit_move`` so that "this unit and everything under it" is one indexed
prefix match. A database trigger (migration 0002) refuses a parent that is the unit itself or one of its
descendants, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import BaseExpression, RawSQL
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from clo.people import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class OrgUnitQuerySet(models.QuerySet):
    def active(self) -> "OrgUnitQuerySet":
        return self.filter(active=True)

    def subtree_of(self, units) -> "OrgUnitQuerySet":
        """Units at or below any of ``units`` (OrgUnit instances or paths)."""
        paths = [u if isinstance(u, str) else u.path for u in units]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def visible_to(self, user: User | AnonymousUser) -> "OrgUnitQuerySet":
        scope = roles.scope_of(user)
        if scope.everything:
            return self
        return self.subtree_of(scope.unit_paths)


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        AREA = "area", _("Area")
        DEPARTMENT = "department", _("Department")
        SERVICE = "service", _("Service")
        SECTION = "section", _("Section")
        OFFICE = "office", _("Office")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SERVICE)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    path = models.CharField(_("path"), max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    heads = models.ManyToManyField(
        "people.Employee", blank=True, related_name="headed_units", verbose_name=_("heads"),
        help_text=_("Directors or heads of this unit: they see and manage its whole subtree."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="people_orgunit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
        ]
        indexes = [
            # visible_to()/subtree_of(): "path LIKE '/1/5/%'" for every scoped query and roll-up.
            models.Index(fields=["path"], name="people_orgunit_path", opclasses=["varchar_pattern_ops"]),
            # dashboards.boards.place_of(): "depth = 0 OR id = ... OR parent_id = ... OR id = ANY(ancestors)", the
            # unit on screen, its neighbours and the roots, read by indexes only (every board and people page).
            models.Index(fields=["id"], condition=Q(depth=0), name="people_orgunit_roots"),
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A job (lloc de treball) of the council's job catalogue (RPT)."""

    class Group(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B = "B", "B"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        AP = "AP", _("AP (other professional groupings)")

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    group = models.CharField(_("civil-service group"), max_length=2, choices=Group.choices)
    job_family = models.CharField(_("job family"), max_length=100, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions", verbose_name=_("unit")
    )
    is_critical = models.BooleanField(_("critical position"), default=False)
    # Succession (clo.talent.services.succession): how critical a critical position is, and why. ``is_critical`` stays
    # THE flag; the constraint below keeps the two in step whoever writes (screen, import, admin, API).
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), null=True, blank=True, choices=[(1, _("1 · important")), (2, _("2 · high")),
                                                          (3, _("3 · vital"))],
    )
    critical_reason = models.CharField(_("reason it is critical"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_critical=True, criticality__isnull=False, criticality__gte=1, criticality__lte=3)
                | Q(is_critical=False, criticality__isnull=True),
                name="people_position_criticality_flag",
                violation_error_message=_("A critical position has a criticality from 1 to 3; any other has none."),
            ),
        ]
        indexes = [
            # dashboards' critical positions: the few critical positions, without scanning them all.
            models.Index(fields=["id"], condition=Q(is_critical=True), name="people_position_critical"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class _EqualsAny(models.Func):
    """``column = ANY(ARRAY(subquery))`` (PostgreSQL)."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = models.BooleanField()


def unit_in_subtrees(column: str, paths) -> models.Expression | Q:
    """``column`` (a unit id) is one of the units at or below ``paths``: on PostgreSQL as
    ``column = ANY(ARRAY(SELECT id FROM people_orgunit WHERE path LIKE ...))``, which the planner resolves first and
    then reads by the index on ``column``, also inside an OR (the people a director sees: themself or their units),
    where a join on the unit's path, or ``IN (SELECT ...)``, made it read every employee. ``IN (SELECT ...)``
    elsewhere."""
    units = OrgUnit.objects.subtree_of(paths).order_by().values("pk")
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        return _EqualsAny(F(column), ArraySubquery(units))
    return Q(**{f"{column}__in": units})


def unit_or_ancestor(unit_id: int) -> BaseExpression | Q:
    """An org unit condition: the unit ``unit_id`` or one of its ancestors. On PostgreSQL, the ids the unit's path
    is made of (``/1/5/9/``), read by the primary key, where "my path starts with yours" compared every unit."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return RawSQL(
            f'"{OrgUnit._meta.db_table}"."id" = ANY(string_to_array(btrim((SELECT u.path FROM '
            f'"{OrgUnit._meta.db_table}" u WHERE u.id = %s), \'/\'), \'/\')::bigint[])',
            (unit_id,), output_field=models.BooleanField())
    return Exists(OrgUnit.objects.filter(pk=unit_id, path__startswith=OuterRef("path")))


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active(self) -> "EmployeeQuerySet":
        return self.filter(active=True)

    def in_units(self, units) -> "EmployeeQuerySet":
        """Employees of ``units`` and all units below them."""
        paths = [u if isinstance(u, str) else u.path for u in units]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        return self.filter(condition)

    def visible_to(self, user: User | AnonymousUser) -> "EmployeeQuerySet":
        scope = roles.scope_of(user)
        self = self.filter(blocked_at__isnull=True)  # past retention: hidden from everyone (clo.core.retention)
        if scope.everything:
            return self
        mine = Q(pk=scope.employee_id) if scope.employee_id else Q(pk__in=[])
        if not scope.unit_paths:
            return self.filter(mine)
        return self.filter(mine | Q(unit_in_subtrees("unit_id", scope.unit_paths)))


class Employee(models.Model):
    class EmploymentType(models.TextChoices):
        CAREER = "career", _("Career civil servant (funcionari de carrera)")
        INTERIM = "interim", _("Interim civil servant (funcionari interí)")
        LABOUR = "labour", _("Labour staff (personal laboral)")
        EVENTUAL = "eventual", _("Temporary political appointee (personal eventual)")

    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surnames"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="employees", verbose_name=_("position"))
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("manager")
    )
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=EmploymentType.choices, default=EmploymentType.CAREER
    )
    hire_date = models.DateField(_("hire date"))
    expected_retirement_date = models.DateField(_("expected retirement date"), null=True, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="ca")
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee",
        verbose_name=_("login user"),
    )
    # Data retention (clo.core.retention): the day the retention job first found the employee inactive, and when
    # their personal data was blocked; past the grace period it is anonymised.
    inactive_since = models.DateField(_("inactive since"), null=True, blank=True, editable=False)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is anonymised."),
    )

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=F("id")),
                name="people_employee_not_own_manager",
                violation_error_message=_("An employee cannot be their own manager."),
            ),
            models.CheckConstraint(
                condition=Q(expected_retirement_date__isnull=True) | Q(expected_retirement_date__gt=F("hire_date")),
                name="people_employee_retirement_after_hire",
                violation_error_message=_("The expected retirement date must come after the hire date."),
            ),
        ]
        indexes = [
            # gap engine and dashboards: active employees of a position / of a unit.
            models.Index(fields=["position", "active"], name="people_employee_position"),
            models.Index(fields=["unit", "active"], name="people_employee_unit"),
            # dashboards' headcount (people.count_figure of the active employees of the organisation or of a
            # subtree): an index-only scan of the active staff only.
            models.Index(fields=["unit"], condition=Q(active=True), name="people_employee_active_unit"),
            # HR's home page: active staff expected to retire within the succession window, with their position
            # (selectors.retirements_within): a range of the index, no pass over the whole staff.
            models.Index(fields=["expected_retirement_date"], include=["position"], condition=Q(active=True),
                         name="people_employee_retiring"),
            # the xAPI pull's learners (clo.api.xapi.services._match): active staff by email, in any case.
            models.Index(Upper("email"), condition=Q(active=True), name="people_employee_email"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class UnitHeadcount(models.Model):
    """The active employees of one position group placed directly in a unit (not in its subunits). Written only by
    the database's triggers on ``people_employee`` and ``people_position`` (``clo.core.db.ActiveHeadcount``,
    migration 0006): exact after every write, whoever makes it. A subtree's headcount is the sum
    over its units (``selectors.headcount``)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="headcounts", verbose_name=_("unit"))
    position_group = models.CharField(_("civil-service group"), max_length=2, choices=Position.Group.choices)
    active = models.PositiveIntegerField(_("active employees"), default=0)

    class Meta:
        verbose_name = _("unit headcount")
        verbose_name_plural = _("unit headcounts")
        constraints = [
            # also the key of the triggers' upserts
            models.UniqueConstraint(fields=["unit", "position_group"], name="people_unitheadcount_unique",
                                    violation_error_message=_("This unit already has a headcount for this group.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.position_group}: {self.active}"
