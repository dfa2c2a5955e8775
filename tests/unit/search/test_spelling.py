"""Lexicon: prefix completion and typo correction within Meilisearch's edit budget."""

from __future__ import annotations

import pytest

from search.spelling import Lexicon, max_edits


@pytest.fixture
def lexicon() -> Lexicon:
    return Lexicon.from_counts(
        {"reisepass": 5, "reis": 1, "kinderreisepass": 2, "wohngeld": 3, "hund": 4, "briefwahl": 2}
    )


@pytest.mark.parametrize(("length", "edits"), [(3, 0), (4, 0), (5, 1), (8, 1), (9, 2), (20, 2)])
def test_edit_budget_grows_with_word_length(length: int, edits: int) -> None:
    assert max_edits(length) == edits


def test_correction_within_budget(lexicon: Lexicon) -> None:
    assert lexicon.correct("wohngled")[0] == ("wohngeld", 1)  # transposition is one edit
    assert lexicon.correct("reispass")[0] == ("reisepass", 1)


def test_no_correction_beyond_budget_or_for_short_words(lexicon: Lexicon) -> None:
    assert lexicon.correct("hunt") == []  # 4 letters: no typo allowed
    assert lexicon.correct("wahngild") == []  # 8 letters, 2 edits: over budget


def test_completion_prefers_frequent_terms(lexicon: Lexicon) -> None:
    assert lexicon.complete("reis") == ["reisepass", "reis"]
    assert lexicon.complete("r") == []


def test_misspelt_prefix_completes_via_nearest_head(lexicon: Lexicon) -> None:
    assert lexicon.correct_prefix("briefwa") == ["briefwahl"]
    assert "briefwahl" in lexicon.correct_prefix("breifwa")


def test_added_terms_become_searchable(lexicon: Lexicon) -> None:
    lexicon.add(["zauberwort"])
    assert "zauberwort" in lexicon
    assert lexicon.complete("zaub") == ["zauberwort"]
    assert lexicon.correct("zauberwrt")[0][0] == "zauberwort"


def test_misspelt_prefix_with_a_dropped_letter(lexicon: Lexicon) -> None:
    assert lexicon.correct_prefix("reispa")[0] == "reisepass"
