"""Phase 3: assessment campaigns, each employee's assessments and ratings, the consolidated current levels and
learning plans — generated employee by employee in chunks, so memory stays flat whatever the size.

Every employee has a latent level per required competency, spread around the requirement (about a third below
it). Self-ratings lean upwards, manager ratings scatter a little; the current level is the validated manager
rating where there is one, else the self-rating (the frameworks' "manager over self" rule), dated the day the
rating that counts was given and valid for the framework's evidence period (36 months).
"""

from __future__ import annotations

import datetime as dt

from competencies.models import Framework
from evaluations.models import Assessment, AssessmentCampaign, CurrentLevel, Rating
from clo.demo import catalogue as cat
from clo.demo.training import _lower
from clo.demo.world import DAY, EPOCH_ORDINAL, Stamps, World, at, seconds
from programs.models import LearningPlan, LearningPlanItem

CHUNK = 10_000
ASSESSMENT_FIELDS = [
    "id",
    "campaign",
    "employee",
    "assessor",
    "role",
    "status",
    "submitted_at",
    "validated_at",
    "validated_by",
]
RATING_FIELDS = [
    "id",
    "assessment",
    "competency",
    "level",
    "evidence",
    "comment",
    "original_level",
    "adjustment_reason",
]
LEVEL_FIELDS = ["id", "employee", "competency", "level", "source", "assessed_on", "expires_on"]
PLAN_FIELDS = ["id", "employee", "period_start", "period_end", "goal", "status", "generated_at"]
ITEM_FIELDS = [
    "id",
    "plan",
    "kind",
    "program",
    "title",
    "competency",
    "target_level",
    "due_date",
    "status",
    "origin",
    "edited",
]
ACTIVITY_KINDS = ("mentoring", "job_rotation", "challenge", "other")


def build_campaigns(w: World) -> None:
    year, today = w.year, w.today
    past_open = dt.date(year - 1, 3, 1)
    current_open = today - dt.timedelta(days=30)
    first = w.loader.ids(AssessmentCampaign, 2)
    w.campaign_ids = {"past": first, "current": first + 1}
    w.loader.insert(
        AssessmentCampaign,
        [
            "id",
            "name",
            "kind",
            "period_start",
            "period_end",
            "opens_on",
            "closes_on",
            "status",
            "peer_anonymity_threshold",
            "created_at",
        ],
        [
            (
                first,
                f"Avaluació de competències {year - 1}",
                "self_manager",
                dt.date(year - 1, 1, 1),
                dt.date(year - 1, 12, 31),
                past_open,
                dt.date(year - 1, 4, 30),
                "closed",
                3,
                at(past_open - dt.timedelta(days=20), 9),
            ),
            (
                first + 1,
                f"Avaluació de competències {year}",
                "self_manager",
                dt.date(year, 1, 1),
                dt.date(year, 12, 31),
                current_open,
                today + dt.timedelta(days=45),
                "open",
                3,
                at(current_open - dt.timedelta(days=14), 9),
            ),
        ],
    )
    frameworks = sorted({info.framework for info in w.competencies.values()})
    framework_ids = list(
        Framework.objects.filter(code__in=frameworks).order_by("code").values_list("id", flat=True)
    )
    through = AssessmentCampaign.frameworks.through
    start = w.loader.ids(through, 2 * len(framework_ids))
    w.loader.insert(
        through,
        ["id", "assessmentcampaign", "framework"],
        [
            (start + k, campaign, fid)
            for k, (campaign, fid) in enumerate((c, f) for c in (first, first + 1) for f in framework_ids)
        ],
    )
    through = AssessmentCampaign.units.through
    start = w.loader.ids(through, 2)
    w.loader.insert(
        through,
        ["id", "assessmentcampaign", "orgunit"],
        [(start, first, w.unit_ids[0]), (start + 1, first + 1, w.unit_ids[0])],
    )


