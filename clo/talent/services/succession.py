"""Succession writes: flag critical positions, and keep the knowledge-at-risk figures (``KnowledgeRisk``) current.

The figures (defined in ``selectors.succession``) follow the gap engine: each of its incremental refreshes (an
employee's levels, a move, a position, some units) queues ``talent.knowledge_risk_refresh_units`` by name on commit
for the units it recounted, and each full run (nightly: the horizons move with the date) queues
``talent.knowledge_risk_rebuild``. A unit's refresh recounts its own rows (from its people: a cost that depends on the
unit) and then the subtree rows of the unit and its ancestors from the stored own rows. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.tasks import queue_on_commit
from clo.people.models import Employee, OrgUnit, Position
from clo.talent.models import KnowledgeRisk, RetirementCount
from clo.talent.selectors.succession import HORIZONS, RETIREMENT_YEARS, years_after

# --- Critical positions -------------------------------------------------------------------------------------------


@transaction.atomic
def position_set_criticality(*, position: Position, criticality: int | None, reason: str = "") -> Position:
    """Flag ``position`` critical with ``criticality`` (1–3) and ``reason``, or unflag it (``criticality`` None).
    ``is_critical`` follows in the same write; the knowledge-at-risk map is rebuilt on commit."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if criticality is None and reason.strip():
        raise ValidationError({"critical_reason": _("Only a critical position has a reason for being critical.")})
    before = (position.is_critical, position.criticality, position.critical_reason)
    position.is_critical = criticality is not None
    position.criticality = criticality
    position.critical_reason = reason.strip()
    position.full_clean(validate_unique=False)
    if before == (position.is_critical, position.criticality, position.critical_reason):
        return position
    position.save(update_fields=["is_critical", "criticality", "critical_reason"])
    if before[1] != criticality:
        from clo.talent.tasks import knowledge_risk_rebuild

        queue_on_commit(knowledge_risk_rebuild)
    return position


# --- Knowledge at risk ----------------------------------------------------------------------------------------------


def _thresholds() -> dict[int, int]:
    """The expert threshold of every framework (few rows)."""
    from competencies.models import Framework, Level

    tops = dict(Level.objects.values_list("scale_id").annotate(top=Max("value")))
    return {f.pk: f.expert_threshold(tops.get(f.scale_id, 0)) for f in Framework.objects.all()}


def _own_rows(unit_ids: Iterable[int] | None, today: dt.date) -> list[KnowledgeRisk]:
    """The own rows of ``unit_ids`` (every unit: None), computed from the people. Two aggregate queries."""
    from competencies.models import Requirement
    from evaluations.models import CurrentLevel

    at_stake = Requirement.objects.filter(position__is_critical=True).values("competency_id")
    holders = Employee.objects.filter(active=True, blocked_at__isnull=True, position__is_critical=True)
    if unit_ids is not None:
        holders = holders.filter(unit_id__in=list(unit_ids))
    critical = (Requirement.objects.filter(position__is_critical=True, position__employees__in=holders)
                .values_list("position__employees__unit_id", "competency_id")
                .annotate(c=Max("position__criticality")))
    rows: dict[tuple[int, int], KnowledgeRisk] = {}
    for unit_id, competency_id, criticality in critical:
        rows[(unit_id, competency_id)] = KnowledgeRisk(unit_id=unit_id, subtree=False, competency_id=competency_id,
                                                       criticality=criticality or 0, as_of=today)
    thresholds = _thresholds()
    expert = Q(pk__in=[])
    for framework_id, threshold in thresholds.items():
        expert |= Q(competency__framework_id=framework_id, level__gte=threshold)
    levels = CurrentLevel.objects.filter(expert, competency_id__in=at_stake, employee__active=True,
                                         employee__blocked_at__isnull=True)
    if unit_ids is not None:
        levels = levels.filter(employee__unit_id__in=list(unit_ids))
    retiring = {h: Count("id", filter=Q(employee__expected_retirement_date__lte=years_after(today, h)))
                for h in HORIZONS}
    counts = levels.values_list("employee__unit_id", "competency_id").annotate(
        n=Count("id"), r1=retiring[1], r3=retiring[3], r5=retiring[5])
    for unit_id, competency_id, n, r1, r3, r5 in counts:
        row = rows.setdefault((unit_id, competency_id), KnowledgeRisk(
            unit_id=unit_id, subtree=False, competency_id=competency_id, criticality=0, as_of=today))
        row.experts, row.retiring_1, row.retiring_3, row.retiring_5 = n, r1, r3, r5
    return list(rows.values())


_SUBTREE = (
    "INSERT INTO talent_knowledgerisk (unit_id, subtree, competency_id, criticality, experts, retiring_1, "
    "retiring_3, retiring_5, as_of) "
    "SELECT a.id, %s, k.competency_id, MAX(k.criticality), SUM(k.experts), SUM(k.retiring_1), SUM(k.retiring_3), "
    "SUM(k.retiring_5), MAX(k.as_of) FROM talent_knowledgerisk k "
    "JOIN people_orgunit u ON u.id = k.unit_id "
    "JOIN people_orgunit a ON u.path LIKE a.path || '%%' "
    "WHERE k.subtree = %s {where} GROUP BY a.id, k.competency_id"
)


