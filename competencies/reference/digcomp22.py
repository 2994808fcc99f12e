"""DigComp 2.2 reference data: the European Digital Competence Framework for Citizens.

Pure data, no Django: the 8-level proficiency scale (4 bands of 2 levels), the framework metadata and the 5
competence areas with their 21 competences. Every text is a dict with the keys ``ca``, ``es`` and ``en``.
DigComp's level descriptors are generic (complexity of tasks, autonomy, cognitive domain), so there are no
per-competence behavioural indicators here.

Source: Vuorikari, R., Kluzer, S. and Punie, Y., DigComp 2.2: The Digital Competence Framework for Citizens,
Publications Office of the European Union, Luxembourg, 2022, JRC128415.

The English names, competence descriptions and level descriptors follow that publication; the area
descriptions are one-sentence summaries. The Catalan and Spanish texts are translations made for this project
(the Spanish names follow the terms in common use in Spain, e.g. INTEF's); they are not official translations
of the European Commission.

Licence: © European Union, 2022. Reuse is authorised under the Creative Commons Attribution 4.0 International
licence (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/), provided the source is acknowledged and
changes are indicated. The translations and summaries above are such changes.
"""

SCALE = {
    "code": "digcomp-8",
    "name": {
        "ca": "Nivells de domini DigComp 2.2",
        "es": "Niveles de competencia DigComp 2.2",
        "en": "DigComp 2.2 proficiency levels",
    },
    "description": {
        "ca": (
            "Vuit nivells de domini agrupats en quatre franges (bàsic, intermedi, avançat i altament "
            "especialitzat), definits per la complexitat de les tasques, el grau d'autonomia i el domini "
            "cognitiu."
        ),
        "es": (
            "Ocho niveles de competencia agrupados en cuatro franjas (básico, intermedio, avanzado y "
            "altamente especializado), definidos por la complejidad de las tareas, el grado de autonomía y "
            "el dominio cognitivo."
        ),
        "en": (
            "Eight proficiency levels grouped in four bands (foundation, intermediate, advanced and highly "
            "specialised), defined by the complexity of tasks, the degree of autonomy and the cognitive "
            "domain."
        ),
    },
    "levels": [
        {
            "value": 1,
            "label": {"ca": "Bàsic 1", "es": "Básico 1", "en": "Foundation 1"},
            "band": {"ca": "Bàsic", "es": "Básico", "en": "Foundation"},
            "descriptor": {
                "ca": "Complexitat: tasques senzilles. Autonomia: amb orientació. Domini cognitiu: recordar.",
                "es": (
                    "Complejidad: tareas sencillas. Autonomía: con orientación. Dominio cognitivo: recordar."
                ),
                "en": "Complexity: simple tasks. Autonomy: with guidance. Cognitive domain: remembering.",
            },
        },
        {
            "value": 2,
            "label": {"ca": "Bàsic 2", "es": "Básico 2", "en": "Foundation 2"},
            "band": {"ca": "Bàsic", "es": "Básico", "en": "Foundation"},
            "descriptor": {
                "ca": (
                    "Complexitat: tasques senzilles. Autonomia: de manera autònoma i amb orientació quan "
                    "cal. Domini cognitiu: recordar."
                ),
                "es": (
                    "Complejidad: tareas sencillas. Autonomía: de forma autónoma y con orientación cuando es "
                    "necesario. Dominio cognitivo: recordar."
                ),
                "en": (
                    "Complexity: simple tasks. Autonomy: autonomously and with guidance where needed. "
                    "Cognitive domain: remembering."
                ),
            },
        },
        {
            "value": 3,
            "label": {"ca": "Intermedi 3", "es": "Intermedio 3", "en": "Intermediate 3"},
            "band": {"ca": "Intermedi", "es": "Intermedio", "en": "Intermediate"},
            "descriptor": {
                "ca": (
                    "Complexitat: tasques ben definides i rutinàries, i problemes senzills. Autonomia: pel "
                    "meu compte. Domini cognitiu: comprendre."
                ),
                "es": (
                    "Complejidad: tareas bien definidas y rutinarias, y problemas sencillos. Autonomía: por "
                    "mi cuenta. Dominio cognitivo: comprender."
                ),
                "en": (
                    "Complexity: well-defined and routine tasks, and straightforward problems. Autonomy: on "
                    "my own. Cognitive domain: understanding."
                ),
            },
        },
        {
            "value": 4,
            "label": {"ca": "Intermedi 4", "es": "Intermedio 4", "en": "Intermediate 4"},
            "band": {"ca": "Intermedi", "es": "Intermedio", "en": "Intermediate"},
            "descriptor": {
                "ca": (
                    "Complexitat: tasques, i problemes ben definits i no rutinaris. Autonomia: de manera "
                    "independent i segons les meves necessitats. Domini cognitiu: comprendre."
                ),
                "es": (
                    "Complejidad: tareas, y problemas bien definidos y no rutinarios. Autonomía: de forma "
                    "independiente y según mis necesidades. Dominio cognitivo: comprender."
                ),
                "en": (
                    "Complexity: tasks, and well-defined and non-routine problems. Autonomy: independently "
                    "and according to my needs. Cognitive domain: understanding."
                ),
            },
        },
        {
            "value": 5,
            "label": {"ca": "Avançat 5", "es": "Avanzado 5", "en": "Advanced 5"},
            "band": {"ca": "Avançat", "es": "Avanzado", "en": "Advanced"},
            "descriptor": {
                "ca": (
                    "Complexitat: tasques i problemes diversos. Autonomia: orientant altres persones. Domini "
                    "cognitiu: aplicar."
                ),
                "es": (
                    "Complejidad: tareas y problemas diversos. Autonomía: orientando a otras personas. "
                    "Dominio cognitivo: aplicar."
                ),
                "en": (
                    "Complexity: different tasks and problems. Autonomy: guiding others. Cognitive domain: "
                    "applying."
                ),
            },
        },
        {
            "value": 6,
            "label": {"ca": "Avançat 6", "es": "Avanzado 6", "en": "Advanced 6"},
            "band": {"ca": "Avançat", "es": "Avanzado", "en": "Advanced"},
            "descriptor": {
                "ca": (
                    "Complexitat: les tasques més adequades. Autonomia: capaç d'adaptar-me a altres persones "
                    "en un context complex. Domini cognitiu: avaluar."
                ),
                "es": (
                    "Complejidad: las tareas más adecuadas. Autonomía: capaz de adaptarme a otras personas "
                    "en un contexto complejo. Dominio cognitivo: evaluar."
                ),
                "en": (
                    "Complexity: most appropriate tasks. Autonomy: able to adapt to others in a complex "
                    "context. Cognitive domain: evaluating."
                ),
            },
        },
        {
            "value": 7,
            "label": {
                "ca": "Altament especialitzat 7",
                "es": "Altamente especializado 7",
                "en": "Highly specialised 7",
            },
            "band": {
                "ca": "Altament especialitzat",
                "es": "Altamente especializado",
                "en": "Highly specialised",
            },
            "descriptor": {
                "ca": (
                    "Complexitat: resoldre problemes complexos amb solucions limitades. Autonomia: "
                    "integrar-me per contribuir a la pràctica professional i orientar altres persones. "
                    "Domini cognitiu: crear."
                ),
                "es": (
                    "Complejidad: resolver problemas complejos con soluciones limitadas. Autonomía: "
                    "integrarme para contribuir a la práctica profesional y orientar a otras personas. "
                    "Dominio cognitivo: crear."
                ),
                "en": (
                    "Complexity: resolve complex problems with limited solutions. Autonomy: integrate to "
                    "contribute to the professional practice and to guide others. Cognitive domain: creating."
                ),
            },
        },
        {
            "value": 8,
            "label": {
                "ca": "Altament especialitzat 8",
                "es": "Altamente especializado 8",
                "en": "Highly specialised 8",
            },
            "band": {
                "ca": "Altament especialitzat",
                "es": "Altamente especializado",
                "en": "Highly specialised",
            },
            "descriptor": {
                "ca": (
                    "Complexitat: resoldre problemes complexos amb molts factors que interactuen. Autonomia: "
                    "proposar idees i processos nous en l'àmbit. Domini cognitiu: crear."
                ),
                "es": (
                    "Complejidad: resolver problemas complejos con muchos factores que interactúan. "
                    "Autonomía: proponer nuevas ideas y procesos en el ámbito. Dominio cognitivo: crear."
                ),
                "en": (
                    "Complexity: resolve complex problems with many interacting factors. Autonomy: propose "
                    "new ideas and processes to the field. Cognitive domain: creating."
                ),
            },
        },
    ],
}

