"""Query planning: exact words, completions, corrections, compounds, synonyms, suggestions."""

from __future__ import annotations

import pytest

from search.analysis import fold, stem, vocabulary
from search.query import plan_query, suggestion
from search.spelling import Lexicon
from search.synonyms import build_table

TEXTS = ["Reisepass beantragen", "Hund anmelden", "Steuer", "Bewohner Parkausweis", "Auto Kfz"]


@pytest.fixture
def parts() -> tuple[Lexicon, frozenset[str]]:
    vocab = frozenset(vocabulary(TEXTS))
    terms = {stem(w) for w in vocab} | {stem(fold("bewohnerparkausweis"))}
    return Lexicon.from_counts(dict.fromkeys(terms, 1)), vocab


def kinds(plan_text: str, parts: tuple[Lexicon, frozenset[str]]) -> dict[str, str]:
    lexicon, vocab = parts
    plan = plan_query(plan_text, lexicon, vocab, build_table([["Auto", "Kfz"]]))
    return {alt.term: alt.kind for pos in plan.positions for alt in pos.alternatives}


def test_known_word_is_exact_and_expands_synonyms(parts: tuple[Lexicon, frozenset[str]]) -> None:
    assert kinds("auto ", parts) == {"auto": "exact", "kfz": "synonym"}


def test_unfinished_word_completes(parts: tuple[Lexicon, frozenset[str]]) -> None:
    assert kinds("reisep", parts) == {"reisepass": "completion"}


def test_a_known_word_prefers_itself_to_its_completions() -> None:
    lexicon = Lexicon.from_counts({"anmeld": 5, "anmeldebestat": 1})
    plan = plan_query("anmelden", lexicon, frozenset(), {})
    weights = {alt.term: alt.weight for alt in plan.positions[0].alternatives}
    assert weights["anmeld"] == 1.0 and weights["anmeldebestat"] < 0.9
    plan = plan_query("anmeldeb", lexicon, frozenset(), {})  # no term yet: a full completion
    assert {alt.term: alt.weight for alt in plan.positions[0].alternatives}["anmeldebestat"] == 0.9


def test_a_short_unfinished_word_expands_to_fewer_terms() -> None:
    lexicon = Lexicon.from_counts({f"be{c}x": 10 - n for n, c in enumerate("abcdefghij")})
    assert len(plan_query("be", lexicon, frozenset(), {}).positions[0].alternatives) == 3
    assert len(plan_query("bea", lexicon, frozenset(), {}).positions[0].alternatives) == 1
    many = Lexicon.from_counts({f"beant{c}x": 1 for c in "abcdefghij"})
    assert len(plan_query("beant", many, frozenset(), {}).positions[0].alternatives) == 8


def test_misspelt_word_is_corrected(parts: tuple[Lexicon, frozenset[str]]) -> None:
    assert kinds("reispass ", parts) == {"reisepass": "correction"}


def test_unknown_compound_uses_its_parts(parts: tuple[Lexicon, frozenset[str]]) -> None:
    found = kinds("hundesteuer ", parts)
    assert found == {"hund": "compound", stem(fold("steuer")): "compound"}


def test_compound_head_with_unfinished_tail(parts: tuple[Lexicon, frozenset[str]]) -> None:
    found = kinds("hundereisep", parts)
    assert found == {"hund": "compound", "reisepass": "compound"}


def test_a_split_unknown_word_is_also_corrected() -> None:
    """A large KB knows "reis" and "pass": the one-letter correction "reisepass" is kept too."""
    vocab = frozenset(vocabulary(["Reise", "Pass", "Reisepass"]))
    lexicon = Lexicon.from_counts(dict.fromkeys({stem(w) for w in vocab}, 1))
    plan = plan_query("reispass ", lexicon, vocab, {})
    found = {alt.term: alt.kind for alt in plan.positions[0].alternatives}
    assert found == {stem("reis"): "compound", "pass": "compound", "reisepass": "correction"}
    assert plan.positions[0].corrected == "reisepass"


def test_suggestion_replaces_only_corrected_words(parts: tuple[Lexicon, frozenset[str]]) -> None:
    lexicon, vocab = parts
    plan = plan_query("hund reispass ", lexicon, vocab, {})
    assert suggestion("hund reispass ", plan, {"reisepass": "Reisepass"}) == "hund Reisepass"
    plan = plan_query("hund ", lexicon, vocab, {})
    assert suggestion("hund ", plan, {}) is None


def test_unfinished_word_past_its_stem_still_matches() -> None:
    lexicon = Lexicon.from_counts({stem("meldebescheinigung"): 1})
    plan = plan_query("meldebescheinigun", lexicon, frozenset(), {})
    assert [a.term for a in plan.positions[0].alternatives] == [stem("meldebescheinigung")]
