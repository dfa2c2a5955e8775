"""What a hit carries: id, title, fused score, matched fields and the office's open-now state."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kb.loader import KnowledgeBase
from search.searcher import IndexSearcher

from .conftest import MONDAY_MORNING


def test_hit_carries_title_fields_and_open_office(searcher: IndexSearcher) -> None:
    hit = searcher.search("perso verloren", 5)[0]
    assert hit.id == "personalausweis-verlust-melden"
    assert hit.title == "Verlust oder Diebstahl des Personalausweises melden"
    assert {"title", "synonyms"} <= set(hit.matched_fields)
    assert hit.office_id == "buergerbuero"
    assert hit.open_state is not None and hit.open_state.is_open


def test_open_state_follows_the_injected_clock(
    sample_kb: KnowledgeBase, searcher: IndexSearcher
) -> None:
    sunday = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    other = IndexSearcher(searcher._files, sample_kb, clock=lambda: sunday)
    state = other.search("perso verloren", 1)[0].open_state
    assert state is not None and not state.is_open and state.next_open is not None
    assert state.next_open.astimezone(ZoneInfo("Europe/Berlin")).date() == MONDAY_MORNING.date()


def test_scores_are_descending(searcher: IndexSearcher) -> None:
    scores = [h.score for h in searcher.search("ausweis", 10)]
    assert scores == sorted(scores, reverse=True) and len(scores) > 3


def test_every_keystroke_of_a_word_finds_the_service(searcher: IndexSearcher) -> None:
    word = "reisepass"
    for end in range(4, len(word) + 1):
        assert searcher.search(word[:end], 3)[0].id == "reisepass-beantragen", word[:end]


def test_umlaut_spellings_find_the_same_first_hit(searcher: IndexSearcher) -> None:
    firsts = {
        searcher.search(q, 1)[0].id
        for q in ["Führerschein verloren", "fuehrerschein verloren", "fuhrerschein verloren"]
    }
    assert firsts == {"fuehrerschein-verlust"}


def test_compound_finds_parts_and_permit(searcher: IndexSearcher) -> None:
    assert searcher.search("Hundesteuer", 1)[0].id == "hund-anmelden"
    assert searcher.search("Anwohnerparkausweis", 1)[0].id == "bewohnerparkausweis"


def test_leika_key_finds_its_article(searcher: IndexSearcher, sample_kb: KnowledgeBase) -> None:
    article = sample_kb.articles["personalausweis-verlust-melden"]
    assert article.leika is not None
    assert searcher.search(article.leika, 1)[0].id == article.id


def test_misspelling_gets_a_suggestion(searcher: IndexSearcher) -> None:
    suggestion = searcher.suggest("fürungszeugnis ")
    assert suggestion is not None and "führungszeugnis" in suggestion.lower()
    assert searcher.suggest("führungszeugnis ") is None


def test_nothing_found_for_unrelated_words(searcher: IndexSearcher) -> None:
    assert searcher.search("xqzvw", 5) == []
