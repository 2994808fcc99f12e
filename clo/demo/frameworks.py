"""The competency frameworks the demo rests on.

DigComp 2.2 and the transversal dictionary are reference data loaded by a data migration of ``competencies``;
the seed looks them up by code and only recreates one that is missing (``ensure_reference_frameworks``). The
technical framework, CLO-TECNIQUES, belongs to the demo: created on the transversal dictionary's 4-level
scale, and completed if a code is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from competencies.models import Area, Competency, Framework, Level, ProficiencyScale
from clo.demo.bulk import Loader

DIGCOMP = "DIGCOMP-2.2"
TRANSVERSAL = "CLO-TRANSVERSAL"
TECHNICAL = "CLO-TECNIQUES"
CLO_SCALE = "clo-4"

LANGUAGES = ("ca", "es", "en")


def translated(field: str) -> list[str]:
    """``name`` → ``["name", "name_ca", "name_es", "name_en"]`` (the plain column holds the Catalan text)."""
    return [field] + [f"{field}_{lang}" for lang in LANGUAGES]


def values(ca: str, es: str, en: str) -> tuple[str, str, str, str]:
    return (ca, ca, es, en)


TECHNICAL_AREAS = [
    (
        "JUR",
        ("Jurídica i administrativa", "Jurídica y administrativa", "Legal and administrative"),
        [
            (
                "TEC-ADM-01",
                (
                    "Procediment administratiu i règim jurídic",
                    "Procedimiento administrativo y régimen jurídico",
                    "Administrative procedure and legal regime",
                ),
            ),
            (
                "TEC-ADM-02",
                (
                    "Gestió documental i arxiu electrònic",
                    "Gestión documental y archivo electrónico",
                    "Records management and electronic archiving",
                ),
            ),
            (
                "TEC-ADM-03",
                (
                    "Protecció de dades personals",
                    "Protección de datos personales",
                    "Personal data protection",
                ),
            ),
            (
                "TEC-JUR-01",
                (
                    "Dret administratiu i règim local",
                    "Derecho administrativo y régimen local",
                    "Administrative and local government law",
                ),
            ),
        ],
    ),
    (
        "ECO",
        ("Econòmica i contractació", "Económica y contratación", "Finance and procurement"),
        [
            ("TEC-JUR-02", ("Contractació pública", "Contratación pública", "Public procurement")),
            (
                "TEC-ECO-01",
                (
                    "Pressupostos i comptabilitat pública",
                    "Presupuestos y contabilidad pública",
                    "Public budgeting and accounting",
                ),
            ),
            (
                "TEC-ECO-02",
                (
                    "Gestió tributària i recaptació",
                    "Gestión tributaria y recaudación",
                    "Tax management and collection",
                ),
            ),
        ],
    ),
    (
        "SOC",
        ("Social i educativa", "Social y educativa", "Social and education"),
        [
            (
                "TEC-SOC-01",
                (
                    "Intervenció social i comunitària",
                    "Intervención social y comunitaria",
                    "Social and community intervention",
                ),
            ),
            (
                "TEC-SOC-02",
                (
                    "Atenció a la dependència i a la gent gran",
                    "Atención a la dependencia y a las personas mayores",
                    "Long-term care and older people",
                ),
            ),
            (
                "TEC-SOC-03",
                (
                    "Protecció de la infància i l'adolescència",
                    "Protección de la infancia y la adolescencia",
                    "Child and adolescent protection",
                ),
            ),
            (
                "TEC-EDU-01",
                (
                    "Educació de la primera infància",
                    "Educación de la primera infancia",
                    "Early childhood education",
                ),
            ),
            (
                "TEC-EDU-02",
                (
                    "Seguretat alimentària i al·lèrgens",
                    "Seguridad alimentaria y alérgenos",
                    "Food safety and allergens",
                ),
            ),
        ],
    ),
    (
        "TER",
        ("Territori i medi ambient", "Territorio y medio ambiente", "Land, works and environment"),
        [
            (
                "TEC-URB-01",
                (
                    "Planejament i normativa urbanística",
                    "Planeamiento y normativa urbanística",
                    "Urban planning and regulations",
                ),
            ),
            (
                "TEC-URB-02",
                (
                    "Llicències i disciplina urbanística",
                    "Licencias y disciplina urbanística",
                    "Building permits and planning enforcement",
                ),
            ),
            (
                "TEC-URB-03",
                (
                    "Projectes i direcció d'obra (BIM)",
                    "Proyectos y dirección de obra (BIM)",
                    "Construction projects and site management (BIM)",
                ),
            ),
            (
                "TEC-BRI-01",
                (
                    "Manteniment d'espais i edificis públics",
                    "Mantenimiento de espacios y edificios públicos",
                    "Maintenance of public spaces and buildings",
                ),
            ),
            (
                "TEC-BRI-02",
                (
                    "Prevenció de riscos en treballs a la via pública",
                    "Prevención de riesgos en trabajos en la vía pública",
                    "Safe work on public roads",
                ),
            ),
            (
                "TEC-MAM-01",
                (
                    "Gestió de residus i economia circular",
                    "Gestión de residuos y economía circular",
                    "Waste management and circular economy",
                ),
            ),
            (
                "TEC-MAM-02",
                (
                    "Arboricultura i espais verds",
                    "Arboricultura y espacios verdes",
                    "Arboriculture and green spaces",
                ),
            ),
            ("TEC-MAM-03", ("Transició energètica", "Transición energética", "Energy transition")),
        ],
    ),
    (
        "SEG",
        ("Seguretat i emergències", "Seguridad y emergencias", "Safety and emergencies"),
        [
            (
                "TEC-SEG-01",
                (
                    "Seguretat ciutadana i policia de proximitat",
                    "Seguridad ciudadana y policía de proximidad",
                    "Public safety and community policing",
                ),
            ),
            ("TEC-SEG-02", ("Trànsit i atestats", "Tráfico y atestados", "Traffic and accident reports")),
            (
                "TEC-SEG-03",
                (
                    "Gestió d'emergències i protecció civil",
                    "Gestión de emergencias y protección civil",
                    "Emergency management and civil protection",
                ),
            ),
        ],
    ),
    (
        "CUL",
        ("Cultura i esports", "Cultura y deportes", "Culture and sport"),
        [
            (
                "TEC-CUL-01",
                (
                    "Gestió de biblioteques i foment de la lectura",
                    "Gestión de bibliotecas y fomento de la lectura",
                    "Library management and reading promotion",
                ),
            ),
            (
                "TEC-CUL-02",
                (
                    "Gestió cultural i patrimoni",
                    "Gestión cultural y patrimonio",
                    "Cultural management and heritage",
                ),
            ),
            (
                "TEC-ESP-01",
                (
                    "Gestió d'equipaments esportius",
                    "Gestión de equipamientos deportivos",
                    "Sports facility management",
                ),
            ),
            (
                "TEC-ESP-02",
                ("Salvament i primers auxilis", "Salvamento y primeros auxilios", "Lifesaving and first aid"),
            ),
        ],
    ),
    (
        "TIC",
        ("Tecnologia", "Tecnología", "Technology"),
        [
            (
                "TEC-TIC-01",
                (
                    "Administració de sistemes i xarxes",
                    "Administración de sistemas y redes",
                    "Systems and network administration",
                ),
            ),
            (
                "TEC-TIC-02",
                (
                    "Desenvolupament i interoperabilitat",
                    "Desarrollo e interoperabilidad",
                    "Software development and interoperability",
                ),
            ),
            (
                "TEC-TIC-03",
                (
                    "Ciberseguretat (Esquema Nacional de Seguretat)",
                    "Ciberseguridad (Esquema Nacional de Seguridad)",
                    "Cybersecurity (National Security Framework)",
                ),
            ),
        ],
    ),
    (
        "ORG",
        ("Persones i organització", "Personas y organización", "People and organisation"),
        [
            (
                "TEC-RHU-01",
                (
                    "Gestió de personal i nòmines",
                    "Gestión de personal y nóminas",
                    "Personnel administration and payroll",
                ),
            ),
            (
                "TEC-RHU-02",
                (
                    "Disseny i avaluació de la formació",
                    "Diseño y evaluación de la formación",
                    "Training design and evaluation",
                ),
            ),
            (
                "TEC-RHU-03",
                (
                    "Prevenció de riscos laborals",
                    "Prevención de riesgos laborales",
                    "Occupational health and safety",
                ),
            ),
        ],
    ),
    (
        "CIU",
        ("Ciutadania i territori", "Ciudadanía y territorio", "Citizens and local development"),
        [
            (
                "TEC-COM-01",
                (
                    "Comunicació institucional i xarxes socials",
                    "Comunicación institucional y redes sociales",
                    "Institutional communication and social media",
                ),
            ),
            (
                "TEC-COM-02",
                (
                    "Participació ciutadana i transparència",
                    "Participación ciudadana y transparencia",
                    "Public participation and transparency",
                ),
            ),
            (
                "TEC-OAC-01",
                (
                    "Atenció multicanal a la ciutadania",
                    "Atención multicanal a la ciudadanía",
                    "Multichannel citizen service",
                ),
            ),
            (
                "TEC-PRO-01",
                (
                    "Polítiques actives d'ocupació",
                    "Políticas activas de empleo",
                    "Active labour market policies",
                ),
            ),
            (
                "TEC-PRO-02",
                (
                    "Dinamització econòmica i comerç",
                    "Dinamización económica y comercio",
                    "Local economic development and retail",
                ),
            ),
            (
                "TEC-SAL-01",
                (
                    "Salut pública i control sanitari",
                    "Salud pública y control sanitario",
                    "Public health and sanitary inspection",
                ),
            ),
        ],
    ),
]

TECHNICAL_SPEC = dict(
    version="1.0",
    names=(
        "Competències tècniques dels llocs de treball",
        "Competencias técnicas de los puestos de trabajo",
        "Technical competencies of the positions",
    ),
    source="Catàleg de llocs de treball de l'Ajuntament de Vilamar (dades de demostració)",
)


@dataclass(frozen=True)
class CompetencyInfo:
    id: int
    framework: str
    code: str
    kind: str
    names: tuple[str, str, str]
    levels: tuple[int, ...]  # the scale's level values, ascending
    validity_months: int


def ensure_reference_frameworks() -> dict[str, int]:
    """Ids of DigComp 2.2 and the transversal dictionary by framework code.

    They come from the data migration ``competencies.0003_reference_frameworks``. If one is missing (deleted,
    or a database whose migrations were faked), the migration's own loader recreates it with the models as the
    migration sees them, so the rows are exactly the migrated ones. An existing framework is never touched.
    """
    from competencies.reference import digcomp22, loader, transversal

    modules = {DIGCOMP: (digcomp22, "digital"), TRANSVERSAL: (transversal, None)}
    found = dict(Framework.objects.filter(code__in=modules).values_list("code", "id"))
    missing = [code for code in modules if code not in found]
    if missing:
        state_apps = _migrated_apps()
        for code in missing:
            module, kind = modules[code]
            loader.load_module(state_apps, module, kind=kind)
        found = dict(Framework.objects.filter(code__in=modules).values_list("code", "id"))
    return found


def ensure_technical_framework(loader: Loader) -> int:
    """CLO-TECNIQUES on the 4-level scale; missing areas and competencies are added, existing ones kept."""
    existing = Framework.objects.filter(code=TECHNICAL).values_list("id", flat=True).first()
    if existing:
        framework_id = existing
    else:
        scale_id = ProficiencyScale.objects.filter(code=CLO_SCALE).values_list("id", flat=True).first()
        if scale_id is None:
            raise RuntimeError(
                f"the proficiency scale {CLO_SCALE!r} is missing (it comes with {TRANSVERSAL})"
            )
        framework_id = loader.ids(Framework, 1)
        spec = TECHNICAL_SPEC
        loader.insert(
            Framework,
            [
                "id",
                "code",
                *translated("name"),
                *translated("description"),
                "version",
                "source",
                "status",
                "scale",
                "consolidation_rule",
                "evidence_validity_months",
            ],
            [
                (
                    framework_id,
                    TECHNICAL,
                    *values(*spec["names"]),
                    *values("", "", ""),
                    spec["version"],
                    spec["source"],
                    Framework.Status.PUBLISHED,
                    scale_id,
                    Framework.ConsolidationRule.MANAGER_OVER_SELF,
                    36,
                )
            ],
        )
    area_ids = dict(Area.objects.filter(framework_id=framework_id).values_list("code", "id"))
    have = set(Competency.objects.filter(framework_id=framework_id).values_list("code", flat=True))
    area_rows, competency_rows = [], []
    for area_order, (area_code, area_names, competencies) in enumerate(TECHNICAL_AREAS, start=1):
        if area_code not in area_ids:
            area_ids[area_code] = loader.ids(Area, 1)
            area_rows.append(
                (
                    area_ids[area_code],
                    framework_id,
                    area_code,
                    *values(*area_names),
                    *values("", "", ""),
                    area_order,
                )
            )
        for order, (code, names) in enumerate(competencies, start=1):
            if code not in have:
                competency_rows.append(
                    (
                        loader.ids(Competency, 1),
                        framework_id,
                        area_ids[area_code],
                        code,
                        *values(*names),
                        *values("", "", ""),
                        "technical",
                        order,
                    )
                )
    loader.insert(
        Area, ["id", "framework", "code", *translated("name"), *translated("description"), "order"], area_rows
    )
    loader.insert(
        Competency,
        ["id", "framework", "area", "code", *translated("name"), *translated("description"), "kind", "order"],
        competency_rows,
    )
    return framework_id


def load_competencies(framework_ids: list[int]) -> list[CompetencyInfo]:
    validity = dict(
        Framework.objects.filter(id__in=framework_ids).values_list("id", "evidence_validity_months")
    )
    codes = dict(Framework.objects.filter(id__in=framework_ids).values_list("id", "code"))
    scale_of = dict(Framework.objects.filter(id__in=framework_ids).values_list("id", "scale_id"))
    levels: dict[int, list[int]] = {}
    for scale_id, value in (
        Level.objects.filter(scale_id__in=set(scale_of.values()))
        .order_by("value")
        .values_list("scale_id", "value")
    ):
        levels.setdefault(scale_id, []).append(value)
    rows = (
        Competency.objects.filter(framework_id__in=framework_ids)
        .order_by("framework_id", "area__order", "order", "code")
        .values_list("id", "framework_id", "code", "kind", "name_ca", "name_es", "name_en")
    )
    return [
        CompetencyInfo(
            id=cid,
            framework=codes[fid],
            code=code,
            kind=kind,
            names=(ca or code, es or ca or code, en or ca or code),
            levels=tuple(levels.get(scale_of[fid], ())),
            validity_months=validity[fid],
        )
        for cid, fid, code, kind, ca, es, en in rows
    ]


def _migrated_apps():
    """The models as of the latest migration of ``competencies`` (historical models, as migrations use)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    return graph.make_state(nodes=graph.leaf_nodes("competencies"), at_end=True).apps
