"""A plain-Python oracle of the gap engine, written from the rules in ``evaluations/gaps/__init__.py`` and nothing else:
no SQL, no engine code. It reads the inputs with the ORM and computes, row by row, what the engine must have stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F

from clo.people.models import Employee, OrgUnit
from competencies.models import Competency, Framework, Requirement
from evaluations.models import (
    Assessment,
    CurrentLevel,
    Evidence,
    Rating,
    UnitAreaGap,
    UnitCompetencyGap,
    UnitGroupCompetencyGap,
)
from programs.models import Enrolment, ProgramCompetency

FIGURES = ("people", "people_with_gap", "people_not_assessed", "requirements", "requirements_met", "not_assessed",
           "gap_sum", "weight_sum", "weighted_gap_sum", "critical_gaps")
RANKED = {("manager", "validated"): 4, ("manager", "submitted"): 3, ("self", "validated"): 2, ("self", "submitted"): 1}
# Ties on date and level: project > average > import > training > manager > self.
SOURCE_ORDER = {"self": 1, "manager": 2, "training": 3, "import": 4, "average": 5, "project": 6}
# Recorded as rows of Evidence: imported levels and challenge-project ratings (the latter rank like a validated
# manager rating and expire like one, whatever their own expiry says).
EVIDENCE_SOURCES = ("import", "project")


def plus_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def evidence_by_pair(imports: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """Every piece of evidence, as dicts {source, level, day, expires, rank}, before the validity check."""
    frameworks = {f.pk: f for f in Framework.objects.all()}
    framework_of = dict(Competency.objects.values_list("pk", "framework_id"))
    found: dict[tuple[int, int], list[dict]] = defaultdict(list)

    def add(employee, competency, source, level, day, rank, expires=None):
        months = frameworks[framework_of[competency]].evidence_validity_months
        found[(employee, competency)].append({
            "source": source, "level": level, "day": day, "rank": rank,
            "expires": expires if expires is not None else plus_months(day, months),
        })

    assessments = {a.pk: a for a in Assessment.objects.all()}
    for rating in Rating.objects.all():
        a = assessments[rating.assessment_id]
        if a.status == "draft" or a.role == "peer" or a.submitted_at is None:
            continue
        if a.role == "self":
            own_level = rating.original_level if rating.original_level is not None else rating.level
            add(a.employee_id, rating.competency_id, "self", own_level, local_day(a.submitted_at),
                RANKED[("self", a.status)])
            if a.status == "validated" and a.validated_at:  # the manager's validation is the manager's rating
                add(a.employee_id, rating.competency_id, "manager", rating.level, local_day(a.validated_at), 4)
            continue
        moment = a.validated_at if a.status == "validated" and a.validated_at else a.submitted_at
        add(a.employee_id, rating.competency_id, a.role, rating.level, local_day(moment), RANKED[(a.role, a.status)])
    certified = defaultdict(list)
    for pc in ProgramCompetency.objects.all():
        certified[pc.program_id].append(pc)
    for enrolment in Enrolment.objects.select_related("session"):
        if enrolment.status != "completed" or enrolment.completed_on is None:
            continue
        for pc in certified[enrolment.session.program_id]:
            add(enrolment.employee_id, pc.competency_id, "training", pc.level_reached, enrolment.completed_on, 4)
    for row in imports:
        source = row.get("source", "import")
        add(row["employee_id"], row["competency_id"], source, row["level"], row["assessed_on"], 4,
            expires=row["expires_on"] if source == "import" else None)
    return found


def consolidate(today: dt.date, imports: list[dict]) -> dict[tuple[int, int], dict]:
    """(employee, competency) -> {level, source, assessed_on, expires_on} after consolidation on ``today``.
    ``imports``: every imported level ever recorded (each its own piece of evidence: one that was outranked counts
    again once what outranked it expires)."""
    rules = {c: rule for c, rule in Competency.objects.values_list("pk", "framework__consolidation_rule")}
    months = {c: m for c, m in Competency.objects.values_list("pk", "framework__evidence_validity_months")}
    result = {}
    for (employee, competency), items in evidence_by_pair(imports).items():
        valid = [e for e in items if e["expires"] > today]
        rule = rules[competency]
        if rule in ("manager_over_self", "manager_only"):
            if rule == "manager_only":
                valid = [e for e in valid if e["source"] != "self"]
            if not valid:
                continue
            best = max(valid, key=lambda e: (e["rank"], e["day"], e["level"], SOURCE_ORDER[e["source"]]))
            chosen = {"level": best["level"], "source": best["source"], "assessed_on": best["day"],
                      "expires_on": best["expires"]}
        else:  # average_self_manager
            newest = {}
            for side in ("self", "manager"):
                mine = [e for e in valid if e["source"] == side]
                if mine:
                    newest[side] = max(mine, key=lambda e: (e["day"], e["level"]))
            candidates = []
            if len(newest) == 2:
                s, m = newest["self"], newest["manager"]
                candidates.append({
                    "level": (s["level"] + m["level"]) // 2, "source": "average", "day": max(s["day"], m["day"]),
                    "expires": plus_months(min(s["day"], m["day"]), months[competency]),
                })
            elif newest:
                candidates.append(next(iter(newest.values())))
            candidates += [e for e in valid if e["source"] in ("training", "import", "project")]
            if not candidates:
                continue
            best = max(candidates, key=lambda e: (e["day"], e["level"], SOURCE_ORDER[e["source"]]))
            chosen = {"level": best["level"], "source": best["source"], "assessed_on": best["day"],
                      "expires_on": best["expires"]}
        result[(employee, competency)] = chosen
    return result


def imported_levels() -> list[dict]:
    """The imported levels and challenge-project ratings, as the test recorded them (each one its own piece of
    evidence)."""
    return list(Evidence.objects.filter(source__in=EVIDENCE_SOURCES).values(
        "employee_id", "competency_id", "level", "expires_on", "source", assessed_on=F("evidenced_on")))


def stored_levels() -> dict[tuple[int, int], dict]:
    return {
        (r["employee_id"], r["competency_id"]): {k: r[k] for k in ("level", "source", "assessed_on", "expires_on")}
        for r in CurrentLevel.objects.values("employee_id", "competency_id", "level", "source", "assessed_on",
                                             "expires_on")
    }


def gaps(levels: dict[tuple[int, int], dict]) -> dict[tuple[int, int], dict]:
    """(employee, requirement) -> the figures of one gap."""
    by_position = defaultdict(list)
    for r in Requirement.objects.select_related("competency__framework"):
        if r.competency.framework.status != "archived":
            by_position[r.position_id].append(r)
    result = {}
    for employee in Employee.objects.filter(active=True).select_related("position"):
        for r in by_position[employee.position_id]:
            level = levels.get((employee.pk, r.competency_id))
            current = level["level"] if level else 0
            result[(employee.pk, r.pk)] = {
                "employee": employee.pk, "unit": employee.unit_id, "group": employee.position.group,
                "competency": r.competency_id,
                "area": r.competency.area_id, "required_level": r.required_level, "current_level": current,
                "not_assessed": level is None, "gap": max(r.required_level - current, 0), "weight": r.weight,
                "is_critical": r.is_critical,
            }
    return result


def _figures(pairs: list[dict]) -> dict:
    people = {p["employee"] for p in pairs}
    return {
        "people": len(people),
        "people_with_gap": len({p["employee"] for p in pairs if p["gap"] > 0}),
        "people_not_assessed": len({p["employee"] for p in pairs if p["not_assessed"]}),
        "requirements": len(pairs),
        "requirements_met": sum(1 for p in pairs if p["gap"] == 0),
        "not_assessed": sum(1 for p in pairs if p["not_assessed"]),
        "gap_sum": sum(p["gap"] for p in pairs),
        "weight_sum": sum(p["weight"] for p in pairs),
        "weighted_gap_sum": sum(p["gap"] * p["weight"] for p in pairs),
        "critical_gaps": sum(1 for p in pairs if p["is_critical"] and p["gap"] > 0),
    }


def rollups(gap_rows: dict) -> tuple[dict, dict, dict, dict]:
    """(per unit × subtree × competency, per unit × subtree × area, whole organisation, per unit × subtree ×
    position group × competency)."""
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    area_of = dict(Competency.objects.values_list("pk", "area_id"))
    by_competency, by_area, by_group = defaultdict(list), defaultdict(list), defaultdict(list)
    for unit, path in paths.items():
        for p in gap_rows.values():
            own = p["unit"] == unit
            below = paths[p["unit"]].startswith(path)
            for subtree, included in ((False, own), (True, below)):
                if included:
                    by_competency[(unit, subtree, p["competency"])].append(p)
                    by_area[(unit, subtree, p["area"])].append(p)
                    by_group[(unit, subtree, p["group"], p["competency"])].append(p)
    competency_rows = {k: {**_figures(v), "area_id": area_of[k[2]]} for k, v in by_competency.items()}
    area_rows = {k: _figures(v) for k, v in by_area.items()}
    group_rows = {k: {**_figures(v), "area_id": area_of[k[3]]} for k, v in by_group.items()}
    return competency_rows, area_rows, _figures(list(gap_rows.values())), group_rows


def stored_rollups() -> tuple[dict, dict, dict]:
    competency_rows = {
        (r.unit_id, r.subtree, r.competency_id): {**{f: getattr(r, f) for f in FIGURES}, "area_id": r.area_id}
        for r in UnitCompetencyGap.objects.all()
    }
    area_rows = {
        (r.unit_id, r.subtree, r.area_id): {f: getattr(r, f) for f in FIGURES} for r in UnitAreaGap.objects.all()
    }
    group_rows = {
        (r.unit_id, r.subtree, r.position_group, r.competency_id): {**{f: getattr(r, f) for f in FIGURES},
                                                                    "area_id": r.area_id}
        for r in UnitGroupCompetencyGap.objects.all()
    }
    return competency_rows, area_rows, group_rows
