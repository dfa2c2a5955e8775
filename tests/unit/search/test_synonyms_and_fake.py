"""The central synonym table and the fake searcher the console's tests use."""

from __future__ import annotations

import pytest

from search.exceptions import SynonymError
from search.fake import FakeSearcher
from search.synonyms import build_table, parse_groups


def test_groups_become_symmetric_stem_table() -> None:
    table = build_table([["Auto", "Kfz", "Fahrzeug"], ["Steuer-ID", "IdNr"]])
    assert table["auto"] == ("fahrzeug", "kfz")
    assert table["kfz"] == ("auto", "fahrzeug")
    assert "idnr" in table["steurid"]


@pytest.mark.parametrize("data", [{"groups": "x"}, {"groups": [["a", 1]]}, ["a"]])
def test_malformed_synonym_file_is_refused(data: object) -> None:
    with pytest.raises(SynonymError):
        parse_groups(data)


def test_fake_searcher_matches_folded_words_and_records_queries() -> None:
    fake = FakeSearcher([("a", "Führerschein umtauschen"), ("b", "Hund anmelden")], {"hnd": "hund"})
    assert [h.id for h in fake.search("fuehrerschein")] == ["a"]
    assert fake.search("   ") == []
    assert fake.suggest("hnd") == "hund"
    assert fake.queries == ["fuehrerschein", "   "]
