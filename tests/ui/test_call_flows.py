"""The key flows against the PBX simulator over real TCP, driven through Pilot."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual.widgets import Input, RadioSet

from agent_console.app import AgentConsoleApp
from agent_console.screens.console import ConsoleScreen
from agent_console.screens.transfer import TransferDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.widgets.article_view import ArticleView
from calllog.models import Outcome, TransferMode
from calllog.store import SqliteStore
from telephony.calls import CallState
from telephony.protocol import ConnectionState
from telephony.sim import PbxSimulator

from .conftest import AGENT, FAST, wait_until


def console(app: AgentConsoleApp) -> ConsoleScreen:
    """The main screen."""
    return app.console_screen


async def answered_call(pilot, app: AgentConsoleApp, sim: PbxSimulator, number: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for the PBX, offer a call and wait until it is answered at this console."""
    screen = console(app)
    await wait_until(pilot, lambda: screen.pbx_state == ConnectionState.CONNECTED)
    sim.offer_call(number, "Max Mustermann")
    await wait_until(
        pilot, lambda: screen.session is not None and screen.session.answered_at is not None
    )


async def search_and_open(pilot, app: AgentConsoleApp, text: str, article_id: str) -> None:  # type: ignore[no-untyped-def]
    """Type a query, wait for the hit, press Enter."""
    screen = console(app)
    await pilot.press("f2", *text)
    await wait_until(pilot, lambda: screen.hits and screen.hits[0].id == article_id)
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.query_one(ArticleView).article_id == article_id)


async def save_wrapup(pilot, app: AgentConsoleApp, store: SqliteStore, call_id: str):  # type: ignore[no-untyped-def]
    """Press F10 in the wrap-up and wait until the record is stored."""
    await pilot.press("f10")
    await wait_until(pilot, lambda: not isinstance(app.screen, WrapUpScreen))
    return store.get_call(call_id)


async def test_call_search_open_article_resolve(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, sim_app, simulator, "02341110001")
        screen = console(sim_app)
        assert sim_app.focused is not None and sim_app.focused.id == "search"
        call_id = screen.session.call_id  # type: ignore[union-attr]
        await search_and_open(pilot, sim_app, "perso verloren", "personalausweis-verlust-melden")
        assert screen.session is not None
        assert screen.session.topics == ["personalausweis-verlust-melden"]
        await pilot.press("f4")  # the agent ends the call
        await wait_until(pilot, lambda: isinstance(sim_app.screen, WrapUpScreen))
        wrapup = sim_app.screen
        assert isinstance(wrapup, WrapUpScreen) and wrapup.outcome == Outcome.RESOLVED
        await wait_until(pilot, lambda: simulator.pbx.members[AGENT].paused)
        assert simulator.pbx.members[AGENT].reason == "Nachbearbeitung"
        record = await save_wrapup(pilot, sim_app, store, call_id)
        assert record.outcome == Outcome.RESOLVED
        assert [t.article_id for t in record.topics] == ["personalausweis-verlust-melden"]
        assert record.searches and record.searches[0].text == "perso verloren"
        await wait_until(pilot, lambda: not simulator.pbx.members[AGENT].paused)


async def test_blind_transfer_preselects_transferred(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, sim_app, simulator, "02341110002")
        call_id = console(sim_app).session.call_id  # type: ignore[union-attr]
        await search_and_open(pilot, sim_app, "auto anmelden", "kfz-zulassung")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, TransferDialog))
        await pilot.press("enter")  # the responsible office is first: Kfz-Zulassung, 2002
        await wait_until(pilot, lambda: isinstance(sim_app.screen, WrapUpScreen))
        wrapup = sim_app.screen
        assert isinstance(wrapup, WrapUpScreen) and wrapup.outcome == Outcome.TRANSFERRED
        assert wrapup.query_one("#wrapup-target", Input).value == "Kfz-Zulassungsstelle"
        record = await save_wrapup(pilot, sim_app, store, call_id)
        assert record.outcome == Outcome.TRANSFERRED
        assert record.transfer_mode == TransferMode.BLIND
        assert record.outcome_target == "Kfz-Zulassungsstelle"
        assert any(a == "BlindTransfer" for a in simulator.actions_seen)


async def test_attended_transfer_then_complete(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, sim_app, simulator, "02341110003")
        screen = console(sim_app)
        call_id = screen.session.call_id  # type: ignore[union-attr]
        await search_and_open(pilot, sim_app, "geburtsurkunde", "geburtsurkunde")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, TransferDialog))
        await pilot.press("f6")  # with consultation
        await wait_until(pilot, lambda: screen.session is not None and screen.session.consulting)
        bridge = sim_app.services.telephony
        await wait_until(
            pilot, lambda: any(c.on_hold and c.consult_channel for c in bridge.calls())
        )
        await pilot.press("f5")  # hand over
        await wait_until(pilot, lambda: isinstance(sim_app.screen, WrapUpScreen))
        wrapup = sim_app.screen
        assert isinstance(wrapup, WrapUpScreen) and wrapup.outcome == Outcome.TRANSFERRED
        record = await save_wrapup(pilot, sim_app, store, call_id)
        assert record.outcome == Outcome.TRANSFERRED
        assert record.transfer_mode == TransferMode.ATTENDED
        assert "Atxfer" in simulator.actions_seen


