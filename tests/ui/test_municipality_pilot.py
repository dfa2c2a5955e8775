"""A call for another municipality, in another language: call bar, search, article, Ctrl+G,
Ctrl+L, the transfer dialog and the call record (the sample district, the real searcher)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from agent_console.app import AgentConsoleApp
from agent_console.origin import Colleague
from agent_console.screens.municipality import MunicipalityDialog
from agent_console.screens.supervisor_calls import municipality_text
from agent_console.screens.transfer import TransferDialog
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.call_bar import CallBar
from agent_console.widgets.result_list import ResultList, place_note
from calllog.models import CallRecord, Outcome
from calllog.store import SqliteStore
from kb.loader import KnowledgeBase
from search.protocol import Hit
from search.searcher import IndexSearcher
from telephony.fake import FakeTelephony
from telephony.origin import Routing

from .conftest import AGENT, buffered, calendar, frozen, wait_until
from .flows import choose, save, wrapup
from .test_console import plain

AGENT2 = "Local/agent2@agents/n"
ROUTING = Routing(by_number={"1150002": "beispielheim", "1150003": "ortsdorf"})
TEAM = (
    Colleague("agent1", "Anna Schmidt", "3001", ("de",), (AGENT,)),
    Colleague("agent2", "Berk Demir", "3002", ("de", "tr"), (AGENT2,)),
    Colleague("agent3", "Cem Kaya", "3003", ("tr",), ("Local/agent3@agents/n",)),
)


@pytest.fixture
def app(
    bundled_kb: KnowledgeBase,
    real_searcher: IndexSearcher,
    store: SqliteStore,
    tmp_path: Path,
) -> AgentConsoleApp:
    """The console on a fake PBX, the sample district's KB and the real searcher."""
    services = Services(
        knowledge=KnowledgeSource(bundled_kb),
        searcher=real_searcher,
        telephony=FakeTelephony(),
        calllog=buffered(store, tmp_path),
        calendar=calendar(),
        clock=frozen,
    )
    options = ConsoleOptions(interfaces=(AGENT,), drafts_dir=tmp_path / "drafts",
                             routing=ROUTING, colleagues=TEAM)  # fmt: skip
    return AgentConsoleApp(services, options)


def _fake(app: AgentConsoleApp) -> FakeTelephony:
    telephony = app.services.telephony
    assert isinstance(telephony, FakeTelephony)
    return telephony


async def _call(pilot: Any, app: AgentConsoleApp, dialled: str, language: str) -> str:
    fake = _fake(app)
    await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
    call = fake.offer_call("015112345678", "Ayşe Yılmaz", dialled=dialled, language=language)
    fake.connect_agent(call.call_id, "agent1")
    await wait_until(pilot, lambda: app.console_screen.session is not None)
    return call.call_id


def _article(app: AgentConsoleApp) -> str:
    return plain(app.query_one("#article-body").content)  # type: ignore[attr-defined]


def _options(app: AgentConsoleApp, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).id) for i in range(listing.option_count)]


async def test_a_call_for_beispielheim_in_turkish(app: AgentConsoleApp, store: SqliteStore) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        call_id = await _call(pilot, app, "1150002", "tr")
        screen = app.console_screen
        bar = app.query_one(CallBar)
        assert bar.view.place == "Beispielheim · Sprache: Türkisch"
        assert "Beispielheim · Sprache: Türkisch" in str(bar.render())

        await pilot.press("f2", *"hundesteuer")
        await wait_until(pilot, lambda: bool(screen.hits) and screen.hits[0].id == "hund-anmelden")
        assert screen.hits[0].municipality == "beispielheim"
        assert "◆ eigene Angaben" in str(app.query_one(ResultList)._lines[0][1])
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Fassung Beispielheim" in _article(app))
        text = _article(app)
        assert "◆ Gebühren (Beispielheim)" in text and "120,00 € pro Jahr" in text
        assert "Steueramt" in text and "Beispielheim" in text.split("Zuständige Stelle")[1]

        await pilot.press("f2", *"brennholz")  # a service only Ortsdorf offers
        await wait_until(pilot, lambda: bool(screen.hits) and screen.results_for == "brennholz")
        lines = app.query_one(ResultList)._lines
        assert any("nur Ortsdorf" in str(second) for _, second in lines)

        await pilot.press("f2", *"personalausweis")
        await wait_until(pilot, lambda: bool(screen.hits)
                         and screen.hits[0].id == "personalausweis-beantragen")  # fmt: skip
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Personalausweis" in _article(app).split("\n")[0])
        await pilot.press("ctrl+l")  # Leichte Sprache first
        await wait_until(pilot, lambda: "Kurzantwort in Leichter Sprache" in _article(app))
        await pilot.press("ctrl+l")  # then the caller's language
        await wait_until(pilot, lambda: "Kurzantwort auf Türkisch (tr)" in _article(app))
        assert app.query_one("#article").answer == "tr"  # type: ignore[attr-defined]

        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferDialog))
        ids = _options(app, "#transfer-offices")
        own = app.services.kb.offices_for("beispielheim")
        assert ids[: len(own)] == [o.id for o in own]  # its own, then the shared ones
        assert ids[-1] == "agent:agent2"  # speaks Turkish and is free; agent3 is logged out
        assert "1 frei, die Türkisch sprechen; 1 weitere gerade nicht frei" in plain(
            app.screen.query_one("#transfer-colleagues").content  # type: ignore[attr-defined]
        )
        await pilot.press(*"berk", "enter")
        await wait_until(pilot, lambda: ("blind_transfer", call_id, "3002") in _fake(app).actions)

        form = await wrapup(pilot, app)
        choose(form, Outcome.TRANSFERRED)
        await save(pilot, app)
        record = store.get_call(call_id)
        assert (record.pbx_municipality, record.municipality) == ("beispielheim", None)
        assert (record.language, record.pbx_language) == ("tr", "tr")
        assert record.outcome_target == "Berk Demir"


