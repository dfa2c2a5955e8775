"""BM25F impacts: per-field sums, field bits, pruning of common terms, weighted accumulation."""

from __future__ import annotations

from search import scoring
from search.scoring import (
    FieldPostings,
    Impacts,
    accumulate,
    length_norms,
    term_impacts,
)

BITS = {"title": 1, "body": 2}


def test_bm25_rewards_frequency_and_short_fields() -> None:
    norms = length_norms([2, 20, 2], average=8)
    postings = [(0, 1.0), (1, 1.0), (2, 2.0)]
    scores = term_impacts([FieldPostings("body", 1.0, postings, norms)], 10, BITS).scores
    assert scores[2] > scores[0] > scores[1]


def test_impacts_weight_fields_and_mark_them() -> None:
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
    assert impacts.scores[0] > 2 * impacts.scores[1] > 0


def test_a_rare_word_in_one_field_beats_a_common_word_in_every_field() -> None:
    """The sum over fields saturates: many fields do not add up like many words (a plain sum
    gave the rare word only 1.25x the common one here)."""
    count = 1000
    norms = length_norms([5] * count, average=5)
    fields = ("title", "synonyms", "short_answer", "body")
    boosts = {"title": 4.0, "synonyms": 4.0, "short_answer": 1.5, "body": 1.0}
    bits = {name: 1 << n for n, name in enumerate(fields)}
    common = term_impacts(
        [FieldPostings(f, boosts[f], [(d, 1.0) for d in range(300)], norms) for f in fields],
        count,
        bits,
    )
    rare = term_impacts([FieldPostings("synonyms", 4.0, [(999, 1.0)], norms)], count, bits)
    assert rare.scores[999] > 1.5 * common.scores[0]


def test_common_terms_name_their_best_documents_and_keep_all() -> None:
    scoring_max = scoring.MAX_POSTINGS
    scoring.MAX_POSTINGS = 2
    try:
        norms = length_norms([1, 50, 2, 80], average=30)
        postings = [(doc, 1.0) for doc in range(4)]
        impacts = term_impacts([FieldPostings("body", 1.0, postings, norms)], 4, BITS)
    finally:
        scoring.MAX_POSTINGS = scoring_max
    assert set(impacts.best) == {0, 2}
    assert set(impacts.scores) == set(impacts.fields) == {0, 1, 2, 3}


def test_accumulate_weights_terms_and_orders_best_first() -> None:
    a = Impacts({0: 1.0, 1: 3.0}, {}, {0: 1.0, 1: 3.0})
    b = Impacts({0: 4.0}, {}, {0: 4.0})
    assert accumulate([[(a, 1.0)], [(b, 0.5)]], 5) == [(0, 3.0), (1, 3.0)]
    assert accumulate([[(a, 1.0)]], 1) == [(1, 3.0)]


def test_a_word_counts_its_best_alternative_once() -> None:
    """ "beantragen" expanded to beantrag, beantragt and antrag is still one word."""
    verb = [(_impacts({0: 2.0}), 1.0), (_impacts({0: 2.0}), 0.9), (_impacts({0: 2.0}), 0.8)]
    rare = [(_impacts({1: 3.0}), 1.0)]
    assert accumulate([verb, rare], 1) == [(1, 3.0)]


def test_each_words_best_documents_join_the_candidates() -> None:
    common = _impacts({doc: 5.0 - doc / 100 for doc in range(50)})
    rare = _impacts({99: 1.0})
    assert 99 not in dict(accumulate([[(common, 1.0)], [(rare, 1.0)]], 10))
    assert 99 in dict(accumulate([[(common, 1.0)], [(rare, 1.0)]], 10, per_position=1))


def test_candidates_are_scored_over_a_common_terms_whole_postings() -> None:
    """A document outside a common term's best ones still gets that term's score once chosen."""
    common = Impacts({0: 5.0, 1: 5.0, 2: 0.5}, {}, {0: 5.0, 1: 5.0})
    rare = _impacts({2: 4.0})
    found = dict(accumulate([[(common, 1.0)], [(rare, 1.0)]], 1, per_position=1))
    assert found[2] == 4.5


def _impacts(scores: dict[int, float]) -> Impacts:
    return Impacts(scores, dict.fromkeys(scores, 1), scores)


def test_skipped_documents_take_no_place_even_as_a_words_best() -> None:
    """Other municipalities' versions are skipped before the cut, also among a word's best."""
    common = _impacts({0: 5.0, 1: 4.0, 2: 3.0})
    rare = _impacts({0: 9.0, 3: 1.0})
    found = accumulate([[(common, 1.0)], [(rare, 1.0)]], 2, per_position=1, skip={0})
    assert 0 not in dict(found)
    assert set(dict(found)) == {1, 2, 3}
