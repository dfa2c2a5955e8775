"""German analysis: folding both ways, stemming, compounds, query words, highlights."""

from __future__ import annotations

import pytest

from search.analysis import (
    TermCache,
    analyze,
    fold,
    highlight_spans,
    index_terms,
    query_words,
    split_compound,
    stem,
    tokens,
    vocabulary,
)


@pytest.mark.parametrize(
    "spelling", ["Führerschein", "Fuehrerschein", "Fuhrerschein", "FÜHRERSCHEIN"]
)
def test_umlaut_spellings_meet(spelling: str) -> None:
    assert fold(spelling) == "fuhrerschein"


def test_sharp_s_and_accents_fold() -> None:
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("Café") == "cafe"


def test_inflections_share_a_stem() -> None:
    assert stem(fold("Personalausweises")) == stem(fold("Personalausweis"))
    assert stem(fold("beantragen")) == stem(fold("beantrage"))


def test_hyphenated_words_yield_parts_and_joined_form() -> None:
    assert tokens("Kita-Platz") == ["kita", "platz", "kitaplatz"]


def test_compound_splits_on_known_parts_with_linking_letters() -> None:
    vocab = frozenset(vocabulary(["Der Hund und die Steuer"]))
    assert split_compound(fold("Hundesteuer"), vocab) == ["hund", fold("steuer")]


def test_compound_splits_into_fewest_parts() -> None:
    vocab = frozenset(vocabulary(["Bewohner parken Parkausweis Ausweis Park"]))
    assert split_compound("bewohnerparkausweis", vocab) == ["bewohner", "parkausweis"]


def test_unknown_or_short_words_do_not_split() -> None:
    vocab = frozenset(vocabulary(["Hund Steuer"]))
    assert split_compound("katzensteuer", vocab) == []
    assert split_compound("hund", vocab) == []


def test_index_terms_keep_whole_word_and_add_parts() -> None:
    vocab = frozenset(vocabulary(["Hund Steuer"]))
    terms = list(index_terms("Hundesteuer", vocab))
    assert terms[0] == stem(fold("hundesteuer"))
    assert {"hund", stem(fold("steuer"))} <= set(terms)


def test_stopwords_are_dropped() -> None:
    assert analyze("ich habe meinen Ausweis", frozenset()) == stem("ausweis")


def test_last_word_is_a_prefix_until_a_space_follows() -> None:
    typing = query_words("perso verl")
    assert [w.word for w in typing] == ["perso", "verl"]
    assert [w.prefix for w in typing] == [False, True]
    assert not query_words("perso verl ")[-1].prefix


def test_query_words_ignore_syntax_and_limit_length() -> None:
    assert query_words('AND ( "*: ') == [query_words("and ")[0]]
    assert query_words("") == []
    assert len(query_words("wort " * 5000)) == 12


def test_highlight_spans_find_inflected_words() -> None:
    text = "Verlust des Personalausweises melden"
    spans = highlight_spans(text, {stem("personalausweis")})
    assert [text[a:b] for a, b in spans] == ["Personalausweises"]


def test_the_build_cache_analyses_like_analyze() -> None:
    vocab = frozenset(vocabulary(["Hund Steuer Bewohner Parkausweis"]))
    cache = TermCache(vocab)
    texts = ["Hundesteuer für den Hund", "Bewohnerparkausweis, der Hund und die Hundesteuer", ""]
    for text in texts * 2:  # the second round comes from the cache
        assert cache.analyze(text) == analyze(text, vocab)
    assert "hund" in cache.analyze("Hundesteuer").split()
