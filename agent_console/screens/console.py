"""The agent's main screen: call bar, search, article, history; a call from ring to wrap-up."""

from __future__ import annotations

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

from agent_console.messages import (
    AgentUpdated,
    CallEnded,
    CallOffered,
    CallUpdated,
    ConnectionUpdated,
    KbReloaded,
    SearchFinished,
    SearchOutcome,
    WrapUpSaved,
)
from agent_console.notices import write_notice
from agent_console.screens.call_actions import CallActions
from agent_console.screens.session import (
    CallSession,
    agent_label,
    apply_call,
    build_record,
    earlier_calls,
    queue_summary,
    session_for,
)
from agent_console.screens.wrapup import WrapUpResult, WrapUpScreen
from agent_console.services import ConsoleOptions, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.call_bar import CallBar, CallBarView
from agent_console.widgets.caller_history import CallerHistory
from agent_console.widgets.result_list import ResultList
from agent_console.widgets.search_box import SearchBox
from calllog.exceptions import CallLogError
from calllog.models import PENDING_STATUSES, CallRecord, Outcome
from calllog.outbox import Delivery
from kb.safe_text import terminal_safe
from search.protocol import Hit
from telephony.calls import Agent, AgentState, Call, CallState
from telephony.exceptions import TelephonyError
from telephony.protocol import AgentChanged, CallChanged, ConnectionChanged, ConnectionState, Update

_AGENT_CLASS = {
    AgentState.AVAILABLE: "idle",
    AgentState.RINGING: "ringing",
    AgentState.ON_CALL: "talking",
    AgentState.WRAP_UP: "wrapup",
    AgentState.PAUSED: "paused",
    AgentState.UNAVAILABLE: "paused",
}
_POPPING = {CallState.RINGING, CallState.CONNECTED}
PBX_DOWN = "Telefonanlage nicht erreichbar – Wissensdatenbank und Nachbearbeitung bleiben nutzbar"


def hint_text(outcome: SearchOutcome) -> str:
    """The line under the search box for a search outcome (markup; the suggestion escaped)."""
    if outcome.suggestion:
        suggestion = escape(terminal_safe(outcome.suggestion))
        return f"Meinten Sie: [b]{suggestion}[/b]? (Strg+T übernimmt)"
    if outcome.text and not outcome.hits and not outcome.error:
        return "Keine Treffer."
    return ""


