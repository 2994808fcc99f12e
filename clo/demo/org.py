"""Phase 1: the unit tree, the positions of every unit and each position's competency requirements."""

from __future__ import annotations

from clo.people.models import OrgUnit, Position
from competencies.models import Requirement
from clo.demo import frameworks as fw
from clo.demo.organisation import FAMILIES, HEAD_FAMILY, head_group, head_title, plan_units
from clo.demo.world import PositionInfo, World

# Where on its scale a position's requirement sits, by civil-service group (0 = lowest level, 1 = highest).
GROUP_HEIGHT = {"AP": 0.12, "C2": 0.25, "C1": 0.4, "A2": 0.55, "A1": 0.7}
HEAD_DIGITAL = ("1.3", "2.1", "2.4", "5.2", "4.2")
PROFILES_PER_TITLE = 3


# Why a demo position is critical, by criticality (succession: clo.talent).
CRITICAL_REASONS = {
    1: "Coneixement especialitzat que poques persones tenen a la unitat.",
    2: "Lloc de comandament o tècnic clau: sense relleu, el servei s'atura.",
    3: "Direcció d'àrea: decisions i coneixement que no es poden cobrir des de fora a curt termini.",
}

def build_units(w: World) -> None:
    w.units = plan_units(w.size, w.organisation)
    first = w.loader.ids(OrgUnit, len(w.units))
    w.unit_ids = [first + unit.index for unit in w.units]
    w.unit_paths = []
    for unit in w.units:
        prefix = w.unit_paths[unit.parent] if unit.parent is not None else "/"
        w.unit_paths.append(f"{prefix}{w.unit_ids[unit.index]}/")
    w.unit_by_code = {unit.code: unit.index for unit in w.units}
    w.loader.insert(
        OrgUnit,
        ["id", "code", "name", "kind", "parent", "path", "depth", "active"],
        (
            (
                w.unit_ids[u.index],
                u.code,
                u.name,
                u.kind,
                w.unit_ids[u.parent] if u.parent is not None else None,
                w.unit_paths[u.index],
                u.depth,
                True,
            )
            for u in w.units
        ),
    )


def build_positions(w: World) -> None:
    """One head position per unit plus the staff positions of its job families, each with requirements."""
    rng = w.rng("positions")
    pools = _competency_pools(w)
    positions: list[PositionInfo] = []
    w.unit_positions = []
    w.unit_head_position = []
    for unit in w.units:
        w.unit_head_position.append(len(positions))
        positions.append(PositionInfo(0, head_title(unit), head_group(unit), "", unit.index))
        staff = []
        seen = set()
        for family_key in unit.families:
            for title in FAMILIES[family_key].titles:
                if title.title in seen:
                    continue
                seen.add(title.title)
                staff.append(len(positions))
                positions.append(PositionInfo(0, title.title, title.group, family_key, unit.index))
        w.unit_positions.append(staff)
    first = w.loader.ids(Position, len(positions))
    critical, criticality = [], []
    for number, position in enumerate(positions):
        position.id = first + number
        unit = w.units[position.unit]
        if position.family:
            spec = next(t for t in FAMILIES[position.family].titles if t.title == position.title)
            is_critical = spec.critical or rng.random() < 0.04
            # succession: a post the catalogue calls critical is highly so; one picked at random, important
            level = 2 if spec.critical else 1
        else:
            is_critical = unit.depth <= 1 or bool(unit.head)
            level = 3 if unit.depth <= 1 else 2  # the heads of the areas are vital, the other heads high
        critical.append(is_critical)
        criticality.append((level, CRITICAL_REASONS[level]) if is_critical else (None, ""))
    w.positions = positions
    w.loader.insert(
        Position,
        ["id", "code", "title", "group", "job_family", "unit", "is_critical", "criticality", "critical_reason", "active"],
        (
            (
                p.id,
                f"LT{number + 1:05d}",
                p.title,
                p.group,
                FAMILIES[p.family].label if p.family else HEAD_FAMILY,
                w.unit_ids[p.unit],
                critical[number],
                *criticality[number],
                True,
            )
            for number, p in enumerate(positions)
        ),
    )
    requirement_ids = w.loader.sequence(Requirement)

    # Positions with the same title (a "lloc tipus") share one of a few requirement profiles, as in an RPT.
    profiles: dict[tuple, list[list[tuple[int, int, int, str]]]] = {}

    def rows():
        for number, position in enumerate(positions):
            unit = w.units[position.unit]
            if position.family:
                key = (position.title, position.group, position.family)
            else:  # heads: by the kind and level of the unit they lead
                key = ("head", position.group, unit.families[0], unit.kind, unit.depth)
            variants = profiles.setdefault(key, [])
            if len(variants) < PROFILES_PER_TITLE:
                variants.append(_requirements_for(w, rng, position, pools))
                chosen = variants[-1]
            else:
                chosen = variants[rng.randrange(PROFILES_PER_TITLE)]
            position.requirements = tuple(
                (cid, level_index, weight) for cid, level_index, weight, _ in chosen
            )
            top = max(range(len(chosen)), key=lambda k: (chosen[k][2], -k))
            for k, (cid, level_index, weight, kind) in enumerate(chosen):
                is_critical = (critical[number] and k == top) or (kind == "technical" and rng.random() < 0.06)
                rid = requirement_ids.next
                requirement_ids.next += 1
                yield rid, position.id, cid, w.scale_of[cid][level_index], weight, is_critical

    w.loader.insert(
        Requirement, ["id", "position", "competency", "required_level", "weight", "is_critical"], rows()
    )


