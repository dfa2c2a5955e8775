"""BM25F term impacts and their accumulation into candidate scores (pure)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

#: BM25 term-frequency saturation and length normalisation (Whoosh's defaults).
K1 = 1.2
B = 0.75
#: Saturation of the sum of a term's boosted per-field BM25 scores (without idf): a word once
#: in a title of average length sums to 4 (half its maximum), once in the body to 1 (0.2), in
#: title, synonyms, short answer and body to 10.5 (0.72), where a plain sum gave 10.5x the body.
#: Tuned on the labelled set at 61 and 20,000 articles (bench/README.md, "Search at scale").
K1_FIELDS = 4.0
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
    """Every document holding the term."""
    fields: Mapping[int, int]
    best: Mapping[int, float] = field(default_factory=dict)
    """Its `MAX_POSTINGS` best documents (the candidates are chosen among these)."""


def idf(doc_frequency: int, doc_count: int) -> float:
    """Whoosh's BM25 inverse document frequency."""
    return math.log(doc_count / (doc_frequency + 1)) + 1


def length_norms(lengths: Sequence[int], average: float) -> list[float]:
    """K1 * (1 - B + B * length / average) per document: the denominator's length part."""
    return [K1 * (1 - B + B * length / average) for length in lengths]


def term_impacts(
    fields: Iterable[FieldPostings],
    doc_count: int,
    field_bits: Mapping[str, int],
    uncounted: AbstractSet[int] = frozenset(),
) -> Impacts:
    """One term's score per document: BM25 per field, boosted and summed over the fields, then
    the sum saturated; also its `MAX_POSTINGS` best documents.

    Saturating the sum keeps a common word found in five fields of a
    document from outweighing a rare word found in one: at 20,000 articles a per-field sum
    let "beantragen" in every generated title, synonym and short answer bury "Heiratsurkunde".
    Documents in `uncounted` (towns' versions of base articles) get scores but do not count
    in the term's document frequency (`doc_count` should leave them out too).
    """
    weighted: dict[int, float] = {}
    bits: dict[int, int] = {}
    for fp in fields:
        boost = fp.boost * (K1 + 1)
        bit = field_bits[fp.field]
        norms = fp.norms
        for doc, tf in fp.postings:  # this loop is the hot path
            tf_norm = boost * tf / (tf + norms[doc])
            if doc in weighted:
                weighted[doc] += tf_norm
                bits[doc] |= bit
            else:
                weighted[doc] = tf_norm
                bits[doc] = bit
    df = sum(doc not in uncounted for doc in weighted) if uncounted else len(weighted)
    scale = idf(df, doc_count)
    scores = {doc: scale * tf / (tf + K1_FIELDS) for doc, tf in weighted.items()}
    best = scores
    if len(scores) > MAX_POSTINGS:
        best = dict(heapq.nlargest(MAX_POSTINGS, scores.items(), key=lambda item: item[1]))
    return Impacts(scores, bits, best)


#: Alternatives of one query word, each with its weight (see `search.query.Position`).
Alternatives = Sequence[tuple[Impacts, float]]


def accumulate(
    positions: Sequence[Alternatives],
    limit: int,
    per_position: int = 0,
    skip: AbstractSet[int] = frozenset(),
) -> list[tuple[int, float]]:
    """The `limit` best documents by their summed word scores, best first.

    A word's score in a document is its best weighted alternative there, not their sum: a
    common verb expanded to several terms ("beantragen": beantrag, beantragt, antrag) counts
    once, as a rare word does. Candidates are chosen among each term's best documents
    (`Impacts.best`); with `per_position`, each word's own best documents join them, so a rare
    word's article is not crowded out by documents holding only common words. The chosen
    documents are then scored over every document of every term (a common term's tail too).
    Documents in `skip` (other municipalities' versions) take no place.
    """
    totals: dict[int, float] = {}
    words: list[dict[int, float]] = []
    for alternatives in positions:
        word = _word_scores(alternatives, None, skip)
        for doc, score in word.items():
            totals[doc] = totals.get(doc, 0.0) + score
        words.append(word)
    chosen = {doc for doc, _ in heapq.nlargest(limit, totals.items(), key=_order)}
    if per_position and len(words) > 1:
        for word in words:
            chosen.update(heapq.nlargest(per_position, word, key=lambda d: (word[d], -d)))
    exact = dict.fromkeys(chosen, 0.0)
    for alternatives in positions:
        for doc, score in _word_scores(alternatives, chosen, skip).items():
            exact[doc] += score
    return sorted(exact.items(), key=_order, reverse=True)


def _word_scores(
    alternatives: Alternatives, docs: set[int] | None, skip: AbstractSet[int]
) -> dict[int, float]:
    """A word's best weighted alternative per document: over the terms' best documents (but
    those in `skip`), or (given `docs`) over all documents of the terms for those documents."""
    best: dict[int, float] = {}
    for impacts, weight in alternatives:
        if docs is None:
            pairs: Iterable[tuple[int, float]] = impacts.best.items()
            if skip:
                pairs = [(doc, score) for doc, score in pairs if doc not in skip]
        else:
            scores = impacts.scores
            pairs = ((doc, scores[doc]) for doc in docs if doc in scores)
        for doc, score in pairs:
            weighted = weight * score
            if weighted > best.get(doc, 0.0):
                best[doc] = weighted
    return best


def _order(item: tuple[int, float]) -> tuple[float, int]:
    return item[1], -item[0]
