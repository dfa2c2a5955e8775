"""SVG snapshots of the main states, with the clock, the KB and the PBX frozen (fakes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from agent_console.app import AgentConsoleApp
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.transfer import TransferDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.caller_history import CallerHistory
from calllog.callbacks import new_ticket
from calllog.models import CallRecord, Outcome, Topic
from calllog.store import SqliteStore
from telephony.fake import FakeTelephony

from .conftest import AGENT, FROZEN, calendar, wait_until

SIZE = (120, 40)
Snap = Callable[..., bool]


def app_with_history(services: Services, store: SqliteStore) -> AgentConsoleApp:
    """The console on fakes; the caller 0234999 called three days ago."""
    earlier = FROZEN - timedelta(days=3)
    store.upsert_call(
        CallRecord("old-1", "service115", earlier, agent_id="agent2", caller_number="0234999",
                   answered_at=earlier, ended_at=earlier, outcome=Outcome.CALLBACK,
                   topics=(Topic("kfz-zulassung"),))
    )  # fmt: skip
    return AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,)))


async def on_call_with_article(pilot: Any) -> None:
    """A call is answered, the agent searches "auto zul" and opens the first hit."""
    app: AgentConsoleApp = pilot.app
    fake = app.services.telephony
    assert isinstance(fake, FakeTelephony)
    await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
    call = fake.offer_call("0234999", "Erika Mustermann")
    fake.connect_agent(call.call_id, "agent1")
    await wait_until(pilot, lambda: app.query_one(CallerHistory).has_class("-repeat"))
    await pilot.press(*"fahrzeug zul")
    await wait_until(pilot, lambda: bool(app.console_screen.hits))
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.query_one(ArticleView).article_id == "kfz-zulassung")
    await pilot.pause()


def test_call_with_article(snap_compare: Snap, fake_services: Services, store: SqliteStore) -> None:
    app = app_with_history(fake_services, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=on_call_with_article)


def test_transfer_dialog(snap_compare: Snap, fake_services: Services, store: SqliteStore) -> None:
    async def run_before(pilot: Any) -> None:
        await on_call_with_article(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TransferDialog))
        await pilot.pause()

    app = app_with_history(fake_services, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_wrapup_with_callback(
    snap_compare: Snap, fake_services: Services, store: SqliteStore
) -> None:
    async def run_before(pilot: Any) -> None:
        await on_call_with_article(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, WrapUpScreen))
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        pilot.app.screen.query_one("#callback-clarify").focus()
        await pilot.press(*"Kennzeichen reservierbar?")
        await pilot.pause()

    app = app_with_history(fake_services, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_pbx_down_banner(snap_compare: Snap, fake_services: Services, store: SqliteStore) -> None:
    async def run_before(pilot: Any) -> None:
        app: AgentConsoleApp = pilot.app
        fake = app.services.telephony
        assert isinstance(fake, FakeTelephony)
        await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
        fake.set_state(fake.state.RECONNECTING, "lost")
        await wait_until(pilot, lambda: app.query_one("#banner").display)
        await pilot.press(*"geburt", "enter")
        await wait_until(pilot, lambda: app.query_one(ArticleView).article_id is not None)
        await pilot.pause()

    app = app_with_history(fake_services, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_callbacks_list(snap_compare: Snap, fake_services: Services, store: SqliteStore) -> None:
    store.upsert_callback(
        new_ticket(created_at=FROZEN - timedelta(days=5), created_by="agent1",
                   clarify="Unterlagen vollständig?", calendar=calendar(), ticket_id="t1",
                   caller_name="Jonas Beispiel", number="+4923459876543", topic="kfz-zulassung")
    )  # fmt: skip

    async def run_before(pilot: Any) -> None:
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CallbacksScreen))
        await wait_until(pilot, lambda: pilot.app.screen.tickets)
        await pilot.pause()

    app = app_with_history(fake_services, store)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
