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
#: What simulated citizens dial: the main number 115 and two municipalities' own numbers.
DIALLED = (("115", 0.5), ("1150002", 0.3), ("1150003", 0.2))
#: The key pressed in a municipality's language choice ("": none, the choice times out).
LANGUAGE_CHOICE = (("1", 0.6), ("2", 0.15), ("3", 0.12), ("4", 0.05), ("", 0.08))


class CallerFactory:
    """Makes (number, name) pairs; the same seed always yields the same sequence."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._dial = random.Random(None if seed is None else f"dialled-{seed}")
        """Its own stream: the names and numbers of a seed stay what they were."""

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

    def dialling(self) -> tuple[str, str]:
        """(the number dialled, the key pressed in its language choice or "")."""
        exten = self._dial.choices([d for d, _ in DIALLED], [w for _, w in DIALLED])[0]
        keys, weights = [k for k, _ in LANGUAGE_CHOICE], [w for _, w in LANGUAGE_CHOICE]
        key = self._dial.choices(keys, weights)[0] if exten != "115" else ""
        return exten, key

    def gap(self, rate_per_minute: float) -> float:
        """Seconds until the next call for a Poisson arrival process."""
        return self._rng.expovariate(rate_per_minute / 60.0)