def _competency_pools(w: World) -> dict[str, list[int]]:
    transversal = [c for c in w.competencies.values() if c.framework == fw.TRANSVERSAL]
    return {
        "transversal": [c.id for c in transversal if c.kind == "transversal"],
        "transversal_digital": [c.id for c in transversal if c.kind == "digital"],
        "leadership": [c.id for c in transversal if c.kind == "leadership"],
    }


def _level_index(w: World, rng, competency_id: int, height: float) -> int:
    """An index into the competency's (0, levels...) list, near ``height`` of its scale."""
    levels = len(w.scale_of[competency_id]) - 1
    position = round(height * (levels - 1)) + rng.choice((-1, 0, 0, 0, 1))
    return max(1, min(levels, position + 1))


def _requirements_for(w: World, rng, position: PositionInfo, pools) -> list[tuple[int, int, int, str]]:
    """4 to 10 requirements: technical, transversal, digital and, for heads, leadership."""
    height = GROUP_HEIGHT[position.group]
    is_head = not position.family
    unit_family = FAMILIES[position.family or w.units[position.unit].families[0]]
    chosen: list[tuple[int, int, int, str]] = []
    taken: set[int] = set()

    def add(competency_id: int | None, kind: str, weight: int, lift: float = 0.0) -> None:
        if competency_id is None or competency_id in taken or len(chosen) >= 10:
            return
        taken.add(competency_id)
        chosen.append(
            (competency_id, _level_index(w, rng, competency_id, min(1.0, height + lift)), weight, kind)
        )

    technical = [w.by_code.get((fw.TECHNICAL, code)) for code in unit_family.technical]
    technical = [c.id for c in technical if c]
    for cid in rng.sample(technical, min(len(technical), 1 if is_head else rng.randint(1, 3))):
        add(cid, "technical", rng.randint(3, 5))
    if is_head:
        for cid in rng.sample(pools["leadership"], min(len(pools["leadership"]), rng.randint(2, 3))):
            add(cid, "leadership", rng.randint(4, 5), lift=0.15)
    elif position.group == "A1" and pools["leadership"] and rng.random() < 0.25:
        add(rng.choice(pools["leadership"]), "leadership", rng.randint(2, 3))
    transversal = pools["transversal"]
    for cid in rng.sample(transversal, min(len(transversal), rng.randint(2, 3))):
        add(cid, "transversal", rng.randint(2, 4))
    digital_codes = HEAD_DIGITAL if is_head else unit_family.digital
    digital = [w.by_code.get((fw.DIGCOMP, code)) for code in digital_codes]
    digital = [c.id for c in digital if c]
    lift = 0.15 if unit_family.key == "TIC" else 0.0
    count = 1 if position.group == "AP" else rng.randint(1, 3)
    for cid in rng.sample(digital, min(len(digital), count)):
        add(cid, "digital", rng.randint(1, 3), lift=lift)
    if pools["transversal_digital"] and rng.random() < 0.3:
        add(rng.choice(pools["transversal_digital"]), "digital", rng.randint(1, 3))
    spare = [cid for cid in transversal + digital if cid not in taken]
    rng.shuffle(spare)
    while len(chosen) < 4 and spare:
        add(spare.pop(), "transversal", rng.randint(1, 3))
    return chosen
