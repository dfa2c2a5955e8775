"""Outside text never drives the agent's terminal: what each screen would write is checked.

KB files, caller names from the PBX and the call log carry escape sequences (clear screen,
OSC 52 clipboard write, window title), a bidi override, NUL, an 8-bit CSI and Textual markup
(tests/hostile.py). Each test renders the screen exactly as the driver would write it and
asserts that none of it reaches the terminal and that the markup is shown literally.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App

from agent_console.app import AgentConsoleApp
from agent_console.safe_app import SafeApp
from agent_console.screens.callbacks import CallbacksScreen
from agent_console.screens.supervisor import SupervisorApp, SupervisorOptions, SupervisorScreen
from agent_console.screens.supervisor_calls import CallBrowserScreen, CallDetailDialog
from agent_console.screens.transfer import TransferDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.caller_history import CallerHistory
from calllog.callbacks import new_ticket
from calllog.models import CallRecord, Outcome, SearchQuery, Topic
from calllog.store import SqliteStore
from kb.loader import KnowledgeBase
from telephony.fake import FakeTelephony
from tests.hostile import HOSTILE, HOSTILE_SHOWN, MARKUP, assert_never_written

from .conftest import (
    AGENT,
    FROZEN,
    HighlightingFakeSearcher,
    buffered,
    calendar,
    frozen,
    wait_until,
)

SIZE = (160, 50)


def terminal_output(app: App[None]) -> str:
    """What the driver writes for a full repaint of the current screen (with the ones below)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    width, height = app.size
    console = Console(file=io.StringIO(), width=width, height=height, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)  # fmt: skip
    return update.render_segments(console)


def screen_text(app: App[None]) -> str:
    """The characters on screen, line by line (no styles)."""
    lines = app.screen._compositor.render_full_update(simplify=True).strips
    return "\n".join("".join(strip.text for strip in line) for line in lines)


def assert_shown_safely(app: App[None], *expected: str) -> None:
    """Nothing hostile is written; `expected` texts (and the markup, literally) are visible."""
    assert_never_written(terminal_output(app))
    text = screen_text(app)
    for part in expected:
        assert part in text, f"{part!r} not on screen:\n{text}"


def hostile_kb(kb: KnowledgeBase) -> KnowledgeBase:
    """`kb` with a hostile article title and agent note and a hostile office name.

    The KB loader refuses such text in a file (kb/yaml_strict.py); the models are changed in
    memory to show that the console is safe whatever reaches it.
    """
    article = kb.articles["geburtsurkunde"]
    article = article.model_copy(
        update={"title": f"{HOSTILE} Geburt", "agent_notes": [HOSTILE, *article.agent_notes]}
    )
    office = kb.offices["standesamt"].model_copy(update={"name": f"{HOSTILE} Standesamt"})
    return replace(kb, articles={**kb.articles, article.id: article},
                   offices={**kb.offices, office.id: office})  # fmt: skip


@pytest.fixture
def hostile_services(fixture_kb: KnowledgeBase, store: SqliteStore, tmp_path: Path) -> Services:
    """The fixture KB with hostile text, a fake PBX and the call log behind its outbox."""
    kb = hostile_kb(fixture_kb)
    titles = [(a.id, a.title) for a in kb.articles.values()]
    return Services(knowledge=KnowledgeSource(kb), searcher=HighlightingFakeSearcher(titles),
                    telephony=FakeTelephony(), calllog=buffered(store, tmp_path),
                    calendar=calendar(), clock=frozen)  # fmt: skip


def fake_of(app: AgentConsoleApp) -> FakeTelephony:
    telephony = app.services.telephony
    assert isinstance(telephony, FakeTelephony)
    return telephony


async def test_caller_from_the_pbx(hostile_services: Services) -> None:
    """A SIP display name and number chosen by the caller: call bar and wrap-up form."""
    app = AgentConsoleApp(hostile_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=SIZE) as pilot:
        fake = fake_of(app)
        await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
        call = fake.offer_call(f"0234{HOSTILE}", HOSTILE)
        fake.connect_agent(call.call_id, "agent1")
        await wait_until(pilot, lambda: app.console_screen.session is not None)
        await pilot.pause()
        assert_shown_safely(app, HOSTILE_SHOWN[:60], MARKUP)
        assert app.is_running  # the [@click=app.quit] "link" is text, not an action
        fake.end_call(call.call_id)
        await wait_until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.pause()
        assert_shown_safely(app, f"Nachbearbeitung – {HOSTILE_SHOWN[:40]}")
        number = app.screen.query_one("#callback-number")
        assert number.value == f"0234{HOSTILE_SHOWN}"  # type: ignore[attr-defined]


async def test_kb_text_in_results_article_transfer_and_notices(
    hostile_services: Services,
) -> None:
    """KB text: the hit list, the article, the transfer directory and the notice after it."""
    app = AgentConsoleApp(hostile_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=SIZE) as pilot:
        fake = fake_of(app)
        await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
        call = fake.offer_call("0234999", "Erika Mustermann")
        fake.connect_agent(call.call_id, "agent1")
        await wait_until(pilot, lambda: app.console_screen.session is not None)
        await pilot.press(*"geburt")
        screen = app.console_screen
        await wait_until(pilot, lambda: [h.id for h in screen.hits] == ["geburtsurkunde"])
        await pilot.pause()
        assert_shown_safely(app, HOSTILE_SHOWN[:40])
        await pilot.press("enter")
        view = app.query_one(ArticleView)
        await wait_until(pilot, lambda: view.article_id == "geburtsurkunde")
        await pilot.pause()
        assert_shown_safely(app, f"{HOSTILE_SHOWN} Geburt", f"{HOSTILE_SHOWN} Standesamt")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, TransferDialog))
        await pilot.press(*"standesamt")
        await pilot.pause()
        assert_shown_safely(app, "A␛[2J␛]52")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.pause()
        assert_shown_safely(app, "A␛[2J␛]52;c;SGFjaw==")
        target = app.screen.query_one("#wrapup-target")
        assert target.value == f"{HOSTILE_SHOWN} Standesamt"  # type: ignore[attr-defined]


