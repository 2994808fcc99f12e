"""The demo council's successor pools and one talent review, built after the gap analysis (the fit reads the
current levels) through the talent services, as HR and the learning office would on screen."""

from __future__ import annotations

import random

from django.db import transaction

from clo.demo.world import World
from clo.people.models import Employee, OrgUnit, Position
from clo.talent.models import PotentialRating
from clo.talent.models.reviews import Band
from clo.talent.selectors.pools import best_fitting
from clo.talent.services import pools as pool_services
from clo.talent.services import reviews as review_services

POOLS = 6  # critical positions that get a pool
REVIEW_PEOPLE = 40


@transaction.atomic
def build_pools_and_review(w: World) -> dict[str, int]:
    rng = random.Random(w.seed + 17)
    counts = {"successors": 0, "potential_ratings": 0}
    positions = Position.objects.filter(is_critical=True, active=True, requirements__isnull=False).distinct()
    for position in positions.order_by("pk")[:POOLS]:
        for rank, candidate in enumerate(best_fitting(position, Employee.objects.active(), limit=3,
                                                      today=w.today)):
            successor = pool_services.successor_nominate(position=position, employee=candidate.employee, by=None)
            counts["successors"] += 1
            if rank < 2:
                pool_services.successor_confirm(successor=successor, by=None)
            if rank == 0:
                pool_services.successor_mark_emergency(successor=successor)
                pool_services.successor_plan_build(successor=successor)
    area = OrgUnit.objects.filter(active=True, parent__isnull=False, parent__parent__isnull=True).order_by("path")
    unit = area.first()
    if unit is None:
        return counts
    review = review_services.talent_review_open(name=f"Revisió de talent {w.today.year}", unit=unit, by=None)
    people = list(Employee.objects.active().in_units([unit.path]).order_by("pk")[:REVIEW_PEOPLE])
    for person in people:
        review_services.potential_rate(review=review, employee=person, by=None,
                                       potential=rng.choices(Band.values, weights=(5, 3, 2))[0])
        counts["potential_ratings"] += 1
    review_services.talent_review_set_status(review=review, status="calibrating")
    for rating in PotentialRating.objects.filter(review=review).select_related("review")[: len(people) * 3 // 4]:
        performance = rating.performance or rng.choice(Band.values)
        review_services.potential_calibrate(rating=rating, potential=rating.potential, performance=performance,
                                            by=None)
    return counts
