"""Console behaviour on fakes: faults, stale results, KB reload, dialogs, feedback, call-backs."""

from __future__ import annotations

import io
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from textual.widgets import DataTable, Input

from agent_console.app import AgentConsoleApp
from agent_console.messages import CallOffered, WrapUpSaved
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.dialogs import ConfirmDialog, FeedbackDialog
from agent_console.screens.transfer import TransferDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.caller_history import CallerHistory
from agent_console.widgets.result_list import ResultList
from calllog.callbacks import new_ticket
from calllog.exceptions import StoreUnavailable
from calllog.models import CallbackStatus, CallRecord, Outcome, Topic
from calllog.outbox import BufferedStore
from calllog.store import SqliteOutbox, SqliteStore
from kb.loader import KnowledgeBase, load
from search.protocol import Hit
from search.searcher import IndexSearcher
from telephony.fake import FakeTelephony

from .conftest import AGENT, FROZEN, HighlightingFakeSearcher, calendar, wait_until


def plain(renderable: Any) -> str:
    """A rich renderable as plain text."""
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(renderable)
    return out.getvalue()


def fake_of(app: AgentConsoleApp) -> FakeTelephony:
    """The fake PBX behind the app."""
    telephony = app.services.telephony
    assert isinstance(telephony, FakeTelephony)
    return telephony


async def connected_call(pilot: Any, app: AgentConsoleApp, number: str = "0234999") -> str:
    """A call answered at agent1 on the fake PBX; returns its id."""
    fake = fake_of(app)
    await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
    call = fake.offer_call(number, "Erika Mustermann")
    fake.connect_agent(call.call_id, "agent1")
    await wait_until(pilot, lambda: app.console_screen.session is not None)
    return call.call_id


async def test_repeat_caller_sees_earlier_calls(
    fake_app: AgentConsoleApp, store: SqliteStore
) -> None:
    earlier = FROZEN - timedelta(days=3)
    store.upsert_call(
        CallRecord("old-1", "service115", earlier, agent_id="agent2", caller_number="0234999",
                   answered_at=earlier, ended_at=earlier, outcome=Outcome.CALLBACK,
                   topics=(Topic("kfz-zulassung"),))
    )  # fmt: skip
    store.upsert_call(CallRecord("old-2", "service115", FROZEN - timedelta(days=40),
                                 caller_number="0234999"))  # fmt: skip
    seen: list[object] = []
    async with fake_app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await connected_call(pilot, fake_app)
        history = fake_app.query_one(CallerHistory)
        await wait_until(pilot, lambda: history.has_class("-repeat"))
        text = str(history.render())
        assert "1 Anruf(e) in 30 Tagen" in text and "Fahrzeug" in text and "Rückruf" in text
        assert any(isinstance(m, CallOffered) and m.number == "0234999" for m in seen)


async def test_search_error_is_a_notice_not_a_crash(fake_services: Services) -> None:
    class Broken(HighlightingFakeSearcher):
        def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
            raise RuntimeError("index file missing")

    fake_services.searcher = Broken([])
    app = AgentConsoleApp(fake_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"pass")
        await wait_until(pilot, lambda: any("index file missing" in str(n.message)
                                            for n in app._notifications))  # fmt: skip
        assert app.is_running and app.console_screen.hits == []


async def test_stale_results_are_dropped(fake_services: Services) -> None:
    release, returned = threading.Event(), threading.Event()

    class Slow(HighlightingFakeSearcher):
        def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
            if text != "g":
                return super().search(text, limit)
            release.wait(30)  # the first keystroke is slow and arrives last
            try:
                return super().search(text, limit)
            finally:
                returned.set()

    fake_services.searcher = Slow([(a.id, a.title) for a in fake_services.kb.articles.values()])
    app = AgentConsoleApp(fake_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.console_screen
        await pilot.press("g", "e", "b", "u")
        await wait_until(pilot, lambda: [h.id for h in screen.hits] == ["geburtsurkunde"])
        release.set()
        await wait_until(pilot, returned.is_set)  # the stale answer is back in its worker
        await pilot.pause()
        assert [h.id for h in screen.hits] == ["geburtsurkunde"]
        assert app.query_one("#search", Input).value == "gebu"
        assert len(fake_services.searcher.search("g")) > 1  # what the stale answer held


async def test_suggestion_shown_and_accepted(fake_app: AgentConsoleApp) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"persnalausweis")
        hint = fake_app.query_one("#suggestion")
        await wait_until(pilot, lambda: "Meinten Sie" in str(hint.render()))
        await pilot.press("ctrl+t")
        screen = fake_app.console_screen
        await wait_until(
            pilot, lambda: [h.id for h in screen.hits] == ["personalausweis-beantragen"]
        )


