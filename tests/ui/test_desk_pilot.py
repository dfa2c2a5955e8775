"""Each part of the call lifecycle, driven through Pilot against the simulator over TCP.

The simulator holds a member for its wrap-up time after a call (Asterisk's
`wrapuptime`), as docs/deployment-asterisk.md configures a real PBX.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from agent_console.app import AgentConsoleApp
from agent_console.desk import Phase
from agent_console.screens.dialogs import ConfirmDialog, FeedbackDialog, PauseDialog
from agent_console.screens.transfer import TransferDialog
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.call_bar import CallBar
from calllog.models import Outcome
from calllog.store import SqliteStore
from kb.loader import KnowledgeBase
from search.searcher import IndexSearcher
from telephony.sim import PbxSimulator

from .conftest import AGENT, FAST, bridge_for, buffered, calendar, frozen, wait_until
from .flows import answered, choose, connected, console, save, search_and_open, wrapup

HOLD = 0.6  # the queue's wrapuptime in these tests (seconds)


@pytest.fixture
async def simulator() -> AsyncIterator[PbxSimulator]:
    """One agent, fast timings, and a wrap-up time as the deployment guide recommends."""
    async with PbxSimulator(port=0, agents=1, timing=FAST, wrapup_time=HOLD) as sim:
        yield sim


def visible_text(app: AgentConsoleApp) -> str:
    """The terminal's text as drawn now (every screen visible, composed)."""
    return app.export_screenshot().replace("&#160;", " ")


def member(sim: PbxSimulator):  # type: ignore[no-untyped-def]
    """agent1 as the simulated PBX sees it."""
    return sim.pbx.members[AGENT]


async def hold_over(pilot, sim: PbxSimulator) -> None:  # type: ignore[no-untyped-def]
    """Wait until the member's wrap-up hold has run out (and the queue looked again)."""
    await wait_until(pilot, lambda: time.monotonic() > member(sim).held_until + 0.05)
    await pilot.pause()


async def test_no_call_reaches_the_agent_during_wrapup_when_the_caller_hangs_up(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        first = await answered(pilot, sim_app, simulator, "02341000001")
        waiting = simulator.offer_call("02341000002", "Zweite Anruferin")
        simulator.pbx.caller_hangs_up(simulator.pbx.calls[first])
        form = await wrapup(pilot, sim_app)
        await wait_until(pilot, lambda: member(simulator).paused)
        assert member(simulator).reason == "Nachbearbeitung"
        await hold_over(pilot, simulator)
        assert waiting.state == "queued" and console(sim_app).session is None
        assert console(sim_app).desk.phase == Phase.WRAP_UP
        await wait_until(pilot, lambda: store.count_calls() == 1)  # logged from the call's end
        assert store.get_call(first).outcome is None
        choose(form, Outcome.RESOLVED)
        await save(pilot, sim_app)
        screen = console(sim_app)
        await wait_until(pilot, lambda: screen.session is not None
                         and screen.session.call_id == waiting.linkedid)  # fmt: skip
        assert store.get_call(first).outcome == Outcome.RESOLVED


async def test_f4_pauses_before_the_agents_leg_is_hung_up(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        first = await answered(pilot, sim_app, simulator, "02341000011")
        waiting = simulator.offer_call("02341000012", "Zweiter Anrufer")
        simulator.actions_seen.clear()
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        assert simulator.actions_seen.index("QueuePause") < simulator.actions_seen.index("Hangup")
        await hold_over(pilot, simulator)
        assert waiting.state == "queued"
        await wait_until(pilot, lambda: store.count_calls() == 1)
        assert store.get_call(first).ended_at is not None
        choose(form, Outcome.WRITTEN)
        await save(pilot, sim_app)
        await wait_until(pilot, lambda: waiting.state in {"ringing", "connected", "bridged"})


async def test_pause_chosen_during_a_call_begins_after_its_wrapup(
    sim_app: AgentConsoleApp, simulator: PbxSimulator
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered(pilot, sim_app, simulator, "02341000021")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, PauseDialog))
        await pilot.press("down", "enter")  # the second reason of the settings
        screen = console(sim_app)
        await wait_until(pilot, lambda: screen.desk.pause_after == "Mittagspause")
        bar = sim_app.query_one(CallBar)
        assert "danach Pause (Mittagspause)" in str(bar.render())
        assert not member(simulator).paused  # nothing changes on the call itself
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        waiting = simulator.offer_call("02341000022", "Wartende")
        choose(form, Outcome.RESOLVED)
        await save(pilot, sim_app)
        await wait_until(pilot, lambda: member(simulator).reason == "Mittagspause")
        assert screen.desk.phase == Phase.PAUSED and "Pause (Mittagspause)" in str(bar.render())
        await hold_over(pilot, simulator)
        assert waiting.state == "queued"  # F8 is not undone by the end of the wrap-up
        await pilot.press("f8")  # ready again
        await wait_until(pilot, lambda: screen.session is not None
                         and screen.session.call_id == waiting.linkedid)  # fmt: skip


async def test_pause_reasons_come_from_the_settings_and_reach_the_pbx(
    simulator: PbxSimulator, bundled_kb: KnowledgeBase, real_searcher: IndexSearcher,
    store: SqliteStore, drafts_dir: Path,
) -> None:  # fmt: skip
    services = Services(KnowledgeSource(bundled_kb), real_searcher, bridge_for(simulator),
                        buffered(store, drafts_dir.parent), calendar(), clock=frozen)  # fmt: skip
    options = ConsoleOptions(interfaces=(AGENT,), drafts_dir=drafts_dir,
                             pause_reasons=("Pause", "Teamrunde", "Technik"))  # fmt: skip
    app = AgentConsoleApp(services, options)
    async with app.run_test(size=(120, 40)) as pilot:
        await connected(pilot, app)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, PauseDialog))
        listing = app.screen.query_one(OptionList)
        shown = [str(listing.get_option_at_index(n).prompt) for n in range(listing.option_count)]
        assert shown == ["Pause", "Teamrunde", "Technik"]
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: member(simulator).reason == "Technik")
        assert "Pause (Technik)" in str(app.query_one(CallBar).render())
        await pilot.press("f8")
        await wait_until(pilot, lambda: not member(simulator).paused)


