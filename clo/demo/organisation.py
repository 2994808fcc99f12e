"""The fictional council's structure: units, job families and the positions (llocs de treball) of each family.

The central structure below is a mid-sized Catalan *ajuntament* of about 1 200 people: the Alcaldia and seven
àrees, with their departaments, serveis, seccions and oficines. Larger organisations add districts: each one
repeats the services that are delivered close to the citizens, with territorial zones under every service once
the organisation is large enough (see ``plan_units``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

AREA, DEPARTMENT, SERVICE, SECTION, OFFICE = "area", "department", "service", "section", "office"


@dataclass(frozen=True)
class Title:
    title: str
    group: str
    weight: float
    critical: bool = False


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    titles: tuple[Title, ...]
    technical: tuple[str, ...]  # codes of CLO-TECNIQUES competencies
    digital: tuple[str, ...]  # DigComp codes this family needs most
    female_share: float = 0.62
    labour_share: float = 0.12
    interim_share: float = 0.17


_OFFICE_DIGITAL = ("1.1", "1.3", "2.1", "2.2", "2.4", "3.1", "4.1", "4.2", "5.2")
_FIELD_DIGITAL = ("2.1", "4.1", "4.2", "4.3", "1.1", "5.1")

FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family(
            "ADM",
            "Administració general",
            (
                Title("Tècnic/a d'administració general", "A1", 2),
                Title("Tècnic/a de gestió", "A2", 2),
                Title("Administratiu/va", "C1", 4),
                Title("Auxiliar administratiu/va", "C2", 6),
                Title("Subaltern/a", "AP", 1),
            ),
            ("TEC-ADM-01", "TEC-ADM-02", "TEC-ADM-03"),
            _OFFICE_DIGITAL,
            female_share=0.72,
        ),
        Family(
            "JUR",
            "Assessoria jurídica",
            (
                Title("Lletrat/ada", "A1", 2, critical=True),
                Title("Tècnic/a jurídic/a", "A1", 2),
                Title("Administratiu/va", "C1", 2),
            ),
            ("TEC-JUR-01", "TEC-JUR-02", "TEC-ADM-01"),
            _OFFICE_DIGITAL,
            female_share=0.66,
        ),
        Family(
            "ECO",
            "Gestió econòmica",
            (
                Title("Economista", "A1", 2),
                Title("Tècnic/a de gestió econòmica", "A2", 3),
                Title("Inspector/a tributari/ària", "A2", 1),
                Title("Agent tributari/ària", "C1", 3),
                Title("Auxiliar administratiu/va", "C2", 3),
            ),
            ("TEC-ECO-01", "TEC-ECO-02", "TEC-JUR-02"),
            _OFFICE_DIGITAL,
            female_share=0.66,
        ),
        Family(
            "SOC",
            "Serveis socials",
            (
                Title("Treballador/a social", "A2", 5),
                Title("Educador/a social", "A2", 4),
                Title("Psicòleg/psicòloga", "A1", 1),
                Title("Treballador/a familiar", "C2", 3),
                Title("Integrador/a social", "C1", 1),
                Title("Auxiliar administratiu/va", "C2", 1),
            ),
            ("TEC-SOC-01", "TEC-SOC-02", "TEC-SOC-03"),
            ("1.1", "2.1", "2.2", "4.2", "4.3"),
            female_share=0.84,
            interim_share=0.26,
        ),
        Family(
            "JOV",
            "Joventut i igualtat",
            (
                Title("Tècnic/a de joventut", "A2", 2),
                Title("Tècnic/a d'igualtat", "A2", 2),
                Title("Informador/a juvenil", "C1", 2),
            ),
            ("TEC-SOC-01", "TEC-COM-02"),
            ("2.1", "2.2", "2.3", "3.1", "4.2"),
            female_share=0.75,
            interim_share=0.25,
        ),
        Family(
            "EDU",
            "Educació",
            (
                Title("Mestre/a d'educació infantil", "A2", 3),
                Title("Educador/a d'escola bressol", "C1", 6),
                Title("Tècnic/a d'educació", "A2", 1),
                Title("Cuiner/a", "C2", 1),
                Title("Auxiliar de serveis", "AP", 1),
            ),
            ("TEC-EDU-01", "TEC-EDU-02"),
            ("1.1", "2.1", "3.1", "4.2", "4.3"),
            female_share=0.9,
            labour_share=0.45,
            interim_share=0.2,
        ),
        Family(
            "URB",
            "Urbanisme i obres",
            (
                Title("Arquitecte/a", "A1", 2, critical=True),
                Title("Arquitecte/a tècnic/a", "A2", 2),
                Title("Enginyer/a de camins, canals i ports", "A1", 1),
                Title("Enginyer/a tècnic/a d'obres públiques", "A2", 1),
                Title("Delineant", "C1", 1),
                Title("Inspector/a d'obres", "C1", 2),
                Title("Auxiliar administratiu/va", "C2", 2),
            ),
            ("TEC-URB-01", "TEC-URB-02", "TEC-URB-03"),
            ("1.1", "1.3", "2.1", "3.1", "3.2", "4.1", "5.2"),
            female_share=0.45,
        ),
        Family(
            "BRI",
            "Brigada i manteniment",
            (
                Title("Encarregat/da de brigada", "C1", 1),
                Title("Oficial de brigada", "C2", 5),
                Title("Peó de brigada", "AP", 5),
                Title("Electricista", "C2", 2),
                Title("Conductor/a de maquinària", "C2", 1),
            ),
            ("TEC-BRI-01", "TEC-BRI-02"),
            _FIELD_DIGITAL,
            female_share=0.12,
            labour_share=0.55,
        ),
        Family(
            "SEG",
            "Seguretat i emergències",
            (
                Title("Agent de la Policia Local", "C2", 12),
                Title("Caporal de la Policia Local", "C2", 2),
                Title("Sergent/a de la Policia Local", "C1", 1),
                Title("Sotsinspector/a de la Policia Local", "A2", 0.3, critical=True),
                Title("Tècnic/a de protecció civil", "A2", 0.5),
                Title("Auxiliar administratiu/va", "C2", 0.5),
            ),
            ("TEC-SEG-01", "TEC-SEG-02", "TEC-SEG-03"),
            _FIELD_DIGITAL,
            female_share=0.24,
            labour_share=0.0,
            interim_share=0.04,
        ),
        Family(
            "CUL",
            "Cultura i biblioteques",
            (
                Title("Bibliotecari/ària", "A2", 2),
                Title("Auxiliar de biblioteca", "C1", 4),
                Title("Tècnic/a de cultura", "A2", 2),
                Title("Conservador/a de museu", "A1", 0.5),
                Title("Professor/a de música", "A2", 3),
                Title("Conserge", "AP", 1),
            ),
            ("TEC-CUL-01", "TEC-CUL-02"),
            ("1.1", "1.2", "2.2", "3.1", "3.3", "4.2"),
            female_share=0.7,
            labour_share=0.3,
        ),
        Family(
            "ESP",
            "Esports",
            (
                Title("Tècnic/a d'esports", "A2", 2),
                Title("Monitor/a esportiu/iva", "C1", 4),
                Title("Socorrista", "C2", 2),
                Title("Conserge d'instal·lació esportiva", "AP", 2),
            ),
            ("TEC-ESP-01", "TEC-ESP-02"),
            _FIELD_DIGITAL,
            female_share=0.45,
            labour_share=0.6,
        ),
        Family(
            "MAM",
            "Medi ambient",
            (
                Title("Tècnic/a de medi ambient", "A2", 2),
                Title("Enginyer/a agrònom/a", "A1", 0.5),
                Title("Oficial de jardineria", "C2", 4),
                Title("Peó de jardineria", "AP", 3),
                Title("Inspector/a de medi ambient", "C1", 1),
                Title("Tècnic/a d'energia", "A2", 1),
            ),
            ("TEC-MAM-01", "TEC-MAM-02", "TEC-MAM-03"),
            ("1.1", "1.3", "2.1", "4.1", "4.4", "5.2"),
            female_share=0.35,
            labour_share=0.45,
        ),
        Family(
            "TIC",
            "Tecnologies de la informació",
            (
                Title("Tècnic/a superior TIC", "A1", 2),
                Title("Analista programador/a", "A2", 3),
                Title("Tècnic/a de sistemes", "A2", 2),
                Title("Tècnic/a de suport informàtic", "C1", 3),
                Title("Responsable de seguretat de la informació", "A1", 0.5, critical=True),
            ),
            ("TEC-TIC-01", "TEC-TIC-02", "TEC-TIC-03"),
            ("1.3", "2.4", "3.2", "3.4", "4.1", "4.2", "5.1", "5.2"),
            female_share=0.28,
        ),
        Family(
            "PRO",
            "Promoció econòmica",
            (
                Title("Agent de desenvolupament local", "A2", 2),
                Title("Tècnic/a d'ocupació", "A2", 2),
                Title("Orientador/a laboral", "A2", 2),
                Title("Tècnic/a de turisme", "A2", 1),
                Title("Informador/a turístic/a", "C1", 2),
                Title("Tècnic/a de comerç", "A2", 1),
            ),
            ("TEC-PRO-01", "TEC-PRO-02"),
            ("1.1", "1.2", "2.1", "2.3", "3.1", "5.2"),
            female_share=0.7,
            labour_share=0.4,
            interim_share=0.2,
        ),
        Family(
            "SAL",
            "Salut pública",
            (
                Title("Tècnic/a de salut pública", "A2", 2),
                Title("Inspector/a sanitari/ària", "A2", 1, critical=True),
                Title("Veterinari/ària", "A1", 0.5),
            ),
            ("TEC-SAL-01", "TEC-ADM-01"),
            ("1.1", "1.2", "1.3", "2.1", "4.2"),
            female_share=0.7,
        ),
        Family(
            "COM",
            "Comunicació i participació",
            (
                Title("Periodista", "A1", 2),
                Title("Tècnic/a de comunicació", "A2", 2),
                Title("Dissenyador/a gràfic/a", "C1", 1),
                Title("Tècnic/a de participació ciutadana", "A2", 1),
            ),
            ("TEC-COM-01", "TEC-COM-02"),
            ("1.2", "2.2", "2.3", "2.6", "3.1", "3.2", "3.3"),
            female_share=0.65,
        ),
        Family(
            "RHU",
            "Recursos humans",
            (
                Title("Tècnic/a de recursos humans", "A1", 2),
                Title("Tècnic/a de gestió de personal", "A2", 2),
                Title("Tècnic/a de formació", "A2", 2),
                Title("Tècnic/a de prevenció de riscos laborals", "A2", 1),
                Title("Administratiu/va", "C1", 2),
                Title("Auxiliar administratiu/va", "C2", 2),
            ),
            ("TEC-RHU-01", "TEC-RHU-02", "TEC-RHU-03"),
            _OFFICE_DIGITAL,
            female_share=0.75,
        ),
        Family(
            "OAC",
            "Atenció ciutadana",
            (
                Title("Informador/a d'atenció ciutadana", "C1", 4),
                Title("Auxiliar d'atenció ciutadana", "C2", 4),
                Title("Tècnic/a d'atenció ciutadana", "A2", 1),
            ),
            ("TEC-OAC-01", "TEC-ADM-01"),
            ("1.1", "2.1", "2.3", "2.5", "4.2", "5.1"),
            female_share=0.78,
            interim_share=0.24,
        ),
        Family(
            "GAB",
            "Gabinet i direcció",
            (
                Title("Assessor/a de l'Alcaldia", "A1", 2),
                Title("Secretari/ària de direcció", "C1", 1),
            ),
            ("TEC-COM-01", "TEC-JUR-01"),
            _OFFICE_DIGITAL,
        ),
    )
}

HEAD_FAMILY = "Direcció i comandament"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    weight: float  # relative head count
    families: tuple[str, ...]
    children: tuple[UnitSpec, ...] = ()
    head: str = ""  # head position title when the generic "Cap de ..." does not fit
    head_group: str = ""


def U(code, name, kind, weight, families, *children, head="", head_group=""):  # noqa: N802 - a tree literal
    return UnitSpec(code, name, kind, weight, tuple(families.split()), tuple(children), head, head_group)


CENTRAL = U(
    "AJT",
    "{organisation}",
    AREA,
    1,
    "ADM",
    U(
        "ALC",
        "Alcaldia",
        AREA,
        1,
        "GAB",
        U("ALC.GAB", "Gabinet d'Alcaldia", OFFICE, 3, "GAB"),
        U("ALC.SEC", "Secretaria General", DEPARTMENT, 5, "JUR ADM", head="Secretari/ària general"),
        U("ALC.SEC.AJ", "Secció d'Assessoria Jurídica", SECTION, 3, "JUR"),
        U("ALC.SEC.REG", "Oficina de Registre i Arxiu", OFFICE, 4, "ADM"),
        U("ALC.INT", "Intervenció General", DEPARTMENT, 5, "ECO", head="Interventor/a general"),
        U("ALC.COM", "Servei de Comunicació i Premsa", SERVICE, 4, "COM"),
        U("ALC.TRA", "Oficina de Transparència i Participació", OFFICE, 2, "COM ADM"),
        head="Cap de l'Alcaldia",
    ),
    U(
        "SP",
        "Àrea de Serveis a les Persones",
        AREA,
        2,
        "ADM",
        U(
            "SP.SS",
            "Departament de Serveis Socials",
            DEPARTMENT,
            3,
            "SOC ADM",
            U("SP.SS.BAS", "Servei de Serveis Socials Bàsics", SERVICE, 30, "SOC"),
            U("SP.SS.GG", "Servei d'Atenció a la Gent Gran i la Dependència", SERVICE, 14, "SOC"),
            U("SP.SS.INF", "Servei d'Infància, Adolescència i Famílies", SERVICE, 12, "SOC"),
        ),
        U(
            "SP.ED",
            "Departament d'Educació",
            DEPARTMENT,
            3,
            "EDU ADM",
            U("SP.ED.EB", "Servei d'Escoles Bressol Municipals", SERVICE, 40, "EDU"),
            U("SP.ED.PE", "Servei de Programes Educatius", SERVICE, 8, "EDU"),
        ),
        U("SP.SAL", "Servei de Salut Pública", SERVICE, 8, "SAL"),
        U("SP.HAB", "Servei d'Habitatge", SERVICE, 7, "ADM SOC"),
        U("SP.JOV", "Servei de Joventut", SERVICE, 4, "JOV"),
        U("SP.IGU", "Servei d'Igualtat i Feminismes", SERVICE, 3, "JOV"),
    ),
    U(
        "UT",
        "Àrea d'Urbanisme i Territori",
        AREA,
        2,
        "ADM",
        U(
            "UT.PLA",
            "Departament de Planejament i Gestió Urbanística",
            DEPARTMENT,
            4,
            "URB",
            U("UT.PLA.LLI", "Secció de Llicències d'Obres", SECTION, 6, "URB ADM"),
            U("UT.PLA.DIS", "Secció de Disciplina Urbanística", SECTION, 4, "URB"),
        ),
        U("UT.OBR", "Departament d'Obres i Projectes", DEPARTMENT, 6, "URB"),
        U(
            "UT.MAN",
            "Departament de Manteniment de la Via Pública",
            DEPARTMENT,
            3,
            "BRI",
            U(
                "UT.MAN.BRI",
                "Brigada Municipal d'Obres",
                SERVICE,
                35,
                "BRI",
                head="Encarregat/da general de la Brigada Municipal d'Obres",
                head_group="C1",
            ),
            U("UT.MAN.ENL", "Servei d'Enllumenat Públic", SERVICE, 8, "BRI"),
        ),
        U("UT.MOB", "Servei de Mobilitat", SERVICE, 5, "URB ADM"),
    ),
    U(
        "HI",
        "Àrea d'Hisenda i Règim Intern",
        AREA,
        2,
        "ADM",
        U(
            "HI.RH",
            "Departament de Recursos Humans",
            DEPARTMENT,
            3,
            "RHU",
            U("HI.RH.GP", "Servei de Gestió de Personal", SERVICE, 8, "RHU"),
            U("HI.RH.FD", "Servei de Formació i Desenvolupament", SERVICE, 4, "RHU"),
            U("HI.RH.PRL", "Servei de Prevenció de Riscos Laborals", SERVICE, 3, "RHU"),
        ),
        U(
            "HI.HIS",
            "Departament d'Hisenda",
            DEPARTMENT,
            3,
            "ECO",
            U("HI.HIS.TRI", "Servei de Gestió Tributària", SERVICE, 10, "ECO ADM"),
            U("HI.HIS.TRE", "Tresoreria", SERVICE, 5, "ECO", head="Tresorer/a"),
            U("HI.HIS.PRE", "Servei de Comptabilitat i Pressupostos", SERVICE, 5, "ECO"),
        ),
        U("HI.CON", "Servei de Contractació i Compres", SERVICE, 6, "JUR ADM"),
        U(
            "HI.TIC",
            "Departament de Tecnologies de la Informació",
            DEPARTMENT,
            4,
            "TIC",
            U("HI.TIC.SIS", "Servei de Sistemes i Infraestructures", SERVICE, 7, "TIC"),
            U("HI.TIC.AE", "Servei d'Administració Electrònica", SERVICE, 6, "TIC ADM"),
        ),
        U("HI.OAC", "Oficina d'Atenció Ciutadana", OFFICE, 14, "OAC"),
    ),
    U(
        "SC",
        "Àrea de Seguretat Ciutadana",
        AREA,
        1,
        "ADM",
        U(
            "SC.PL",
            "Policia Local",
            DEPARTMENT,
            8,
            "SEG",
            U("SC.PL.SEG", "Unitat de Seguretat Ciutadana", SECTION, 70, "SEG"),
            U("SC.PL.TRA", "Unitat de Trànsit", SECTION, 30, "SEG"),
            U("SC.PL.PRO", "Unitat de Policia de Proximitat", SECTION, 25, "SEG"),
            U("SC.PL.AV", "Unitat d'Atenció a la Víctima", SECTION, 6, "SEG"),
            head="Intendent/a en cap de la Policia Local",
        ),
        U("SC.PC", "Servei de Protecció Civil", SERVICE, 4, "SEG"),
    ),
    U(
        "CE",
        "Àrea de Cultura i Esports",
        AREA,
        1,
        "ADM",
        U(
            "CE.CUL",
            "Departament de Cultura",
            DEPARTMENT,
            3,
            "CUL",
            U(
                "CE.CUL.BIB",
                "Xarxa de Biblioteques Municipals",
                SERVICE,
                18,
                "CUL",
                head="Director/a de la Xarxa de Biblioteques Municipals",
            ),
            U("CE.CUL.MUS", "Servei de Museus i Patrimoni", SERVICE, 6, "CUL"),
            U(
                "CE.CUL.EMM",
                "Escola Municipal de Música",
                SERVICE,
                14,
                "CUL",
                head="Director/a de l'Escola Municipal de Música",
            ),
        ),
        U(
            "CE.ESP",
            "Departament d'Esports",
            DEPARTMENT,
            2,
            "ESP",
            U("CE.ESP.EQ", "Servei d'Equipaments Esportius", SERVICE, 18, "ESP"),
            U("CE.ESP.PRO", "Servei de Promoció Esportiva", SERVICE, 6, "ESP"),
        ),
        U("CE.FES", "Servei de Festes i Tradicions", SERVICE, 3, "CUL"),
    ),
    U(
        "MA",
        "Àrea de Medi Ambient i Sostenibilitat",
        AREA,
        1,
        "ADM",
        U("MA.PJ", "Servei de Parcs i Jardins", SERVICE, 25, "MAM"),
        U("MA.RES", "Servei de Residus i Neteja Viària", SERVICE, 10, "MAM"),
        U("MA.QA", "Servei de Qualitat Ambiental", SERVICE, 5, "MAM"),
        U("MA.ENE", "Oficina de l'Energia", OFFICE, 3, "MAM"),
    ),
    U(
        "PE",
        "Àrea de Promoció Econòmica",
        AREA,
        1,
        "ADM",
        U("PE.OCU", "Servei d'Ocupació i Formació", SERVICE, 10, "PRO"),
        U("PE.COM", "Servei de Comerç i Mercats", SERVICE, 5, "PRO"),
        U("PE.TUR", "Servei de Turisme", SERVICE, 5, "PRO"),
        U("PE.EMP", "Oficina d'Atenció a l'Empresa", OFFICE, 3, "PRO ADM"),
    ),
    head="Gerent/a municipal",
)

# A district repeats the services delivered close to the citizens. Codes are relative to the district's.
DISTRICT_DEPARTMENTS = (
    (
        "SP",
        "Departament de Serveis a les Persones",
        "ADM",
        (
            ("SSB", "Servei de Serveis Socials Bàsics", "SOC"),
            ("EB", "Servei d'Escoles Bressol", "EDU"),
            ("GG", "Servei d'Atenció a la Gent Gran", "SOC"),
            ("JOV", "Servei de Joventut i Igualtat", "JOV"),
        ),
    ),
    (
        "PL",
        "Comissaria de Districte de la Policia Local",
        "SEG",
        (
            ("SEG", "Unitat de Seguretat Ciutadana", "SEG"),
            ("TRA", "Unitat de Trànsit", "SEG"),
            ("PRO", "Unitat de Policia de Proximitat", "SEG"),
            ("AV", "Unitat d'Atenció a la Víctima", "SEG"),
        ),
    ),
    (
        "TER",
        "Departament de Territori i Manteniment",
        "URB",
        (
            ("LLI", "Secció de Llicències", "URB ADM"),
            ("BRI", "Brigada de Districte", "BRI"),
            ("PJ", "Servei de Parcs i Jardins", "MAM"),
            ("NET", "Servei de Neteja i Residus", "MAM"),
        ),
    ),
    (
        "CUL",
        "Departament de Cultura i Esports",
        "CUL",
        (
            ("BIB", "Biblioteca de Districte", "CUL"),
            ("CC", "Centre Cívic", "CUL"),
            ("ESP", "Servei d'Equipaments Esportius", "ESP"),
            ("CGG", "Casal de Gent Gran", "SOC"),
        ),
    ),
    (
        "ATC",
        "Departament d'Atenció Ciutadana i Serveis Generals",
        "OAC",
        (
            ("OAC", "Oficina d'Atenció Ciutadana", "OAC"),
            ("ADM", "Secció d'Administració", "ADM"),
            ("TIC", "Suport Informàtic", "TIC"),
            ("TRI", "Gestió Tributària", "ECO ADM"),
        ),
    ),
    (
        "PRO",
        "Departament de Promoció Econòmica i Salut",
        "PRO",
        (
            ("OCU", "Servei d'Ocupació", "PRO"),
            ("COM", "Servei de Comerç", "PRO"),
            ("SAL", "Servei de Salut Pública", "SAL"),
            ("HAB", "Servei d'Habitatge", "ADM SOC"),
        ),
    ),
)
UNITS_PER_DISTRICT = 1 + len(DISTRICT_DEPARTMENTS) + sum(len(d[3]) for d in DISTRICT_DEPARTMENTS)
SERVICES_PER_DISTRICT = sum(len(d[3]) for d in DISTRICT_DEPARTMENTS)

DISTRICTS = (
    "Llevant",
    "Ponent",
    "Centre",
    "el Port",
    "la Marina",
    "Sant Pere",
    "Sant Joan",
    "Santa Maria",
    "el Castell",
    "la Riera",
    "el Pla",
    "les Hortes",
    "la Muntanya",
    "el Fortí",
    "Can Pujol",
    "la Serra",
    "el Molí",
    "la Font",
    "els Pins",
    "el Raval",
    "la Platja",
    "Sant Jaume",
    "la Creu",
    "Santa Anna",
    "el Bosc",
    "la Plana",
    "el Carme",
    "els Horts",
    "la Torre",
    "Sant Antoni",
    "les Roquetes",
    "el Far",
    "la Salut",
    "Bellavista",
    "el Turó",
    "Montsolí",
    "Can Vidal",
    "la Sínia",
    "el Serrat",
    "les Vinyes",
)
EMPLOYEES_PER_UNIT = 40


@dataclass
class PlannedUnit:
    """One unit to create; ``index`` is its place in creation order (parents always come first)."""

    index: int
    code: str
    name: str
    kind: str
    weight: float
    families: tuple[str, ...]
    parent: int | None
    depth: int
    head: str = ""
    head_group: str = ""
    children: list[int] = field(default_factory=list)


def plan_units(employees: int, organisation: str) -> list[PlannedUnit]:
    """The central structure, plus districts (and zones under their services) for large organisations."""
    units: list[PlannedUnit] = []

    def add(code, name, kind, weight, families, parent, head="", head_group=""):
        depth = units[parent].depth + 1 if parent is not None else 0
        unit = PlannedUnit(len(units), code, name, kind, weight, families, parent, depth, head, head_group)
        units.append(unit)
        if parent is not None:
            units[parent].children.append(unit.index)
        return unit.index

    def walk(spec: UnitSpec, parent: int | None) -> None:
        name = spec.name.format(organisation=organisation)
        index = add(
            spec.code, name, spec.kind, spec.weight, spec.families, parent, spec.head, spec.head_group
        )
        for child in spec.children:
            walk(child, index)

    walk(CENTRAL, None)
    extra = employees // EMPLOYEES_PER_UNIT - len(units)
    if extra <= 0:
        return units
    districts = max(1, min(len(DISTRICTS), math.ceil(extra / 150)))
    per_district = extra / districts
    zones = max(0, round((per_district - UNITS_PER_DISTRICT) / SERVICES_PER_DISTRICT))
    for number in range(districts):
        label = DISTRICTS[number]
        prefix = f"D{number + 1:02d}"
        district = add(prefix, f"Districte {_of_place(label)}", AREA, 2, ("ADM",), 0)
        for code, name, families, services in DISTRICT_DEPARTMENTS:
            department = add(
                f"{prefix}.{code}", f"{name} ({label})", DEPARTMENT, 3, tuple(families.split()), district
            )
            for service_code, service_name, service_families in services:
                service = add(
                    f"{prefix}.{code}.{service_code}",
                    f"{service_name} ({label})",
                    SERVICE,
                    12,
                    tuple(service_families.split()),
                    department,
                )
                for zone in range(1, zones + 1):
                    add(
                        f"{prefix}.{code}.{service_code}.Z{zone}",
                        f"{service_name} ({label}) · Zona {zone}",
                        SECTION,
                        9,
                        tuple(service_families.split()),
                        service,
                    )
    return units


_FEMININE = (
    "Secció",
    "Unitat",
    "Xarxa",
    "Brigada",
    "Policia",
    "Tresoreria",
    "Intervenció",
    "Secretaria",
    "Alcaldia",
    "Comissaria",
    "Biblioteca",
    "Gestió",
    "Oficina",
    "Àrea",
    "Escola",
)


def _of_place(name: str) -> str:
    """Catalan "de" + a place name: "de Llevant", "del Port", "dels Pins", "de la Marina"."""
    if name.startswith(("el ", "els ")):
        return "d" + name
    return "de " + name


def _of(name: str) -> str:
    """Catalan "de" + article + a unit's name: "del Servei", "de la Secció", "de l'Àrea", "de la Unitat"."""
    first = name.split()[0]
    feminine = first in _FEMININE
    if feminine and first[0] in "IUiuÍÚ":
        return "de la " + name  # la intervenció, la unitat: no apostrophe before an unstressed i/u
    if first[0] in "AEIOUÀÈÉÍÒÓÚaeiouhH":
        return "de l'" + name
    return ("de la " if feminine else "del ") + name


def head_title(unit: PlannedUnit) -> str:
    if unit.head:
        return unit.head
    if "· Zona" in unit.name:
        return f"Coordinador/a de zona · {unit.name}"
    if unit.kind == AREA:
        return f"Director/a {_of(unit.name)}"
    return f"Cap {_of(unit.name)}"


def head_group(unit: PlannedUnit) -> str:
    if unit.head_group:
        return unit.head_group
    if unit.depth <= 2:
        return "A1"
    return {SERVICE: "A1", SECTION: "A2", OFFICE: "A2"}.get(unit.kind, "A1")
