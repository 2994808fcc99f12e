"""Loads the reference frameworks shipped with clo (DigComp 2.2 and the transversal dictionary).

Used by the data migration ``competencies.0003_reference_frameworks`` with historical models, so it only uses
plain field names (translated fields as ``<field>_ca/_es/_en`` columns plus the untranslated base column, which
modeltranslation keeps equal to the default language). Idempotent: rows are matched by code.
"""

from __future__ import annotations

from types import ModuleType

LANGUAGES = ("ca", "es", "en")


def _tr(field: str, texts: dict[str, str] | None) -> dict[str, str]:
    texts = texts or {lang: "" for lang in LANGUAGES}
    values = {f"{field}_{lang}": texts[lang] for lang in LANGUAGES}
    values[field] = texts["ca"]
    return values


def _indicator_text(lines: list[str] | str) -> str:
    return lines if isinstance(lines, str) else "\n".join(lines)


def load_module(apps, module: ModuleType, *, kind: str | None = None, status: str = "published") -> None:
    Scale = apps.get_model("competencies", "ProficiencyScale")
    Level = apps.get_model("competencies", "Level")
    Framework = apps.get_model("competencies", "Framework")
    Area = apps.get_model("competencies", "Area")
    Competency = apps.get_model("competencies", "Competency")
    Descriptor = apps.get_model("competencies", "CompetencyLevelDescriptor")

    spec = module.SCALE
    scale, _ = Scale.objects.update_or_create(
        code=spec["code"], defaults={**_tr("name", spec["name"]), **_tr("description", spec.get("description"))}
    )
    for level in spec["levels"]:
        Level.objects.update_or_create(
            scale=scale,
            value=level["value"],
            defaults={
                **_tr("label", level["label"]),
                **_tr("band", level.get("band")),
                **_tr("descriptor", level.get("descriptor")),
            },
        )

    fw = module.FRAMEWORK
    framework, _ = Framework.objects.update_or_create(
        code=fw["code"],
        defaults={
            **_tr("name", fw["name"]),
            **_tr("description", fw.get("description")),
            "version": fw.get("version", ""),
            "source": fw.get("source", ""),
            "status": status,
            "scale": scale,
        },
    )
    for area_order, area_spec in enumerate(module.AREAS, start=1):
        area, _ = Area.objects.update_or_create(
            framework=framework,
            code=area_spec["code"],
            defaults={**_tr("name", area_spec["name"]), **_tr("description", area_spec.get("description")),
                      "order": area_order},
        )
        for order, comp in enumerate(area_spec["competencies"], start=1):
            competency, _ = Competency.objects.update_or_create(
                framework=framework,
                code=comp["code"],
                defaults={
                    **_tr("name", comp["name"]),
                    **_tr("description", comp.get("description")),
                    "area": area,
                    "kind": comp.get("kind", kind),
                    "order": order,
                },
            )
            for level_value, texts in (comp.get("indicators") or {}).items():
                Descriptor.objects.update_or_create(
                    competency=competency,
                    level=int(level_value),
                    defaults=_tr("indicators", {lang: _indicator_text(texts[lang]) for lang in LANGUAGES}),
                )


def load_reference_frameworks(apps, schema_editor=None) -> None:
    from competencies.reference import digcomp22, transversal

    load_module(apps, digcomp22, kind="digital")
    load_module(apps, transversal)
