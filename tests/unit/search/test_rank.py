"""Fused ranking: text score, coverage of the query's words, similarity of names."""

from __future__ import annotations

from search.analysis import QueryWord
from search.query import Alternative, Position, QueryPlan
from search.rank import Candidate, coverage, name_similarity, rank


def plan(*words: str) -> QueryPlan:
    return QueryPlan(
        tuple(Position(QueryWord(w, w), (Alternative(w, 1.0, "exact"),)) for w in words)
    )


def test_coverage_counts_words_with_any_match() -> None:
    assert coverage(plan("hund", "steur"), frozenset({"hund"})) == 0.5
    assert coverage(plan(), frozenset()) == 1.0


def test_name_similarity_tolerates_typos_and_case() -> None:
    assert name_similarity("reisepas", ["Reisepass beantragen"]) > 0.8
    assert name_similarity("", ["Reisepass"]) == 0.0


def test_document_matching_all_words_and_name_wins() -> None:
    both = Candidate("hund-anmelden", 8.0, frozenset({"hund", "anmeld"}), ("Hund anmelden",))
    one = Candidate("gewerbe-anmelden", 10.0, frozenset({"anmeld"}), ("Gewerbe anmelden",))
    ranked = rank([one, both], plan("hund", "anmeld"), "hund anmelden")
    assert [c.id for c, _ in ranked] == ["hund-anmelden", "gewerbe-anmelden"]
    assert rank([], plan("x"), "x") == []
