"""Generic words: what a query says about every service, not which one (pure).

A caller's "beantragen", "Termin" or "brauche" fits any service; only the other words name
the service. The search's confidence (`search.confidence`) asks whether an article covers
those specific words. The built-in list below is general German of administrative procedure
and of callers' speech; a knowledge base adds its own (the town's name, say) in the `generic:`
list of its central word file (`kb/synonyms.yaml`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from search.analysis import MIN_PART, QueryWord, keep, split_compound, stem, tokens
from search.exceptions import SynonymError

#: Words (in the forms callers use) that fit any service. Grouped by kind; not tuned per query.
GENERIC_WORDS: tuple[str, ...] = (
    # what one does with any service: apply, register, change, collect, pay
    "beantragen beantrage beantragt beantragung Antrag Anträge Antragsformular Formular Formulare "
    "anmelden anmelde angemeldet Anmeldung abmelden abgemeldet Abmeldung ummelden Ummeldung "
    "melden melde gemeldet Meldung anzeigen Anzeige ändern geändert Änderung verlängern "
    "verlängert Verlängerung erneuern Erneuerung ausstellen ausgestellt Ausstellung bestellen "
    "Bestellung abholen Abholung einreichen vorlegen nachreichen erhalten bekommen kriegen "
    "stellen ausfüllen unterschreiben bezahlen zahlen vereinbaren buchen reservieren prüfen "
    "überprüfen erledigen machen tun lassen gehen geht klappt funktioniert",
    # the administration itself and the facts of any procedure
    "Amt Ämter Behörde Stelle Stadt Stadtverwaltung Verwaltung Gemeinde Rathaus Bürgeramt "
    "Bürgerbüro Bürgerservice Termin Termine Terminvereinbarung Öffnungszeiten geöffnet offen "
    "Sprechzeiten Unterlagen Dokument Dokumente Papiere Nachweis Nachweise Bescheinigung Bescheid "
    "Gebühr Gebühren Kosten kostet kosten Preis Geld Frist Fristen Dauer dauert Bearbeitungszeit "
    "Wartezeit Auskunft Information Informationen Info Infos Frage Fragen Hilfe Beratung online "
    "Ansprechpartner zuständig zuständige Zuständigkeit Voraussetzungen Ablauf",
    # callers' speech: needs, time, manner, question words
    "brauche brauchen benötige benötigen suche suchen wissen weiß hätte hätten würde würden gern "
    "mal eigentlich genau danke heute sofort schnell dringend bald wieder nochmal neu neue neuen "
    "neuer neues alt alte alten erst erste ersten wann warum wieso wieviel viel viele lange",
)


@dataclass(frozen=True)
class GenericWords:
    """Folded generic words and their stems, built-in plus a knowledge base's own."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, extra: Iterable[str] = ()) -> GenericWords:
        """The built-in list plus `extra` (the `generic:` list of the central word file)."""
        folded = {w for text in (*GENERIC_WORDS, *extra) for w in tokens(text) if keep(w)}
        return cls(frozenset(folded), frozenset(stem(w) for w in folded))

    def is_generic(self, word: QueryWord, vocab: frozenset[str]) -> bool:
        """True when `word` fits any service: listed, a compound of listed words, a number,
        or (unfinished) the start of a listed word."""
        if word.word.isdigit() or word.word in self.words or word.stem in self.stems:
            return True
        unfinished = word.prefix and len(word.word) >= MIN_PART
        if unfinished and any(w.startswith(word.word) for w in self.words):
            return True
        parts = split_compound(word.word, vocab)
        return bool(parts) and all(p in self.words or stem(p) in self.stems for p in parts)


def parse_generic(data: object) -> list[str]:
    """Validate the `generic:` list of the central word file (absent: none)."""
    if not isinstance(data, dict) or data.get("generic") is None:
        return []
    words = data["generic"]
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise SynonymError("synonym file: expected `generic:` as a list of words")
    return words
