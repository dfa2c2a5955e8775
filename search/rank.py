"""Fused ranking: BM25F text score, query coverage and rapidfuzz similarity of names (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from search.analysis import fold
from search.query import QueryPlan

#: Weight of the normalised BM25F score.
W_TEXT = 1.0
#: Weight of the rapidfuzz similarity of the query to the title and synonyms.
W_FUZZ = 1.0
#: Share of the text score that depends on how many query words matched.
COVERAGE_SHARE = 0.6


@dataclass(frozen=True)
class Candidate:
    """A document the full-text query returned."""

    id: str
    text_score: float
    matched_terms: frozenset[str]
    names: tuple[str, ...]
    """Title first, then synonyms."""
    matched_fields: frozenset[str] = frozenset()
    term_fields: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Matched term -> bit mask of the fields it occurs in (see `FIELD_BITS` of the searcher)."""
    municipality: str | None = None
    """The municipality whose own document this is; None for a base document."""
    foreign: bool = False
    """Another municipality's own service: ranked after every service of the one asked for."""


#: Names recur on every keystroke; fold each once.
_fold_name = lru_cache(maxsize=100_000)(fold)


def name_similarity(query: str, names: Sequence[str]) -> float:
    """Best rapidfuzz WRatio (0..1) of the folded query against folded names."""
    folded = fold(query).strip()
    if not folded:
        return 0.0
    return max((fuzz.WRatio(folded, _fold_name(n)) for n in names), default=0.0) / 100


def coverage(plan: QueryPlan, matched: frozenset[str]) -> float:
    """Share of query words of which some alternative matched (1.0 for an empty plan)."""
    if not plan.positions:
        return 1.0
    hit = sum(any(a.term in matched for a in p.alternatives) for p in plan.positions)
    return hit / len(plan.positions)


def rank(
    candidates: Sequence[Candidate], plan: QueryPlan, query: str
) -> list[tuple[Candidate, float]]:
    """Candidates with their fused scores, best first (ties broken by id for stable output)."""
    if not candidates:
        return []
    top = max(c.text_score for c in candidates) or 1.0
    scored = []
    for cand in candidates:
        cover = coverage(plan, cand.matched_terms)
        text = cand.text_score / top * (1 - COVERAGE_SHARE + COVERAGE_SHARE * cover)
        score = W_TEXT * text + W_FUZZ * name_similarity(query, cand.names)
        scored.append((cand, round(score, 6)))
    scored.sort(key=lambda pair: (pair[0].foreign, -pair[1], pair[0].id))
    return scored