def _ancestors(unit_ids: Iterable[int]) -> set[int]:
    paths = OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list("path", flat=True)
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def _lock() -> None:
    """One refresh at a time (they rewrite shared subtree rows): a transaction-scoped lock on PostgreSQL; SQLite
    writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('talent.knowledge_risk'))")


# --- The ten-year retirement map (bench strength) ------------------------------------------------------------------

_RETIREMENT_COLUMNS = "unit_id, \"group\", year, retiring, subtree, as_of"

_RETIREMENT_SUBTREE = (
    f"INSERT INTO talent_retirementcount ({_RETIREMENT_COLUMNS}) "
    "SELECT a.id, r.\"group\", r.year, SUM(r.retiring), %s, MAX(r.as_of) FROM talent_retirementcount r "
    "JOIN people_orgunit u ON u.id = r.unit_id "
    "JOIN people_orgunit a ON u.path LIKE a.path || '%%' "
    "WHERE r.subtree = %s {where} GROUP BY a.id, r.\"group\", r.year"
)


def _retirements_insert(unit_ids: list[int] | None, today: dt.date) -> None:
    """INSERT ... SELECT of the own rows of ``unit_ids`` (every unit: None): one grouped query over the active
    employees retiring from ``today`` to the end of the map's last year."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, ExtractYear

    people = Employee.objects.filter(active=True, expected_retirement_date__gte=today,
                                     expected_retirement_date__lt=dt.date(today.year + RETIREMENT_YEARS + 1, 1, 1))
    if unit_ids is not None:
        people = people.filter(unit_id__in=unit_ids)
    counts = (people.annotate(g=Coalesce("position__group", Value("")), y=ExtractYear("expected_retirement_date"))
              .values_list("unit_id", "g", "y").order_by()
              .annotate(n=Count("id"), own=Value(False), day=Value(today)))
    sql, params = counts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO talent_retirementcount ({_RETIREMENT_COLUMNS}) {sql}", params)


def _retirements_rebuild(today: dt.date) -> None:
    RetirementCount.objects.all().delete()
    _retirements_insert(None, today)
    with connection.cursor() as cursor:
        cursor.execute(_RETIREMENT_SUBTREE.format(where=""), [True, False])


def _retirements_refresh(unit_ids: list[int], ancestors: list[int], today: dt.date) -> None:
    RetirementCount.objects.filter(unit_id__in=unit_ids, subtree=False).delete()
    _retirements_insert(unit_ids, today)
    RetirementCount.objects.filter(unit_id__in=ancestors, subtree=True).delete()
    if ancestors:
        marks = ", ".join(["%s"] * len(ancestors))
        with connection.cursor() as cursor:
            cursor.execute(_RETIREMENT_SUBTREE.format(where=f"AND a.id IN ({marks})"), [True, False, *ancestors])


# --- Rebuild and refresh (both roll-ups, one lock) ------------------------------------------------------------------


@transaction.atomic
def knowledge_risk_rebuild(*, today: dt.date | None = None) -> int:
    """Every figure from scratch, the retirement map's too (after each full gap run, and when positions change
    criticality). Returns the knowledge-at-risk own rows."""
    today = today or timezone.localdate()
    _lock()
    KnowledgeRisk.objects.all().delete()
    own = KnowledgeRisk.objects.bulk_create(_own_rows(None, today), batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute(_SUBTREE.format(where=""), [True, False])
    _retirements_rebuild(today)
    return len(own)


@transaction.atomic
def knowledge_risk_refresh_units(unit_ids: Iterable[int], *, today: dt.date | None = None) -> int:
    """The own rows of ``unit_ids`` recounted, then the subtree rows of those units and their ancestors; the same for
    the retirement map (an employee's retirement date, position or unit changed: the gap engine's refresh of their
    units queues this). Returns the knowledge-at-risk own rows written."""
    today = today or timezone.localdate()
    unit_ids = sorted({int(u) for u in unit_ids if u})
    if not unit_ids:
        return 0
    _lock()
    KnowledgeRisk.objects.filter(unit_id__in=unit_ids, subtree=False).delete()
    own = KnowledgeRisk.objects.bulk_create(_own_rows(unit_ids, today), batch_size=2000)
    ancestors = sorted(_ancestors(unit_ids))
    KnowledgeRisk.objects.filter(unit_id__in=ancestors, subtree=True).delete()
    if ancestors:
        marks = ", ".join(["%s"] * len(ancestors))
        with connection.cursor() as cursor:
            cursor.execute(_SUBTREE.format(where=f"AND a.id IN ({marks})"), [True, False, *ancestors])
    _retirements_refresh(unit_ids, ancestors, today)
    return len(own)
