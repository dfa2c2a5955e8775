"""BM25F impacts: per-field sums, field bits, pruning of common terms, weighted accumulation."""

from __future__ import annotations

import pytest

from search import scoring
from search.scoring import FieldPostings, accumulate, bm25, length_norms, term_impacts

BITS = {"title": 1, "body": 2}


def test_bm25_rewards_frequency_and_short_fields() -> None:
    short, long = length_norms([2, 20], average=11)
    assert bm25(2, short, 1.0) > bm25(1, short, 1.0)
    assert bm25(1, short, 1.0) > bm25(1, long, 1.0)


def test_impacts_sum_boosted_fields_and_mark_them() -> None:
    norms = length_norms([5, 5, 5], average=5)
    impacts = term_impacts(
        [
            FieldPostings("title", 4.0, [(0, 1.0)], norms),
            FieldPostings("body", 1.0, [(0, 1.0), (1, 1.0)], norms),
        ],
        doc_count=3,
        field_bits=BITS,
    )
    assert impacts.fields == {0: 3, 1: 2}
    assert impacts.scores[0] > 4 * impacts.scores[1] > 0


def test_common_terms_keep_only_their_best_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring, "MAX_POSTINGS", 2)
    norms = length_norms([1, 50, 2, 80], average=30)
    postings = [(doc, 1.0) for doc in range(4)]
    impacts = term_impacts([FieldPostings("body", 1.0, postings, norms)], 4, BITS)
    assert set(impacts.scores) == {0, 2} and set(impacts.fields) == {0, 2}


def test_accumulate_weights_terms_and_orders_best_first() -> None:
    a = scoring.Impacts({0: 1.0, 1: 3.0}, {})
    b = scoring.Impacts({0: 4.0}, {})
    assert accumulate([(a, 1.0), (b, 0.5)], 5) == [(0, 3.0), (1, 3.0)]
    assert accumulate([(a, 1.0)], 1) == [(1, 3.0)]