async def test_callback_promised_creates_ticket_due_in_24_service_hours(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, sim_app, simulator, "02341110004")
        call_id = console(sim_app).session.call_id  # type: ignore[union-attr]
        await search_and_open(pilot, sim_app, "hundesteuer", "hund-anmelden")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(sim_app.screen, WrapUpScreen))
        wrapup = sim_app.screen
        assert isinstance(wrapup, WrapUpScreen)
        assert wrapup.focused is wrapup.query_one(RadioSet)
        await pilot.press("down", "down", "enter")  # Erledigt -> Weitergeleitet -> Rückruf
        await wait_until(pilot, lambda: wrapup.outcome == Outcome.CALLBACK)
        assert wrapup.query_one("#callback-number", Input).value == "02341110004"
        wrapup.query_one("#callback-clarify", Input).focus()
        await pilot.press(*"Zweithund Rabatt?")
        assert "Do 26.11. 14:00" in str(wrapup.query_one("#callback-due").render())
        record = await save_wrapup(pilot, sim_app, store, call_id)
        assert record.outcome == Outcome.CALLBACK
        (ticket,) = store.list_callbacks()
        # Tue 10:00 + 24 service hours (Mon-Fri 8-18): 8 h Tue, 10 h Wed, 6 h Thu -> Thu 14:00.
        berlin = ZoneInfo("Europe/Berlin")
        assert ticket.due_at == datetime(2026, 11, 26, 14, 0, tzinfo=berlin)
        assert ticket.clarify == "Zweithund Rabatt?"
        assert ticket.number == "02341110004" and ticket.call_id == call_id
        assert ticket.topic == "hund-anmelden" and ticket.created_by == "agent1"


async def test_caller_abandons_before_answer(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        screen = console(sim_app)
        await wait_until(pilot, lambda: screen.pbx_state == ConnectionState.CONNECTED)
        simulator.agent_does_not_answer(AGENT)
        call = simulator.offer_call("02341110005", "Eilige Anruferin", hangup_after=0.6)
        await wait_until(pilot, lambda: screen.session is not None)  # popped while ringing
        assert screen.session is not None and screen.session.answered_at is None
        await wait_until(pilot, lambda: screen.session is None)
        await wait_until(pilot, lambda: store.count_calls() == 1)
        record = store.get_call(call.linkedid)
        assert record.outcome == Outcome.ABANDONED and record.answered_at is None
        assert not isinstance(sim_app.screen, WrapUpScreen)


async def test_an_abandoned_call_waits_in_the_outbox_while_the_database_refuses_writes(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    store._conn.execute("PRAGMA query_only = ON")  # writes fail, as on a read-only server
    calllog = sim_app.services.calllog
    async with sim_app.run_test(size=(120, 40)) as pilot:
        screen = console(sim_app)
        await wait_until(pilot, lambda: screen.pbx_state == ConnectionState.CONNECTED)
        simulator.agent_does_not_answer(AGENT)
        call = simulator.offer_call("02341110006", "Eilige Anruferin", hangup_after=0.6)
        await wait_until(pilot, lambda: screen.session is not None)
        await wait_until(pilot, lambda: calllog.pending == 1)
        banner = sim_app.query_one("#banner")
        await wait_until(pilot, lambda: "1 Einträge im Zwischenspeicher" in str(banner.render()))
        assert not any("nicht gespeichert" in str(n.message) for n in sim_app._notifications)
    store._conn.execute("PRAGMA query_only = OFF")
    assert calllog.flush() == 1
    assert store.get_call(call.linkedid).outcome == Outcome.ABANDONED


async def test_pbx_restart_during_a_call(
    sim_app: AgentConsoleApp, simulator: PbxSimulator, store: SqliteStore
) -> None:
    async with sim_app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, sim_app, simulator, "02341110006")
        screen = console(sim_app)
        call_id = screen.session.call_id  # type: ignore[union-attr]
        port = simulator.port
        await simulator.stop()
        await wait_until(pilot, lambda: screen.pbx_state == ConnectionState.RECONNECTING)
        banner = sim_app.query_one("#banner")
        assert banner.display and "Telefonanlage nicht erreichbar" in str(banner.render())
        # The knowledge base stays usable while the PBX is away.
        await search_and_open(pilot, sim_app, "wohngeld", "wohngeld")
        async with PbxSimulator(port=port, agents=1, timing=FAST):
            await wait_until(pilot, lambda: screen.pbx_state == ConnectionState.CONNECTED)
            assert not banner.display
            # The call was lost with the PBX: resync ends it, wrap-up offers "dropped".
            await wait_until(pilot, lambda: isinstance(sim_app.screen, WrapUpScreen))
            wrapup = sim_app.screen
            assert isinstance(wrapup, WrapUpScreen)
            assert wrapup.outcome == Outcome.DROPPED
            record = await save_wrapup(pilot, sim_app, store, call_id)
        assert record.outcome == Outcome.DROPPED
        assert [t.article_id for t in record.topics] == ["wohngeld"]
        assert screen.session is None
        assert all(c.state != CallState.CONNECTED for c in sim_app.services.telephony.calls())
