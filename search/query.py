"""Query planning: each typed word becomes weighted index terms (exact, prefix, typo, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from search.analysis import QueryWord, query_words, split_compound, stem
from search.spelling import Lexicon, max_edits
from search.synonyms import SYNONYM_WEIGHT, SynonymTable

#: Weights of the kinds of alternatives, relative to the word as typed.
EXACT = 1.0
COMPLETION = 0.9
CORRECTION = 0.75
COMPOUND_PART = 0.7
FUZZY_PREFIX = 0.6


@dataclass(frozen=True)
class Alternative:
    """One index term a query word may match, with its weight and how it was found."""

    term: str
    weight: float
    kind: str
    """`exact`, `completion`, `correction`, `compound`, `synonym`."""


@dataclass(frozen=True)
class Position:
    """A query word and every term it expands to."""

    word: QueryWord
    alternatives: tuple[Alternative, ...]
    corrected: str | None = None
    """The term a misspelt word was corrected to, for "Meinten Sie …?"."""


@dataclass(frozen=True)
class QueryPlan:
    """The analysed query: one position per kept word."""

    positions: tuple[Position, ...]

    @property
    def terms(self) -> dict[str, float]:
        """Every alternative term with its highest weight."""
        out: dict[str, float] = {}
        for position in self.positions:
            for alt in position.alternatives:
                out[alt.term] = max(out.get(alt.term, 0.0), alt.weight)
        return out


def plan_query(
    text: str, lexicon: Lexicon, vocab: frozenset[str], synonyms: SynonymTable
) -> QueryPlan:
    """Expand each word of `text` into the index terms it should match."""
    positions = []
    for word in query_words(text):
        found, corrected = _alternatives(word, lexicon, vocab)
        found = _with_synonyms(found, lexicon, synonyms)
        positions.append(Position(word, tuple(found.values()), corrected))
    return QueryPlan(tuple(positions))


def _alternatives(
    word: QueryWord, lexicon: Lexicon, vocab: frozenset[str]
) -> tuple[dict[str, Alternative], str | None]:
    found: dict[str, Alternative] = {}

    def add(term: str, weight: float, kind: str) -> None:
        if term not in found or found[term].weight < weight:
            found[term] = Alternative(term, weight, kind)

    if word.stem in lexicon:
        add(word.stem, EXACT, "exact")
    if word.prefix:
        for term in lexicon.complete(word.word) + lexicon.complete(word.stem):
            add(term, COMPLETION, "completion")
    if found:
        return found, None
    for part in split_compound(word.word, vocab):
        part_stem = stem(part)
        if part_stem in lexicon:
            add(part_stem, COMPOUND_PART, "compound")
    corrections = lexicon.correct(word.stem, budget=max_edits(len(word.word)))
    for term, edits in corrections:
        add(term, CORRECTION - 0.1 * (edits - 1), "correction")
    if word.prefix and not corrections:
        for term in lexicon.correct_prefix(word.word):
            add(term, FUZZY_PREFIX, "completion")
    return found, corrections[0][0] if corrections else None


def _with_synonyms(
    found: dict[str, Alternative], lexicon: Lexicon, synonyms: SynonymTable
) -> dict[str, Alternative]:
    out = dict(found)
    for alt in found.values():
        if alt.kind not in ("exact", "correction"):
            continue
        for other in synonyms.get(alt.term, ()):
            weight = alt.weight * SYNONYM_WEIGHT
            if other in lexicon and (other not in out or out[other].weight < weight):
                out[other] = Alternative(other, weight, "synonym")
    return out


def suggestion(text: str, plan: QueryPlan, surface: Mapping[str, str]) -> str | None:
    """The query with misspelt words replaced by their correction's usual spelling, or None."""
    if not any(p.corrected for p in plan.positions):
        return None
    words = []
    for position in plan.positions:
        fixed = position.corrected
        words.append(surface.get(fixed, fixed) if fixed else position.word.word)
    return " ".join(words)
