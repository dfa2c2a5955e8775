"""Deterministic German caller names and telephone numbers for the PBX simulator."""

from __future__ import annotations

import random

_FIRST = [
    "Jürgen",
    "Jörg",
    "Günther",
    "Sören",
    "Björn",
    "Dörte",
    "Käthe",
    "Özlem",
    "Ayşe",
    "Müge",
    "Hans-Jürgen",
    "Anna-Lena",
    "Lea",
    "Mia",
    "Jonas",
    "Lukas",
    "Marie",
    "Sophie",
    "Karl-Heinz",
    "Renate",
    "Ingrid",
    "Uwe",
    "Detlef",
    "Bärbel",
    "Grete",
    "Niklas",
    "Emre",
    "Zeynep",
    "Agnieszka",
    "Paweł",
    "Dragana",
    "Luca",
    "Jana",
    "Ute",
    "Malte",
    "Wiebke",
    "Hülya",
    "Thorsten",
    "Maximilian",
]
_LAST = [
    "Müller",
    "Schröder",
    "Größe",
    "Weiß",
    "Groß",
    "Bäcker",
    "Köhler",
    "Krüger",
    "Schäfer",
    "Böhm",
    "Jäger",
    "Möller",
    "Fuß",
    "Yılmaz",
    "Öztürk",
    "Nowak",
    "Kowalski",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Hofmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Şahin",
    "Kaya",
    "Günther",
    "Brückner",
    "Dreßler",
    "Häußler",
    "Löffler",
    "Nüßlein",
    "Pöschl",
    "Süßmuth",
    "Vogelsang",
]
_AREA = ("030", "040", "089", "0221", "069", "0234", "0201", "0211", "0711", "0351", "0341")
_MOBILE = ("0151", "0152", "0160", "0170", "0171", "0176", "0157")


class CallerFactory:
    """Makes (number, name) pairs; the same seed always yields the same sequence."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)

    def name(self) -> str:
        """A German name, often with umlauts or other non-ASCII letters."""
        return f"{self._rng.choice(_FIRST)} {self._rng.choice(_LAST)}"

    def number(self) -> str:
        """A German landline or mobile number in national format."""
        if self._rng.random() < 0.4:
            return self._rng.choice(_MOBILE) + "".join(self._rng.choices("0123456789", k=8))
        area = self._rng.choice(_AREA)
        return area + "".join(self._rng.choices("0123456789", k=11 - len(area)))

    def caller(self) -> tuple[str, str]:
        """A (number, name) pair."""
        return self.number(), self.name()

    def gap(self, rate_per_minute: float) -> float:
        """Seconds until the next call for a Poisson arrival process."""
        return self._rng.expovariate(rate_per_minute / 60.0)
