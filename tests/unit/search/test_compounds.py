"""Compound splitting stays polynomial: hostile words are measured by the work they cause."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import (
    LINKS,
    MAX_COMPOUND,
    MIN_COMPOUND,
    MIN_PART,
    analyze,
    fold,
    index_terms,
    split_compound,
    stem,
    vocabulary,
)
from search.query import plan_query
from search.spelling import Lexicon

#: The hostile input of issue 13: one compound repeated to 110 letters.
HOSTILE = "Hundesteuer" * 10
#: The longest repetition that is still tried as a compound (six parts, 60 letters folded).
LONG = fold("Hundesteuer") * 6


class CountingVocab(frozenset[str]):
    """A vocabulary that counts its membership tests: one per split attempted."""

    lookups = 0

    def __contains__(self, item: object) -> bool:
        type(self).lookups += 1
        return frozenset.__contains__(self, item)


def counting(words: set[str]) -> CountingVocab:
    class Fresh(CountingVocab):
        lookups = 0

    return Fresh(words)


def quadratic(word: str) -> int:
    """The work the split may take: one look-up per head and per linked tail, per split point."""
    return (len(LINKS) + 1) * len(word) ** 2


VOCAB = vocabulary(["Der Hund und die Steuer", "Hundesteuer"])


def test_a_repeated_compound_splits_with_quadratic_work() -> None:
    vocab = counting(VOCAB)
    parts = split_compound(LONG, vocab)
    assert parts == [fold("hundesteuer")] * 6
    # The plain recursion needed 55,379 look-ups here (x6 per repetition); now it is 625.
    assert vocab.lookups <= quadratic(LONG)


def test_work_grows_polynomially_with_the_number_of_parts() -> None:
    counts = []
    for repeat in (2, 3, 4, 5, 6):
        vocab = counting(VOCAB)
        split_compound(fold("Hundesteuer") * repeat, vocab)
        counts.append(vocab.lookups)
    ratios = [later / earlier for earlier, later in pairwise(counts[1:])]
    assert all(ratio < 3 for ratio in ratios), counts  # exponential growth was x6 each time


def test_a_word_longer_than_the_bound_is_not_split_at_all() -> None:
    word = fold(HOSTILE)
    assert len(word) > MAX_COMPOUND
    vocab = counting(VOCAB)
    assert split_compound(word, vocab) == []
    assert vocab.lookups == 0
    assert list(index_terms(HOSTILE, vocab)) == [stem(word)]


def test_the_hostile_word_in_an_article_text_costs_bounded_work() -> None:
    vocab = counting(VOCAB)
    text = f"Kurzantwort: {HOSTILE} und {LONG} sowie die Hundesteuer."
    terms = analyze(text, vocab).split()
    assert terms[1] == stem(fold(HOSTILE))  # indexed whole, unsplit
    assert terms.count("hund") == 7  # six parts of the 60-letter word, one of "Hundesteuer"
    assert vocab.lookups <= quadratic(LONG) + quadratic("hundesteur") + 100


def test_the_hostile_word_as_a_query_costs_bounded_work() -> None:
    vocab = counting(VOCAB)
    lexicon = Lexicon.from_counts(dict.fromkeys({stem(w) for w in VOCAB}, 1))
    for text in (HOSTILE, LONG, HOSTILE + " ", LONG + " "):
        plan = plan_query(text, lexicon, vocab, {})
        assert len(plan.positions) == 1
    assert vocab.lookups <= 4 * quadratic(LONG)


def reference_split(word: str, vocab: frozenset[str]) -> tuple[str, ...]:
    """The former plain recursion (exponential): the oracle for short words."""
    best: tuple[str, ...] = ()
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:end]
        if head not in vocab:
            continue
        for link in LINKS:
            tail = word[end + len(link) :]
            if not word.startswith(link, end) or len(tail) < MIN_PART:
                continue
            rest = (tail,) if tail in vocab else reference_split(tail, vocab)
            if rest and (not best or len(rest) + 1 < len(best)):
                best = (head, *rest)
        if len(best) == 2:
            return best
    return best


PIECES = st.text(alphabet="abens", min_size=MIN_PART, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.sets(PIECES, min_size=1, max_size=12), st.lists(PIECES, min_size=2, max_size=5))
def test_dynamic_programming_splits_like_the_plain_recursion(
    words: set[str], pieces: list[str]
) -> None:
    vocab = frozenset(words)
    word = "".join(pieces)
    expected = list(reference_split(word, vocab)) if len(word) >= MIN_COMPOUND else []
    assert split_compound(word, vocab) == expected
