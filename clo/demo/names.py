"""Fictional people for the demo: first names and surnames as they appear on a Catalan council's payroll.

Mostly Catalan names, the Spanish names common in Catalonia, and a share of names of families who arrived
from North Africa, Latin America, Eastern Europe and Asia. Weights are rough frequencies, not statistics.
Everybody gets two surnames; about one in twelve joins them with "i", as some Catalan families do.
"""

from __future__ import annotations

import itertools
import random
import unicodedata

# "name:weight" entries, separated by commas.
FEMALE = """
Montserrat:9, Maria:9, Núria:8, Anna:8, Laura:8, Marta:8, Mercè:6, Carme:6, Rosa:5, Glòria:4, Teresa:4,
Mireia:5, Laia:5, Júlia:5, Clara:4, Marina:4, Elisabet:4, Cristina:6, Sílvia:6, Meritxell:4, Roser:4,
Neus:3, Eulàlia:3, Dolors:3, Assumpta:2, Pilar:3, Berta:2, Aina:2, Judit:4, Sara:4, Raquel:4, Gemma:5,
Esther:4, Imma:3, Lourdes:2, Olga:2, Ariadna:3, Irene:3, Alba:4, Noemí:3, Sònia:5, Helena:3, Àngels:3,
Isabel:4, Rut:2, Montse:3, Elena:4, Íngrid:2, Jordina:2, Marta Maria:1, Anna Maria:2, Carla:3, Paula:3,
Ester:2, Carmen:5, Ana:4, Rocío:2, Francisca:2, Susana:3, Patricia:3, Beatriz:2, Fàtima:2, Amina:1,
Yasmina:1, Khadija:1, Salma:1, Valentina:1, Camila:1, Daniela:1, Ioana:1, Nadia:1, Mei:1, Ling:1,
Svetlana:1
"""

MALE = """
Jordi:9, Joan:8, Josep:8, Marc:6, Pau:5, Pere:5, Oriol:5, Jaume:5, Xavier:7, Albert:5, Ramon:4,
Sergi:5, David:6, Daniel:5, Francesc:5, Lluís:5, Enric:4, Miquel:4, Carles:5, Arnau:3, Pol:2, Roger:3,
Gerard:3, Ferran:3, Antoni:5, Manel:3, Josep Maria:3, Joan Carles:2, Ricard:2, Ignasi:2, Bernat:2,
Guillem:2, Martí:2, Adrià:2, Àlex:3, Eduard:3, Jesús:3, Narcís:1, Quim:2, Toni:2, Víctor:3, Rafael:3,
Isaac:2, Esteve:2, Vicenç:1, Agustí:1, Andreu:2, Gabriel:2, Òscar:3, Antonio:5, Manuel:5, José:4,
Francisco:3, Juan:3, Javier:3, Miguel:2, Mohamed:2, Youssef:1, Hamza:1, Ahmed:1, Karim:1, Luis:1,
Diego:1, Mateo:1, Andrei:1, Bogdan:1, Wei:1, Hao:1, Raj:1
"""

