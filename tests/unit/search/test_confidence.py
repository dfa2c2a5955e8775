"""Confidence of a hit: generic words, covered words, the name anchor and long questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.analysis import QueryWord, fold, stem
from search.confidence import HIGH, LOW, Masks, covers, judge, specific_positions
from search.exceptions import SynonymError
from search.generic import GenericWords, parse_generic
from search.indexer import read_word_lists
from search.query import Alternative, Position, QueryPlan

TITLE, SYNONYMS, BODY, DOCUMENTS = 1, 2, 32, 8
MASKS = Masks(cover=TITLE | SYNONYMS | BODY, name=TITLE | SYNONYMS)


def word(text: str, prefix: bool = False) -> QueryWord:
    folded = fold(text)
    return QueryWord(folded, stem(folded), prefix)


def position(text: str, *alternatives: tuple[str, str], parts: tuple[str, ...] = ()) -> Position:
    alts = tuple(Alternative(term, 1.0, kind) for term, kind in alternatives)
    return Position(word(text), alts, parts=tuple((p,) for p in parts))


GENERIC = GenericWords.of(["Musterstadt"])


@pytest.mark.parametrize(
    "text",
    ["beantragen", "Beantragung", "Anträge", "Termin", "brauche", "Stadt", "Musterstadt", "2026"],
)
def test_generic_words_include_forms_numbers_and_the_kb_own(text: str) -> None:
    assert GENERIC.is_generic(word(text), frozenset())


def test_a_compound_of_generic_words_is_generic_and_one_with_a_service_is_not() -> None:
    vocab = frozenset({"antrag", "formular", "rente"})
    assert GENERIC.is_generic(word("Antragsformular"), vocab)
    assert not GENERIC.is_generic(word("Rentenantrag"), vocab)


def test_an_unfinished_word_is_generic_while_it_starts_a_generic_word() -> None:
    assert GENERIC.is_generic(word("beantr", prefix=True), frozenset())
    assert not GENERIC.is_generic(word("beantr"), frozenset())
    assert not GENERIC.is_generic(word("hund", prefix=True), frozenset())


def test_the_kb_list_is_validated() -> None:
    assert parse_generic({"groups": []}) == []
    assert parse_generic({"generic": ["Musterstadt"]}) == ["Musterstadt"]
    with pytest.raises(SynonymError):
        parse_generic({"generic": "Musterstadt"})


def test_specific_positions_drop_generic_words_unless_all_are() -> None:
    hund, anmelden = position("hund"), position("anmelden")
    plan = QueryPlan((hund, anmelden))
    assert specific_positions(plan, GENERIC, frozenset()) == (hund,)
    only_generic = QueryPlan((anmelden,))
    assert specific_positions(only_generic, GENERIC, frozenset()) == (anmelden,)


def test_a_word_met_only_in_the_documents_is_not_covered() -> None:
    rente = position("rente", ("rent", "exact"))
    assert covers(rente, {"rent": BODY}, MASKS.cover)
    assert not covers(rente, {"rent": DOCUMENTS}, MASKS.cover)


def test_completions_stand_for_an_unfinished_word_only_when_it_is_no_term_itself() -> None:
    unknown = position("personala", ("personalausweis", "completion"))
    assert covers(unknown, {"personalausweis": TITLE}, MASKS.cover)
    known = position("rente", ("rent", "exact"), ("rentenversicher", "completion"))
    assert not covers(known, {"rentenversicher": TITLE}, MASKS.cover)


def test_an_unknown_compound_needs_every_part() -> None:
    hundesteuer = position(
        "hundesteuer", ("hund", "compound"), ("steur", "compound"), parts=("hund", "steur")
    )
    assert covers(hundesteuer, {"hund": TITLE, "steur": BODY}, MASKS.cover)
    assert not covers(hundesteuer, {"steur": TITLE}, MASKS.cover)


def test_high_needs_the_name_to_cover_a_specific_word() -> None:
    hund = position("hund", ("hund", "exact"))
    assert judge([hund], {"hund": TITLE}, MASKS) == HIGH
    assert judge([hund], {"hund": BODY}, MASKS) == LOW  # a neighbour that mentions dogs
    assert judge([hund], {}, MASKS) == LOW  # found by the name scan only
    assert judge([hund], {}, MASKS, by_key=True) == HIGH  # found by its LeiKa key


def test_a_long_question_may_leave_one_word_uncovered() -> None:
    pass_, woche, fliege = (position(w, (w, "exact")) for w in ("pass", "woche", "fliege"))
    fields = {"pass": TITLE, "woche": BODY}
    assert judge([pass_, woche, fliege], fields, MASKS) == HIGH
    assert judge([pass_, fliege], {"pass": TITLE}, MASKS) == LOW
    assert judge([pass_, woche, fliege], {"pass": TITLE}, MASKS) == LOW


def test_a_broken_word_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("generic: [Musterstadt\ngroups: []\n", encoding="utf-8")
    with pytest.raises(SynonymError, match=r"synonyms.yaml:\d+:\d+: "):
        read_word_lists(path)
    path.write_text("generic: Musterstadt\n", encoding="utf-8")
    with pytest.raises(SynonymError, match="generic"):
        read_word_lists(path)
    path.write_text("generics: [Musterstadt]\n", encoding="utf-8")
    with pytest.raises(SynonymError, match="unknown key 'generics'"):
        read_word_lists(path)
    path.write_text("generic: [Musterstadt]\ngroups: [[Auto, Kfz]]\n", encoding="utf-8")
    synonyms, generic = read_word_lists(path)
    assert synonyms["auto"] == ("kfz",) and "musterstadt" in generic.words