async def test_notices_quote_outside_text_literally(fake_app: AgentConsoleApp) -> None:
    """A notice quoting an office name or a PBX error: no markup, no controls."""
    async with fake_app.run_test(size=SIZE, notifications=True) as pilot:
        fake_app.notify(f"Weitergeleitet an {HOSTILE}", title=HOSTILE)
        await wait_until(pilot, lambda: "Weitergeleitet" in screen_text(fake_app))
        assert_shown_safely(fake_app, "Weitergeleitet an", "A␛[2J␛]52;c;SGFjaw==␇␛]0;pwned␇")
        assert "[@click=app.quit]x" in screen_text(fake_app)
        assert fake_app.is_running


async def test_call_log_text_in_history_and_callbacks(
    hostile_services: Services, store: SqliteStore
) -> None:
    """Earlier calls (topics) and call-back tickets written by others (names, questions)."""
    earlier = FROZEN - timedelta(days=2)
    topics = (Topic(f"x{HOSTILE}"), Topic("geburtsurkunde"))
    store.upsert_call(CallRecord("old-1", "service115", earlier, caller_number="0234999",
                                 answered_at=earlier, ended_at=earlier, outcome=Outcome.RESOLVED,
                                 topics=topics))  # fmt: skip
    store.upsert_callback(new_ticket(created_at=FROZEN - timedelta(days=3), created_by="agent1",
                                     clarify=HOSTILE, calendar=calendar(), caller_name=HOSTILE,
                                     number="+4923459876543", topic=HOSTILE))  # fmt: skip
    app = AgentConsoleApp(hostile_services, ConsoleOptions(interfaces=(AGENT,)))
    async with app.run_test(size=SIZE) as pilot:
        fake = fake_of(app)
        await wait_until(pilot, lambda: app.console_screen.pbx_state == "connected")
        call = fake.offer_call("0234999", "Erika Mustermann")
        fake.connect_agent(call.call_id, "agent1")
        history = app.query_one(CallerHistory)
        await wait_until(pilot, lambda: history.has_class("-repeat"))
        await pilot.pause()
        assert_shown_safely(app, f"x{HOSTILE_SHOWN[:30]}")
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, CallbacksScreen))
        await wait_until(pilot, lambda: app.screen.query_one("DataTable").row_count == 1)  # type: ignore[attr-defined]
        await pilot.pause()
        assert_shown_safely(app, "A␛[2J")


def hostile_calls(store: SqliteStore) -> SqliteStore:
    """Calls whose agent id, topics, searches, target and notes carry hostile text."""
    for n in range(3):
        at = FROZEN - timedelta(minutes=30 + n)
        store.upsert_call(
            CallRecord(f"c{n}{HOSTILE}", "service115", at, agent_id=HOSTILE,
                       caller_number=f"0234{HOSTILE}", answered_at=at, ended_at=at,
                       wrapup_end_at=at, outcome=Outcome.TRANSFERRED, outcome_target=HOSTILE,
                       topics=(Topic(HOSTILE),), notes=f"Notiz\n{HOSTILE}",
                       searches=(SearchQuery(HOSTILE, 0, at),))
        )  # fmt: skip
    return store


async def test_supervisor_screens_with_hostile_call_log(store: SqliteStore) -> None:
    """Figures per agent and topic, the call-log browser and one call's details."""
    options = SupervisorOptions(agent_id="agent1", role="supervisor", refresh_seconds=60,
                                show_numbers=True, clock=frozen)  # fmt: skip
    app = SupervisorApp(hostile_calls(store), options)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, SupervisorScreen)
        await wait_until(pilot, lambda: screen.report is not None)
        await pilot.pause()
        assert_shown_safely(app, "A␛[2J␛]52;c;")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, CallBrowserScreen))
        browser = app.screen
        assert isinstance(browser, CallBrowserScreen)
        await wait_until(pilot, lambda: len(browser.calls) == 3)
        await pilot.pause()
        assert_shown_safely(app, f"c0{HOSTILE_SHOWN}")
        browser.query_one("#browser-calls").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CallDetailDialog))
        await pilot.pause()
        assert_shown_safely(app, "Notiz", f"Suche: „{HOSTILE_SHOWN[:30]}")


class Crashing(SafeApp):
    """Fails while a local variable holds a secret (and with a hostile message)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def on_mount(self) -> None:
        secret = self.url
        raise RuntimeError(f"kaputt {len(secret)}\x1b]52;c;SGFjaw==\x07")


async def test_crash_report_shows_no_locals() -> None:
    app = Crashing("postgresql://lotse:Geheim-42@db/lotse")
    printed = io.StringIO()
    app.error_console.file = printed
    with pytest.raises(RuntimeError):
        async with app.run_test():
            pass
    text = printed.getvalue()
    assert "RuntimeError: kaputt 37" in text and "secret = self.url" in text  # the code is shown
    assert "Geheim-42" not in text  # the values of locals are not
    assert "\x1b" not in text and "␛]52;c;SGFjaw==" in text
