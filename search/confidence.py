"""How sure the search is of a hit: does the article cover what the query names? (pure)

The specific words of a query are those that are not generic (see `search.generic`); a query
of generic words alone counts all of them. An article covers a word when one of the word's
index terms (as typed, corrected, a synonym, or while the word is unfinished a completion)
occurs in the fields of `Masks.cover` (title, synonyms, short answer, body, category: a word
met only in the documents, the procedure or the office's name is a mention, not the subject),
or, for a compound the index does not know, when every part does.

A hit is `high` when its title or synonyms cover at least one specific word and the article
covers all of them; from `LONG_QUESTION` specific words on, one may be missing (context the
article does not repeat). Otherwise it is `low`: it shares only generic words ("beantragen"),
part of a compound ("Steuer" of "Hundesteuer") or mentions in its text with the query. A hit
found by its LeiKa key is high; one found only by the name scan (no full-text match) is low.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from search.generic import GenericWords
from search.protocol import Confidence
from search.query import Position, QueryPlan

HIGH: Confidence = "high"
LOW: Confidence = "low"
#: From this many specific words on, one of them may be context the article does not repeat
#: ("ich fliege nächste woche und brauche schnell einen pass").
LONG_QUESTION = 3


@dataclass(frozen=True)
class Masks:
    """Field bit masks: where a word counts as covered, and which fields name the article."""

    cover: int
    name: int


def specific_positions(
    plan: QueryPlan, generic: GenericWords, vocab: frozenset[str]
) -> tuple[Position, ...]:
    """The positions whose word names the service; all of them when every word is generic."""
    specific = tuple(p for p in plan.positions if not generic.is_generic(p.word, vocab))
    return specific or plan.positions


def standing_for(position: Position) -> list[str]:
    """The terms that stand for the word itself: as typed, corrected or a synonym; completions
    only while the typed word is no term of its own ("rente" is not "Rentenversicherung")."""
    known = any(alt.kind == "exact" for alt in position.alternatives)
    return [
        alt.term
        for alt in position.alternatives
        if alt.kind in ("exact", "correction", "synonym")
        or (alt.kind in ("completion", "stem") and not known)
    ]


def covers(position: Position, term_fields: Mapping[str, int], mask: int) -> bool:
    """True when the document holds, in a field of `mask`, a term standing for the word."""
    if any(term_fields.get(term, 0) & mask for term in standing_for(position)):
        return True
    return bool(position.parts) and all(
        any(term_fields.get(term, 0) & mask for term in part) for part in position.parts
    )


def judge(
    specific: Sequence[Position], term_fields: Mapping[str, int], masks: Masks, by_key: bool = False
) -> Confidence:
    """`high` when the document covers the specific positions (or was found by its key)."""
    if by_key:
        return HIGH
    if not specific or not term_fields:
        return LOW
    if not any(covers(p, term_fields, masks.name) for p in specific):
        return LOW  # its name shares none of them: a neighbour that mentions them
    missing = sum(not covers(p, term_fields, masks.cover) for p in specific)
    allowed = 1 if len(specific) >= LONG_QUESTION else 0
    return HIGH if missing <= allowed else LOW