FRAMEWORK = {
    "code": "DIGCOMP-2.2",
    "name": {
        "ca": "DigComp 2.2: Marc de competència digital per a la ciutadania",
        "es": "DigComp 2.2: Marco de Competencia Digital para la Ciudadanía",
        "en": "DigComp 2.2: The Digital Competence Framework for Citizens",
    },
    "description": {
        "ca": (
            "Marc europeu de referència que descriu què vol dir ser digitalment competent: 21 competències "
            "agrupades en 5 àrees, amb 8 nivells de domini. Publicat pel Centre Comú de Recerca (JRC) de la "
            "Comissió Europea."
        ),
        "es": (
            "Marco europeo de referencia que describe qué significa ser digitalmente competente: 21 "
            "competencias agrupadas en 5 áreas, con 8 niveles de competencia. Publicado por el Centro Común "
            "de Investigación (JRC) de la Comisión Europea."
        ),
        "en": (
            "European reference framework describing what it means to be digitally competent: 21 competences "
            "grouped in 5 areas, with 8 proficiency levels. Published by the European Commission's Joint "
            "Research Centre (JRC)."
        ),
    },
    "version": "2.2",
    "source": (
        "Vuorikari, R., Kluzer, S. and Punie, Y., DigComp 2.2: The Digital Competence Framework for "
        "Citizens, Publications Office of the European Union, Luxembourg, 2022, JRC128415"
    ),
}

