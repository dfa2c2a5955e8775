"""Synonym candidates (pure): searches without a hit that most resemble an article's names.

Each search text goes to the one article whose title or synonym it resembles most (rapidfuzz's
WRatio over umlaut-folded text, at least CANDIDATE_CUTOFF); an editor decides whether it becomes
a synonym. Texts already among an article's names are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kb.loader import KnowledgeBase
from search.analysis import fold

#: Lowest similarity (0..100) for a search text to count as a candidate of an article.
CANDIDATE_CUTOFF = 75


@dataclass(frozen=True)
class SynonymCandidate:
    """A search without a hit that resembles an article."""

    text: str
    count: int
    """How often it was searched in the period."""
    score: float
    """Similarity 0..100 to the article's closest name."""


def synonym_candidates(
    kb: KnowledgeBase,
    unanswered: Iterable[tuple[str, int]],
    per_article: int = 5,
    cutoff: float = CANDIDATE_CUTOFF,
) -> dict[str, list[SynonymCandidate]]:
    """Article id -> its candidates, most searched first (at most `per_article`)."""
    names = [(fold(name), aid) for aid, a in kb.articles.items() for name in (a.title, *a.synonyms)]
    known = {name for name, _ in names}
    choices = [name for name, _ in names]
    found: dict[str, list[SynonymCandidate]] = {}
    for text, count in unanswered:
        folded = fold(text).strip()
        if not folded or folded in known:
            continue
        best = process.extractOne(folded, choices, scorer=fuzz.WRatio, score_cutoff=cutoff)
        if best is None:
            continue
        _, score, index = best
        found.setdefault(names[index][1], []).append(SynonymCandidate(text, count, float(score)))
    return {
        aid: sorted(items, key=lambda c: (-c.count, -c.score, c.text))[:per_article]
        for aid, items in found.items()
    }
