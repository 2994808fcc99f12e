"""Transversal competency dictionary for local government (``CLO-TRANSVERSAL``).

Pure data, no Django: a 4-level proficiency scale (``clo-4``: initial, operational, advanced, expert), the
framework metadata and 4 areas (personal and ethical, relational and citizen service, organisational and
digital, leadership) with 13 competencies. Each competency has a ``kind`` (a ``Competency.Kind`` value) and,
for every level 1-4, two or three observable behavioural indicators of a municipal employee at that level.
Every text is a dict with the keys ``ca``, ``es`` and ``en``; indicators are lists of sentences per language.

Source and licence: original text written for the clo project (not copied from any published dictionary),
distributed under the project's own licence.
"""

SCALE = {
    "code": "clo-4",
    "name": {
        "ca": "Escala de domini de 4 nivells",
        "es": "Escala de dominio de 4 niveles",
        "en": "4-level proficiency scale",
    },
    "description": {
        "ca": (
            "Escala pròpia per valorar el grau de domini de les competències transversals, des del nivell "
            "inicial fins al d'expert. Cada nivell inclou els anteriors."
        ),
        "es": (
            "Escala propia para valorar el grado de dominio de las competencias transversales, desde el "
            "nivel inicial hasta el de experto. Cada nivel incluye los anteriores."
        ),
        "en": (
            "The project's own scale for assessing proficiency in transversal competencies, from initial to "
            "expert. Each level includes the previous ones."
        ),
    },
    "levels": [
        {
            "value": 1,
            "label": {"ca": "Inicial", "es": "Inicial", "en": "Initial"},
            "band": {"ca": "Inicial", "es": "Inicial", "en": "Initial"},
            "descriptor": {
                "ca": (
                    "Coneix els fonaments de la competència i l'aplica en situacions senzilles i habituals, "
                    "amb orientació o supervisió."
                ),
                "es": (
                    "Conoce los fundamentos de la competencia y la aplica en situaciones sencillas y "
                    "habituales, con orientación o supervisión."
                ),
                "en": (
                    "Knows the basics of the competency and applies them in simple, everyday situations, "
                    "with guidance or supervision."
                ),
            },
        },
        {
            "value": 2,
            "label": {"ca": "Operatiu", "es": "Operativo", "en": "Operational"},
            "band": {"ca": "Operatiu", "es": "Operativo", "en": "Operational"},
            "descriptor": {
                "ca": (
                    "Aplica la competència amb autonomia en les situacions habituals del seu lloc de treball "
                    "i resol les incidències més freqüents sense necessitat de supervisió."
                ),
                "es": (
                    "Aplica la competencia con autonomía en las situaciones habituales de su puesto de "
                    "trabajo y resuelve las incidencias más frecuentes sin necesidad de supervisión."
                ),
                "en": (
                    "Applies the competency autonomously in the usual situations of their job and resolves "
                    "the most frequent issues without needing supervision."
                ),
            },
        },
        {
            "value": 3,
            "label": {"ca": "Avançat", "es": "Avanzado", "en": "Advanced"},
            "band": {"ca": "Avançat", "es": "Avanzado", "en": "Advanced"},
            "descriptor": {
                "ca": (
                    "Aplica la competència en situacions complexes o imprevistes, adapta la manera de fer al "
                    "context i és un referent i un suport per a altres persones de l'equip."
                ),
                "es": (
                    "Aplica la competencia en situaciones complejas o imprevistas, adapta su forma de actuar "
                    "al contexto y es un referente y un apoyo para otras personas del equipo."
                ),
                "en": (
                    "Applies the competency in complex or unforeseen situations, adapts their approach to "
                    "the context and is a point of reference and support for others in the team."
                ),
            },
        },
        {
            "value": 4,
            "label": {"ca": "Expert", "es": "Experto", "en": "Expert"},
            "band": {"ca": "Expert", "es": "Experto", "en": "Expert"},
            "descriptor": {
                "ca": (
                    "És un referent per a l'organització: defineix criteris, procediments i millores, forma "
                    "altres persones i impulsa la competència més enllà de la pròpia unitat."
                ),
                "es": (
                    "Es un referente para la organización: define criterios, procedimientos y mejoras, forma "
                    "a otras personas e impulsa la competencia más allá de su propia unidad."
                ),
                "en": (
                    "Is a point of reference for the organisation: defines criteria, procedures and "
                    "improvements, trains others and promotes the competency beyond their own unit."
                ),
            },
        },
    ],
}

FRAMEWORK = {
    "code": "CLO-TRANSVERSAL",
    "name": {
        "ca": "Diccionari de competències transversals de l'administració local",
        "es": "Diccionario de competencias transversales de la administración local",
        "en": "Local government transversal competency dictionary",
    },
    "description": {
        "ca": (
            "Diccionari propi de competències transversals per al personal de l'Ajuntament, amb indicadors "
            "de conducta observables per a cada nivell de domini. Agrupa competències personals i ètiques, "
            "relacionals i de servei a la ciutadania, organitzatives i digitals, i de lideratge per als "
            "comandaments."
        ),
        "es": (
            "Diccionario propio de competencias transversales para el personal del Ayuntamiento, con "
            "indicadores de conducta observables para cada nivel de dominio. Agrupa competencias personales "
            "y éticas, relacionales y de servicio a la ciudadanía, organizativas y digitales, y de liderazgo "
            "para los mandos."
        ),
        "en": (
            "The council's own dictionary of transversal competencies for its staff, with observable "
            "behavioural indicators for each proficiency level. It groups personal and ethical, relational "
            "and citizen service, organisational and digital, and leadership competencies for managers."
        ),
    },
    "version": "1.0",
    "source": "clo",
}

