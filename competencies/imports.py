"""Importer of position requirements (position × competency × level), see ``clo.core.imports``.

Natural key: the position's code and the competency's code (with its framework's code when the same code exists
in more than one framework in force). The level must be one of the framework's scale. The rows of the file are
created or updated (a requirement absent from the file is left as it is). The gap engine recounts, once, on commit,
the units where the positions concerned have holders.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from clo.core.imports import writes
from clo.core.imports.registry import Column, Importer, Plan, RowError, RowReader, first_rows, register
from clo.core.tasks import queue_on_commit
from clo.people import selectors as people_selectors
from clo.people.models import Position
from competencies.models import Competency, Framework, Level, Requirement

BATCH = 2000
AUDITED = ["required_level", "weight", "is_critical"]

UNKNOWN_POSITION = gettext_noop("Unknown position code “%(value)s”.")
UNKNOWN_COMPETENCY = gettext_noop("Unknown competency code “%(value)s”.")
UNKNOWN_FRAMEWORK = gettext_noop("Unknown framework code “%(value)s”.")
AMBIGUOUS_COMPETENCY = gettext_noop(
    "The code “%(value)s” exists in several frameworks (%(frameworks)s): give the framework_code."
)
LEVEL_OUT_OF_SCALE = gettext_noop("Level %(level)s is outside the scale of this competency (%(low)s to %(high)s).")
NO_LEVELS = gettext_noop("The competency's framework has no scale levels yet.")
DUPLICATE_REQUIREMENT = gettext_noop("This position and competency appear more than once in the file (first in row "
                                     "%(first)s).")


@register
class RequirementImporter(Importer):
    kind = "requirements"
    order = 40
    label = _("Position requirements")
    description = _("The level of each competency that each position requires, on the framework's scale.")
    columns = [
        Column("position_code", _("Code of the position."), required=True, example="LT0101"),
        Column("competency_code", _("Code of the competency."), required=True, example="1.1"),
        Column("framework_code", _("Code of the framework (only needed when the competency code exists in several)."),
               example="digcomp"),
        Column("required_level", _("Required level, a value of the framework's scale."), required=True, example="3"),
        Column("weight", _("Weight among the position's requirements, 1 to 10 (1 if empty)."), example="1"),
        Column("critical", _("Critical requirement: yes or no (no if empty)."), example="no"),
    ]

    def _competencies(self):
        by_key, by_code = {}, {}
        rows = Competency.objects.exclude(framework__status=Framework.Status.ARCHIVED).values_list(
            "id", "code", "framework__code", "framework__scale_id")
        for pk, code, framework, scale_id in rows:
            by_key[(framework.lower(), code.lower())] = (pk, scale_id)
            by_code.setdefault(code.lower(), []).append((framework, pk, scale_id))
        return by_key, by_code

    def plan(self, rows, *, progress=None) -> Plan:
        plan = Plan()
        errors: list[RowError] = []
        positions = dict(Position.objects.values_list("code", "id"))
        frameworks = {code.lower() for code in Framework.objects.values_list("code", flat=True)}
        by_key, by_code = self._competencies()
        levels: dict[int, list[int]] = {}
        for scale_id, value in Level.objects.order_by("scale_id", "value").values_list("scale_id", "value"):
            levels.setdefault(scale_id, []).append(value)
        read = {}
        for row in rows:
            r = RowReader(row, errors)
            position_code = r.text("position_code", max_length=20, required=True)
            code = r.text("competency_code", max_length=40, required=True)
            framework = r.text("framework_code", max_length=40)
            level = r.integer("required_level", required=True, minimum=1, maximum=32767)
            weight = r.integer("weight", minimum=1, maximum=10, default=1)
            critical = r.boolean("critical")
            position_id = positions.get(position_code)
            if position_code and position_id is None:
                r.error("position_code", UNKNOWN_POSITION, value=position_code)
            competency = None
            if framework and framework.lower() not in frameworks:
                r.error("framework_code", UNKNOWN_FRAMEWORK, value=framework)
            elif framework and code:
                competency = by_key.get((framework.lower(), code.lower()))
                if competency is None:
                    r.error("competency_code", UNKNOWN_COMPETENCY, value=code)
            elif code:
                found = by_code.get(code.lower(), [])
                if not found:
                    r.error("competency_code", UNKNOWN_COMPETENCY, value=code)
                elif len(found) > 1:
                    r.error("competency_code", AMBIGUOUS_COMPETENCY, value=code,
                            frameworks=", ".join(sorted(f for f, _pk, _scale in found)))
                else:
                    competency = found[0][1:]
            if competency and level is not None:
                scale = levels.get(competency[1], [])
                if not scale:
                    r.error("required_level", NO_LEVELS)
                elif level not in scale:
                    r.error("required_level", LEVEL_OUT_OF_SCALE, level=level, low=scale[0], high=scale[-1])
            if r.ok:
                read[row.number] = (position_id, competency[0], level, weight, critical)  # type: ignore[index]  # ok: found
        by_pair = first_rows([row for row in rows if row.number in read], lambda row: read[row.number][:2],
                             "competency_code", [])
        for row in rows:
            if row.number in read and by_pair[read[row.number][:2]] is not row:
                errors.append(RowError(row.number, "competency_code", DUPLICATE_REQUIREMENT,
                                       {"first": by_pair[read[row.number][:2]].number}))
        existing = {(p, c): (pk, level, weight, critical) for pk, p, c, level, weight, critical
                    in Requirement.objects.values_list("id", "position_id", "competency_id", "required_level",
                                                       "weight", "is_critical").order_by().iterator(chunk_size=10000)}
        creates, updates, before = [], [], {}
        for pair, row in by_pair.items():
            position_id, competency_id, level, weight, critical = read[row.number]
            current = existing.get(pair)
            fields = dict(position_id=position_id, competency_id=competency_id, required_level=level, weight=weight,
                          is_critical=critical)
            if current is None:
                creates.append(Requirement(**fields))
            elif current[1:] != (level, weight, critical):
                updates.append(Requirement(id=current[0], **fields))
                before[current[0]] = dict(zip(AUDITED, current[1:]))
            else:
                plan.unchanged += 1
        plan.errors, plan.create, plan.update = errors, len(creates), len(updates)
        plan.payload = (creates, updates, before)
        return plan

    def apply(self, plan: Plan) -> None:
        creates, updates, before = plan.payload
        Requirement.objects.bulk_create(creates, batch_size=BATCH)
        writes.bulk_update(Requirement, updates, AUDITED, batch_size=BATCH)
        fields = ["position_id", "competency_id", *AUDITED]
        writes.audit(Requirement, {r.pk: writes.changes_between({}, {f: getattr(r, f) for f in fields})
                                   for r in creates}, action="create")
        writes.audit(Requirement, {r.pk: writes.changes_between(before[r.pk], {f: getattr(r, f) for f in AUDITED})
                                   for r in updates}, action="update")
        units = people_selectors.units_of_positions({r.position_id for r in creates + updates})
        if units:
            queue_on_commit("evaluations.gaps_refresh_units", sorted(units))
