"""BM25F term impacts and their accumulation into candidate scores (pure)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

#: BM25 term-frequency saturation and length normalisation (Whoosh's defaults).
K1 = 1.2
B = 0.75
#: Postings kept per term, highest impact first: beyond this, a very common term's tiny
#: contribution is dropped (impact-ordered pruning); exact whenever a term is rarer.
MAX_POSTINGS = 2000


@dataclass(frozen=True)
class FieldPostings:
    """One field's postings of a term and what BM25 needs about that field."""

    field: str
    boost: float
    postings: Sequence[tuple[int, float]]
    """(docnum, term frequency)."""
    norms: Sequence[float]
    """Per document: the BM25 length normalisation of this field (see `length_norms`)."""


@dataclass(frozen=True)
class Impacts:
    """A term's boosted BM25F score per document, and a bit per field it occurs in."""

    scores: Mapping[int, float]
    fields: Mapping[int, int]


def idf(doc_frequency: int, doc_count: int) -> float:
    """Whoosh's BM25 inverse document frequency."""
    return math.log(doc_count / (doc_frequency + 1)) + 1


def length_norms(lengths: Sequence[int], average: float) -> list[float]:
    """K1 * (1 - B + B * length / average) per document: the denominator's length part."""
    return [K1 * (1 - B + B * length / average) for length in lengths]


def bm25(tf: float, norm: float, term_idf: float) -> float:
    """One field's BM25 score of a term in a document, given its length norm."""
    return term_idf * tf * (K1 + 1) / (tf + norm)


def term_impacts(
    fields: Iterable[FieldPostings], doc_count: int, field_bits: Mapping[str, int]
) -> Impacts:
    """Sum the boosted per-field BM25 scores of one term; keep its `MAX_POSTINGS` best docs."""
    scores: dict[int, float] = {}
    bits: dict[int, int] = {}
    for fp in fields:
        scale = fp.boost * idf(len(fp.postings), doc_count) * (K1 + 1)
        bit = field_bits[fp.field]
        norms = fp.norms
        for doc, tf in fp.postings:  # bm25() inlined: this loop is the hot path
            score = scale * tf / (tf + norms[doc])
            if doc in scores:
                scores[doc] += score
                bits[doc] |= bit
            else:
                scores[doc] = score
                bits[doc] = bit
    if len(scores) > MAX_POSTINGS:
        kept = heapq.nlargest(MAX_POSTINGS, scores.items(), key=lambda item: item[1])
        scores = dict(kept)
        bits = {doc: bits[doc] for doc in scores}
    return Impacts(scores, bits)


def accumulate(
    weighted: Iterable[tuple[Impacts, float]], limit: int, skip: AbstractSet[int] = frozenset()
) -> list[tuple[int, float]]:
    """The `limit` best documents by the weighted sum of term impacts, best first; documents in
    `skip` (other municipalities' versions) take no place."""
    totals: dict[int, float] = {}
    for impacts, weight in weighted:
        for doc, score in impacts.scores.items():
            totals[doc] = totals.get(doc, 0.0) + weight * score
    items = [(d, s) for d, s in totals.items() if d not in skip] if skip else totals.items()
    return heapq.nlargest(limit, items, key=lambda item: (item[1], -item[0]))