def build_development(w: World) -> None:
    rng = w.rng("development")
    r, choice = rng.random, rng.choice
    loader = w.loader
    assessments, ratings, levels_seq = (loader.sequence(m) for m in (Assessment, Rating, CurrentLevel))
    plans_seq, items_seq = loader.sequence(LearningPlan), loader.sequence(LearningPlanItem)
    stamps = Stamps()
    stamp, day_text, months_after = stamps.at, stamps.day, stamps.day_after_months
    year, today = w.year, w.today
    past_campaign, current_campaign = w.campaign_ids["past"], w.campaign_ids["current"]
    past_open = seconds(at(dt.date(year - 1, 3, 1), 7))
    past_open_day = past_open // DAY + EPOCH_ORDINAL
    current_open = seconds(at(today - dt.timedelta(days=30), 7))
    period_start, period_end = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    start_text, end_text = day_text(period_start), day_text(period_end)
    generated_at = stamp(min(seconds(at(dt.date(year, 1, 15), 9)), seconds(w.now) - DAY))
    today_ordinal = today.toordinal()
    scale_of = w.scale_of
    validity = {cid: info.validity_months for cid, info in w.competencies.items()}
    names = {cid: _lower(info.names[0]) for cid, info in w.competencies.items()}
    program_ids = [p.id for p in w.programs]
    by_competency = w.programs_by_competency
    forced = {w.personas[name] for name in ("empleat", "clo", "rrhh", "directora")}  # the logins show an assessment and a plan
    positions, employee_position, employee_manager = w.positions, w.employee_position, w.employee_manager
    employee_hired, first_employee = w.employee_hired, w.first_employee_id

    def self_bias() -> int:
        x = r()
        return -1 if x < 0.10 else 0 if x < 0.65 else 1

    def manager_noise() -> int:
        x = r()
        return -1 if x < 0.12 else 0 if x < 0.88 else 1

    for low in range(0, w.size, CHUNK):
        a_rows, r_rows, c_rows, p_rows, i_rows = [], [], [], [], []
        for i in range(low, min(w.size, low + CHUNK)):
            position = positions[employee_position[i]]
            reqs = position.requirements
            n = len(reqs)
            employee = first_employee + i
            manager_index = employee_manager[i]
            manager = first_employee + manager_index if manager_index >= 0 else None
            upper_index = employee_manager[manager_index] if manager_index >= 0 else -1
            validator = first_employee + upper_index if upper_index >= 0 else manager
            must = i in forced
            true = []
            for cid, required, _ in reqs:
                x = r()
                t = required + (
                    -2 if x < 0.07 else -1 if x < 0.33 else 0 if x < 0.78 else 1 if x < 0.96 else 2
                )
                top = len(scale_of[cid]) - 1
                true.append(0 if t < 0 else top if t > top else t)
            counted: dict[int, tuple[int, str, int]] = {}  # competency → (level, source, day ordinal)

            # -- last year's campaign (closed): self-assessment validated by the manager, and the manager's --
            if employee_hired[i] < past_open_day and (must or r() < 0.5):
                share = 0.5 + 0.4 * r()
                picked = [j for j in range(n) if r() < share] or [int(r() * n)]
                self_at = past_open + int(r() * 40 * DAY)
                self_id = assessments.next
                assessments.next += 1
                if manager:
                    manager_at = self_at + int((1 + 11 * r()) * DAY)
                    validated_at = manager_at + int(3 * r() * DAY)
                    validated_day = validated_at // DAY + EPOCH_ORDINAL
                    manager_id = assessments.next
                    assessments.next += 1
                    a_rows.append(
                        (
                            self_id,
                            past_campaign,
                            employee,
                            employee,
                            "self",
                            "validated",
                            stamp(self_at),
                            stamp(validated_at),
                            manager,
                        )
                    )
                    a_rows.append(
                        (
                            manager_id,
                            past_campaign,
                            employee,
                            manager,
                            "manager",
                            "validated",
                            stamp(manager_at),
                            stamp(validated_at),
                            validator,
                        )
                    )
                else:
                    a_rows.append(
                        (
                            self_id,
                            past_campaign,
                            employee,
                            employee,
                            "self",
                            "submitted",
                            stamp(self_at),
                            None,
                            None,
                        )
                    )
                for j in picked:
                    cid = reqs[j][0]
                    ext = scale_of[cid]
                    top = len(ext) - 1
                    t = true[j] - (1 if r() < 0.3 else 0)
                    s = t + self_bias()
                    s = 0 if s < 0 else top if s > top else s
                    r_rows.append((ratings.next, self_id, cid, ext[s], "", "", None, ""))
                    ratings.next += 1
                    if manager:
                        m = t + manager_noise()
                        m = 0 if m < 0 else top if m > top else m
                        r_rows.append((ratings.next, manager_id, cid, ext[m], "", "", None, ""))
                        ratings.next += 1
                        counted[cid] = (ext[m], "manager", validated_day)
                    else:
                        counted[cid] = (ext[s], "self", self_at // DAY + EPOCH_ORDINAL)

            # -- this year's campaign (open): some drafts, some managers still to rate or validate --
            if must or r() < 0.72:
                draft = not must and r() < 0.12
                share = (0.5 + 0.4 * r()) / (2 if draft else 1)
                picked = [j for j in range(n) if r() < share] or [int(r() * n)]
                self_at = current_open + int(r() * 25 * DAY)
                self_day = self_at // DAY + EPOCH_ORDINAL
                rated_by_manager = bool(manager) and not draft and (must or r() < 0.78)
                validated = rated_by_manager and (must or r() < 0.7)
                self_id = assessments.next
                assessments.next += 1
                if rated_by_manager:
                    manager_at = self_at + int((0.2 + 2.8 * r()) * DAY)
                    validated_at = manager_at + int((1 + 19 * r()) * 3600) if validated else None
                    manager_id = assessments.next
                    assessments.next += 1
                if draft:
                    a_rows.append(
                        (self_id, current_campaign, employee, employee, "self", "draft", None, None, None)
                    )
                elif validated:
                    validated_day = validated_at // DAY + EPOCH_ORDINAL
                    a_rows.append(
                        (
                            self_id,
                            current_campaign,
                            employee,
                            employee,
                            "self",
                            "validated",
                            stamp(self_at),
                            stamp(validated_at),
                            manager,
                        )
                    )
                else:
                    a_rows.append(
                        (
                            self_id,
                            current_campaign,
                            employee,
                            employee,
                            "self",
                            "submitted",
                            stamp(self_at),
                            None,
                            None,
                        )
                    )
                if rated_by_manager:
                    a_rows.append(
                        (
                            manager_id,
                            current_campaign,
                            employee,
                            manager,
                            "manager",
                            "validated" if validated else "submitted",
                            stamp(manager_at),
                            stamp(validated_at) if validated else None,
                            validator if validated else None,
                        )
                    )
                for j in picked:
                    cid = reqs[j][0]
                    ext = scale_of[cid]
                    top = len(ext) - 1
                    s = true[j] + self_bias()
                    s = 0 if s < 0 else top if s > top else s
                    original, reason = None, ""
                    if rated_by_manager:
                        m = true[j] + manager_noise()
                        m = 0 if m < 0 else top if m > top else m
                        r_rows.append((ratings.next, manager_id, cid, ext[m], "", "", None, ""))
                        ratings.next += 1
                        if validated and m != s and r() < 0.2:
                            original, reason, s = ext[s], choice(cat.ADJUSTMENT_REASONS), m
                    r_rows.append((ratings.next, self_id, cid, ext[s], "", "", original, reason))
                    ratings.next += 1
                    if draft:
                        continue
                    if validated:
                        counted[cid] = (ext[m], "manager", validated_day)
                    else:
                        counted[cid] = (ext[s], "self", self_day)

            for cid, (value, source, assessed_on) in counted.items():
                c_rows.append(
                    (
                        levels_seq.next,
                        employee,
                        cid,
                        value,
                        source,
                        day_text(assessed_on),
                        months_after(assessed_on, validity[cid]),
                    )
                )
                levels_seq.next += 1

            # -- a learning plan for this year, from the gaps (some people have one without gaps) --
            gaps = []
            for j, (cid, required, weight) in enumerate(reqs):
                have = counted.get(cid)
                if have is not None and have[0] < scale_of[cid][required]:
                    gaps.append((weight, j))
            if not (must or (gaps and r() < 0.3) or r() < 0.05):
                continue
            gaps.sort(reverse=True)
            targets = [(reqs[j][0], scale_of[reqs[j][0]][reqs[j][1]]) for _, j in gaps[:3]]
            for cid, required, _ in reqs:
                if len(targets) >= 2:
                    break
                ext = scale_of[cid]
                if required + 1 < len(ext) and all(cid != c for c, _ in targets):
                    targets.append((cid, ext[required + 1]))
            if not targets:
                continue
            plan_id = plans_seq.next
            plans_seq.next += 1
            p_rows.append(
                (
                    plan_id,
                    employee,
                    start_text,
                    end_text,
                    cat.PLAN_GOAL.format(position=_lower(position.title), competency=names[targets[0][0]]),
                    "active" if must or r() < 0.85 else "draft",
                    generated_at,
                )
            )
            for cid, target in targets:
                programs = by_competency.get(cid)
                if programs and r() < 0.7:
                    kind, program, title = "program", program_ids[choice(programs)], ""
                else:
                    kind = choice(ACTIVITY_KINDS)
                    program, title = None, cat.ACTIVITIES[kind].format(competency=names[cid])[:200]
                due = period_start + 30 + int(r() * 334)
                x = r()
                if due < today_ordinal:
                    status = (
                        "done"
                        if x < 0.55
                        else "in_progress"
                        if x < 0.85
                        else "planned"
                        if x < 0.97
                        else "retired"
                    )
                else:
                    status = "planned" if x < 0.7 else "in_progress"
                manual = r() < 0.25
                i_rows.append(
                    (
                        items_seq.next,
                        plan_id,
                        kind,
                        program,
                        title,
                        cid,
                        target,
                        day_text(due),
                        status,
                        "manual" if manual else "generated",
                        manual or r() < 0.1,
                    )
                )
                items_seq.next += 1
        loader.insert(Assessment, ASSESSMENT_FIELDS, a_rows)
        loader.insert(Rating, RATING_FIELDS, r_rows)
        loader.insert(CurrentLevel, LEVEL_FIELDS, c_rows)
        loader.insert(LearningPlan, PLAN_FIELDS, p_rows)
        loader.insert(LearningPlanItem, ITEM_FIELDS, i_rows)