async def test_wrapup_cannot_be_left_without_outcome(
    fake_app: AgentConsoleApp, store: SqliteStore
) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        call_id = await connected_call(pilot, fake_app)
        fake_of(fake_app).end_call(call_id)  # caller hangs up, no article opened
        await wait_until(pilot, lambda: isinstance(fake_app.screen, WrapUpScreen))
        wrapup = fake_app.screen
        assert isinstance(wrapup, WrapUpScreen) and wrapup.outcome is None
        await pilot.press("escape", "f10")
        assert isinstance(fake_app.screen, WrapUpScreen)
        assert "Ergebnis" in str(wrapup.query_one("#wrapup-error").render())
        await wait_until(pilot, lambda: store.count_calls() == 1)
        assert store.get_call(call_id).outcome is None  # the call is logged from its end on
        await pilot.press("enter")  # the first outcome, "Erledigt"
        assert str(wrapup.query_one("#wrapup-error").render()) == ""  # the hint went
        await pilot.press("f10")
        await wait_until(pilot, lambda: store.get_call(call_id).outcome == Outcome.RESOLVED)
        assert store.count_calls() == 1
        assert ("pause", "agent1", "Nachbearbeitung") in fake_of(fake_app).actions
        await wait_until(pilot, lambda: ("unpause", "agent1") in fake_of(fake_app).actions)


class DownStore(SqliteStore):
    """A store whose server is unreachable."""

    def upsert_call(self, record: CallRecord) -> bool:
        raise StoreUnavailable("connection refused")

    def list_calls(self, **filters: Any) -> list[CallRecord]:
        raise StoreUnavailable("connection refused")


async def test_database_down_wrapup_goes_to_outbox(fake_services: Services, tmp_path: Path) -> None:
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    fake_services.calllog = BufferedStore(DownStore(":memory:"), outbox)  # type: ignore[arg-type]
    app = AgentConsoleApp(fake_services, ConsoleOptions(interfaces=(AGENT,)))
    seen: list[object] = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        call_id = await connected_call(pilot, app)
        await pilot.press(*"kfz", "enter")
        await wait_until(pilot, lambda: app.query_one(ArticleView).article_id == "kfz-zulassung")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.press("f10")
        await wait_until(pilot, lambda: any(isinstance(m, WrapUpSaved) for m in seen))
        saved = next(m for m in seen if isinstance(m, WrapUpSaved))
        assert saved.queued and saved.record.call_id == call_id
        assert len(outbox) == 2  # the record from the call's end, then the wrap-up's
        banner = app.query_one("#banner")
        assert banner.display and "2 Einträge im Zwischenspeicher" in str(banner.render())
    outbox.close()


async def test_pbx_down_banner_and_recovery(fake_app: AgentConsoleApp) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        fake = fake_of(fake_app)
        await wait_until(pilot, lambda: fake_app.console_screen.pbx_state == "connected")
        fake.set_state(fake.state.RECONNECTING, "lost")
        banner = fake_app.query_one("#banner")
        await wait_until(pilot, lambda: banner.display)
        assert "Telefonanlage nicht erreichbar" in str(banner.render())
        await pilot.press(*"geburt", "enter")
        await wait_until(pilot, lambda: fake_app.query_one(ArticleView).article_id is not None)
        fake.set_state(fake.state.CONNECTED)
        await wait_until(pilot, lambda: not banner.display)