async def test_the_agent_sets_the_municipality_and_it_is_recorded_as_the_agents(
    app: AgentConsoleApp, store: SqliteStore
) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        call_id = await _call(pilot, app, "115", "en")  # the main number: the home town
        screen = app.console_screen
        assert app.query_one(CallBar).view.place == "Musterstadt"
        await pilot.press("f2", *"hundesteuer", "enter")
        await wait_until(pilot, lambda: "Hund anmelden" in _article(app))
        assert "Fassung" not in _article(app) and "◆" not in _article(app)

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, MunicipalityDialog))
        assert _options(app, "#municipality-list")[0] == "musterstadt"  # the current first
        await pilot.press(*"orts")
        await wait_until(pilot, lambda: _options(app, "#municipality-list") == ["ortsdorf"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, MunicipalityDialog))
        assert screen.session is not None
        assert (screen.session.place.municipality, screen.session.place.chosen) == (
            "ortsdorf", True,
        )  # fmt: skip
        assert app.query_one(CallBar).view.place == "Ortsdorf (gewählt)"
        await wait_until(pilot, lambda: "Fassung Ortsdorf" in _article(app))  # re-rendered
        await wait_until(
            pilot, lambda: bool(screen.hits) and screen.hits[0].municipality == "ortsdorf"
        )  # searched again

        await pilot.press("f4")
        form = await wrapup(pilot, app)
        choose(form, Outcome.RESOLVED)
        await save(pilot, app)
        record = store.get_call(call_id)
        assert (record.municipality, record.pbx_municipality) == ("ortsdorf", "musterstadt")
        assert record.language == "de"


async def test_escape_keeps_the_municipality_and_a_flat_kb_has_no_picker(
    app: AgentConsoleApp, fake_app: AgentConsoleApp
) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await _call(pilot, app, "1150003", "uk")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, MunicipalityDialog))
        await pilot.press(*"beisp", "escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, MunicipalityDialog))
        assert app.query_one(CallBar).view.place == "Ortsdorf · Sprache: Ukrainisch"
    async with fake_app.run_test(size=(120, 40)) as pilot:  # the three-article fixture KB
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not isinstance(fake_app.screen, MunicipalityDialog)
        assert fake_app.query_one(CallBar).view.place == ""


def test_whose_call_it_was_in_the_call_log_browser() -> None:
    call = CallRecord("c1", "q", datetime(2026, 11, 24, 9, tzinfo=UTC))
    assert municipality_text(call) == "–"
    assert municipality_text(replace(call, pbx_municipality="ortsdorf")) == "ortsdorf"
    chosen = replace(call, pbx_municipality="musterstadt", municipality="ortsdorf")
    assert municipality_text(chosen) == "ortsdorf (von Agent gewählt; Telefonanlage: musterstadt)"


def test_whose_version_a_hit_is() -> None:
    hit = Hit("a", "A", 1.0, ("title",))
    names = {"ortsdorf": "Ortsdorf"}
    assert place_note(hit, "beispielheim", names) == ""  # the base (a one-town KB)
    assert place_note(replace(hit, municipality="ortsdorf"), "beispielheim", names) == (
        "nur Ortsdorf"
    )
    local = replace(hit, municipality="beispielheim", local_fields=frozenset({"fees"}))
    assert place_note(local, "beispielheim", names) == "◆ eigene Angaben"
    assert place_note(replace(local, local_fields=frozenset()), "beispielheim", names) == ""
