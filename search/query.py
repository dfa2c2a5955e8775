"""Query planning: each typed word becomes weighted index terms (exact, prefix, typo, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from search.analysis import (
    LINKS,
    MAX_COMPOUND,
    MIN_COMPOUND,
    MIN_PART,
    QueryWord,
    query_words,
    split_compound,
    stem,
)
from search.spelling import Lexicon, max_edits
from search.synonyms import SYNONYM_WEIGHT, SynonymTable

#: Weights of the kinds of alternatives, relative to the word as typed.
EXACT = 1.0
COMPLETION = 0.9
#: Completions of a word that is a term of its own (0.3-0.7 gave the same figures).
KNOWN_COMPLETION = 0.6
CORRECTION = 0.75
COMPOUND_PART = 0.7
FUZZY_PREFIX = 0.6
#: Shortest stem an unfinished word may run past, and by how many letters at most.
MIN_STEM = 5
MAX_OVERRUN = 5
#: Most index terms an unfinished word expands to.
COMPLETIONS = 8
#: Fewer for a word of two or three letters: it says little, and its completions are the KB's
#: most frequent terms, each a cold read of tens of thousands of postings at 100,000 documents.
SHORT_COMPLETIONS = {2: 3, 3: 5}


@dataclass(frozen=True)
class Alternative:
    """One index term a query word may match, with its weight and how it was found."""

    term: str
    weight: float
    kind: str
    """`exact`, `completion`, `stem` (a stem the unfinished word runs past), `correction`,
    `compound`, `synonym`."""


@dataclass(frozen=True)
class Position:
    """A query word and every term it expands to."""

    word: QueryWord
    alternatives: tuple[Alternative, ...]
    corrected: str | None = None
    """The term a misspelt word was corrected to, for "Meinten Sie …?"."""
    parts: tuple[tuple[str, ...], ...] = ()
    """For a compound the index does not know: the terms each part may match, in order."""


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
        found, corrected, parts = _alternatives(word, lexicon, vocab)
        found = _with_synonyms(found, lexicon, synonyms)
        positions.append(Position(word, tuple(found.values()), corrected, parts))
    return QueryPlan(tuple(positions))


def _alternatives(
    word: QueryWord, lexicon: Lexicon, vocab: frozenset[str]
) -> tuple[dict[str, Alternative], str | None, tuple[tuple[str, ...], ...]]:
    found: dict[str, Alternative] = {}
    parts: tuple[tuple[str, ...], ...] = ()

    def add(term: str, weight: float, kind: str) -> None:
        if term not in found or found[term].weight < weight:
            found[term] = Alternative(term, weight, kind)

    if word.stem in lexicon:
        add(word.stem, EXACT, "exact")
    if word.prefix:
        # A word that is a term already ("anmelden") more likely means itself than a longer,
        # rarer term it begins ("Anmeldebestätigung"), whose weight would otherwise dominate.
        completion = COMPLETION if word.stem not in lexicon else KNOWN_COMPLETION
        limit = SHORT_COMPLETIONS.get(len(word.word), COMPLETIONS)
        for term in lexicon.complete(word.word, limit) + lexicon.complete(word.stem, limit):
            add(term, completion, "completion")
        stem_typed = _typed_past_stem(word.word, lexicon)
        if stem_typed:
            add(stem_typed, COMPLETION, "stem")
    if word.stem not in lexicon and MIN_COMPOUND <= len(word.word) <= MAX_COMPOUND:
        # An unknown (or unfinished) compound: its parts too, beside any completion.
        parts = _compound_terms(word, lexicon, vocab)
        for group in parts:
            for term in group:
                add(term, COMPOUND_PART, "compound")
    if found and parts and all(alt.kind == "compound" for alt in found.values()):
        # Split only because the word is unknown: a whole term one letter away ("reispass",
        # "baugenemigung") is as likely as its parts, which a large KB always holds.
        near = lexicon.correct(word.stem, budget=1)
        for term, _ in near:
            add(term, CORRECTION, "correction")
        return found, near[0][0] if near else None, parts
    if found:
        return found, None, parts
    corrections = lexicon.correct(word.stem, budget=max_edits(len(word.word)))
    for term, edits in corrections:
        add(term, CORRECTION - 0.1 * (edits - 1), "correction")
    if word.prefix and not corrections:
        for term in lexicon.correct_prefix(word.word, COMPLETIONS):
            add(term, FUZZY_PREFIX, "completion")
    return found, corrections[0][0] if corrections else None, parts


def _typed_past_stem(word: str, lexicon: Lexicon) -> str | None:
    """The longest indexed stem the unfinished word already runs past.

    Stems are shorter than words ("meldebescheinigung" -> "meldebeschein"), so while typing
    "meldebescheinigun" no term starts with the input, but the input starts with a term.
    """
    for end in range(len(word) - 1, max(MIN_STEM, len(word) - MAX_OVERRUN) - 1, -1):
        if word[:end] in lexicon:
            return word[:end]
    return None


def _compound_terms(
    word: QueryWord, lexicon: Lexicon, vocab: frozenset[str]
) -> tuple[tuple[str, ...], ...]:
    """Parts of an unknown compound, each as the terms it may match: the known parts, or a known
    head with the completions or corrections of the tail.

    "anwohnerparkausweis" -> its known parts; "expressreisepas" (typed so far) -> "express"
    plus the completions of "reisepas".
    """
    parts = [stem(p) for p in split_compound(word.word, vocab)]
    if parts and all(p in lexicon for p in parts):
        return tuple((p,) for p in parts)
    for end in range(len(word.word) - MIN_PART, MIN_PART - 1, -1):
        head = word.word[:end]
        if head not in vocab or stem(head) not in lexicon:
            continue
        for link in LINKS:
            tail = word.word[end + len(link) :]
            if not word.word.startswith(link, end) or len(tail) < MIN_PART:
                continue
            found = _tail_terms(tail, word.prefix, lexicon)
            if found:
                return ((stem(head),), tuple(found))
    return ()


def _tail_terms(tail: str, prefix: bool, lexicon: Lexicon) -> list[str]:
    if stem(tail) in lexicon:
        return [stem(tail)]
    if prefix:
        completed = lexicon.complete(tail, COMPLETIONS)
        if completed:
            return completed
    return [term for term, _ in lexicon.correct(stem(tail), budget=max_edits(len(tail)))]


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