SURNAMES = """
Garcia:14, Martínez:10, López:10, Sánchez:8, Rodríguez:8, Fernández:8, Pérez:7, González:6, Gómez:5,
Ruiz:5, Jiménez:4, Moreno:4, Muñoz:3, Romero:3, Navarro:3, Torres:3, Domínguez:2, Ramos:2, Gil:3,
Serrano:2, Molina:3, Morales:2, Ortega:2, Delgado:2, Castro:2, Ortiz:2, Rubio:2, Marín:2, Sanz:2,
Iglesias:2, Medina:2, Garrido:2, Cortés:2, Castillo:2, Lozano:2, Cano:2, Prieto:1, Méndez:1, Herrera:2,
Peña:1, León:1, Cabrera:1, Gallego:2, Calvo:2, Campos:1, Reyes:1, Vega:1, Fuentes:1, Puig:8, Vila:7,
Ferrer:8, Serra:7, Soler:8, Font:6, Roca:6, Pujol:6, Vidal:7, Mas:6, Riera:5, Prat:5, Casals:4,
Martí:7, Sala:5, Bosch:5, Costa:5, Roig:5, Camps:4, Vives:4, Planas:4, Pons:5, Batlle:3, Rovira:5,
Bonet:4, Fabregat:2, Pagès:3, Grau:4, Solé:5, Coll:4, Ribas:4, Sabaté:2, Miró:3, Comas:3, Torrent:3,
Cases:2, Busquets:3, Oliveras:3, Vallès:3, Pi:2, Parera:2, Canals:3, Sunyer:2, Tarrés:2, Vilaró:2,
Gené:2, Castells:3, Rius:3, Rosell:3, Bertran:3, Carbó:2, Duran:4, Estrada:2, Feliu:2, Farré:3, Galí:2,
Guàrdia:2, Llobet:3, Llorens:3, Masó:2, Mateu:3, Nadal:3, Noguera:2, Olivé:2, Palau:3, Pla:4,
Pascual:3, Esteve:3, Arnau:2, Tort:2, Vendrell:2, Xirau:1, Cuadrado:1, Segura:3, Capdevila:3, Sitjà:1,
Borràs:3, Figueras:3, Alsina:2, Quintana:2, Codina:3, Fornés:1, Dalmau:2, Móra:2, Tomàs:3, El Amrani:1,
Benali:1, Bouzid:1, El Idrissi:1, Chen:1, Wang:1, Popescu:1, Ionescu:1, Silva:1, Oliveira:1, Rossi:1,
Khan:1, Diallo:1, Vargas:1, Quispe:1, Mendoza:1
"""


class NamePicker:
    """Draws names from one ``random.Random`` so that a seed always yields the same people."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._female, self._female_cum = _cumulative(_weighted(FEMALE))
        self._male, self._male_cum = _cumulative(_weighted(MALE))
        self._surnames, self._surnames_cum = _cumulative(_weighted(SURNAMES))
        self._slugs: dict[str, str] = {}
        self._emails: dict[str, int] = {}

    def first_name(self, female: bool) -> str:
        names, cum = (self._female, self._female_cum) if female else (self._male, self._male_cum)
        return self.rng.choices(names, cum_weights=cum)[0]

    def surnames(self) -> str:
        first, second = self.rng.choices(self._surnames, cum_weights=self._surnames_cum, k=2)
        if second == first:
            second = self.rng.choices(self._surnames, cum_weights=self._surnames_cum)[0]
        joiner = " i " if self.rng.random() < 0.08 else " "
        return f"{first}{joiner}{second}"

    def email(self, first_name: str, surnames: str, domain: str) -> str:
        """``nuria.puig@domain``; a second Núria Puig gets ``nuria.puig2``."""
        base = f"{self.slug(first_name.split()[0])}.{self.slug(surnames.split(' i ')[0].split()[0])}"
        count = self._emails.get(base, 0) + 1
        self._emails[base] = count
        return f"{base}{count if count > 1 else ''}@{domain}"

    def slug(self, text: str) -> str:
        cached = self._slugs.get(text)
        if cached is None:
            plain = unicodedata.normalize("NFKD", text.replace("l·l", "ll"))
            cached = "".join(ch for ch in plain if ch.isascii() and ch.isalnum()).lower()
            self._slugs[text] = cached
        return cached


def _cumulative(weighted: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    names = [name for name, _ in weighted]
    return names, list(itertools.accumulate(weight for _, weight in weighted))


def _weighted(text: str) -> list[tuple[str, int]]:
    entries = [entry.strip() for entry in text.replace("\n", " ").split(",") if entry.strip()]
    return [(name.strip(), int(weight)) for name, weight in (entry.rsplit(":", 1) for entry in entries)]
