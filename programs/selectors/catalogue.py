"""Reads of the catalogue: the programs ranked by what they do for a person's open gaps, a program's gap notes, and
the interest people registered in programs without a session for them.

Every function runs a fixed number of queries whatever the size of the organisation or of the catalogue page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from programs.models import Program, ProgramCompetency, ProgramInterest, Session

# Catalogue ranking of a program for one employee (higher first).
CLOSES_CRITICAL, CLOSES, NARROWS, UNRELATED = 3, 2, 1, 0


def _gap_rank(employee_id: int | None):
    """An expression ranking a program by what it does for ``employee_id``'s open gaps."""
    if not employee_id:
        return Value(UNRELATED, output_field=IntegerField())
    from evaluations.gaps.selectors import employee_gaps

    def develops(**gap_filter):
        gaps = employee_gaps(employee_id).filter(gap__gt=0, competency_id=OuterRef("competency_id"), **gap_filter)
        return Exists(ProgramCompetency.objects.filter(Exists(gaps), program=OuterRef("pk")))

    return Case(
        When(develops(is_critical=True, required_level__lte=OuterRef("level_reached")), then=Value(CLOSES_CRITICAL)),
        When(develops(required_level__lte=OuterRef("level_reached")), then=Value(CLOSES)),
        When(develops(current_level__lt=OuterRef("level_reached")), then=Value(NARROWS)),
        default=Value(UNRELATED),
        output_field=IntegerField(),
    )


def catalogue(*, employee_id: int | None, now: dt.datetime, text: str = "", modality: str = "",
              gaps_only: bool = False, include_inactive: bool = False) -> QuerySet:
    """Programs of the catalogue, those that close ``employee_id``'s gaps first (critical ones first), then by the
    soonest upcoming session. Annotated with ``rank`` and ``next_session``."""
    programs = Program.objects.all() if include_inactive else Program.objects.filter(active=True)
    if text:  # in any language the texts are written in
        condition = Q(code__icontains=text)
        for language, _name in settings.LANGUAGES:
            condition |= Q(**{f"title_{language}__icontains": text}) | Q(**{f"objectives_{language}__icontains": text})
        programs = programs.filter(condition)
    if modality:
        programs = programs.filter(modality=modality)
    programs = programs.annotate(
        rank=_gap_rank(employee_id),
        next_session=Subquery(
            Session.objects.filter(program=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__gt=now)
            .order_by("starts_at").values("starts_at")[:1]
        ),
    )
    if gaps_only:
        programs = programs.filter(rank__gt=UNRELATED)
    developed = ProgramCompetency.objects.select_related("competency").order_by("competency__code")
    return programs.prefetch_related(Prefetch("developed", queryset=developed)).order_by(
        "-rank", F("next_session").asc(nulls_last=True), "code"
    )


def program_gap_notes(program: Program, employee_id: int | None) -> dict[int, object]:
    """``{competency_id: Gap}`` of the employee's open gaps among the competencies ``program`` develops. One query."""
    if not employee_id:
        return {}
    from evaluations.gaps.selectors import employee_gaps

    competency_ids = program.developed.values("competency_id")
    return {g.competency_id: g for g in employee_gaps(employee_id).filter(gap__gt=0, competency_id__in=competency_ids)}


# --- Interest in programs without a session --------------------------------------------------------------------


def has_interest(employee_id: int | None, program_id: int) -> bool:
    """Whether ``employee_id`` has registered their interest in the program. One query (none for nobody)."""
    if not employee_id:
        return False
    return ProgramInterest.objects.filter(employee_id=employee_id, program_id=program_id).exists()


def interest_demand(*, limit: int = 50) -> list[Program]:
    """The programs people have registered interest in, most wanted first, each with ``interested`` (people) and
    ``upcoming`` (scheduled sessions still to start): the demand the needs campaign does not show otherwise. One
    query."""
    upcoming = Session.objects.filter(program=OuterRef("pk"), status=Session.Status.SCHEDULED,
                                      starts_at__gt=timezone.now())
    return list(
        Program.objects.annotate(interested=Count("interests"))
        .filter(interested__gt=0)
        .annotate(upcoming=Exists(upcoming))
        .order_by("-interested", "title", "pk")[:limit]
    )


def interest_counts(program_ids) -> dict[int, int]:
    """People who registered interest, per program of ``program_ids``. One query (none for no program)."""
    ids = [pk for pk in program_ids if pk]
    if not ids:
        return {}
    rows = (ProgramInterest.objects.filter(program_id__in=ids).order_by().values("program_id")
            .annotate(n=Count("pk")).values_list("program_id", "n"))
    return dict(rows)
