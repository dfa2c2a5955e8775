"""The console's view of whose call it is and in which language (pure, issue 16)."""

from __future__ import annotations

from agent_console.origin import (
    EASY,
    CallPlace,
    Colleague,
    colleagues_for,
    language_name,
    place_of,
    place_text,
    short_answer,
    short_answer_views,
)
from kb.models import Article, Municipality
from telephony.agents import Agent, AgentState
from telephony.origin import Routing

ROUTING = Routing(by_number={"1150002": "beispielheim"})
TOWNS = {
    "musterstadt": Municipality(id="musterstadt", name="Musterstadt", state="NW", home=True),
    "beispielheim": Municipality(id="beispielheim", name="Beispielheim", state="NW"),
}


def article(**changes: object) -> Article:
    base = {"id": "aa", "title": "A", "short_answer": "Kurz.", "office": "amt", "category": "T",
            "owner": "R", "last_reviewed": "2026-10-01", "status": "published"}  # fmt: skip
    return Article.model_validate(base | changes)


def test_the_pbx_names_the_municipality_or_the_home_one_serves() -> None:
    place = place_of("1150002", "service115", "tr", ROUTING, "musterstadt")
    assert place == CallPlace("beispielheim", False, "tr", "beispielheim")
    assert place_of("115", "service115", "en", ROUTING, "musterstadt") == CallPlace(
        "musterstadt", False, "de", "musterstadt"
    )
    assert place_of("115", "service115", "en", ROUTING, None).municipality is None


def test_the_agents_choice_keeps_what_the_pbx_said() -> None:
    chosen = place_of("1150002", "q", "tr", ROUTING, "musterstadt").with_municipality("ortsdorf")
    assert (chosen.municipality, chosen.chosen, chosen.pbx, chosen.language) == (
        "ortsdorf", True, "beispielheim", "tr",
    )  # fmt: skip


def test_the_call_bar_words() -> None:
    assert place_text(CallPlace("beispielheim", language="tr"), TOWNS) == (
        "Beispielheim · Sprache: Türkisch"
    )
    assert place_text(CallPlace("musterstadt", True), TOWNS) == "Musterstadt (gewählt)"
    assert place_text(CallPlace("irgendwo"), TOWNS) == "irgendwo"  # unknown id: as it is
    assert place_text(CallPlace(None, language="xx"), {}) == "Sprache: xx"
    assert language_name("uk") == "Ukrainisch"


def test_short_answer_versions_the_callers_language_after_leichte_sprache() -> None:
    both = article(
        short_answer_easy="Ganz einfach.",
        short_answer_translations={"en": "Short.", "tr": "Kısa.", "uk": "Коротко."},
    )
    assert short_answer_views(both, "tr") == ["de", EASY, "tr", "en", "uk"]
    assert short_answer_views(both, "ar") == ["de", EASY, "en", "tr", "uk"]
    assert short_answer_views(article(), "tr") == ["de"]
    assert short_answer(both, "tr") == ("Kurzantwort auf Türkisch (tr)", "Kısa.")
    assert short_answer(both, EASY) == ("Kurzantwort in Leichter Sprache", "Ganz einfach.")
    assert short_answer(article(), "tr")[1] == "Kurz."  # a version it lacks: German


def _agent(interface: str, state: AgentState) -> Agent:
    return Agent(interface, state=state)


def test_colleagues_who_speak_the_language_and_are_free_now() -> None:
    team = [
        Colleague("agent1", "Anna", "3001", ("de", "tr"), ("PJSIP/agent1",)),
        Colleague("agent2", "Berk", "3002", ("de", "tr"), ("PJSIP/agent2",)),
        Colleague("agent3", "Cem", "3003", ("tr",), ("PJSIP/agent3",)),
        Colleague("agent4", "Dana", "", ("tr",), ("PJSIP/agent4",)),
        Colleague("agent5", "Emil", "3005", ("uk",), ("PJSIP/agent5",)),
        Colleague("agent6", "Filiz", "3006", ("tr",), ("PJSIP/agent6",)),
    ]
    members = [
        _agent("PJSIP/agent1", AgentState.AVAILABLE),
        _agent("PJSIP/agent2", AgentState.AVAILABLE),
        _agent("PJSIP/agent3", AgentState.ON_CALL),
        _agent("PJSIP/agent4", AgentState.AVAILABLE),
        _agent("PJSIP/agent5", AgentState.AVAILABLE),
    ]  # agent6 is not logged in
    free, busy = colleagues_for("tr", "agent1", team, members)
    assert [c.agent_id for c in free] == ["agent2"]  # not me, not busy, reachable, logged in
    assert busy == 3  # agent3 talking, agent4 without extension, agent6 logged out
    assert colleagues_for("ar", "agent1", team, members) == ([], 0)