AREAS = [
    {
        "code": "1",
        "name": {
            "ca": "Alfabetització en informació i dades",
            "es": "Búsqueda y gestión de información y datos",
            "en": "Information and data literacy",
        },
        "description": {
            "ca": (
                "Articular les necessitats d'informació i localitzar, recuperar, avaluar, emmagatzemar i "
                "organitzar dades, informació i continguts digitals, jutjant-ne la rellevància i la "
                "fiabilitat de les fonts."
            ),
            "es": (
                "Articular las necesidades de información y localizar, recuperar, evaluar, almacenar y "
                "organizar datos, información y contenidos digitales, juzgando su relevancia y la fiabilidad "
                "de las fuentes."
            ),
            "en": (
                "To articulate information needs and to locate, retrieve, evaluate, store and organise "
                "digital data, information and content, judging their relevance and the reliability of their "
                "sources."
            ),
        },
        "competencies": [
            {
                "code": "1.1",
                "name": {
                    "ca": "Navegació, cerca i filtratge de dades, informació i continguts digitals",
                    "es": "Navegación, búsqueda y filtrado de datos, información y contenidos digitales",
                    "en": "Browsing, searching and filtering data, information and digital content",
                },
                "description": {
                    "ca": (
                        "Articular les necessitats d'informació, cercar dades, informació i continguts en "
                        "entorns digitals, accedir-hi i navegar-hi. Crear i actualitzar estratègies de cerca "
                        "personals."
                    ),
                    "es": (
                        "Articular las necesidades de información, buscar datos, información y contenidos en "
                        "entornos digitales, acceder a ellos y navegar entre ellos. Crear y actualizar "
                        "estrategias de búsqueda personales."
                    ),
                    "en": (
                        "To articulate information needs, to search for data, information and content in "
                        "digital environments, to access them and to navigate between them. To create and "
                        "update personal search strategies."
                    ),
                },
            },
            {
                "code": "1.2",
                "name": {
                    "ca": "Avaluació de dades, informació i continguts digitals",
                    "es": "Evaluación de datos, información y contenidos digitales",
                    "en": "Evaluating data, information and digital content",
                },
                "description": {
                    "ca": (
                        "Analitzar, comparar i avaluar de manera crítica la credibilitat i la fiabilitat de "
                        "les fonts de dades, informació i continguts digitals. Analitzar, interpretar i "
                        "avaluar de manera crítica les dades, la informació i els continguts digitals."
                    ),
                    "es": (
                        "Analizar, comparar y evaluar de manera crítica la credibilidad y la fiabilidad de "
                        "las fuentes de datos, información y contenidos digitales. Analizar, interpretar y "
                        "evaluar de manera crítica los datos, la información y los contenidos digitales."
                    ),
                    "en": (
                        "To analyse, compare and critically evaluate the credibility and reliability of "
                        "sources of data, information and digital content. To analyse, interpret and "
                        "critically evaluate the data, information and digital content."
                    ),
                },
            },
            {
                "code": "1.3",
                "name": {
                    "ca": "Gestió de dades, informació i continguts digitals",
                    "es": "Gestión de datos, información y contenidos digitales",
                    "en": "Managing data, information and digital content",
                },
                "description": {
                    "ca": (
                        "Organitzar, emmagatzemar i recuperar dades, informació i continguts en entorns "
                        "digitals. Organitzar-los i processar-los en un entorn estructurat."
                    ),
                    "es": (
                        "Organizar, almacenar y recuperar datos, información y contenidos en entornos "
                        "digitales. Organizarlos y procesarlos en un entorno estructurado."
                    ),
                    "en": (
                        "To organise, store and retrieve data, information and content in digital "
                        "environments. To organise and process them in a structured environment."
                    ),
                },
            },
        ],
    },
    {
        "code": "2",
        "name": {
            "ca": "Comunicació i col·laboració",
            "es": "Comunicación y colaboración",
            "en": "Communication and collaboration",
        },
        "description": {
            "ca": (
                "Interactuar, comunicar-se i col·laborar mitjançant les tecnologies digitals tenint en "
                "compte la diversitat cultural i generacional, participar en la societat a través de serveis "
                "digitals i gestionar la pròpia presència, identitat i reputació digitals."
            ),
            "es": (
                "Interactuar, comunicarse y colaborar mediante las tecnologías digitales teniendo en cuenta "
                "la diversidad cultural y generacional, participar en la sociedad a través de servicios "
                "digitales y gestionar la propia presencia, identidad y reputación digitales."
            ),
            "en": (
                "To interact, communicate and collaborate through digital technologies while being aware of "
                "cultural and generational diversity, to participate in society through digital services, "
                "and to manage one's digital presence, identity and reputation."
            ),
        },
        "competencies": [
            {
                "code": "2.1",
                "name": {
                    "ca": "Interacció mitjançant les tecnologies digitals",
                    "es": "Interactuar a través de tecnologías digitales",
                    "en": "Interacting through digital technologies",
                },
                "description": {
                    "ca": (
                        "Interactuar mitjançant diverses tecnologies digitals i entendre quins mitjans de "
                        "comunicació digital són els adequats en cada context."
                    ),
                    "es": (
                        "Interactuar mediante diversas tecnologías digitales y entender qué medios de "
                        "comunicación digital son los adecuados para cada contexto."
                    ),
                    "en": (
                        "To interact through a variety of digital technologies and to understand appropriate "
                        "digital communication means for a given context."
                    ),
                },
            },
            {
                "code": "2.2",
                "name": {
                    "ca": "Compartir mitjançant les tecnologies digitals",
                    "es": "Compartir a través de tecnologías digitales",
                    "en": "Sharing through digital technologies",
                },
                "description": {
                    "ca": (
                        "Compartir dades, informació i continguts digitals amb altres persones mitjançant "
                        "les tecnologies digitals adequades. Actuar com a intermediari i conèixer les "
                        "pràctiques de citació i atribució."
                    ),
                    "es": (
                        "Compartir datos, información y contenidos digitales con otras personas mediante las "
                        "tecnologías digitales adecuadas. Actuar como intermediario y conocer las prácticas "
                        "de citación y atribución."
                    ),
                    "en": (
                        "To share data, information and digital content with others through appropriate "
                        "digital technologies. To act as an intermediary, to know about referencing and "
                        "attribution practices."
                    ),
                },
            },
            {
                "code": "2.3",
                "name": {
                    "ca": "Participació ciutadana mitjançant les tecnologies digitals",
                    "es": "Participación ciudadana a través de las tecnologías digitales",
                    "en": "Engaging in citizenship through digital technologies",
                },
                "description": {
                    "ca": (
                        "Participar en la societat mitjançant l'ús de serveis digitals públics i privats. "
                        "Cercar oportunitats d'apoderament personal i de ciutadania participativa mitjançant "
                        "les tecnologies digitals adequades."
                    ),
                    "es": (
                        "Participar en la sociedad mediante el uso de servicios digitales públicos y "
                        "privados. Buscar oportunidades de empoderamiento personal y de ciudadanía "
                        "participativa a través de las tecnologías digitales adecuadas."
                    ),
                    "en": (
                        "To participate in society through the use of public and private digital services. "
                        "To seek opportunities for self-empowerment and for participatory citizenship "
                        "through appropriate digital technologies."
                    ),
                },
            },
            {
                "code": "2.4",
                "name": {
                    "ca": "Col·laboració mitjançant les tecnologies digitals",
                    "es": "Colaboración a través de las tecnologías digitales",
                    "en": "Collaborating through digital technologies",
                },
                "description": {
                    "ca": (
                        "Utilitzar eines i tecnologies digitals en processos col·laboratius i per a la "
                        "construcció i la creació conjuntes de dades, recursos i coneixement."
                    ),
                    "es": (
                        "Utilizar herramientas y tecnologías digitales en procesos colaborativos y para la "
                        "construcción y la creación conjuntas de datos, recursos y conocimiento."
                    ),
                    "en": (
                        "To use digital tools and technologies for collaborative processes, and for "
                        "co-construction and co-creation of data, resources and knowledge."
                    ),
                },
            },
            {
                "code": "2.5",
                "name": {"ca": "Netiqueta", "es": "Netiqueta (comportamiento en la red)", "en": "Netiquette"},
                "description": {
                    "ca": (
                        "Conèixer les normes de comportament i les bones pràctiques en l'ús de les "
                        "tecnologies digitals i en la interacció en entorns digitals. Adaptar les "
                        "estratègies de comunicació a cada públic i tenir en compte la diversitat cultural i "
                        "generacional en els entorns digitals."
                    ),
                    "es": (
                        "Conocer las normas de conducta y las buenas prácticas en el uso de las tecnologías "
                        "digitales y en la interacción en entornos digitales. Adaptar las estrategias de "
                        "comunicación a cada público y ser consciente de la diversidad cultural y "
                        "generacional en los entornos digitales."
                    ),
                    "en": (
                        "To be aware of behavioural norms and know-how while using digital technologies and "
                        "interacting in digital environments. To adapt communication strategies to the "
                        "specific audience and to be aware of cultural and generational diversity in digital "
                        "environments."
                    ),
                },
            },
            {
                "code": "2.6",
                "name": {
                    "ca": "Gestió de la identitat digital",
                    "es": "Gestión de la identidad digital",
                    "en": "Managing digital identity",
                },
                "description": {
                    "ca": (
                        "Crear i gestionar una o diverses identitats digitals, protegir la pròpia reputació "
                        "i gestionar les dades que un mateix genera mitjançant diverses eines, entorns i "
                        "serveis digitals."
                    ),
                    "es": (
                        "Crear y gestionar una o varias identidades digitales, proteger la propia reputación "
                        "y gestionar los datos que uno mismo genera a través de diversas herramientas, "
                        "entornos y servicios digitales."
                    ),
                    "en": (
                        "To create and manage one or multiple digital identities, to be able to protect "
                        "one's own reputation, to deal with the data that one produces through several "
                        "digital tools, environments and services."
                    ),
                },
            },
        ],
    },
    {
        "code": "3",
        "name": {
            "ca": "Creació de continguts digitals",
            "es": "Creación de contenidos digitales",
            "en": "Digital content creation",
        },
        "description": {
            "ca": (
                "Crear i editar continguts digitals, millorar-los i integrar-los en el coneixement existent "
                "respectant els drets d'autor i les llicències, i donar instruccions comprensibles a un "
                "sistema informàtic."
            ),
            "es": (
                "Crear y editar contenidos digitales, mejorarlos e integrarlos en el conocimiento existente "
                "respetando los derechos de autor y las licencias, y dar instrucciones comprensibles a un "
                "sistema informático."
            ),
            "en": (
                "To create and edit digital content, to improve and integrate it into existing knowledge "
                "while respecting copyright and licences, and to give understandable instructions to a "
                "computer system."
            ),
        },
        "competencies": [
            {
                "code": "3.1",
                "name": {
                    "ca": "Desenvolupament de continguts digitals",
                    "es": "Desarrollo de contenidos digitales",
                    "en": "Developing digital content",
                },
                "description": {
                    "ca": (
                        "Crear i editar continguts digitals en diferents formats i expressar-se per mitjans "
                        "digitals."
                    ),
                    "es": (
                        "Crear y editar contenidos digitales en diferentes formatos y expresarse a través de "
                        "medios digitales."
                    ),
                    "en": (
                        "To create and edit digital content in different formats, to express oneself through "
                        "digital means."
                    ),
                },
            },
            {
                "code": "3.2",
                "name": {
                    "ca": "Integració i reelaboració de continguts digitals",
                    "es": "Integración y reelaboración de contenido digital",
                    "en": "Integrating and re-elaborating digital content",
                },
                "description": {
                    "ca": (
                        "Modificar, perfeccionar, millorar i integrar informació i continguts en un cos de "
                        "coneixement existent per crear continguts i coneixement nous, originals i "
                        "rellevants."
                    ),
                    "es": (
                        "Modificar, perfeccionar, mejorar e integrar información y contenidos en un cuerpo "
                        "de conocimiento existente para crear contenidos y conocimiento nuevos, originales y "
                        "relevantes."
                    ),
                    "en": (
                        "To modify, refine, improve and integrate information and content into an existing "
                        "body of knowledge to create new, original and relevant content and knowledge."
                    ),
                },
            },
            {
                "code": "3.3",
                "name": {
                    "ca": "Drets d'autor i llicències",
                    "es": "Derechos de autor (copyright) y licencias",
                    "en": "Copyright and licences",
                },
                "description": {
                    "ca": (
                        "Entendre com s'apliquen els drets d'autor i les llicències a les dades, la "
                        "informació i els continguts digitals."
                    ),
                    "es": (
                        "Entender cómo se aplican los derechos de autor y las licencias a los datos, la "
                        "información y los contenidos digitales."
                    ),
                    "en": (
                        "To understand how copyright and licences apply to data, information and digital "
                        "content."
                    ),
                },
            },
            {
                "code": "3.4",
                "name": {"ca": "Programació", "es": "Programación", "en": "Programming"},
                "description": {
                    "ca": (
                        "Planificar i desenvolupar una seqüència d'instruccions comprensibles per a un "
                        "sistema informàtic per resoldre un problema determinat o dur a terme una tasca "
                        "concreta."
                    ),
                    "es": (
                        "Planificar y desarrollar una secuencia de instrucciones comprensibles para un "
                        "sistema informático con el fin de resolver un problema determinado o realizar una "
                        "tarea concreta."
                    ),
                    "en": (
                        "To plan and develop a sequence of understandable instructions for a computing "
                        "system to solve a given problem or perform a specific task."
                    ),
                },
            },
        ],
    },
    {
        "code": "4",
        "name": {"ca": "Seguretat", "es": "Seguridad", "en": "Safety"},
        "description": {
            "ca": (
                "Protegir els dispositius, els continguts, les dades personals i la privadesa en entorns "
                "digitals, protegir la salut física i psicològica i ser conscient de l'impacte de les "
                "tecnologies digitals en el benestar social, la inclusió social i el medi ambient."
            ),
            "es": (
                "Proteger los dispositivos, los contenidos, los datos personales y la privacidad en entornos "
                "digitales, proteger la salud física y psicológica y ser consciente del impacto de las "
                "tecnologías digitales en el bienestar social, la inclusión social y el medio ambiente."
            ),
            "en": (
                "To protect devices, content, personal data and privacy in digital environments, to protect "
                "physical and psychological health, and to be aware of the impact of digital technologies on "
                "social well-being, social inclusion and the environment."
            ),
        },
        "competencies": [
            {
                "code": "4.1",
                "name": {
                    "ca": "Protecció dels dispositius",
                    "es": "Protección de dispositivos",
                    "en": "Protecting devices",
                },
                "description": {
                    "ca": (
                        "Protegir els dispositius i els continguts digitals i entendre els riscos i les "
                        "amenaces dels entorns digitals. Conèixer les mesures de protecció i de seguretat i "
                        "tenir en compte la fiabilitat i la privadesa."
                    ),
                    "es": (
                        "Proteger los dispositivos y los contenidos digitales y entender los riesgos y las "
                        "amenazas de los entornos digitales. Conocer las medidas de protección y de "
                        "seguridad y tener en cuenta la fiabilidad y la privacidad."
                    ),
                    "en": (
                        "To protect devices and digital content, and to understand risks and threats in "
                        "digital environments. To know about safety and security measures and to have due "
                        "regard to reliability and privacy."
                    ),
                },
            },
            {
                "code": "4.2",
                "name": {
                    "ca": "Protecció de les dades personals i de la privadesa",
                    "es": "Protección de datos personales y privacidad",
                    "en": "Protecting personal data and privacy",
                },
                "description": {
                    "ca": (
                        "Protegir les dades personals i la privadesa en entorns digitals. Entendre com "
                        "utilitzar i compartir informació personal identificable protegint-se i protegint "
                        "els altres de possibles danys. Saber que els serveis digitals fan servir una "
                        "«política de privadesa» per informar de com utilitzen les dades personals."
                    ),
                    "es": (
                        "Proteger los datos personales y la privacidad en entornos digitales. Entender cómo "
                        "utilizar y compartir información de identificación personal protegiéndose a uno "
                        "mismo y a los demás de posibles daños. Saber que los servicios digitales utilizan "
                        "una «política de privacidad» para informar de cómo se usan los datos personales."
                    ),
                    "en": (
                        "To protect personal data and privacy in digital environments. To understand how to "
                        "use and share personally identifiable information while being able to protect "
                        "oneself and others from damages. To understand that digital services use a “Privacy "
                        "policy” to inform how personal data is used."
                    ),
                },
            },
            {
                "code": "4.3",
                "name": {
                    "ca": "Protecció de la salut i del benestar",
                    "es": "Protección de la salud y del bienestar",
                    "en": "Protecting health and well-being",
                },
                "description": {
                    "ca": (
                        "Evitar els riscos per a la salut i les amenaces per al benestar físic i psicològic "
                        "derivats de l'ús de les tecnologies digitals. Protegir-se i protegir els altres de "
                        "possibles perills en els entorns digitals (per exemple, el ciberassetjament). "
                        "Conèixer les tecnologies digitals que afavoreixen el benestar i la inclusió social."
                    ),
                    "es": (
                        "Evitar los riesgos para la salud y las amenazas para el bienestar físico y "
                        "psicológico derivados del uso de las tecnologías digitales. Protegerse a uno mismo "
                        "y a los demás de posibles peligros en los entornos digitales (por ejemplo, el "
                        "ciberacoso). Conocer las tecnologías digitales que favorecen el bienestar y la "
                        "inclusión social."
                    ),
                    "en": (
                        "To be able to avoid health-risks and threats to physical and psychological "
                        "well-being while using digital technologies. To be able to protect oneself and "
                        "others from possible dangers in digital environments (e.g. cyber bullying). To be "
                        "aware of digital technologies for social well-being and social inclusion."
                    ),
                },
            },
            {
                "code": "4.4",
                "name": {
                    "ca": "Protecció del medi ambient",
                    "es": "Protección medioambiental",
                    "en": "Protecting the environment",
                },
                "description": {
                    "ca": "Ser conscient de l'impacte ambiental de les tecnologies digitals i del seu ús.",
                    "es": (
                        "Ser consciente del impacto medioambiental de las tecnologías digitales y de su uso."
                    ),
                    "en": "To be aware of the environmental impact of digital technologies and their use.",
                },
            },
        ],
    },
    {
        "code": "5",
        "name": {"ca": "Resolució de problemes", "es": "Resolución de problemas", "en": "Problem solving"},
        "description": {
            "ca": (
                "Identificar necessitats i problemes i resoldre problemes conceptuals i situacions "
                "problemàtiques en entorns digitals, utilitzar eines digitals per innovar processos i "
                "productes i mantenir-se al dia de l'evolució digital."
            ),
            "es": (
                "Identificar necesidades y problemas y resolver problemas conceptuales y situaciones "
                "problemáticas en entornos digitales, utilizar herramientas digitales para innovar procesos "
                "y productos y mantenerse al día de la evolución digital."
            ),
            "en": (
                "To identify needs and problems and to resolve conceptual problems and problem situations in "
                "digital environments, to use digital tools to innovate processes and products, and to keep "
                "up to date with the digital evolution."
            ),
        },
        "competencies": [
            {
                "code": "5.1",
                "name": {
                    "ca": "Resolució de problemes tècnics",
                    "es": "Resolución de problemas técnicos",
                    "en": "Solving technical problems",
                },
                "description": {
                    "ca": (
                        "Identificar problemes tècnics en l'ús de dispositius i entorns digitals i "
                        "resoldre'ls (des de la resolució d'incidències senzilles fins a problemes més "
                        "complexos)."
                    ),
                    "es": (
                        "Identificar problemas técnicos al utilizar dispositivos y entornos digitales y "
                        "resolverlos (desde la solución de incidencias sencillas hasta problemas más "
                        "complejos)."
                    ),
                    "en": (
                        "To identify technical problems when operating devices and using digital "
                        "environments, and to solve them (from trouble-shooting to solving more complex "
                        "problems)."
                    ),
                },
            },
            {
                "code": "5.2",
                "name": {
                    "ca": "Identificació de necessitats i de respostes tecnològiques",
                    "es": "Identificación de necesidades y respuestas tecnológicas",
                    "en": "Identifying needs and technological responses",
                },
                "description": {
                    "ca": (
                        "Avaluar necessitats i identificar, valorar, seleccionar i utilitzar eines digitals "
                        "i possibles respostes tecnològiques per atendre-les. Ajustar i personalitzar els "
                        "entorns digitals segons les necessitats personals (per exemple, l'accessibilitat)."
                    ),
                    "es": (
                        "Evaluar necesidades e identificar, valorar, seleccionar y utilizar herramientas "
                        "digitales y posibles respuestas tecnológicas para resolverlas. Ajustar y "
                        "personalizar los entornos digitales a las necesidades personales (por ejemplo, la "
                        "accesibilidad)."
                    ),
                    "en": (
                        "To assess needs and to identify, evaluate, select and use digital tools and "
                        "possible technological responses to solve them. To adjust and customise digital "
                        "environments to personal needs (e.g. accessibility)."
                    ),
                },
            },
            {
                "code": "5.3",
                "name": {
                    "ca": "Ús creatiu de les tecnologies digitals",
                    "es": "Uso creativo de la tecnología digital",
                    "en": "Creatively using digital technologies",
                },
                "description": {
                    "ca": (
                        "Utilitzar eines i tecnologies digitals per crear coneixement i innovar processos i "
                        "productes. Implicar-se, individualment i col·lectivament, en processos cognitius "
                        "per entendre i resoldre problemes conceptuals i situacions problemàtiques en "
                        "entorns digitals."
                    ),
                    "es": (
                        "Utilizar herramientas y tecnologías digitales para crear conocimiento e innovar "
                        "procesos y productos. Implicarse, individual y colectivamente, en procesos "
                        "cognitivos para entender y resolver problemas conceptuales y situaciones "
                        "problemáticas en entornos digitales."
                    ),
                    "en": (
                        "To use digital tools and technologies to create knowledge and to innovate processes "
                        "and products. To engage individually and collectively in cognitive processing to "
                        "understand and resolve conceptual problems and problem situations in digital "
                        "environments."
                    ),
                },
            },
            {
                "code": "5.4",
                "name": {
                    "ca": "Identificació de mancances en la competència digital",
                    "es": "Identificación de lagunas en la competencia digital",
                    "en": "Identifying digital competence gaps",
                },
                "description": {
                    "ca": (
                        "Entendre en quins aspectes cal millorar o actualitzar la pròpia competència "
                        "digital. Donar suport a altres persones en el desenvolupament de la seva "
                        "competència digital. Cercar oportunitats de desenvolupament personal i mantenir-se "
                        "al dia de l'evolució digital."
                    ),
                    "es": (
                        "Entender en qué aspectos es necesario mejorar o actualizar la propia competencia "
                        "digital. Apoyar a otras personas en el desarrollo de su competencia digital. Buscar "
                        "oportunidades de desarrollo personal y mantenerse al día de la evolución digital."
                    ),
                    "en": (
                        "To understand where one's own digital competence needs to be improved or updated. "
                        "To be able to support others with their digital competence development. To seek "
                        "opportunities for self-development and to keep up-to-date with the digital "
                        "evolution."
                    ),
                },
            },
        ],
    },
]
