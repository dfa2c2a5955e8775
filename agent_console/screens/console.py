"""The agent's main screen: call bar, search, article, history; it coordinates, the desk decides.

What the agent is doing lives in one pure state machine (`agent_console.lifecycle`);
`CallFlow` feeds it the PBX's updates and the saved forms, `CallActions` the keys,
and `PbxRunner` carries out the PBX actions it asks for, in order.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from agent_console.desk import Desk, Phase
from agent_console.drafts import DraftStore, WrapUpDraft
from agent_console.labels import CONNECTION_LABELS, PBX_DOWN, desk_label
from agent_console.lifecycle import Lifecycle, allows
from agent_console.messages import (
    AgentUpdated,
    CallUpdated,
    ConnectionUpdated,
    KbReloaded,
    SearchFinished,
    SearchOutcome,
)
from agent_console.origin import CallPlace, place_text
from agent_console.screens.call_actions import CallActions
from agent_console.screens.call_flow import CallFlow
from agent_console.screens.call_records import CallRecords
from agent_console.screens.pbx_runner import PbxRunner
from agent_console.screens.place_actions import PlaceActions
from agent_console.screens.session import CallSession, queue_summary
from agent_console.screens.transfer import TransferChoice
from agent_console.screens.wrapup import due_text
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.call_bar import CallBar, CallBarView
from agent_console.widgets.caller_history import CallerHistory
from agent_console.widgets.result_list import ResultList
from agent_console.widgets.search_box import SearchBox
from agent_console.writer import OrderedWriter
from calllog.exceptions import CallLogError
from calllog.models import PENDING_STATUSES, CallbackTicket
from kb.safe_text import terminal_safe
from search.protocol import Hit
from telephony.calls import Agent, Call
from telephony.protocol import AgentChanged, CallChanged, ConnectionChanged, ConnectionState, Update

#: The call bar's colour class per phase.
_PHASE_CLASS = {
    Phase.READY: "idle",
    Phase.RINGING: "ringing",
    Phase.ON_CALL: "talking",
    Phase.CONSULTING: "talking",
    Phase.WRAP_UP: "wrapup",
    Phase.PAUSED: "paused",
    Phase.CALLBACK_DIALLING: "ringing",
    Phase.CALLBACK_ON_CALL: "talking",
}


def hint_text(outcome: SearchOutcome) -> str:
    """The line under the search box for a search outcome (markup; the suggestion escaped)."""
    if outcome.suggestion:
        suggestion = escape(terminal_safe(outcome.suggestion))
        return f"Meinten Sie: [b]{suggestion}[/b]? (Strg+T übernimmt)"
    if outcome.text and not outcome.hits and not outcome.error:
        return "Keine Treffer."
    return ""


class ConsoleScreen(PbxRunner, CallRecords, CallFlow, CallActions, PlaceActions, Screen[None]):
    """Coordinates the widgets of one agent's workstation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "focus_search", "Suche"),
        Binding("f3", "transfer", "Verbinden"),
        Binding("f4", "hangup", "Auflegen"),
        Binding("f5", "complete_transfer", "Übergeben"),
        Binding("f6", "cancel_transfer", "Zurückholen"),
        Binding("f7", "callbacks", "Rückrufe"),
        Binding("f8", "toggle_pause", "Pause"),
        Binding("f9", "feedback", "Melden"),
        Binding("f12", "survey", "Umfrage"),
        Binding("ctrl+g", "municipality", "Gemeinde"),
        Binding("ctrl+l", "short_answer", "Sprache"),
        Binding("ctrl+t", "accept_suggestion", "Vorschlag übernehmen", show=False),
        Binding("escape", "clear_search", "Suche leeren", show=False),
        Binding("pageup", "scroll_article(-1)", "Artikel hoch", show=False),
        Binding("pagedown", "scroll_article(1)", "Artikel runter", show=False),
    ]

    def __init__(self, services: Services, options: ConsoleOptions) -> None:
        super().__init__()
        self.services = services
        self.options = options
        self.agent_id = options.agent_id
        self.interfaces = set(options.interfaces)
        self.lifecycle = Lifecycle(options.wrapup_reason, options.callback_reason)
        self.desk = Desk()
        """What the agent is doing (the only place that says so)."""
        self.session: CallSession | None = None
        self.wrapping: CallSession | None = None
        self.callback_ticket: CallbackTicket | None = None
        self.agent: Agent | None = None
        self.writer = OrderedWriter()
        self.drafts = DraftStore(options.drafts_dir, self.agent_id) if options.drafts_dir else None
        self.pbx_state = ConnectionState.CONNECTING
        self.pbx_detail = ""
        self.callbacks_due = 0
        self.queued = 0
        self.search_seq = 0
        self.hits: list[Hit] = []
        self.suggestion: str | None = None
        self.browse_place: CallPlace | None = None
        """The municipality the agent chose without a call (Ctrl+G), else None: the home."""
        self.results_for = ""
        """The query whose results are on screen (benchmarks and tests wait on it)."""
        self._hint_text = ""
        self._calls: dict[str, Call] = {}
        self._pending_drafts: list[WrapUpDraft] = []
        self._restored: dict[str, WrapUpDraft] = {}
        self._pbx_pause: tuple[bool, str] | None = None
        self.answered = 0
        self._pbx_lock = asyncio.Lock()
        self._choices: dict[str, TransferChoice] = {}
        self._transfers: dict[str, str] = {}
        self._stream: AsyncIterator[Update] = services.telephony.updates()
        """Subscribed at once, so the first updates after `start()` are not missed."""

    # -- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Call bar, banner, search column, article, footer."""
        yield CallBar(id="call-bar")
        yield Static("", id="banner")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SearchBox(placeholder="Anliegen suchen … (F2)", id="search")
                yield Static("", id="suggestion")
                yield ResultList(id="results")
                yield CallerHistory("", id="history")
            yield ArticleView(id="article")
        yield Footer()

    def on_mount(self) -> None:
        """Subscribe to the PBX, tick the timers, load the call-backs, reopen lost wrap-ups."""
        self.query_one("#banner").display = False
        self.query_one("#history", CallerHistory).display = False
        self.query_one("#suggestion").display = False
        self.watch_pbx()
        self.set_interval(1.0, self.refresh_bar)
        self.set_interval(60.0, self.load_callbacks)
        self.load_callbacks()
        self.query_one("#search", SearchBox).focus()
        self.refresh_bar()
        self.restore_drafts()

    def on_unmount(self) -> None:
        """Queued writes finish in the background."""
        self.writer.close()

    # -- PBX updates ------------------------------------------------------------------
    @work(exclusive=True, group="pbx-updates")
    async def watch_pbx(self) -> None:
        """The one long-lived telephony worker: turns updates into messages."""
        async for update in self._stream:
            if isinstance(update, ConnectionChanged):
                self.post_message(ConnectionUpdated(update.state, update.detail))
            elif isinstance(update, CallChanged):
                self.post_message(CallUpdated(update.call))
            elif isinstance(update, AgentChanged):
                self.post_message(AgentUpdated(update.agent))

    def on_connection_updated(self, message: ConnectionUpdated) -> None:
        """Show or clear the PBX banner; after a reconnect the PBX gets the desk's pause."""
        was = self.pbx_state
        self.pbx_state, self.pbx_detail = message.state, message.detail
        if message.state == ConnectionState.CONNECTED:
            if was == ConnectionState.RECONNECTING:
                self.notify("Telefonanlage wieder verbunden.")
            for agent in self.services.telephony.agents():
                if agent.interface in self.interfaces:
                    self.on_agent_updated_mine(agent)
            self.reassert_pause()
        elif message.state == ConnectionState.RECONNECTING:
            self.notify(PBX_DOWN, severity="warning")
        self.refresh_banner()
        self.refresh_bar()

    def on_agent_updated(self, message: AgentUpdated) -> None:
        """Track this agent's queue member."""
        if message.agent.interface in self.interfaces:
            self.on_agent_updated_mine(message.agent)

    # -- search -------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        """Search on every keystroke; older results are dropped when they arrive late."""
        self.start_search(event.value)

    def start_search(self, text: str) -> None:
        """Search `text` for the current municipality (empty: clear the results)."""
        self.search_seq += 1
        if not text.strip():
            self._show_results(SearchOutcome(self.search_seq, "", [], None))
            return
        self.run_search(self.search_seq, text, self.current_place().municipality)

    @work(exclusive=True, group="search", thread=True)
    def run_search(self, seq: int, text: str, municipality: str | None = None) -> None:
        """Blocking: query the index (Whoosh) and ask for a spelling suggestion."""
        worker = get_current_worker()
        try:
            limit = self.options.result_limit
            hits = self.services.searcher.search(text, limit, municipality=municipality)
            suggestion = self.services.searcher.suggest(text) if not worker.is_cancelled else None
            outcome = SearchOutcome(seq, text, hits, suggestion)
        except Exception as exc:  # a broken index must never end the console
            outcome = SearchOutcome(seq, text, [], None, f"{type(exc).__name__}: {exc}")
        if not worker.is_cancelled:
            self.post_message(SearchFinished(outcome))

    def on_search_finished(self, message: SearchFinished) -> None:
        """Show the results unless newer input is on its way."""
        if message.outcome.seq == self.search_seq:
            self._show_results(message.outcome)

    def _show_results(self, outcome: SearchOutcome) -> None:
        if outcome.error:
            self.notify(f"Suche fehlgeschlagen: {outcome.error}", severity="error")
        self.hits = outcome.hits
        self.suggestion = outcome.suggestion
        self.results_for = outcome.text
        names = {m.id: m.name for m in self.services.kb.municipalities.values()}
        results = self.query_one("#results", ResultList)
        results.show(outcome.hits, self.services.clock, self.current_place().municipality, names)
        self._hint(hint_text(outcome))
        if self.session is not None and not self.session.over and not outcome.error:
            high = sum(hit.high for hit in outcome.hits)
            self.session.show_results(outcome.text, len(outcome.hits), high, self.services.clock())

    def _hint(self, text: str) -> None:
        """Show "Meinten Sie …?" or "Keine Treffer."; untouched when unchanged (no re-layout)."""
        hint = self.query_one("#suggestion", Static)
        if text != self._hint_text:
            self._hint_text = text
            hint.update(text)
            hint.display = bool(text)

    def on_search_box_moved(self, event: SearchBox.Moved) -> None:
        """Up/Down in the search box move the highlighted hit."""
        if event.search_box.id == "search":
            self.query_one("#results", ResultList).move(event.step)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        """Enter opens the highlighted hit."""
        article_id = self.query_one("#results", ResultList).highlighted_id
        if article_id is not None:
            self.open_article(article_id)

    def on_result_list_chosen(self, event: ResultList.Chosen) -> None:
        """Enter on the focused hit list opens the hit."""
        self.open_article(event.article_id)

    def open_article(self, article_id: str) -> None:
        """Show the call's municipality's version of an article; during a call it becomes one
        of the call's topics."""
        article = self.services.kb.article_for(article_id, self.current_place().municipality)
        if article is None or not self.show_article(article_id):
            self.notify(f"Artikel {article_id} ist nicht (mehr) vorhanden.", severity="warning")
            return
        now = self.services.clock()
        if self.session is not None and not self.session.over:
            query = self.query_one("#search", SearchBox).value
            high = sum(hit.high for hit in self.hits)
            self.session.add_topic(article.id, article.leika, query, len(self.hits), now, high)
        self.refresh_bindings()

    def on_kb_reloaded(self, message: KbReloaded) -> None:
        """Re-render the open article from the new knowledge base."""
        view = self.query_one("#article", ArticleView)
        if view.article_id is not None and not self.show_article(view.article_id):
            view.clear("Dieser Artikel wurde von der Redaktion entfernt.")

    # -- call bar and banner ---------------------------------------------------------------
    def refresh_bar(self) -> None:
        """Rebuild the call bar's view from the desk, the call and the queue."""
        now = self.services.clock()
        desk = self.desk
        waiting, longest = queue_summary(self.services.telephony.calls(), time.time())
        caller, waited, talk, timer, extra = "", None, None, "Gespräch", []
        s = self.session or (self.wrapping if desk.phase == Phase.WRAP_UP else None)
        place = place_text(self.current_place(), self.services.kb.municipalities)
        if s is not None:
            caller = f"{s.caller_name or 'Unbekannt'} · {s.caller_number or 'ohne Nummer'}"
            waited = s.queue_wait if s.ticket is None else None
            if desk.phase == Phase.WRAP_UP and s.ended_at is not None:
                timer, talk = "Nachbearbeitung", (now - s.ended_at).total_seconds()
            elif s.answered_at is not None:
                talk = (now - s.answered_at).total_seconds()
            if s.consulting:
                extra.append(f"Rückfrage mit {s.consulting} – F5 übergeben, F6 zurück")
            if desk.survey and desk.phase == Phase.ON_CALL:
                extra.append("mit Umfrage – F4 gibt zur Umfrage weiter (F12: ohne)")
            if s.ticket is not None and desk.phase != Phase.WRAP_UP:
                t = s.ticket
                extra.append(f"Rückruf: {t.clarify} · fällig {due_text(t.due_at)} · "
                             f"Versuch {t.attempts + 1}")  # fmt: skip
        for call_id in desk.others:
            other = self._calls.get(call_id)
            if other is not None:
                who = other.caller_name or other.caller_number or "Unbekannt"
                extra.append(f"Weiterer Anruf am Telefon: {who}")
        pbx_ok = self.pbx_state == ConnectionState.CONNECTED
        self.query_one("#call-bar", CallBar).view = CallBarView(
            agent=desk_label(desk), agent_class=_PHASE_CLASS[desk.phase],
            pbx_ok=pbx_ok, pbx_text=CONNECTION_LABELS[self.pbx_state], caller=caller,
            waited=waited, talk=talk, timer_label=timer, waiting=waiting, longest=longest,
            callbacks_due=self.callbacks_due, extra=" · ".join(extra), place=place,
        )  # fmt: skip

    def refresh_banner(self) -> None:
        """The banner shows faults: PBX down, records waiting in the outbox."""
        lines = []
        if self.pbx_state in {ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED}:
            lines.append(f"⚠ {PBX_DOWN}. Verbindung wird automatisch wiederhergestellt …")
        if self.queued:
            lines.append(f"⚠ Anrufprotokoll nicht erreichbar: {self.queued} Einträge im "
                         "Zwischenspeicher, sie werden nachgetragen.")  # fmt: skip
        banner = self.query_one("#banner", Static)
        banner.update("\n".join(lines))
        banner.display = bool(lines)

    def set_queued(self, count: int) -> None:
        """The app reports how many call-log writes wait in the outbox."""
        if count != self.queued:
            if self.queued and not count:
                self.notify("Zwischengespeicherte Einträge wurden nachgetragen.")
            self.queued = count
            self.refresh_banner()

    @work(exclusive=True, group="callbacks-due", thread=True)
    def load_callbacks(self) -> None:
        """Blocking: count this agent's due call-backs for the call bar."""
        now = self.services.clock()
        try:
            tickets = self.services.calllog.store.list_callbacks(
                statuses=PENDING_STATUSES, created_by=self.agent_id
            )
        except CallLogError:
            return
        due = [t for t in tickets if t.due_at <= now + timedelta(hours=2)]
        self.app.call_from_thread(self._set_due, len(due))

    def _set_due(self, count: int) -> None:
        self.callbacks_due = count
        self.refresh_bar()

    def _titles(self) -> dict[str, str]:
        return {aid: a.title for aid, a in self.services.kb.articles.items()}

    # -- actions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out what the desk does not allow now."""
        if action == "feedback":
            return True if self.query_one("#article", ArticleView).article_id else None
        if action in {"complete_transfer", "cancel_transfer"}:  # shown during a consultation
            return allows(self.desk, action)
        if action in {"transfer", "hangup"}:
            return True if allows(self.desk, action) else None
        if action == "survey":
            return True if self.options.survey and allows(self.desk, action) else None
        if action == "municipality":  # only where the KB knows municipalities
            return bool(self.services.kb.municipalities)
        if action == "short_answer":  # only while an article in more than German is open
            return self.query_one("#article", ArticleView).has_versions
        return True

    def action_focus_search(self) -> None:
        """Put the cursor in the search box; what is typed next replaces the old text."""
        box = self.query_one("#search", SearchBox)
        box.focus()
        box.select_all()

    def action_clear_search(self) -> None:
        """Empty the search box."""
        self.query_one("#search", SearchBox).value = ""

    def action_accept_suggestion(self) -> None:
        """Search for the "Meinten Sie …?" suggestion."""
        if self.suggestion:
            box = self.query_one("#search", SearchBox)
            box.value = self.suggestion
            box.cursor_position = len(box.value)

    def action_scroll_article(self, pages: int) -> None:
        """Page the article while typing in the search box."""
        view = self.query_one("#article", ArticleView)
        (view.scroll_page_down if pages > 0 else view.scroll_page_up)(animate=False)