async def test_transfer_dialog_closes_with_its_call_and_never_reaches_the_next(
    sim_app: AgentConsoleApp, simulator: PbxSimulator
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        first = await answered(pilot, sim_app, simulator, "02341000031")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, TransferDialog))
        await pilot.press(*"standes")
        simulator.pbx.caller_hangs_up(simulator.pbx.calls[first])
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.DROPPED)
        await save(pilot, sim_app)
        assert not isinstance(sim_app.screen, TransferDialog)  # it did not come back
        await answered(pilot, sim_app, simulator, "02341000032")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, TransferDialog))
        assert sim_app.screen.query_one("#transfer-filter", Input).value == ""
        assert "BlindTransfer" not in simulator.actions_seen


async def test_flag_dialog_keeps_typed_text_and_says_the_call_is_gone(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        first = await answered(pilot, sim_app, simulator, "02341000041")
        await search_and_open(pilot, sim_app, "hundesteuer", "hund-anmelden")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, FeedbackDialog))
        flag = sim_app.screen
        await pilot.press(*"Gebühr fehlt")
        simulator.pbx.caller_hangs_up(simulator.pbx.calls[first])
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.RESOLVED)
        await save(pilot, sim_app)
        await wait_until(pilot, lambda: sim_app.screen is flag)
        assert "(Anruf beendet)" in str(flag.query_one(".dialog-title").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(store.list_feedback()))
        (item,) = store.list_feedback()
        assert item.call_id == first and item.comment == "Gebühr fehlt"


async def test_empty_flag_dialog_closes_with_its_call(
    sim_app: AgentConsoleApp, simulator: PbxSimulator
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        first = await answered(pilot, sim_app, simulator, "02341000042")
        await search_and_open(pilot, sim_app, "hundesteuer", "hund-anmelden")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, FeedbackDialog))
        simulator.pbx.caller_hangs_up(simulator.pbx.calls[first])
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.RESOLVED)
        await save(pilot, sim_app)
        assert not isinstance(sim_app.screen, FeedbackDialog)


async def test_quit_during_a_call_asks_first(
    sim_app: AgentConsoleApp, simulator: PbxSimulator
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        call_id = await answered(pilot, sim_app, simulator, "02341000051")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: not isinstance(sim_app.screen, ConfirmDialog))
        assert sim_app.is_running and console(sim_app).session is not None
        assert console(sim_app).session.call_id == call_id  # type: ignore[union-attr]
        await pilot.press("f4")
        await wrapup(pilot, sim_app)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, ConfirmDialog))
        assert "Nachbearbeitung" in str(sim_app.screen.query_one("#confirm-question").render())
        await pilot.press("j")
        await wait_until(pilot, lambda: not sim_app.is_running)


async def test_f2_replaces_the_search_and_a_new_caller_clears_the_last_article(
    sim_app: AgentConsoleApp, simulator: PbxSimulator
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered(pilot, sim_app, simulator, "02341000061")
        await search_and_open(pilot, sim_app, "hundesteuer", "hund-anmelden")
        await pilot.press("f2", *"pass")
        assert sim_app.query_one("#search", Input).value == "pass"
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.RESOLVED)
        await save(pilot, sim_app)
        assert sim_app.query_one(ArticleView).article_id == "hund-anmelden"  # between calls
        await hold_over(pilot, simulator)
        await answered(pilot, sim_app, simulator, "02341000062")
        assert sim_app.query_one(ArticleView).article_id is None
        assert sim_app.query_one("#search", Input).value == ""


async def test_call_bar_clock_runs_while_a_dialog_is_open(
    simulator: PbxSimulator, bundled_kb: KnowledgeBase, real_searcher: IndexSearcher,
    store: SqliteStore, drafts_dir: Path,
) -> None:  # fmt: skip
    from datetime import timedelta

    now = [frozen()]
    services = Services(KnowledgeSource(bundled_kb), real_searcher, bridge_for(simulator),
                        buffered(store, drafts_dir.parent), calendar(),
                        clock=lambda: now[0])  # fmt: skip
    app = AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,), drafts_dir=drafts_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await answered(pilot, app, simulator, "02341000071")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferDialog))
        now[0] += timedelta(minutes=2, seconds=5)
        # what the agent sees (the screen below the dialog as drawn), not only the widget
        await wait_until(pilot, lambda: "Gespräch 2:05" in visible_text(app))
        await pilot.press("escape", "f4")
        await wrapup(pilot, app)  # the wrap-up's own clock runs in the call bar too
        now[0] += timedelta(minutes=1, seconds=10)
        await wait_until(pilot, lambda: "Nachbearbeitung 1:10" in visible_text(app))