AREAS = [
    {
        "code": "PER",
        "name": {
            "ca": "Competències personals i ètiques",
            "es": "Competencias personales y éticas",
            "en": "Personal and ethical competencies",
        },
        "description": {
            "ca": (
                "Actituds i valors personals que sustenten l'exercici professional en el servei públic: "
                "integritat, adaptació al canvi i aprenentatge."
            ),
            "es": (
                "Actitudes y valores personales que sustentan el ejercicio profesional en el servicio "
                "público: integridad, adaptación al cambio y aprendizaje."
            ),
            "en": (
                "Personal attitudes and values that underpin professional practice in public service: "
                "integrity, adaptation to change and learning."
            ),
        },
        "competencies": [
            {
                "code": "T01",
                "kind": "transversal",
                "name": {
                    "ca": "Ètica i integritat pública",
                    "es": "Ética e integridad pública",
                    "en": "Ethics and public integrity",
                },
                "description": {
                    "ca": (
                        "Actua amb honestedat, imparcialitat i transparència, anteposa l'interès públic als "
                        "interessos particulars i fa un ús responsable dels recursos públics, d'acord amb el "
                        "codi de conducta de l'Ajuntament."
                    ),
                    "es": (
                        "Actúa con honestidad, imparcialidad y transparencia, antepone el interés público a "
                        "los intereses particulares y hace un uso responsable de los recursos públicos, de "
                        "acuerdo con el código de conducta del Ayuntamiento."
                    ),
                    "en": (
                        "Acts with honesty, impartiality and transparency, puts the public interest before "
                        "private interests and uses public resources responsibly, in line with the council's "
                        "code of conduct."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Coneix els principis bàsics del codi de conducta i el deure de "
                                "confidencialitat i els aplica en les tasques diàries."
                            ),
                            (
                                "Tracta totes les persones usuàries per igual, sense favoritismes ni "
                                "discriminacions."
                            ),
                            (
                                "Consulta la persona responsable quan dubta si una situació pot suposar un "
                                "conflicte d'interessos."
                            ),
                        ],
                        "es": [
                            (
                                "Conoce los principios básicos del código de conducta y el deber de "
                                "confidencialidad y los aplica en sus tareas diarias."
                            ),
                            (
                                "Trata a todas las personas usuarias por igual, sin favoritismos ni "
                                "discriminaciones."
                            ),
                            (
                                "Consulta a la persona responsable cuando duda si una situación puede "
                                "suponer un conflicto de intereses."
                            ),
                        ],
                        "en": [
                            (
                                "Knows the basic principles of the code of conduct and the duty of "
                                "confidentiality and applies them in daily tasks."
                            ),
                            "Treats all service users equally, without favouritism or discrimination.",
                            (
                                "Consults the person in charge when unsure whether a situation may involve a "
                                "conflict of interest."
                            ),
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Aplica amb autonomia les normes sobre incompatibilitats, obsequis i "
                                "conflictes d'interessos, i declara els que l'afecten."
                            ),
                            (
                                "Tracta les dades personals i la informació confidencial només per a la "
                                "finalitat per a la qual es van recollir."
                            ),
                            (
                                "Fa servir el material, el temps i els recursos de l'Ajuntament "
                                "exclusivament per a finalitats públiques."
                            ),
                        ],
                        "es": [
                            (
                                "Aplica con autonomía las normas sobre incompatibilidades, obsequios y "
                                "conflictos de intereses, y declara los que le afectan."
                            ),
                            (
                                "Trata los datos personales y la información confidencial solo para la "
                                "finalidad para la que se recogieron."
                            ),
                            (
                                "Utiliza el material, el tiempo y los recursos del Ayuntamiento "
                                "exclusivamente para fines públicos."
                            ),
                        ],
                        "en": [
                            (
                                "Applies the rules on incompatibilities, gifts and conflicts of interest on "
                                "their own, and declares any that affect them."
                            ),
                            (
                                "Handles personal data and confidential information only for the purpose for "
                                "which it was collected."
                            ),
                            (
                                "Uses the council's materials, time and resources exclusively for public "
                                "purposes."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Identifica els riscos ètics en els procediments de la seva unitat i proposa "
                                "mesures per prevenir-los."
                            ),
                            (
                                "Motiva les decisions i en deixa constància de manera traçable perquè es "
                                "puguin revisar i explicar a la ciutadania."
                            ),
                            (
                                "Orienta els companys i companyes davant de dilemes ètics i comunica les "
                                "irregularitats pels canals establerts."
                            ),
                        ],
                        "es": [
                            (
                                "Identifica los riesgos éticos en los procedimientos de su unidad y propone "
                                "medidas para prevenirlos."
                            ),
                            (
                                "Motiva las decisiones y deja constancia de ellas de forma trazable para que "
                                "puedan revisarse y explicarse a la ciudadanía."
                            ),
                            (
                                "Orienta a sus compañeros y compañeras ante dilemas éticos y comunica las "
                                "irregularidades por los canales establecidos."
                            ),
                        ],
                        "en": [
                            (
                                "Identifies ethical risks in their unit's procedures and proposes measures "
                                "to prevent them."
                            ),
                            (
                                "Gives reasons for decisions and records them in a traceable way so that "
                                "they can be reviewed and explained to citizens."
                            ),
                            (
                                "Guides colleagues facing ethical dilemmas and reports irregularities "
                                "through the established channels."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Participa en el disseny i la revisió del sistema d'integritat de "
                                "l'Ajuntament: codi de conducta, mapes de riscos i bústia ètica."
                            ),
                            (
                                "Impulsa una cultura de transparència i de rendició de comptes més enllà de "
                                "la pròpia unitat, amb formació i amb l'exemple."
                            ),
                            (
                                "Actua com a referent en casos complexos, ponderant l'interès públic, la "
                                "legalitat i els drets de les persones afectades."
                            ),
                        ],
                        "es": [
                            (
                                "Participa en el diseño y la revisión del sistema de integridad del "
                                "Ayuntamiento: código de conducta, mapas de riesgos y canal interno de "
                                "información."
                            ),
                            (
                                "Impulsa una cultura de transparencia y de rendición de cuentas más allá de "
                                "su unidad, con formación y con el ejemplo."
                            ),
                            (
                                "Actúa como referente en casos complejos, ponderando el interés público, la "
                                "legalidad y los derechos de las personas afectadas."
                            ),
                        ],
                        "en": [
                            (
                                "Takes part in designing and reviewing the council's integrity system: code "
                                "of conduct, risk maps and whistleblowing channel."
                            ),
                            (
                                "Promotes a culture of transparency and accountability beyond their own "
                                "unit, through training and by example."
                            ),
                            (
                                "Acts as a point of reference in complex cases, weighing the public "
                                "interest, legality and the rights of the people affected."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T02",
                "kind": "transversal",
                "name": {
                    "ca": "Adaptabilitat i gestió del canvi",
                    "es": "Adaptabilidad y gestión del cambio",
                    "en": "Adaptability and change management",
                },
                "description": {
                    "ca": (
                        "S'adapta a situacions, eines, normatives i maneres de treballar noves, manté el "
                        "rendiment i contribueix positivament als canvis de l'organització."
                    ),
                    "es": (
                        "Se adapta a situaciones, herramientas, normativas y formas de trabajar nuevas, "
                        "mantiene el rendimiento y contribuye positivamente a los cambios de la organización."
                    ),
                    "en": (
                        "Adapts to new situations, tools, regulations and ways of working, maintains "
                        "performance and contributes positively to change in the organisation."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Accepta els canvis en les tasques, els horaris o les eines i demana la "
                                "informació necessària per aplicar-los."
                            ),
                            "Segueix les instruccions o els procediments nous quan se li explica com fer-ho.",
                            (
                                "Manté una actitud respectuosa davant dels canvis, fins i tot quan li "
                                "suposen un esforç addicional."
                            ),
                        ],
                        "es": [
                            (
                                "Acepta los cambios en las tareas, los horarios o las herramientas y pide la "
                                "información necesaria para aplicarlos."
                            ),
                            (
                                "Sigue las nuevas instrucciones o procedimientos cuando se le explica cómo "
                                "hacerlo."
                            ),
                            (
                                "Mantiene una actitud respetuosa ante los cambios, incluso cuando le suponen "
                                "un esfuerzo adicional."
                            ),
                        ],
                        "en": [
                            (
                                "Accepts changes in tasks, schedules or tools and asks for the information "
                                "needed to apply them."
                            ),
                            "Follows new instructions or procedures once shown how to do so.",
                            "Keeps a respectful attitude towards change, even when it means extra effort.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Incorpora amb rapidesa i sense perdre qualitat les normatives, aplicacions "
                                "o procediments nous a la seva feina."
                            ),
                            (
                                "Reorganitza la pròpia feina quan canvien les prioritats o sorgeixen "
                                "imprevistos."
                            ),
                            (
                                "Expressa els dubtes o desacords de manera constructiva, acompanyats de "
                                "propostes."
                            ),
                        ],
                        "es": [
                            (
                                "Incorpora con rapidez y sin perder calidad las nuevas normativas, "
                                "aplicaciones o procedimientos a su trabajo."
                            ),
                            (
                                "Reorganiza su propio trabajo cuando cambian las prioridades o surgen "
                                "imprevistos."
                            ),
                            (
                                "Expresa sus dudas o desacuerdos de manera constructiva, acompañados de "
                                "propuestas."
                            ),
                        ],
                        "en": [
                            (
                                "Quickly incorporates new regulations, applications or procedures into their "
                                "work without losing quality."
                            ),
                            "Reorganises their own work when priorities change or unforeseen events arise.",
                            "Voices doubts or disagreements constructively, together with proposals.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Anticipa els efectes d'un canvi en la seva unitat i ajuda els companys i "
                                "companyes a adaptar-s'hi."
                            ),
                            (
                                "Actua amb eficàcia en situacions d'incertesa o d'emergència, ajustant "
                                "criteris i mètodes al context."
                            ),
                            "Proposa millores quan un canvi posa en evidència pràctiques obsoletes.",
                        ],
                        "es": [
                            (
                                "Anticipa los efectos de un cambio en su unidad y ayuda a sus compañeros y "
                                "compañeras a adaptarse."
                            ),
                            (
                                "Actúa con eficacia en situaciones de incertidumbre o de emergencia, "
                                "ajustando criterios y métodos al contexto."
                            ),
                            "Propone mejoras cuando un cambio pone en evidencia prácticas obsoletas.",
                        ],
                        "en": [
                            (
                                "Anticipates the effects of a change on their unit and helps colleagues "
                                "adapt to it."
                            ),
                            (
                                "Acts effectively in situations of uncertainty or emergency, adjusting "
                                "criteria and methods to the context."
                            ),
                            "Proposes improvements when a change exposes outdated practices.",
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Lidera o impulsa projectes de canvi que afecten diverses unitats i en "
                                "planifica la comunicació i l'acompanyament de les persones implicades."
                            ),
                            (
                                "Detecta aviat les resistències i les aborda amb escolta, informació i "
                                "participació."
                            ),
                            "Avalua els resultats del canvi i consolida els aprenentatges en l'organització.",
                        ],
                        "es": [
                            (
                                "Lidera o impulsa proyectos de cambio que afectan a varias unidades y "
                                "planifica su comunicación y el acompañamiento de las personas implicadas."
                            ),
                            (
                                "Detecta pronto las resistencias y las aborda con escucha, información y "
                                "participación."
                            ),
                            (
                                "Evalúa los resultados del cambio y consolida los aprendizajes en la "
                                "organización."
                            ),
                        ],
                        "en": [
                            (
                                "Leads or drives change projects affecting several units, planning "
                                "communication and support for the people involved."
                            ),
                            (
                                "Detects resistance early and addresses it through listening, information "
                                "and participation."
                            ),
                            (
                                "Evaluates the results of the change and embeds the lessons learned in the "
                                "organisation."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T03",
                "kind": "transversal",
                "name": {
                    "ca": "Aprenentatge continu",
                    "es": "Aprendizaje continuo",
                    "en": "Continuous learning",
                },
                "description": {
                    "ca": (
                        "Assumeix la responsabilitat del propi desenvolupament professional, manté els "
                        "coneixements actualitzats i comparteix el que aprèn perquè l'organització millori."
                    ),
                    "es": (
                        "Asume la responsabilidad de su propio desarrollo profesional, mantiene sus "
                        "conocimientos actualizados y comparte lo que aprende para que la organización "
                        "mejore."
                    ),
                    "en": (
                        "Takes responsibility for their own professional development, keeps their knowledge "
                        "up to date and shares what they learn so that the organisation improves."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Participa en les activitats formatives proposades per al seu lloc de "
                                "treball i n'aplica els continguts bàsics."
                            ),
                            (
                                "Pregunta als companys i companyes o a la persona responsable quan no sap "
                                "com fer alguna cosa."
                            ),
                            "Accepta els comentaris sobre la seva feina com una oportunitat de millora.",
                        ],
                        "es": [
                            (
                                "Participa en las actividades formativas propuestas para su puesto de "
                                "trabajo y aplica sus contenidos básicos."
                            ),
                            (
                                "Pregunta a sus compañeros y compañeras o a la persona responsable cuando no "
                                "sabe cómo hacer algo."
                            ),
                            "Acepta los comentarios sobre su trabajo como una oportunidad de mejora.",
                        ],
                        "en": [
                            (
                                "Takes part in the training activities proposed for their job and applies "
                                "the basic content."
                            ),
                            (
                                "Asks colleagues or the person in charge when they do not know how to do "
                                "something."
                            ),
                            "Accepts feedback on their work as an opportunity to improve.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Identifica les pròpies necessitats formatives i sol·licita els cursos o "
                                "recursos que hi donen resposta."
                            ),
                            "Es manté al dia dels canvis en la normativa i les eines del seu àmbit.",
                            "Aplica a la feina el que ha après en la formació i en valora el resultat.",
                        ],
                        "es": [
                            (
                                "Identifica sus propias necesidades formativas y solicita los cursos o "
                                "recursos que les dan respuesta."
                            ),
                            (
                                "Se mantiene al día de los cambios en la normativa y las herramientas de su "
                                "ámbito."
                            ),
                            "Aplica en su trabajo lo aprendido en la formación y valora el resultado.",
                        ],
                        "en": [
                            (
                                "Identifies their own training needs and requests the courses or resources "
                                "that meet them."
                            ),
                            "Keeps up to date with changes in the regulations and tools of their field.",
                            (
                                "Applies what they have learned in training to their work and assesses the "
                                "result."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Elabora i segueix un pla d'aprenentatge personal que combina cursos, "
                                "pràctica i autoaprenentatge."
                            ),
                            (
                                "Comparteix coneixement amb l'equip mitjançant guies, sessions breus o "
                                "l'acompanyament del personal de nova incorporació."
                            ),
                            "Cerca bones pràctiques en altres administracions i les adapta a la seva unitat.",
                        ],
                        "es": [
                            (
                                "Elabora y sigue un plan de aprendizaje personal que combina cursos, "
                                "práctica y autoaprendizaje."
                            ),
                            (
                                "Comparte conocimiento con el equipo mediante guías, sesiones breves o el "
                                "acompañamiento del personal de nueva incorporación."
                            ),
                            "Busca buenas prácticas en otras administraciones y las adapta a su unidad.",
                        ],
                        "en": [
                            (
                                "Draws up and follows a personal learning plan that combines courses, "
                                "practice and self-study."
                            ),
                            (
                                "Shares knowledge with the team through guides, short sessions or by "
                                "supporting newly joined staff."
                            ),
                            (
                                "Looks for good practices in other administrations and adapts them to their "
                                "unit."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Actua com a persona formadora interna o mentora i dissenya continguts "
                                "d'aprenentatge per a l'organització."
                            ),
                            (
                                "Impulsa comunitats de pràctica i mecanismes de transferència de coneixement "
                                "entre unitats."
                            ),
                            (
                                "Participa en xarxes professionals i incorpora a l'Ajuntament coneixements i "
                                "tendències nous."
                            ),
                        ],
                        "es": [
                            (
                                "Actúa como persona formadora interna o mentora y diseña contenidos de "
                                "aprendizaje para la organización."
                            ),
                            (
                                "Impulsa comunidades de práctica y mecanismos de transferencia de "
                                "conocimiento entre unidades."
                            ),
                            (
                                "Participa en redes profesionales e incorpora al Ayuntamiento nuevos "
                                "conocimientos y tendencias."
                            ),
                        ],
                        "en": [
                            (
                                "Acts as an internal trainer or mentor and designs learning content for the "
                                "organisation."
                            ),
                            (
                                "Promotes communities of practice and mechanisms for transferring knowledge "
                                "between units."
                            ),
                            (
                                "Takes part in professional networks and brings new knowledge and trends "
                                "into the council."
                            ),
                        ],
                    },
                },
            },
        ],
    },
    {
        "code": "REL",
        "name": {
            "ca": "Competències relacionals i de servei a la ciutadania",
            "es": "Competencias relacionales y de servicio a la ciudadanía",
            "en": "Relational and citizen service competencies",
        },
        "description": {
            "ca": (
                "Com ens relacionem amb la ciutadania i amb els companys i companyes: servei, comunicació, "
                "cooperació i igualtat."
            ),
            "es": (
                "Cómo nos relacionamos con la ciudadanía y con los compañeros y compañeras: servicio, "
                "comunicación, cooperación e igualdad."
            ),
            "en": (
                "How we relate to citizens and colleagues: service, communication, cooperation and equality."
            ),
        },
        "competencies": [
            {
                "code": "T04",
                "kind": "transversal",
                "name": {
                    "ca": "Atenció i servei a la ciutadania",
                    "es": "Atención y servicio a la ciudadanía",
                    "en": "Service to citizens",
                },
                "description": {
                    "ca": (
                        "Atén la ciutadania amb respecte, claredat i diligència, n'entén les necessitats i "
                        "dona respostes útils i acurades per qualsevol canal: presencial, telefònic o "
                        "digital."
                    ),
                    "es": (
                        "Atiende a la ciudadanía con respeto, claridad y diligencia, entiende sus "
                        "necesidades y da respuestas útiles y precisas por cualquier canal: presencial, "
                        "telefónico o digital."
                    ),
                    "en": (
                        "Serves citizens with respect, clarity and diligence, understands their needs and "
                        "gives useful, accurate answers through any channel: in person, by telephone or "
                        "online."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Tracta les persones amb cortesia i respecte i n'escolta la petició abans de "
                                "respondre."
                            ),
                            (
                                "Facilita informació bàsica sobre els serveis municipals a partir dels "
                                "materials disponibles."
                            ),
                            "Deriva a la unitat o la persona adequada les peticions que no pot resoldre.",
                        ],
                        "es": [
                            (
                                "Trata a las personas con cortesía y respeto y escucha su petición antes de "
                                "responder."
                            ),
                            (
                                "Facilita información básica sobre los servicios municipales a partir de los "
                                "materiales disponibles."
                            ),
                            "Deriva a la unidad o la persona adecuada las peticiones que no puede resolver.",
                        ],
                        "en": [
                            (
                                "Treats people with courtesy and respect and listens to their request before "
                                "answering."
                            ),
                            (
                                "Provides basic information about municipal services using the available "
                                "materials."
                            ),
                            "Refers requests they cannot resolve to the appropriate unit or person.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Resol amb autonomia les peticions més habituals i dins dels terminis "
                                "establerts."
                            ),
                            (
                                "Explica els tràmits i els requisits en llenguatge planer i comprova que la "
                                "persona ho ha entès."
                            ),
                            (
                                "Gestiona les queixes amb calma i les registra perquè se'n pugui fer el "
                                "seguiment."
                            ),
                        ],
                        "es": [
                            (
                                "Resuelve con autonomía las peticiones más habituales y dentro de los plazos "
                                "establecidos."
                            ),
                            (
                                "Explica los trámites y requisitos en lenguaje claro y comprueba que la "
                                "persona lo ha entendido."
                            ),
                            (
                                "Gestiona las quejas con calma y las registra para que se pueda hacer su "
                                "seguimiento."
                            ),
                        ],
                        "en": [
                            (
                                "Resolves the most common requests autonomously and within the established "
                                "deadlines."
                            ),
                            (
                                "Explains procedures and requirements in plain language and checks that the "
                                "person has understood."
                            ),
                            "Handles complaints calmly and records them so that they can be followed up.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Gestiona situacions complexes o conflictives i adapta l'atenció a persones "
                                "amb necessitats específiques o en risc d'exclusió."
                            ),
                            (
                                "Es coordina amb altres unitats perquè la ciutadania no hagi d'anar d'una "
                                "oficina a una altra."
                            ),
                            "Analitza les queixes i els suggeriments per proposar millores del servei.",
                        ],
                        "es": [
                            (
                                "Gestiona situaciones complejas o conflictivas y adapta la atención a "
                                "personas con necesidades específicas o en riesgo de exclusión."
                            ),
                            (
                                "Se coordina con otras unidades para que la ciudadanía no tenga que ir de "
                                "una oficina a otra."
                            ),
                            "Analiza las quejas y sugerencias para proponer mejoras del servicio.",
                        ],
                        "en": [
                            (
                                "Handles complex or conflictive situations and adapts the service to people "
                                "with specific needs or at risk of exclusion."
                            ),
                            (
                                "Coordinates with other units so that citizens do not have to go from one "
                                "office to another."
                            ),
                            "Analyses complaints and suggestions to propose improvements to the service.",
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Dissenya o redissenya serveis i canals des del punt de vista de la "
                                "ciutadania, amb dades i amb la participació de les persones usuàries."
                            ),
                            "Defineix estàndards i compromisos de qualitat del servei i en fa el seguiment.",
                            (
                                "Impulsa una cultura de servei a tota l'organització i hi forma altres "
                                "professionals."
                            ),
                        ],
                        "es": [
                            (
                                "Diseña o rediseña servicios y canales desde el punto de vista de la "
                                "ciudadanía, con datos y con la participación de las personas usuarias."
                            ),
                            "Define estándares y compromisos de calidad del servicio y hace su seguimiento.",
                            (
                                "Impulsa una cultura de servicio en toda la organización y forma en ella a "
                                "otros profesionales."
                            ),
                        ],
                        "en": [
                            (
                                "Designs or redesigns services and channels from the citizen's point of "
                                "view, using data and involving service users."
                            ),
                            (
                                "Defines service quality standards and commitments and monitors compliance "
                                "with them."
                            ),
                            (
                                "Promotes a service culture throughout the organisation and trains other "
                                "professionals in it."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T05",
                "kind": "transversal",
                "name": {
                    "ca": "Comunicació efectiva",
                    "es": "Comunicación efectiva",
                    "en": "Effective communication",
                },
                "description": {
                    "ca": (
                        "Transmet informació i idees amb claredat, precisió i adequació al públic, tant "
                        "oralment com per escrit, i escolta activament."
                    ),
                    "es": (
                        "Transmite información e ideas con claridad, precisión y adecuación al público, "
                        "tanto oralmente como por escrito, y escucha activamente."
                    ),
                    "en": (
                        "Conveys information and ideas clearly, accurately and appropriately for the "
                        "audience, both orally and in writing, and listens actively."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "S'expressa amb claredat i correcció en les converses i els missatges "
                                "quotidians."
                            ),
                            "Escolta amb atenció i fa preguntes per assegurar-se que ho ha entès.",
                            (
                                "Utilitza les plantilles i els models de l'Ajuntament per a documents i "
                                "correus electrònics."
                            ),
                        ],
                        "es": [
                            (
                                "Se expresa con claridad y corrección en las conversaciones y los mensajes "
                                "cotidianos."
                            ),
                            "Escucha con atención y hace preguntas para asegurarse de que lo ha entendido.",
                            (
                                "Utiliza las plantillas y los modelos del Ayuntamiento para documentos y "
                                "correos electrónicos."
                            ),
                        ],
                        "en": [
                            (
                                "Expresses themselves clearly and correctly in everyday conversations and "
                                "messages."
                            ),
                            "Listens attentively and asks questions to make sure they have understood.",
                            "Uses the council's templates and models for documents and emails.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Redacta informes, notificacions i respostes ben estructurats en un "
                                "llenguatge administratiu planer."
                            ),
                            (
                                "Adapta el to, el canal i el nivell de detall a la persona o el grup a qui "
                                "s'adreça."
                            ),
                            "Transmet a temps la informació rellevant a l'equip.",
                        ],
                        "es": [
                            (
                                "Redacta informes, notificaciones y respuestas bien estructurados en un "
                                "lenguaje administrativo claro."
                            ),
                            (
                                "Adapta el tono, el canal y el nivel de detalle a la persona o al grupo al "
                                "que se dirige."
                            ),
                            "Transmite a tiempo la información relevante al equipo.",
                        ],
                        "en": [
                            (
                                "Writes well-structured reports, notifications and replies in plain "
                                "administrative language."
                            ),
                            (
                                "Adapts tone, channel and level of detail to the person or group they are "
                                "addressing."
                            ),
                            "Passes relevant information on to the team in good time.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Presenta projectes o propostes en reunions i sessions públiques de manera "
                                "convincent i amb el suport de dades."
                            ),
                            (
                                "Condueix converses difícils amb assertivitat, mantenint el respecte i la "
                                "relació."
                            ),
                            (
                                "Revisa i millora documents de companys i companyes perquè siguin "
                                "comprensibles per a la ciutadania."
                            ),
                        ],
                        "es": [
                            (
                                "Presenta proyectos o propuestas en reuniones y sesiones públicas de manera "
                                "convincente y con el apoyo de datos."
                            ),
                            (
                                "Conduce conversaciones difíciles con asertividad, manteniendo el respeto y "
                                "la relación."
                            ),
                            (
                                "Revisa y mejora documentos de sus compañeros y compañeras para que sean "
                                "comprensibles para la ciudadanía."
                            ),
                        ],
                        "en": [
                            (
                                "Presents projects or proposals convincingly in meetings and public "
                                "sessions, backing them with data."
                            ),
                            (
                                "Handles difficult conversations assertively, while preserving respect and "
                                "the relationship."
                            ),
                            (
                                "Reviews and improves colleagues' documents so that citizens can understand "
                                "them."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Dissenya estratègies o plans de comunicació per a projectes complexos o "
                                "situacions delicades."
                            ),
                            (
                                "Representa l'Ajuntament davant d'altres institucions, els mitjans de "
                                "comunicació o els espais de participació ciutadana."
                            ),
                            (
                                "Estableix pautes de comunicació clara i inclusiva i n'impulsa l'ús a "
                                "l'organització."
                            ),
                        ],
                        "es": [
                            (
                                "Diseña estrategias o planes de comunicación para proyectos complejos o "
                                "situaciones delicadas."
                            ),
                            (
                                "Representa al Ayuntamiento ante otras instituciones, los medios de "
                                "comunicación o los espacios de participación ciudadana."
                            ),
                            (
                                "Establece pautas de comunicación clara e inclusiva e impulsa su uso en la "
                                "organización."
                            ),
                        ],
                        "en": [
                            (
                                "Designs communication strategies or plans for complex projects or sensitive "
                                "situations."
                            ),
                            (
                                "Represents the council before other institutions, the media or citizen "
                                "participation forums."
                            ),
                            (
                                "Sets guidelines for clear and inclusive communication and promotes their "
                                "use across the organisation."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T06",
                "kind": "transversal",
                "name": {
                    "ca": "Treball en equip i cooperació",
                    "es": "Trabajo en equipo y cooperación",
                    "en": "Teamwork and cooperation",
                },
                "description": {
                    "ca": (
                        "Treballa amb altres persones per assolir objectius compartits, dins de la unitat i "
                        "amb altres departaments i administracions, compartint informació i prioritzant "
                        "l'interès comú."
                    ),
                    "es": (
                        "Trabaja con otras personas para alcanzar objetivos compartidos, dentro de la unidad "
                        "y con otros departamentos y administraciones, compartiendo información y "
                        "priorizando el interés común."
                    ),
                    "en": (
                        "Works with others to achieve shared goals, within the unit and with other "
                        "departments and administrations, sharing information and putting the common "
                        "interest first."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            "Fa les tasques que se li assignen dins de l'equip i informa del seu avenç.",
                            "Ajuda els companys i companyes quan ho necessiten i manté una relació cordial.",
                            "Respecta els acords presos per l'equip.",
                        ],
                        "es": [
                            "Realiza las tareas que se le asignan dentro del equipo e informa de su avance.",
                            (
                                "Ayuda a sus compañeros y compañeras cuando lo necesitan y mantiene una "
                                "relación cordial."
                            ),
                            "Respeta los acuerdos adoptados por el equipo.",
                        ],
                        "en": [
                            (
                                "Carries out the tasks assigned to them within the team and reports on their "
                                "progress."
                            ),
                            (
                                "Helps colleagues when they need it and maintains a friendly working "
                                "relationship."
                            ),
                            "Respects the agreements reached by the team.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Comparteix de manera proactiva informació, documents i coneixements útils "
                                "per a la feina dels altres."
                            ),
                            "Ofereix ajuda per iniciativa pròpia quan hi ha puntes de feina a l'equip.",
                            "Aporta idees a les reunions i accepta les decisions preses col·lectivament.",
                        ],
                        "es": [
                            (
                                "Comparte de forma proactiva información, documentos y conocimientos útiles "
                                "para el trabajo de los demás."
                            ),
                            "Ofrece ayuda por iniciativa propia cuando hay picos de trabajo en el equipo.",
                            "Aporta ideas en las reuniones y acepta las decisiones tomadas colectivamente.",
                        ],
                        "en": [
                            (
                                "Proactively shares information, documents and knowledge that are useful for "
                                "others' work."
                            ),
                            "Offers help on their own initiative when the team has peaks of work.",
                            "Contributes ideas in meetings and accepts decisions taken collectively.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Coordina la feina amb altres departaments en expedients o projectes "
                                "transversals."
                            ),
                            "Contribueix a resoldre els desacords de l'equip buscant punts d'acord.",
                            "Afavoreix un clima de confiança i reconeix les aportacions dels altres.",
                        ],
                        "es": [
                            (
                                "Coordina el trabajo con otros departamentos en expedientes o proyectos "
                                "transversales."
                            ),
                            "Contribuye a resolver los desacuerdos del equipo buscando puntos de acuerdo.",
                            "Favorece un clima de confianza y reconoce las aportaciones de los demás.",
                        ],
                        "en": [
                            "Coordinates work with other departments on cross-cutting files or projects.",
                            "Helps resolve disagreements in the team by looking for common ground.",
                            "Fosters a climate of trust and acknowledges the contributions of others.",
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Crea i dinamitza grups de treball i xarxes interdepartamentals o "
                                "interadministratives."
                            ),
                            (
                                "Dissenya mecanismes de cooperació, com ara protocols o espais compartits, "
                                "que eviten el treball en compartiments estancs."
                            ),
                            (
                                "Estableix aliances amb altres administracions, entitats i agents socials en "
                                "benefici de la ciutat."
                            ),
                        ],
                        "es": [
                            (
                                "Crea y dinamiza grupos de trabajo y redes interdepartamentales o "
                                "interadministrativas."
                            ),
                            (
                                "Diseña mecanismos de cooperación, como protocolos o espacios compartidos, "
                                "que evitan el trabajo en compartimentos estancos."
                            ),
                            (
                                "Establece alianzas con otras administraciones, entidades y agentes sociales "
                                "en beneficio de la ciudad."
                            ),
                        ],
                        "en": [
                            (
                                "Sets up and leads inter-departmental or inter-administrative working groups "
                                "and networks."
                            ),
                            (
                                "Designs cooperation mechanisms, such as protocols or shared spaces, that "
                                "prevent units from working in silos."
                            ),
                            (
                                "Builds alliances with other administrations, organisations and social "
                                "partners for the benefit of the city."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T07",
                "kind": "transversal",
                "name": {
                    "ca": "Perspectiva de gènere, igualtat i diversitat",
                    "es": "Perspectiva de género, igualdad y diversidad",
                    "en": "Gender perspective, equality and diversity",
                },
                "description": {
                    "ca": (
                        "Incorpora la perspectiva de gènere i el respecte a la diversitat en la feina diària "
                        "i en els serveis públics, prevé les discriminacions i promou la igualtat real "
                        "d'oportunitats."
                    ),
                    "es": (
                        "Incorpora la perspectiva de género y el respeto a la diversidad en el trabajo "
                        "diario y en los servicios públicos, previene las discriminaciones y promueve la "
                        "igualdad real de oportunidades."
                    ),
                    "en": (
                        "Incorporates the gender perspective and respect for diversity into daily work and "
                        "public services, prevents discrimination and promotes real equality of opportunity."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Fa servir un llenguatge inclusiu i no sexista en les comunicacions orals i "
                                "escrites, seguint les pautes de l'Ajuntament."
                            ),
                            (
                                "Tracta totes les persones amb respecte, independentment del gènere, "
                                "l'origen, l'edat, la diversitat funcional, l'orientació sexual o les "
                                "creences."
                            ),
                            "Coneix els canals per comunicar situacions d'assetjament o de discriminació.",
                        ],
                        "es": [
                            (
                                "Utiliza un lenguaje inclusivo y no sexista en las comunicaciones orales y "
                                "escritas, siguiendo las pautas del Ayuntamiento."
                            ),
                            (
                                "Trata a todas las personas con respeto, independientemente de su género, "
                                "origen, edad, diversidad funcional, orientación sexual o creencias."
                            ),
                            "Conoce los canales para comunicar situaciones de acoso o de discriminación.",
                        ],
                        "en": [
                            (
                                "Uses inclusive, non-sexist language in spoken and written communication, "
                                "following the council's guidelines."
                            ),
                            (
                                "Treats everyone with respect, regardless of gender, origin, age, "
                                "disability, sexual orientation or beliefs."
                            ),
                            "Knows the channels for reporting harassment or discrimination.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Recull i presenta dades desagregades per sexe en els registres i informes "
                                "que elabora."
                            ),
                            (
                                "Detecta i corregeix estereotips o elements discriminatoris en documents, "
                                "imatges i formularis."
                            ),
                            (
                                "Té en compte les necessitats diferents de dones i homes i de col·lectius "
                                "diversos quan atén les persones."
                            ),
                        ],
                        "es": [
                            (
                                "Recoge y presenta datos desagregados por sexo en los registros e informes "
                                "que elabora."
                            ),
                            (
                                "Detecta y corrige estereotipos o elementos discriminatorios en documentos, "
                                "imágenes y formularios."
                            ),
                            (
                                "Tiene en cuenta las distintas necesidades de mujeres y hombres y de "
                                "colectivos diversos al atender a las personas."
                            ),
                        ],
                        "en": [
                            (
                                "Collects and presents sex-disaggregated data in the records and reports "
                                "they prepare."
                            ),
                            (
                                "Detects and corrects stereotypes or discriminatory elements in documents, "
                                "images and forms."
                            ),
                            (
                                "Takes into account the different needs of women, men and diverse groups "
                                "when serving people."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Analitza l'impacte diferencial d'un servei, projecte o norma sobre dones, "
                                "homes i col·lectius diversos, i proposa ajustos."
                            ),
                            (
                                "Incorpora criteris d'igualtat i d'accessibilitat en contractes, subvencions "
                                "i activitats."
                            ),
                            (
                                "Actua amb rapidesa davant d'actituds discriminatòries i dona suport a les "
                                "persones afectades."
                            ),
                        ],
                        "es": [
                            (
                                "Analiza el impacto diferencial de un servicio, proyecto o norma sobre "
                                "mujeres, hombres y colectivos diversos, y propone ajustes."
                            ),
                            (
                                "Incorpora criterios de igualdad y accesibilidad en contratos, subvenciones "
                                "y actividades."
                            ),
                            (
                                "Actúa con rapidez ante actitudes discriminatorias y apoya a las personas "
                                "afectadas."
                            ),
                        ],
                        "en": [
                            (
                                "Analyses the differential impact of a service, project or regulation on "
                                "women, men and diverse groups, and proposes adjustments."
                            ),
                            (
                                "Builds equality and accessibility criteria into contracts, grants and "
                                "activities."
                            ),
                            (
                                "Acts promptly against discriminatory attitudes and supports the people "
                                "affected."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Participa en el disseny, el seguiment i l'avaluació dels plans d'igualtat i "
                                "dels informes d'impacte de gènere de l'Ajuntament."
                            ),
                            (
                                "Assessora altres unitats per incorporar de manera transversal la "
                                "perspectiva de gènere i la diversitat en les seves polítiques."
                            ),
                            (
                                "Impulsa mesures organitzatives d'igualtat, de coresponsabilitat i de "
                                "prevenció de l'assetjament."
                            ),
                        ],
                        "es": [
                            (
                                "Participa en el diseño, el seguimiento y la evaluación de los planes de "
                                "igualdad y de los informes de impacto de género del Ayuntamiento."
                            ),
                            (
                                "Asesora a otras unidades para incorporar de forma transversal la "
                                "perspectiva de género y la diversidad en sus políticas."
                            ),
                            (
                                "Impulsa medidas organizativas de igualdad, de corresponsabilidad y de "
                                "prevención del acoso."
                            ),
                        ],
                        "en": [
                            (
                                "Takes part in designing, monitoring and evaluating the council's equality "
                                "plans and gender impact reports."
                            ),
                            (
                                "Advises other units on mainstreaming the gender perspective and diversity "
                                "in their policies."
                            ),
                            (
                                "Promotes organisational measures for equality, shared responsibility for "
                                "care and the prevention of harassment."
                            ),
                        ],
                    },
                },
            },
        ],
    },
    {
        "code": "ORG",
        "name": {
            "ca": "Competències organitzatives i digitals",
            "es": "Competencias organizativas y digitales",
            "en": "Organisational and digital competencies",
        },
        "description": {
            "ca": (
                "Com organitzem i fem la feina per obtenir resultats: planificació, resolució de problemes i "
                "administració digital."
            ),
            "es": (
                "Cómo organizamos y hacemos el trabajo para obtener resultados: planificación, resolución de "
                "problemas y administración digital."
            ),
            "en": (
                "How we organise and carry out our work to achieve results: planning, problem solving and "
                "digital administration."
            ),
        },
        "competencies": [
            {
                "code": "T08",
                "kind": "transversal",
                "name": {
                    "ca": "Orientació a resultats",
                    "es": "Orientación a resultados",
                    "en": "Results orientation",
                },
                "description": {
                    "ca": (
                        "Orienta la feina a assolir els objectius fixats amb la qualitat esperada i dins de "
                        "termini, fent un ús eficient dels recursos públics."
                    ),
                    "es": (
                        "Orienta su trabajo a alcanzar los objetivos fijados con la calidad esperada y "
                        "dentro de plazo, haciendo un uso eficiente de los recursos públicos."
                    ),
                    "en": (
                        "Directs their work towards achieving the agreed objectives with the expected "
                        "quality and on time, making efficient use of public resources."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Acaba les tasques assignades dins dels terminis fixats, seguint les "
                                "instruccions."
                            ),
                            "Revisa la pròpia feina per detectar errors abans de lliurar-la.",
                            "Avisa a temps la persona responsable quan un termini està en risc.",
                        ],
                        "es": [
                            (
                                "Termina las tareas asignadas dentro de los plazos fijados, siguiendo las "
                                "instrucciones."
                            ),
                            "Revisa su propio trabajo para detectar errores antes de entregarlo.",
                            "Avisa a tiempo a la persona responsable cuando un plazo está en riesgo.",
                        ],
                        "en": [
                            "Completes assigned tasks within the set deadlines, following instructions.",
                            "Checks their own work for errors before handing it in.",
                            "Warns the person in charge in good time when a deadline is at risk.",
                        ],
                    },
                    2: {
                        "ca": [
                            "Coneix els objectius de la seva unitat i sap com hi contribueix la seva feina.",
                            (
                                "Compleix amb autonomia els estàndards de qualitat i de termini, fins i tot "
                                "en moments de més volum de feina."
                            ),
                            (
                                "Busca maneres de fer la feina amb menys temps o recursos sense reduir-ne la "
                                "qualitat."
                            ),
                        ],
                        "es": [
                            "Conoce los objetivos de su unidad y sabe cómo contribuye a ellos su trabajo.",
                            (
                                "Cumple con autonomía los estándares de calidad y de plazo, incluso en "
                                "momentos de mayor volumen de trabajo."
                            ),
                            (
                                "Busca formas de hacer el trabajo con menos tiempo o recursos sin reducir su "
                                "calidad."
                            ),
                        ],
                        "en": [
                            "Knows their unit's objectives and how their own work contributes to them.",
                            (
                                "Meets quality and deadline standards autonomously, even at times of heavy "
                                "workload."
                            ),
                            (
                                "Looks for ways to do the work in less time or with fewer resources without "
                                "lowering its quality."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Fixa metes i indicadors mesurables per als seus projectes o el seu àmbit i "
                                "en fa el seguiment."
                            ),
                            "Detecta desviacions i aplica mesures correctores abans que afectin el servei.",
                            (
                                "Prioritza les actuacions segons l'impacte que tenen per a la ciutadania i "
                                "el cost que comporten."
                            ),
                        ],
                        "es": [
                            (
                                "Fija metas e indicadores medibles para sus proyectos o su ámbito y hace su "
                                "seguimiento."
                            ),
                            (
                                "Detecta desviaciones y aplica medidas correctoras antes de que afecten al "
                                "servicio."
                            ),
                            (
                                "Prioriza las actuaciones según su impacto para la ciudadanía y el coste que "
                                "suponen."
                            ),
                        ],
                        "en": [
                            (
                                "Sets measurable targets and indicators for their projects or area and "
                                "monitors them."
                            ),
                            (
                                "Detects deviations and applies corrective measures before they affect the "
                                "service."
                            ),
                            "Prioritises actions according to their impact on citizens and their cost.",
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Defineix objectius estratègics i indicadors de gestió alineats amb el pla "
                                "d'actuació municipal."
                            ),
                            (
                                "Avalua els resultats i l'impacte de serveis i programes i els utilitza per "
                                "reorientar les decisions."
                            ),
                            (
                                "Impulsa la rendició de comptes sobre els resultats davant dels òrgans de "
                                "govern i de la ciutadania."
                            ),
                        ],
                        "es": [
                            (
                                "Define objetivos estratégicos e indicadores de gestión alineados con el "
                                "plan de actuación municipal."
                            ),
                            (
                                "Evalúa los resultados y el impacto de servicios y programas y los utiliza "
                                "para reorientar las decisiones."
                            ),
                            (
                                "Impulsa la rendición de cuentas sobre los resultados ante los órganos de "
                                "gobierno y la ciudadanía."
                            ),
                        ],
                        "en": [
                            (
                                "Defines strategic objectives and management indicators aligned with the "
                                "municipal action plan."
                            ),
                            (
                                "Evaluates the results and impact of services and programmes and uses them "
                                "to redirect decisions."
                            ),
                            "Promotes accountability for results to the governing bodies and to citizens.",
                        ],
                    },
                },
            },
            {
                "code": "T09",
                "kind": "transversal",
                "name": {
                    "ca": "Planificació i organització",
                    "es": "Planificación y organización",
                    "en": "Planning and organisation",
                },
                "description": {
                    "ca": (
                        "Planifica i organitza la pròpia feina i, si escau, la d'altres persones: estableix "
                        "prioritats, estima temps i recursos i fa el seguiment necessari per complir els "
                        "compromisos."
                    ),
                    "es": (
                        "Planifica y organiza su propio trabajo y, en su caso, el de otras personas: "
                        "establece prioridades, estima tiempos y recursos y hace el seguimiento necesario "
                        "para cumplir los compromisos."
                    ),
                    "en": (
                        "Plans and organises their own work and, where appropriate, that of others: sets "
                        "priorities, estimates time and resources, and follows up to meet commitments."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Organitza les tasques diàries seguint les prioritats que li indica la "
                                "persona responsable."
                            ),
                            "Manté els documents i els fitxers ordenats perquè es puguin trobar fàcilment.",
                            "Fa servir l'agenda i llistes de tasques per recordar terminis i compromisos.",
                        ],
                        "es": [
                            (
                                "Organiza las tareas diarias siguiendo las prioridades que le indica la "
                                "persona responsable."
                            ),
                            (
                                "Mantiene los documentos y archivos ordenados para que puedan encontrarse "
                                "fácilmente."
                            ),
                            "Utiliza la agenda y listas de tareas para recordar plazos y compromisos.",
                        ],
                        "en": [
                            "Organises daily tasks according to the priorities set by the person in charge.",
                            "Keeps documents and files in order so that they are easy to find.",
                            "Uses a calendar and task lists to keep track of deadlines and commitments.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Planifica amb autonomia la feina setmanal, distingint allò urgent d'allò "
                                "important."
                            ),
                            (
                                "Estima el temps que necessita cada tasca i preveu amb antelació els tràmits "
                                "amb terminis legals."
                            ),
                            (
                                "Manté els expedients al dia perquè qualsevol persona els pugui continuar en "
                                "la seva absència."
                            ),
                        ],
                        "es": [
                            (
                                "Planifica con autonomía su trabajo semanal, distinguiendo lo urgente de lo "
                                "importante."
                            ),
                            (
                                "Estima el tiempo que necesita cada tarea y prevé con antelación los "
                                "trámites con plazos legales."
                            ),
                            (
                                "Mantiene los expedientes al día para que cualquier persona pueda "
                                "continuarlos en su ausencia."
                            ),
                        ],
                        "en": [
                            (
                                "Plans their weekly work autonomously, distinguishing what is urgent from "
                                "what is important."
                            ),
                            (
                                "Estimates the time each task needs and plans ahead for procedures with "
                                "statutory deadlines."
                            ),
                            "Keeps files up to date so that anyone can pick them up in their absence.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Planifica projectes amb diverses fases, persones o unitats, amb calendari, "
                                "recursos i fites."
                            ),
                            "Anticipa riscos i colls d'ampolla i prepara alternatives.",
                            (
                                "Distribueix les tasques de l'equip de manera equilibrada i revisa la "
                                "planificació quan canvien les circumstàncies."
                            ),
                        ],
                        "es": [
                            (
                                "Planifica proyectos con varias fases, personas o unidades, con calendario, "
                                "recursos e hitos."
                            ),
                            "Anticipa riesgos y cuellos de botella y prepara alternativas.",
                            (
                                "Distribuye las tareas del equipo de forma equilibrada y revisa la "
                                "planificación cuando cambian las circunstancias."
                            ),
                        ],
                        "en": [
                            (
                                "Plans projects involving several phases, people or units, with a timetable, "
                                "resources and milestones."
                            ),
                            "Anticipates risks and bottlenecks and prepares alternatives.",
                            (
                                "Distributes the team's tasks in a balanced way and revises the plan when "
                                "circumstances change."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Elabora plans anuals o plurianuals del seu àmbit, coordinats amb el "
                                "pressupost i amb altres departaments."
                            ),
                            (
                                "Dissenya models organitzatius, procediments i eines de gestió que milloren "
                                "l'eficiència de l'organització."
                            ),
                            "Gestiona carteres de projectes i n'equilibra les prioritats i els recursos.",
                        ],
                        "es": [
                            (
                                "Elabora planes anuales o plurianuales de su ámbito, coordinados con el "
                                "presupuesto y con otros departamentos."
                            ),
                            (
                                "Diseña modelos organizativos, procedimientos y herramientas de gestión que "
                                "mejoran la eficiencia de la organización."
                            ),
                            "Gestiona carteras de proyectos y equilibra sus prioridades y recursos.",
                        ],
                        "en": [
                            (
                                "Draws up annual or multi-year plans for their area, coordinated with the "
                                "budget and with other departments."
                            ),
                            (
                                "Designs organisational models, procedures and management tools that make "
                                "the organisation more efficient."
                            ),
                            "Manages project portfolios, balancing priorities and resources across them.",
                        ],
                    },
                },
            },
            {
                "code": "T10",
                "kind": "transversal",
                "name": {
                    "ca": "Resolució de problemes i presa de decisions",
                    "es": "Resolución de problemas y toma de decisiones",
                    "en": "Problem solving and decision making",
                },
                "description": {
                    "ca": (
                        "Analitza les situacions, identifica les causes dels problemes, valora alternatives "
                        "dins del marc legal i pren decisions fonamentades i a temps, assumint-ne la "
                        "responsabilitat."
                    ),
                    "es": (
                        "Analiza las situaciones, identifica las causas de los problemas, valora "
                        "alternativas dentro del marco legal y toma decisiones fundamentadas y a tiempo, "
                        "asumiendo su responsabilidad."
                    ),
                    "en": (
                        "Analyses situations, identifies the causes of problems, weighs alternatives within "
                        "the legal framework and makes well-founded, timely decisions, taking responsibility "
                        "for them."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Identifica quan alguna cosa no funciona com hauria i ho comunica amb els "
                                "detalls rellevants."
                            ),
                            "Resol incidències senzilles seguint procediments o instruccions coneguts.",
                            "Demana ajuda abans de prendre decisions que no són de la seva competència.",
                        ],
                        "es": [
                            (
                                "Identifica cuándo algo no funciona como debería y lo comunica con los "
                                "detalles relevantes."
                            ),
                            (
                                "Resuelve incidencias sencillas siguiendo procedimientos o instrucciones "
                                "conocidos."
                            ),
                            "Pide ayuda antes de tomar decisiones que no son de su competencia.",
                        ],
                        "en": [
                            (
                                "Notices when something is not working as it should and reports it with the "
                                "relevant details."
                            ),
                            "Solves simple incidents by following known procedures or instructions.",
                            "Asks for help before making decisions that are outside their remit.",
                        ],
                    },
                    2: {
                        "ca": [
                            "Recull la informació necessària per entendre un problema abans d'actuar.",
                            (
                                "Resol amb autonomia els problemes habituals del seu lloc de treball i tria "
                                "l'opció més adequada."
                            ),
                            (
                                "Pren a temps les decisions que li corresponen, sense endarrerir-les "
                                "innecessàriament."
                            ),
                        ],
                        "es": [
                            "Recoge la información necesaria para entender un problema antes de actuar.",
                            (
                                "Resuelve con autonomía los problemas habituales de su puesto de trabajo y "
                                "elige la opción más adecuada."
                            ),
                            (
                                "Toma a tiempo las decisiones que le corresponden, sin retrasarlas "
                                "innecesariamente."
                            ),
                        ],
                        "en": [
                            "Gathers the information needed to understand a problem before acting.",
                            (
                                "Solves the usual problems of their job autonomously, choosing the most "
                                "suitable option."
                            ),
                            "Makes the decisions that fall to them in good time, without unnecessary delay.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Analitza les causes de fons dels problemes recurrents i proposa solucions "
                                "duradores."
                            ),
                            (
                                "Compara alternatives segons la legalitat, el cost, l'impacte i el risc, i "
                                "justifica la que tria."
                            ),
                            (
                                "Pren decisions en situacions d'incertesa o d'urgència i les revisa quan "
                                "apareix informació nova."
                            ),
                        ],
                        "es": [
                            (
                                "Analiza las causas de fondo de los problemas recurrentes y propone "
                                "soluciones duraderas."
                            ),
                            (
                                "Compara alternativas según la legalidad, el coste, el impacto y el riesgo, "
                                "y justifica la elegida."
                            ),
                            (
                                "Toma decisiones en situaciones de incertidumbre o de urgencia y las revisa "
                                "cuando aparece nueva información."
                            ),
                        ],
                        "en": [
                            "Analyses the root causes of recurring problems and proposes lasting solutions.",
                            (
                                "Compares alternatives in terms of legality, cost, impact and risk, and "
                                "justifies the one chosen."
                            ),
                            (
                                "Makes decisions under uncertainty or urgency and reviews them when new "
                                "information emerges."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Aborda problemes complexos que afecten diversos departaments o "
                                "administracions i hi implica totes les parts."
                            ),
                            (
                                "Pren decisions estratègiques d'impacte rellevant, basades en dades i "
                                "avaluant-ne les conseqüències."
                            ),
                            (
                                "Estableix criteris i procediments que ajuden altres persones a prendre "
                                "decisions coherents."
                            ),
                        ],
                        "es": [
                            (
                                "Aborda problemas complejos que afectan a varios departamentos o "
                                "administraciones e implica en ellos a todas las partes."
                            ),
                            (
                                "Toma decisiones estratégicas de impacto relevante, basadas en datos y "
                                "evaluando sus consecuencias."
                            ),
                            (
                                "Establece criterios y procedimientos que ayudan a otras personas a tomar "
                                "decisiones coherentes."
                            ),
                        ],
                        "en": [
                            (
                                "Tackles complex problems affecting several departments or administrations, "
                                "involving all the parties concerned."
                            ),
                            (
                                "Makes strategic decisions with significant impact, based on data and "
                                "assessing their consequences."
                            ),
                            "Establishes criteria and procedures that help others make consistent decisions.",
                        ],
                    },
                },
            },
            {
                "code": "T11",
                "kind": "digital",
                "name": {
                    "ca": "Administració digital i tramitació electrònica",
                    "es": "Administración digital y tramitación electrónica",
                    "en": "Digital administration and electronic procedures",
                },
                "description": {
                    "ca": (
                        "Utilitza de manera correcta i segura les eines d'administració electrònica de "
                        "l'Ajuntament (gestor d'expedients, signatura electrònica, registre, notificacions i "
                        "gestió documental) i ajuda la ciutadania a relacionar-se digitalment amb "
                        "l'Administració."
                    ),
                    "es": (
                        "Utiliza de forma correcta y segura las herramientas de administración electrónica "
                        "del Ayuntamiento (gestor de expedientes, firma electrónica, registro, "
                        "notificaciones y gestión documental) y ayuda a la ciudadanía a relacionarse "
                        "digitalmente con la Administración."
                    ),
                    "en": (
                        "Uses the council's e-government tools (case management, electronic signature, "
                        "registry, notifications and document management) correctly and securely, and helps "
                        "citizens deal with the administration digitally."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Consulta expedients i documents al gestor d'expedients i utilitza la "
                                "signatura electrònica amb orientació."
                            ),
                            (
                                "Aplica les normes bàsiques de seguretat: custòdia de contrasenyes, bloqueig "
                                "de la pantalla i prudència amb els correus sospitosos."
                            ),
                            (
                                "Coneix els principals tràmits electrònics que ofereix l'Ajuntament i on "
                                "trobar-los a la seu electrònica."
                            ),
                        ],
                        "es": [
                            (
                                "Consulta expedientes y documentos en el gestor de expedientes y utiliza la "
                                "firma electrónica con orientación."
                            ),
                            (
                                "Aplica las normas básicas de seguridad: custodia de contraseñas, bloqueo de "
                                "la pantalla y prudencia con los correos sospechosos."
                            ),
                            (
                                "Conoce los principales trámites electrónicos que ofrece el Ayuntamiento y "
                                "dónde encontrarlos en la sede electrónica."
                            ),
                        ],
                        "en": [
                            (
                                "Looks up files and documents in the case management system and uses their "
                                "electronic signature with guidance."
                            ),
                            (
                                "Applies basic security rules: keeping passwords safe, locking the screen "
                                "and being wary of suspicious emails."
                            ),
                            (
                                "Knows the main online procedures offered by the council and where to find "
                                "them on its e-office."
                            ),
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Tramita expedients complets en format electrònic: assentaments de registre, "
                                "documents, signatures, notificacions i arxivament."
                            ),
                            (
                                "Comprova que els documents digitals tenen les metadades, les signatures i "
                                "el format correctes perquè tinguin validesa jurídica."
                            ),
                            (
                                "Orienta la ciutadania en la presentació de sol·licituds en línia i en l'ús "
                                "dels sistemes d'identificació digital (idCAT, Cl@ve, certificat digital)."
                            ),
                        ],
                        "es": [
                            (
                                "Tramita expedientes completos en formato electrónico: asientos de registro, "
                                "documentos, firmas, notificaciones y archivo."
                            ),
                            (
                                "Comprueba que los documentos digitales tienen los metadatos, las firmas y "
                                "el formato correctos para que tengan validez jurídica."
                            ),
                            (
                                "Orienta a la ciudadanía en la presentación de solicitudes en línea y en el "
                                "uso de los sistemas de identificación digital (idCAT, Cl@ve, certificado "
                                "digital)."
                            ),
                        ],
                        "en": [
                            (
                                "Processes complete files electronically: registry entries, documents, "
                                "signatures, notifications and archiving."
                            ),
                            (
                                "Checks that digital documents have the correct metadata, signatures and "
                                "format so that they are legally valid."
                            ),
                            (
                                "Guides citizens in submitting applications online and in using digital "
                                "identification systems (idCAT, Cl@ve, digital certificate)."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Configura procediments i plantilles al gestor d'expedients i resol les "
                                "incidències dels companys i companyes."
                            ),
                            (
                                "Fa servir les plataformes d'interoperabilitat per consultar dades d'altres "
                                "administracions en lloc de demanar documents a la ciutadania."
                            ),
                            (
                                "Proposa la simplificació i l'automatització dels procediments de la seva "
                                "unitat."
                            ),
                        ],
                        "es": [
                            (
                                "Configura procedimientos y plantillas en el gestor de expedientes y "
                                "resuelve las incidencias de sus compañeros y compañeras."
                            ),
                            (
                                "Utiliza las plataformas de interoperabilidad para consultar datos de otras "
                                "administraciones en lugar de pedir documentos a la ciudadanía."
                            ),
                            (
                                "Propone la simplificación y la automatización de los procedimientos de su "
                                "unidad."
                            ),
                        ],
                        "en": [
                            (
                                "Configures procedures and templates in the case management system and "
                                "solves colleagues' incidents."
                            ),
                            (
                                "Uses interoperability platforms to consult data held by other "
                                "administrations instead of asking citizens for documents."
                            ),
                            "Proposes simplifying and automating their unit's procedures.",
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Lidera el redisseny digital de procediments de principi a fi, aplicant els "
                                "principis de «només una vegada» i de digital per defecte."
                            ),
                            (
                                "Defineix criteris de gestió documental, d'arxivament i de seguretat de la "
                                "informació d'acord amb l'Esquema Nacional de Seguretat i la normativa de "
                                "protecció de dades."
                            ),
                            (
                                "Avalua i proposa tecnologies noves (automatització, anàlisi de dades, "
                                "intel·ligència artificial) amb garanties de legalitat, transparència i "
                                "accessibilitat."
                            ),
                        ],
                        "es": [
                            (
                                "Lidera el rediseño digital de procedimientos de principio a fin, aplicando "
                                "los principios de «solo una vez» y de digital por defecto."
                            ),
                            (
                                "Define criterios de gestión documental, de archivo y de seguridad de la "
                                "información de acuerdo con el Esquema Nacional de Seguridad y la normativa "
                                "de protección de datos."
                            ),
                            (
                                "Evalúa y propone nuevas tecnologías (automatización, análisis de datos, "
                                "inteligencia artificial) con garantías de legalidad, transparencia y "
                                "accesibilidad."
                            ),
                        ],
                        "en": [
                            (
                                "Leads the end-to-end digital redesign of procedures, applying the once-only "
                                "and digital-by-default principles."
                            ),
                            (
                                "Defines document management, archiving and information security criteria in "
                                "line with the National Security Framework (ENS) and data protection law."
                            ),
                            (
                                "Assesses and proposes new technologies (automation, data analytics, "
                                "artificial intelligence) with guarantees of legality, transparency and "
                                "accessibility."
                            ),
                        ],
                    },
                },
            },
        ],
    },
    {
        "code": "LID",
        "name": {
            "ca": "Competències de lideratge",
            "es": "Competencias de liderazgo",
            "en": "Leadership competencies",
        },
        "description": {
            "ca": (
                "Competències de les persones que dirigeixen equips o unitats: liderar i fer créixer les "
                "persones."
            ),
            "es": (
                "Competencias de las personas que dirigen equipos o unidades: liderar y hacer crecer a las "
                "personas."
            ),
            "en": "Competencies for people who manage teams or units: leading people and helping them grow.",
        },
        "competencies": [
            {
                "code": "T12",
                "kind": "leadership",
                "name": {"ca": "Lideratge d'equips", "es": "Liderazgo de equipos", "en": "Team leadership"},
                "description": {
                    "ca": (
                        "Orienta i motiva un equip cap a objectius compartits: dona direcció, assigna "
                        "responsabilitats, pren decisions i crea un entorn de treball basat en la confiança, "
                        "el respecte i el compromís amb el servei públic."
                    ),
                    "es": (
                        "Orienta y motiva a un equipo hacia objetivos compartidos: da dirección, asigna "
                        "responsabilidades, toma decisiones y crea un entorno de trabajo basado en la "
                        "confianza, el respeto y el compromiso con el servicio público."
                    ),
                    "en": (
                        "Guides and motivates a team towards shared goals: gives direction, assigns "
                        "responsibilities, makes decisions and creates a working environment based on trust, "
                        "respect and commitment to public service."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Comunica amb claredat les tasques i les prioritats de l'equip i comprova "
                                "que s'han entès."
                            ),
                            "Organitza reunions de coordinació i fa el seguiment dels acords.",
                            "Dona exemple de puntualitat, compromís i respecte.",
                        ],
                        "es": [
                            (
                                "Comunica con claridad las tareas y las prioridades del equipo y comprueba "
                                "que se han entendido."
                            ),
                            "Organiza reuniones de coordinación y hace el seguimiento de los acuerdos.",
                            "Da ejemplo de puntualidad, compromiso y respeto.",
                        ],
                        "en": [
                            (
                                "Communicates the team's tasks and priorities clearly and checks that they "
                                "have been understood."
                            ),
                            "Organises coordination meetings and follows up on the agreements reached.",
                            "Sets an example of punctuality, commitment and respect.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Fixa objectius per a l'equip i per a cada persona i assigna les tasques "
                                "segons les capacitats i la càrrega de feina."
                            ),
                            (
                                "Fa un retorn periòdic a les persones de l'equip, reconeix els èxits i "
                                "corregeix les desviacions amb respecte."
                            ),
                            "Aborda els conflictes de l'equip amb rapidesa i equitat.",
                        ],
                        "es": [
                            (
                                "Fija objetivos para el equipo y para cada persona y asigna las tareas según "
                                "las capacidades y la carga de trabajo."
                            ),
                            (
                                "Da un retorno periódico a las personas del equipo, reconoce los logros y "
                                "corrige las desviaciones con respeto."
                            ),
                            "Aborda los conflictos del equipo con rapidez y equidad.",
                        ],
                        "en": [
                            (
                                "Sets objectives for the team and for each person, and assigns tasks "
                                "according to skills and workload."
                            ),
                            (
                                "Gives team members regular feedback, recognising achievements and "
                                "correcting deviations respectfully."
                            ),
                            "Deals with conflicts in the team promptly and fairly.",
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Delega responsabilitats i capacitat de decisió i ajusta el suport al grau "
                                "de maduresa de cada persona."
                            ),
                            (
                                "Implica l'equip en les decisions i en la millora del servei, i explica els "
                                "motius de les decisions preses."
                            ),
                            (
                                "Condueix l'equip en situacions de canvi o de dificultat i en manté la "
                                "cohesió i la motivació."
                            ),
                        ],
                        "es": [
                            (
                                "Delega responsabilidades y capacidad de decisión y ajusta el apoyo al grado "
                                "de madurez de cada persona."
                            ),
                            (
                                "Implica al equipo en las decisiones y en la mejora del servicio, y explica "
                                "los motivos de las decisiones tomadas."
                            ),
                            (
                                "Conduce al equipo en situaciones de cambio o de dificultad y mantiene su "
                                "cohesión y su motivación."
                            ),
                        ],
                        "en": [
                            (
                                "Delegates responsibilities and decision-making, adjusting support to each "
                                "person's level of autonomy."
                            ),
                            (
                                "Involves the team in decisions and in improving the service, and explains "
                                "the reasons for the decisions taken."
                            ),
                            (
                                "Leads the team through change or difficult situations, keeping it cohesive "
                                "and motivated."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Dirigeix comandaments i equips grans o multidisciplinaris i els alinea amb "
                                "l'estratègia de l'Ajuntament."
                            ),
                            (
                                "Construeix una visió compartida i una cultura de servei, col·laboració i "
                                "innovació en el seu àmbit."
                            ),
                            (
                                "Exerceix un lideratge que és un model per a l'organització i la representa "
                                "amb credibilitat davant d'altres institucions."
                            ),
                        ],
                        "es": [
                            (
                                "Dirige mandos y equipos grandes o multidisciplinares y los alinea con la "
                                "estrategia del Ayuntamiento."
                            ),
                            (
                                "Construye una visión compartida y una cultura de servicio, colaboración e "
                                "innovación en su ámbito."
                            ),
                            (
                                "Ejerce un liderazgo que es un modelo para la organización y la representa "
                                "con credibilidad ante otras instituciones."
                            ),
                        ],
                        "en": [
                            (
                                "Leads managers and large or multidisciplinary teams, aligning them with the "
                                "council's strategy."
                            ),
                            (
                                "Builds a shared vision and a culture of service, collaboration and "
                                "innovation in their area."
                            ),
                            (
                                "Exercises leadership that serves as a model for the organisation and "
                                "represents it credibly before other institutions."
                            ),
                        ],
                    },
                },
            },
            {
                "code": "T13",
                "kind": "leadership",
                "name": {
                    "ca": "Desenvolupament de persones",
                    "es": "Desarrollo de personas",
                    "en": "People development",
                },
                "description": {
                    "ca": (
                        "Identifica el potencial i les necessitats de desenvolupament de les persones del "
                        "seu equip i n'afavoreix el creixement professional amb retorn, oportunitats "
                        "d'aprenentatge i acompanyament."
                    ),
                    "es": (
                        "Identifica el potencial y las necesidades de desarrollo de las personas de su "
                        "equipo y favorece su crecimiento profesional con retorno, oportunidades de "
                        "aprendizaje y acompañamiento."
                    ),
                    "en": (
                        "Identifies the potential and development needs of the people in their team and "
                        "supports their professional growth through feedback, learning opportunities and "
                        "support."
                    ),
                },
                "indicators": {
                    1: {
                        "ca": [
                            (
                                "Acull les persones que s'incorporen i els explica com funciona la unitat i "
                                "què s'espera d'elles."
                            ),
                            "Facilita l'assistència de l'equip a les activitats formatives que necessita.",
                            "Reconeix la feina ben feta davant de l'equip.",
                        ],
                        "es": [
                            (
                                "Acoge a las personas que se incorporan y les explica cómo funciona la "
                                "unidad y qué se espera de ellas."
                            ),
                            "Facilita la asistencia del equipo a las actividades formativas que necesita.",
                            "Reconoce el trabajo bien hecho delante del equipo.",
                        ],
                        "en": [
                            (
                                "Welcomes new staff and explains how the unit works and what is expected of "
                                "them."
                            ),
                            "Makes it possible for the team to attend the training activities they need.",
                            "Recognises good work in front of the team.",
                        ],
                    },
                    2: {
                        "ca": [
                            (
                                "Manté converses periòdiques de desenvolupament amb cada persona i acorda "
                                "amb ella objectius de millora."
                            ),
                            (
                                "Detecta les necessitats formatives de l'equip i les canalitza cap al pla de "
                                "formació."
                            ),
                            (
                                "Assigna tasques que permeten aprendre habilitats noves, amb el suport "
                                "necessari."
                            ),
                        ],
                        "es": [
                            (
                                "Mantiene conversaciones periódicas de desarrollo con cada persona y acuerda "
                                "con ella objetivos de mejora."
                            ),
                            (
                                "Detecta las necesidades formativas del equipo y las canaliza hacia el plan "
                                "de formación."
                            ),
                            "Asigna tareas que permiten aprender nuevas habilidades, con el apoyo necesario.",
                        ],
                        "en": [
                            (
                                "Holds regular development conversations with each person and agrees "
                                "improvement goals with them."
                            ),
                            "Identifies the team's training needs and channels them into the training plan.",
                            (
                                "Assigns tasks that allow people to learn new skills, with the necessary "
                                "support."
                            ),
                        ],
                    },
                    3: {
                        "ca": [
                            (
                                "Elabora plans de desenvolupament individual amb les persones de l'equip a "
                                "partir de l'avaluació de competències."
                            ),
                            (
                                "Fa tasques de mentoria o d'acompanyament (coaching) i afavoreix "
                                "l'aprenentatge entre iguals."
                            ),
                            (
                                "Identifica el talent i prepara les persones per assumir més "
                                "responsabilitats o per a la mobilitat interna."
                            ),
                        ],
                        "es": [
                            (
                                "Elabora planes de desarrollo individual con las personas del equipo a "
                                "partir de la evaluación de competencias."
                            ),
                            (
                                "Ejerce tareas de mentoría o de acompañamiento (coaching) y favorece el "
                                "aprendizaje entre iguales."
                            ),
                            (
                                "Identifica el talento y prepara a las personas para asumir más "
                                "responsabilidades o para la movilidad interna."
                            ),
                        ],
                        "en": [
                            (
                                "Draws up individual development plans with team members based on the "
                                "competency assessment."
                            ),
                            "Provides mentoring or coaching and encourages peer learning.",
                            (
                                "Identifies talent and prepares people to take on greater responsibilities "
                                "or move internally."
                            ),
                        ],
                    },
                    4: {
                        "ca": [
                            (
                                "Dissenya o impulsa polítiques de gestió del talent, de relleu i de retenció "
                                "del coneixement per a l'organització."
                            ),
                            (
                                "Crea en el seu àmbit una cultura d'aprenentatge en què els errors serveixen "
                                "per millorar."
                            ),
                            (
                                "Desenvolupa altres comandaments perquè, al seu torn, facin créixer les "
                                "persones dels seus equips."
                            ),
                        ],
                        "es": [
                            (
                                "Diseña o impulsa políticas de gestión del talento, de relevo y de retención "
                                "del conocimiento para la organización."
                            ),
                            (
                                "Crea en su ámbito una cultura de aprendizaje en la que los errores sirven "
                                "para mejorar."
                            ),
                            (
                                "Desarrolla a otros mandos para que, a su vez, hagan crecer a las personas "
                                "de sus equipos."
                            ),
                        ],
                        "en": [
                            (
                                "Designs or promotes talent management, succession and knowledge retention "
                                "policies for the organisation."
                            ),
                            "Creates a learning culture in their area in which mistakes are used to improve.",
                            (
                                "Develops other managers so that they, in turn, help the people in their "
                                "teams grow."
                            ),
                        ],
                    },
                },
            },
        ],
    },
]