async def test_closed_office_asks_before_transfer(fake_services: Services) -> None:
    sunday = datetime(2026, 11, 22, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    fake_services.clock = lambda: sunday
    app = AgentConsoleApp(fake_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        call_id = await connected_call(pilot, app)
        await pilot.press(*"geburt", "enter", "f3")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferDialog))
        first = app.screen.query_one("#transfer-offices").get_option_at_index(0)  # type: ignore[attr-defined]
        assert first.id == "standesamt" and "geschlossen" in str(first.prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferDialog))
        assert not any(a[0] == "blind_transfer" for a in fake_of(app).actions)
        await pilot.press("enter", "j")
        await wait_until(pilot, lambda: ("blind_transfer", call_id, "2003") in fake_of(app).actions)


async def test_transfer_failure_shows_the_pbx_reason(fake_app: AgentConsoleApp) -> None:
    from telephony.exceptions import ActionError

    async with fake_app.run_test(size=(120, 40)) as pilot:
        await connected_call(pilot, fake_app)
        fake_of(fake_app).fail_next = ActionError("BlindTransfer", "Extension does not exist")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(fake_app.screen, TransferDialog))
        await pilot.press(*"standes", "enter")
        await wait_until(pilot, lambda: any("Extension does not exist" in str(n.message)
                                            for n in fake_app._notifications))  # fmt: skip
        assert fake_app.console_screen.session is not None  # still with the caller


async def test_feedback_for_editors(fake_app: AgentConsoleApp, store: SqliteStore) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"kfz", "enter")
        await wait_until(pilot, lambda: fake_app.query_one(ArticleView).article_id is not None)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(fake_app.screen, FeedbackDialog))
        await pilot.press(*"Gebühr seit 1.1. höher", "enter")
        await wait_until(pilot, lambda: store.list_feedback())
        (item,) = store.list_feedback(article_id="kfz-zulassung")
        assert item.kind == "outdated" and item.comment == "Gebühr seit 1.1. höher"
        assert item.agent_id == "agent1"


async def test_callbacks_list_and_originate(fake_app: AgentConsoleApp, store: SqliteStore) -> None:
    ticket = new_ticket(created_at=FROZEN - timedelta(days=5), created_by="agent1",
                        clarify="Unterlagen vollständig?", calendar=calendar(),
                        caller_name="Jonas Beispiel", number="+4923459876543",
                        topic="kfz-zulassung")  # fmt: skip
    other = new_ticket(created_at=FROZEN, created_by="agent2", clarify="x", calendar=calendar(),
                       number="0234")  # fmt: skip
    store.upsert_callback(ticket)
    store.upsert_callback(other)
    async with fake_app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: fake_app.console_screen.callbacks_due == 1)
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(fake_app.screen, CallbacksScreen))
        table = fake_app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        fake = fake_of(fake_app)
        await wait_until(pilot, lambda: ("originate_callback", "agent1", "+4923459876543")
                         in fake.actions)  # fmt: skip
        pause = fake.actions.index(("pause", "agent1", "Rückruf"))
        assert pause < fake.actions.index(("originate_callback", "agent1", "+4923459876543"))
        await wait_until(pilot, lambda: store.get_callback(ticket.ticket_id).status
                         == CallbackStatus.IN_PROGRESS)  # fmt: skip
        assert store.get_callback(ticket.ticket_id).attempts == 0  # counted at the wrap-up


async def test_kb_change_on_disk_reaches_the_console(
    fake_services: Services, kb_copy: Path
) -> None:
    fake_services.knowledge = KnowledgeSource(load(kb_copy), kb_copy, load)
    options = ConsoleOptions(interfaces=(AGENT,), kb_poll_seconds=0.1)
    app = AgentConsoleApp(fake_services, options)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"geburt", "enter")
        view = app.query_one(ArticleView)
        await wait_until(pilot, lambda: view.article_id == "geburtsurkunde")
        path = kb_copy / "articles" / "geburtsurkunde.yaml"
        text = path.read_text(encoding="utf-8")
        edited = re.sub(
            r"short_answer: >-\n(  .*\n)+", "short_answer: Neu von der Redaktion.\n", text
        )
        assert edited != text
        path.write_text(edited, encoding="utf-8")
        body = app.query_one("#article-body")
        await wait_until(pilot, lambda: "Neu von der Redaktion" in plain(body.content))
        assert fake_services.kb.articles["geburtsurkunde"].short_answer == "Neu von der Redaktion."