class ConsoleScreen(CallActions, Screen[None]):
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
        self.wrapup_reason = options.wrapup_reason
        self.callback_hours = options.callback_hours
        self.result_limit = options.result_limit
        self.session: CallSession | None = None
        self.agent: Agent | None = None
        self.pbx_state = ConnectionState.CONNECTING
        self.pbx_detail = ""
        self.callbacks_due = 0
        self.queued = 0
        self.wrapups_open = 0
        self.search_seq = 0
        self.hits: list[Hit] = []
        self.suggestion: str | None = None
        self.results_for = ""
        self._hint_text = ""
        self._transfers: dict[str, str] = {}
        """Call id -> office name of blind transfers whose answer is still awaited."""
        """The query whose results are on screen (benchmarks and tests wait on it)."""
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
        """Subscribe to the PBX, tick the timers, load the call-backs."""
        self.query_one("#banner").display = False
        self.query_one("#history", CallerHistory).display = False
        self.query_one("#suggestion").display = False
        self.watch_pbx()
        self.set_interval(1.0, self.refresh_bar)
        self.set_interval(60.0, self.load_callbacks)
        self.load_callbacks()
        self.query_one("#search", SearchBox).focus()
        self.refresh_bar()

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
        """Show or clear the PBX banner."""
        was = self.pbx_state
        self.pbx_state, self.pbx_detail = message.state, message.detail
        if message.state == ConnectionState.CONNECTED:
            if was == ConnectionState.RECONNECTING:
                self.notify("Telefonanlage wieder verbunden.")
            self._sync_agent()
        elif message.state == ConnectionState.RECONNECTING:
            self.notify(PBX_DOWN, severity="warning")
        self.refresh_banner()
        self.refresh_bar()

    def _sync_agent(self) -> None:
        for agent in self.services.telephony.agents():
            if agent.interface in self.interfaces:
                self.agent = agent

    def on_agent_updated(self, message: AgentUpdated) -> None:
        """Track this agent's state."""
        if message.agent.interface in self.interfaces:
            self.agent = message.agent
            self.refresh_bar()

    def on_call_updated(self, message: CallUpdated) -> None:
        """Pop a call ringing here, follow it, and start wrap-up when the caller is gone."""
        call = message.call
        now = self.services.clock()
        self._report_transfer(call)
        session = self.session
        mine_now = call.agent_interface in self.interfaces
        if session is not None and session.call_id == call.call_id:
            if session.answered_at is None and not mine_now and call.state in {
                CallState.QUEUED, CallState.RINGING}:  # fmt: skip
                self._drop_session("Anruf klingelt jetzt woanders.")
            elif apply_call(session, call, now):
                self._call_gone(session)
        elif session is None and mine_now and call.state in _POPPING:
            self._pop(call)
        self.refresh_bar()
        if session is not self.session or (session is not None and session.call_id == call.call_id):
            self.refresh_bindings()

    def _report_transfer(self, call: Call) -> None:
        """Tell the agent whether the office answered a transfer (the PBX's dial status)."""
        name = self._transfers.get(call.call_id)
        if name is None or not call.transfer_status:
            return
        del self._transfers[call.call_id]
        if call.transfer_status == "ANSWER":
            self.notify(f"{name} hat den Anruf angenommen.")
        else:
            self.notify(
                f"{name} hat nicht angenommen ({call.transfer_status}).", severity="warning"
            )

    def _pop(self, call: Call) -> None:
        self.session = session = session_for(call, self.services.clock())
        self.refresh_bindings()
        self.query_one("#history", CallerHistory).show_loading()
        self.load_history(session.call_id, session.caller_number)
        self.action_clear_search()
        self.query_one("#search", SearchBox).focus()
        self.post_message(CallOffered(call.call_id, call.caller_number))

    def _drop_session(self, why: str) -> None:
        self.session = None
        self.query_one("#history", CallerHistory).display = False
        self.notify(why)

    def _call_gone(self, session: CallSession) -> None:
        self.session = None
        self.post_message(CallEnded(session.call_id))
        if session.answered_at is None:
            self.query_one("#history", CallerHistory).display = False
            self.notify("Anrufer hat vor der Annahme aufgelegt.", severity="warning")
            self.save_abandoned(session)
            return
        self.set_pause(True)
        self.wrapups_open += 1
        screen = WrapUpScreen(session, self.services, self.agent_id, self._titles(),
                              self.callback_hours)  # fmt: skip
        self.app.push_screen(screen, self._wrapup_done)

    def _wrapup_done(self, result: WrapUpResult | None) -> None:
        self.wrapups_open -= 1
        self.query_one("#history", CallerHistory).display = False
        if result is None:
            return
        self.queued = result.queued
        notice = write_notice("Anruf", result.delivery)
        if result.delivery is Delivery.QUEUED:
            self.notify(
                f"Datenbank nicht erreichbar: {result.queued} Einträge warten im "
                "Zwischenspeicher und werden nachgetragen.",
                severity="warning",
            )
        elif notice is not None:
            self.notify(notice[0], severity=notice[1])
        else:
            self.notify("Anruf gespeichert." + (" Rückruf angelegt." if result.ticket else ""))
        if self.wrapups_open == 0:
            self.set_pause(False)
        self.refresh_banner()
        self.post_message(WrapUpSaved(result.record, result.delivery is not Delivery.STORED))
        if result.ticket is not None:
            self.load_callbacks()

    @work(group="calllog-write", thread=True)
    def save_abandoned(self, session: CallSession) -> None:
        """Blocking: log a call that rang here and was abandoned before it was answered."""
        record = build_record(
            session,
            outcome=Outcome.ABANDONED,
            agent_id=self.agent_id,
            notes="",
            target=None,
            topics=[],
            now=self.services.clock(),
        )
        delivery = self.services.calllog.upsert_call(record)  # queued or kept, never lost
        notice = write_notice("Aufgelegter Anruf", delivery)
        if notice is not None and delivery is not Delivery.QUEUED:
            self.app.call_from_thread(self.notify, notice[0], severity=notice[1])
        self.app.call_from_thread(self.set_queued, self.services.queued_records())
        self.app.call_from_thread(
            self.post_message, WrapUpSaved(record, delivery is not Delivery.STORED)
        )

    @work(exclusive=True, group="history", thread=True)
    def load_history(self, call_id: str, number: str) -> None:
        """Blocking: the caller's earlier calls in the last 30 days."""
        now = self.services.clock()
        try:
            records = self.services.calllog.store.list_calls(
                since=now - timedelta(days=30), caller_number=number, limit=5000
            )
        except CallLogError as exc:
            self.app.call_from_thread(self.notify, f"Frühere Anrufe nicht lesbar: {exc}",
                                      severity="warning")  # fmt: skip
            return
        found = earlier_calls(records, number, call_id, now)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_history, call_id, found)

    def _show_history(self, call_id: str, records: list[CallRecord]) -> None:
        if self.session is not None and self.session.call_id == call_id:
            self.query_one("#history", CallerHistory).show(records, self._titles())

    @work(exclusive=True, group="pbx-pause")
    async def set_pause(self, paused: bool) -> None:
        """Pause for wrap-up (reason "Nachbearbeitung") or be available again."""
        try:
            if paused:
                await self.services.telephony.pause(self.agent_id, self.wrapup_reason)
            else:
                await self.services.telephony.unpause(self.agent_id)
        except TelephonyError as exc:
            what = "Pause" if paused else "Bereit"
            self.notify(f"{what} nicht gesetzt (Telefonanlage): {exc}", severity="warning")

    # -- search -------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        """Search on every keystroke; older results are dropped when they arrive late."""
        self.search_seq += 1
        if not event.value.strip():
            self._show_results(SearchOutcome(self.search_seq, "", [], None))
            return
        self.run_search(self.search_seq, event.value)

    @work(exclusive=True, group="search", thread=True)
    def run_search(self, seq: int, text: str) -> None:
        """Blocking: query the index (Whoosh) and ask for a spelling suggestion."""
        worker = get_current_worker()
        try:
            hits = self.services.searcher.search(text, self.result_limit)
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
        self.query_one("#results", ResultList).show(outcome.hits, self.services.clock)
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
        """Show an article; during a call it becomes one of the call's topics."""
        article = self.services.kb.articles.get(article_id)
        if article is None:
            self.notify(f"Artikel {article_id} ist nicht (mehr) vorhanden.", severity="warning")
            return
        now = self.services.clock()
        office = self.services.kb.office_for(article)
        self.query_one("#article", ArticleView).show(article, office, now)
        if self.session is not None and not self.session.over:
            query = self.query_one("#search", SearchBox).value
            high = sum(hit.high for hit in self.hits)
            self.session.add_topic(article.id, article.leika, query, len(self.hits), now, high)
        self.refresh_bindings()

    def on_kb_reloaded(self, message: KbReloaded) -> None:
        """Re-render the open article from the new knowledge base."""
        view = self.query_one("#article", ArticleView)
        if view.article_id is not None:
            article = self.services.kb.articles.get(view.article_id)
            if article is None:
                view.clear("Dieser Artikel wurde von der Redaktion entfernt.")
            else:
                view.show(article, self.services.kb.office_for(article), self.services.clock())

    # -- call bar and banner ---------------------------------------------------------------
    def refresh_bar(self) -> None:
        """Rebuild the call bar's view from the current state."""
        now = self.services.clock()
        agent = self.agent
        state = agent.state if agent else None
        label = agent_label(state, agent.pause_reason if agent else "")
        s = self.session
        waiting, longest = queue_summary(self.services.telephony.calls(), time.time())
        caller, waited, talk, timer, extra = "", None, None, "Gespräch", ""
        if s is not None:
            caller = f"{s.caller_name or 'Unbekannt'} · {s.caller_number or 'ohne Nummer'}"
            waited = s.queue_wait
            if s.answered_at is not None:
                talk = (now - s.answered_at).total_seconds()
            if s.consulting:
                extra = f"Rückfrage mit {s.consulting} – F5 übergeben, F6 zurück"
        if self.wrapups_open and s is None and state != AgentState.PAUSED:
            label, state = "Nachbearbeitung", AgentState.WRAP_UP
        pbx_ok = self.pbx_state == ConnectionState.CONNECTED
        pbx_text = {
            ConnectionState.CONNECTED: "Telefonanlage verbunden",
            ConnectionState.CONNECTING: "Telefonanlage: verbinde …",
            ConnectionState.RECONNECTING: "Telefonanlage nicht erreichbar",
            ConnectionState.DISCONNECTED: "Telefonanlage getrennt",
        }[self.pbx_state]
        self.query_one("#call-bar", CallBar).view = CallBarView(
            agent=label, agent_class=_AGENT_CLASS.get(state, "idle") if state else "idle",
            pbx_ok=pbx_ok, pbx_text=pbx_text, caller=caller, waited=waited, talk=talk,
            timer_label=timer, waiting=waiting, longest=longest,
            callbacks_due=self.callbacks_due, extra=extra,
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
        """Grey out call actions when there is no call to act on."""
        live = self.session is not None and self.session.answered_at is not None
        if action in {"transfer", "hangup"}:
            return True if live else None
        if action in {"complete_transfer", "cancel_transfer"}:
            return bool(live and self.session and self.session.consulting)
        if action == "feedback":
            return True if self.query_one("#article", ArticleView).article_id else None
        return True

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", SearchBox).focus()

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
