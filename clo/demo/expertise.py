"""The demo's expertise directory: about one in four people with a validated level at the top of a competency's
scale choose to appear (as mentors, trainers or advisers, in turn), so the directory answers a search on a fresh
demo. Written through the talent service, as a person would, so each has the record of their consent. The logins'
own people are left out: "empleat" finds the directory's opt-in form as a new colleague would. At most a few dozen
rows whatever the size of the demo."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from clo.demo.accounts import USERNAMES
from clo.demo.world import World
from clo.talent.selectors.expertise import VALIDATED_SOURCES
from clo.talent.services.expertise import expertise_listing_save
from evaluations.models import CurrentLevel

MAX_LISTED = 40
NOTES = (
    "Puc explicar-vos com ho fem al servei, amb exemples reals.",
    "Disponible per a consultes puntuals i per acompanyar persones que comencen.",
    "He fet formació interna sobre aquest tema; us puc passar els materials.",
    "",
)


def build_expertise_listings(w: World) -> int:
    top = (CurrentLevel.objects.filter(source__in=VALIDATED_SOURCES, employee__active=True)
           .values("competency_id").annotate(top=Max("level")))
    top_of = {row["competency_id"]: row["top"] for row in top}
    experts = (CurrentLevel.objects.filter(source__in=VALIDATED_SOURCES, employee__active=True, level__gte=3)
               .exclude(employee__user__username__in=USERNAMES)
               .values_list("employee_id", "competency_id", "level").order_by("employee_id", "competency_id"))
    chosen: list[int] = []
    candidates = 0  # one in four of the experts, counted in order (never by id: ids differ between seeds)
    for employee_id, competency_id, level in experts.iterator():
        if level >= top_of.get(competency_id, 99) and employee_id not in chosen:
            candidates += 1
            if candidates % 4 == w.seed % 4:
                chosen.append(employee_id)
                if len(chosen) >= MAX_LISTED:
                    break
    now = timezone.make_aware(dt.datetime.combine(w.today, dt.time(9))) - dt.timedelta(days=20)
    for index, employee_id in enumerate(chosen):
        expertise_listing_save(employee_id=employee_id, listed=True, as_mentor=index % 3 == 0,
                               as_trainer=index % 3 == 1, as_adviser=index % 3 != 1,
                               note=NOTES[index % len(NOTES)], hidden_competency_ids=[],
                               now=now + dt.timedelta(hours=index))
    return len(chosen)