async def test_command_palette_lists_the_actions(fake_app: AgentConsoleApp) -> None:
    async with fake_app.run_test(size=(120, 40)):
        titles = [c.title for c in fake_app.get_system_commands(fake_app.screen)]
        for wanted in ("Verbinden (F3)", "Auflegen (F4)", "Rückrufe (F7)", "Beenden (Strg+Q)"):
            assert wanted in titles


async def test_no_suitable_service_is_shown_and_logged_as_a_search_without_hit(
    fake_services: Services,
    bundled_kb: KnowledgeBase,
    real_searcher: IndexSearcher,
    store: SqliteStore,
) -> None:
    fake_services.knowledge = KnowledgeSource(bundled_kb)
    fake_services.searcher = real_searcher
    app = AgentConsoleApp(fake_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=(120, 40)) as pilot:
        call_id = await connected_call(pilot, app)
        screen = app.console_screen
        await pilot.press(*"straßenlaterne kaputt")
        await wait_until(pilot, lambda: screen.results_for == "straßenlaterne kaputt")
        results = app.query_one(ResultList)
        assert results.no_match and results.hits and not any(h.high for h in results.hits)
        await pilot.pause()
        lines = [results.render_line(y).text for y in range(3)]
        assert lines[0].startswith("Keine passende Leistung gefunden")
        assert lines[1].startswith("vielleicht: ")
        await pilot.press("escape")  # the agent clears the box and tells the caller
        await pilot.press(*"hund anmelden")
        await wait_until(pilot, lambda: screen.results_for == "hund anmelden")
        assert not results.no_match and results.hits[0].high
        fake_of(app).end_call(call_id)
        await wait_until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.press("enter", "f10")  # "Erledigt"
        await wait_until(pilot, lambda: store.count_calls() == 1)
    searches = store.get_call(call_id).searches
    assert [(s.text, s.answered) for s in searches] == [
        ("straßenlaterne kaputt", False),
        ("hund anmelden", True),
    ]
    assert searches[0].hit_count > 0 and searches[0].high_hit_count == 0


async def test_a_second_call_ringing_while_busy_is_shown_and_taken_after_the_wrapup(
    fake_app: AgentConsoleApp, store: SqliteStore
) -> None:
    async with fake_app.run_test(size=(120, 40)) as pilot:
        first = await connected_call(pilot, fake_app)
        fake = fake_of(fake_app)
        second = fake.offer_call("0234777", "Zweiter Anrufer")
        fake.ring_agent(second.call_id, "agent1")  # a PBX with ringinuse = yes
        bar = fake_app.query_one("#call-bar")
        await wait_until(pilot, lambda: "Weiterer Anruf am Telefon: Zweiter Anrufer"
                         in str(bar.render()))  # fmt: skip
        screen = fake_app.console_screen
        assert screen.session is not None and screen.session.call_id == first  # not popped
        fake.connect_agent(second.call_id, "agent1")
        fake.end_call(first)
        await wait_until(pilot, lambda: isinstance(fake_app.screen, WrapUpScreen))
        await pilot.press("enter", "f10")  # "Erledigt"
        await wait_until(pilot, lambda: screen.session is not None
                         and screen.session.call_id == second.call_id)  # fmt: skip
        assert store.get_call(first).outcome == Outcome.RESOLVED
        assert "Weiterer Anruf" not in str(bar.render())


async def test_fields_keep_a_steady_cursor(fake_app: AgentConsoleApp) -> None:
    """No field blinks: what the console shows never depends on when it is drawn."""
    seen: list[Input] = []
    async with fake_app.run_test(size=(120, 40)) as pilot:
        await connected_call(pilot, fake_app)
        await pilot.press(*"geburt")
        search = fake_app.console_screen.query_one("#search", Input)
        assert search.has_focus
        seen.extend(fake_app.screen.query(Input))
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(fake_app.screen, TransferDialog))
        seen.extend(fake_app.screen.query(Input))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(fake_app.screen, TransferDialog))
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(fake_app.screen, WrapUpScreen)
                         and bool(fake_app.screen.query(Input)))  # fmt: skip
        seen.extend(fake_app.screen.query(Input))
    assert len(seen) >= 3
    assert [f.id for f in seen if f.cursor_blink] == []
