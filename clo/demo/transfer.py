"""The demo's knowledge-transfer plans: about two thirds of the holders of critical positions who retire within the
horizon get a plan (the others wait for one), and two holders of the directora's area leave their position for
another post. Each plan has a successor from the holder's unit and four handover items (one done, one overdue, one
due this week, one later); the first plan's shadowing session is validated as evidence. Written through the talent services, as a person
would; a few dozen rows whatever the size of the demo."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from clo.demo.world import World
from clo.people.models import Employee
from clo.talent.selectors.transfer import critical_holders, holders_without_transfer_plan, horizon_end
from clo.talent.services import transfer as services
from competencies.models import Requirement

MAX_PLANS = 15


def _successor(holder: Employee) -> Employee | None:
    colleagues = Employee.objects.filter(active=True, blocked_at__isnull=True).exclude(pk=holder.pk)
    return (colleagues.filter(unit_id=holder.unit_id).order_by("hire_date", "pk").first()
            or colleagues.filter(unit_id=holder.unit.parent_id).order_by("hire_date", "pk").first())


def _due(leaving_on: dt.date, day: dt.date) -> dt.date:
    return min(day, leaving_on - dt.timedelta(days=1))


def build_transfer_plans(w: World) -> int:
    today = w.today
    soon = today + dt.timedelta(days=30)
    area = w.unit_paths[w.unit_by_code["SP"]] if "SP" in w.unit_by_code else "/"
    needing = list(holders_without_transfer_plan(today=today).filter(expected_retirement_date__gt=soon)
                   .select_related("unit").order_by("expected_retirement_date", "pk"))
    in_area = [holder for holder in needing if holder.unit.path.startswith(area)]
    elsewhere = [holder for holder in needing if not holder.unit.path.startswith(area)]
    retiring = in_area[: len(in_area) * 2 // 3] + elsewhere[: len(elsewhere) * 2 // 3]  # the rest wait for a plan
    # Two holders of the directora's area (or, failing that, anywhere) leave their critical position for another
    # post in five months: a plan is not only for retirements.
    staying = critical_holders().exclude(pk__in=[holder.pk for holder in needing]).filter(
        expected_retirement_date__gt=horizon_end(today=today)).select_related("unit").order_by("pk")
    leaving = (list(staying.filter(unit__path__startswith=area)[:2]) or list(staying[:2]))
    chosen = [(holder, "retirement", None) for holder in retiring[:MAX_PLANS]]
    chosen += [(holder, "departure", today + dt.timedelta(days=150)) for holder in leaving]
    author = get_user_model().objects.filter(username="clo").first()
    made = 0
    for index, (holder, reason, leaving_on) in enumerate(chosen):
        successor = _successor(holder)
        if successor is None:
            continue
        plan = services.transfer_plan_create(holder=holder, successor=successor, leaving_on=leaving_on,
                                             reason=reason, created_by=author, today=today)
        leaving_date = plan.leaving_on
        requirement = (Requirement.objects.filter(position_id=holder.position_id).select_related("competency")
                       .order_by("-is_critical", "-weight", "pk").first())
        done = services.handover_item_add(
            plan=plan, kind="procedure", title="Procediment d'expedients del servei, pas a pas",
            due_on=_due(leaving_date, today - dt.timedelta(days=10)))
        services.handover_item_mark_done(item=done, today=today - dt.timedelta(days=12))
        services.handover_item_add(plan=plan, kind="contact", title="Interlocutors a la Diputació i a la Generalitat",
                                   due_on=_due(leaving_date, today - dt.timedelta(days=3 + index % 4)))
        shadowing = services.handover_item_add(
            plan=plan, kind="shadowing", title="Acompanyament a les comissions i reunions de coordinació",
            due_on=_due(leaving_date, today + dt.timedelta(days=5)),
            competency=requirement.competency if requirement else None,
            level=requirement.required_level if requirement else None)
        services.handover_item_add(plan=plan, kind="document", title="Arxiu de convenis i contractes vigents",
                                   due_on=_due(leaving_date, leaving_date - dt.timedelta(days=30)))
        if index == 0 and requirement is not None:
            services.handover_item_mark_done(item=shadowing, today=today - dt.timedelta(days=1))
            services.handover_item_validate(item=shadowing, validated_by=author, today=today)
        made += 1
    return made
