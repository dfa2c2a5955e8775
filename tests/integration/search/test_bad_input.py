"""Odd input returns hits or an empty list, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.searcher import IndexSearcher

NASTY = [
    "",
    " ",
    "\t\n",
    "!!!???...,,,",
    "-",
    "—–„“«»",
    "x" * 10_000,
    "perso " * 2_000,
    '"perso',
    "perso*",
    "*",
    "AND",
    "perso AND OR NOT",
    "title:perso",
    ":",
    "(",
    "((perso)",
    "perso~2",
    "[a TO z]",
    "\x00\x01\x1b[31m",
    "perso\x00verloren",
    "🙂",
    "🚗 abmelden",
    "ﬁ ligature",
    "İstanbul",
    "ß" * 50,
    "\ud800",
    "99008001014002",
    "0" * 500,
]


@pytest.mark.parametrize("text", NASTY, ids=[ascii(t[:20]) for t in NASTY])
def test_nasty_input_never_raises(searcher: IndexSearcher, text: str) -> None:
    hits = searcher.search(text, 10)
    assert isinstance(hits, list) and len(hits) <= 10
    searcher.suggest(text)


@pytest.mark.parametrize("text", ["", "   ", "!!!", "\x00", "🙂"])
def test_meaningless_input_finds_nothing(searcher: IndexSearcher, text: str) -> None:
    assert searcher.search(text, 10) == []


def test_limits_are_respected(searcher: IndexSearcher) -> None:
    assert searcher.search("beantragen", 0) == []
    assert len(searcher.search("beantragen", 3)) == 3
    assert len(searcher.search("beantragen", 10**9)) <= 200


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_text_never_raises(searcher: IndexSearcher, text: str) -> None:
    searcher.search(text, 5)
    searcher.suggest(text)
