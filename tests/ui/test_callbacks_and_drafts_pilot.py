"""Call-backs as calls, and wrap-ups that survive a crash: Pilot against the simulator over TCP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from agent_console.app import AgentConsoleApp
from agent_console.desk import Phase
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.call_bar import CallBar
from calllog.callbacks import new_ticket
from calllog.models import AttemptResult, CallbackStatus, CallbackTicket, Outcome
from calllog.store import SqliteStore
from kb.loader import KnowledgeBase
from search.searcher import IndexSearcher
from telephony.sim import PbxSimulator

from .conftest import AGENT, FAST, FROZEN, bridge_for, buffered, calendar, frozen, wait_until
from .flows import answered, choose, connected, console, save, wrapup

NUMBER = "02349876543"


@pytest.fixture
async def simulator() -> AsyncIterator[PbxSimulator]:
    """One agent; a citizen who does not answer rings out after a moment."""
    timing = replace(FAST, citizen_timeout=0.5)
    async with PbxSimulator(port=0, agents=1, timing=timing, wrapup_time=0.3) as sim:
        yield sim


@pytest.fixture
def ticket(store: SqliteStore) -> CallbackTicket:
    """An open call-back of agent1, due tomorrow."""
    made = new_ticket(created_at=FROZEN - timedelta(hours=3), created_by="agent1",
                      clarify="Wird der alte Ausweis eingezogen?", calendar=calendar(),
                      caller_name="Jonas Beispiel", number=NUMBER,
                      topic="personalausweis-beantragen")  # fmt: skip
    store.upsert_callback(made)
    return made


async def call_back(pilot, app: AgentConsoleApp) -> None:  # type: ignore[no-untyped-def]
    """F7, wait for the list, Enter on the first ticket."""
    await pilot.press("f7")
    await wait_until(pilot, lambda: isinstance(app.screen, CallbacksScreen)
                     and app.screen.query_one(DataTable).row_count > 0)  # fmt: skip
    await pilot.press("enter")


async def test_callback_refused_while_on_a_call(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, ticket: CallbackTicket
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered(pilot, sim_app, simulator, "02341000101")
        await call_back(pilot, sim_app)
        status = sim_app.screen.query_one("#callbacks-status")
        await wait_until(pilot, lambda: "nicht möglich" in str(status.render()))
        assert "Originate" not in simulator.actions_seen
        assert console(sim_app).desk.phase == Phase.ON_CALL


async def test_callback_pops_with_its_ticket_and_ends_as_an_attempt(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore, ticket: CallbackTicket
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await connected(pilot, sim_app)
        screen = console(sim_app)
        await call_back(pilot, sim_app)
        await wait_until(pilot, lambda: screen.desk.phase == Phase.CALLBACK_ON_CALL)
        assert screen.session is not None and screen.session.ticket is not None
        assert screen.session.caller_name == "Jonas Beispiel"
        bar = str(sim_app.query_one(CallBar).render())
        assert "Wird der alte Ausweis eingezogen?" in bar and "Versuch 1" in bar
        assert simulator.pbx.members[AGENT].reason == "Rückruf"  # no queue call meanwhile
        await wait_until(pilot, lambda: store.get_callback(ticket.ticket_id).status
                         == CallbackStatus.IN_PROGRESS)  # fmt: skip
        await pilot.press("f4")  # hang-up works
        form = await wrapup(pilot, sim_app)
        assert form.focused is form.query_one("#wrapup-attempt")
        await pilot.press("f10")
        assert "erreicht" in str(form.query_one("#wrapup-error").render())
        choose(form, attempt=AttemptResult.NOT_REACHED)
        form.query_one("#wrapup-notes", Input).value = "Mailbox, nur vormittags erreichbar"
        await save(pilot, sim_app)
        tried = store.get_callback(ticket.ticket_id)
        assert tried.status == CallbackStatus.IN_PROGRESS and tried.attempts == 1
        (first,) = tried.history
        assert first.result == AttemptResult.NOT_REACHED and first.agent_id == "agent1"
        assert first.notes == "Mailbox, nur vormittags erreichbar"
        await wait_until(pilot, lambda: not simulator.pbx.members[AGENT].paused)
        assert store.count_calls() == 0  # a call-back is kept on its ticket, not as a queue call
        await call_back(pilot, sim_app)  # the next try: reached this time
        await wait_until(pilot, lambda: screen.desk.phase == Phase.CALLBACK_ON_CALL)
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.RESOLVED, AttemptResult.REACHED)
        await save(pilot, sim_app)
        done = store.get_callback(ticket.ticket_id)
        assert done.status == CallbackStatus.DONE and done.attempts == 2
        assert [a.result for a in done.history] == [AttemptResult.NOT_REACHED,
                                                    AttemptResult.REACHED]  # fmt: skip
        assert done.history[1].outcome == Outcome.RESOLVED


async def test_callback_nobody_answers_can_be_given_up(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore, ticket: CallbackTicket
) -> None:
    simulator.citizen_does_not_answer(NUMBER)
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await connected(pilot, sim_app)
        await call_back(pilot, sim_app)
        form = await wrapup(pilot, sim_app)  # the call ended by itself (rang out)
        choose(form, attempt=AttemptResult.GIVEN_UP)
        await save(pilot, sim_app)
        closed = store.get_callback(ticket.ticket_id)
        assert closed.status == CallbackStatus.UNREACHABLE and not closed.pending
        assert closed.closed_at is not None and closed.attempts == 1


async def test_callback_from_a_pause_returns_to_the_pause(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, ticket: CallbackTicket
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await connected(pilot, sim_app)
        await pilot.press("f8", "enter")  # "Pause"
        await wait_until(pilot, lambda: simulator.pbx.members[AGENT].reason == "Pause")
        await call_back(pilot, sim_app)
        screen = console(sim_app)
        await wait_until(pilot, lambda: screen.desk.phase == Phase.CALLBACK_ON_CALL)
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        choose(form, Outcome.RESOLVED, AttemptResult.REACHED)
        await save(pilot, sim_app)
        await wait_until(pilot, lambda: screen.desk.phase == Phase.PAUSED)
        await wait_until(pilot, lambda: simulator.pbx.members[AGENT].reason == "Pause")


def console_app(simulator: PbxSimulator, kb: KnowledgeBase, searcher: IndexSearcher,
                store: SqliteStore, drafts: Path) -> AgentConsoleApp:  # fmt: skip
    """A console as `lotse console` starts it (a new process after a crash)."""
    services = Services(KnowledgeSource(kb), searcher, bridge_for(simulator),
                        buffered(store, drafts.parent), calendar(), clock=frozen)  # fmt: skip
    return AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,), drafts_dir=drafts))


async def test_a_wrapup_cut_off_by_a_crash_reopens_with_what_was_typed(
    simulator: PbxSimulator, bundled_kb: KnowledgeBase, real_searcher: IndexSearcher,
    store: SqliteStore, drafts_dir: Path,
) -> None:  # fmt: skip
    first = console_app(simulator, bundled_kb, real_searcher, store, drafts_dir)
    async with first.run_test(size=(120, 40)) as pilot:
        call_id = await answered(pilot, first, simulator, "02341000201", "Erika Mustermann")
        await pilot.press("f4")
        form = await wrapup(pilot, first)
        await pilot.press("down", "down", "enter")  # "Rückruf zugesagt"
        form.query_one("#callback-clarify", Input).focus()
        await pilot.press(*"Frist für Widerspruch?")
        (draft,) = drafts_dir.glob("*.json")
        assert "Frist für Widerspruch?" in draft.read_text(encoding="utf-8")
        await wait_until(pilot, lambda: store.count_calls() == 1)
        assert store.get_call(call_id).outcome is None
        first.exit()  # gone without saving: a crash, a kill, a power cut
    assert simulator.pbx.members[AGENT].reason == "Nachbearbeitung"  # still held on the PBX
    again = console_app(simulator, bundled_kb, real_searcher, store, drafts_dir)
    async with again.run_test(size=(120, 40)) as pilot:
        form = await wrapup(pilot, again)
        assert form.session.call_id == call_id and form.outcome == Outcome.CALLBACK
        assert form.query_one("#callback-clarify", Input).value == "Frist für Widerspruch?"
        assert console(again).desk.phase == Phase.WRAP_UP
        await save(pilot, again)
        assert store.get_call(call_id).outcome == Outcome.CALLBACK
        (promised,) = store.list_callbacks()
        assert promised.clarify == "Frist für Widerspruch?" and promised.call_id == call_id
        assert list(drafts_dir.glob("*.json")) == []
        await wait_until(pilot, lambda: not simulator.pbx.members[AGENT].paused)


async def test_quit_confirmed_during_wrapup_keeps_the_draft(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, drafts_dir: Path
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered(pilot, sim_app, simulator, "02341000301")
        await pilot.press("f4")
        form = await wrapup(pilot, sim_app)
        form.query_one("#wrapup-notes", Input).value = "Wollte nur die Öffnungszeiten"
        await pilot.press("ctrl+q", "j")
        await wait_until(pilot, lambda: not sim_app.is_running)
    (draft,) = drafts_dir.glob("*.json")
    assert "Wollte nur die Öffnungszeiten" in draft.read_text(encoding="utf-8")
