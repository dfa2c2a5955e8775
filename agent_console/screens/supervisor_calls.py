"""The call-log browser for supervisors: filter calls, open one with its timeline and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from agent_console.labels import OUTCOME_SHORT
from agent_console.screens.supervisor import SupervisorOptions
from agent_console.widgets.field import Field
from agent_console.widgets.plain import PlainTable, plain
from calllog.browse import find_calls
from calllog.exceptions import CallLogError
from calllog.models import CallRecord, OutcomeChange
from calllog.privacy import mask_number
from calllog.reports import FIRST_DAY, LAST_DAY, check_day
from calllog.store import SqlStore

#: German names of the outcomes, by value (from agent_console.labels).
OUTCOMES = {outcome.value: label for outcome, label in OUTCOME_SHORT.items()}


def municipality_text(call: CallRecord) -> str:
    """Whose call it was: the agent's choice (marked), else the PBX's; "–" when unknown."""
    if call.municipality is not None and call.municipality != call.pbx_municipality:
        pbx = call.pbx_municipality or "–"
        return f"{call.municipality} (von Agent gewählt; Telefonanlage: {pbx})"
    return call.municipality or call.pbx_municipality or "–"


@dataclass(frozen=True, slots=True)
class CallFilter:
    """What the browser searches for; empty fields filter nothing."""

    start: date | None = None
    end: date | None = None
    agent: str = ""
    outcome: str = ""
    topic: str = ""
    number: str = ""


def timeline(call: CallRecord, zone: ZoneInfo, history: list[OutcomeChange]) -> list[str]:
    """The steps of a call as German lines, in time order (pure)."""

    def at(moment: datetime) -> str:
        return f"{moment.astimezone(zone):%d.%m.%Y %H:%M:%S}"

    lines = [f"{at(call.offered_at)}  angeboten in {call.queue}"]
    if call.answered_at:
        wait = (call.wait_ms or 0) / 1000
        lines.append(f"{at(call.answered_at)}  angenommen von {call.agent_id or '–'}"
                     f" (Wartezeit {wait:.0f} s)")  # fmt: skip
    if call.ended_at:
        outcome = OUTCOMES.get(call.outcome.value, "") if call.outcome else "läuft"
        target = f" → {call.outcome_target}" if call.outcome_target else ""
        mode = f" ({call.transfer_mode.value})" if call.transfer_mode else ""
        lines.append(f"{at(call.ended_at)}  beendet: {outcome}{target}{mode}")
    if call.wrapup_end_at:
        lines.append(f"{at(call.wrapup_end_at)}  Nachbearbeitung abgeschlossen")
    for change in history:
        old = OUTCOMES.get(change.old_outcome or "", "–")
        new = OUTCOMES.get(change.new_outcome or "", "–")
        lines.append(f"{at(change.changed_at)}  Ergebnis geändert von {change.changed_by}: "
                     f"{old} → {new}")  # fmt: skip
    return lines


def _day(text: str) -> date | None:
    """A filter date (None when empty); ValueError when not YYYY-MM-DD or out of range."""
    return check_day(date.fromisoformat(text)) if text else None


class CallDetailDialog(ModalScreen[None]):
    """One call: timeline, topics, searches and notes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Schließen")]

    def __init__(self, call: CallRecord, history: list[OutcomeChange], options: SupervisorOptions):
        super().__init__()
        self.call = call
        self.history = history
        self.options = options

    def compose(self) -> ComposeResult:
        """The call's details as text."""
        call, zone = self.call, ZoneInfo(self.options.timezone)
        number = (
            call.caller_number if self.options.show_numbers else mask_number(call.caller_number)
        )
        language = call.language or call.pbx_language
        lines = [f"Nummer: {number or '–'}    Sprache: {language or '–'}    "
                 f"Gemeinde: {municipality_text(call)}", ""]  # fmt: skip
        lines += timeline(call, zone, self.history)
        lines += ["", "Themen: " + (", ".join(t.article_id for t in call.topics) or "–")]
        lines += [f"Suche: „{s.text}“ ({s.hit_count} Treffer)" for s in call.searches]
        if call.purged_at:
            lines.append(f"Personenbezogene Daten gelöscht am {call.purged_at:%d.%m.%Y}")
        lines += ["", "Notizen:", call.notes or "–"]
        with Vertical(classes="dialog", id="call-detail"):
            yield Label(plain(f"Anruf {call.call_id}"), classes="dialog-title")
            with VerticalScroll():
                yield Static(plain("\n".join(lines), multiline=True), id="call-detail-text")
            yield Label("Esc: schließen", classes="dialog-keys")


class CallBrowserScreen(Screen[None]):
    """Calls by period, agent, outcome, topic and caller number; Enter opens one."""

    CSS_PATH = "../styles/supervisor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Zurück")]

    def __init__(self, store: SqlStore, options: SupervisorOptions) -> None:
        super().__init__()
        self.store = store
        self.options = options
        self.calls: list[CallRecord] = []

    def compose(self) -> ComposeResult:
        """Filter bar above the list of calls."""
        today = self.options.clock().astimezone(ZoneInfo(self.options.timezone)).date()
        yield Header()
        with Horizontal(id="browser-filters"):
            yield Field(str(today - timedelta(days=6)), placeholder="von", id="filter-from")
            yield Field(str(today), placeholder="bis", id="filter-to")
            yield Field(placeholder="Agent", id="filter-agent")
            yield Select([(name, key) for key, name in OUTCOMES.items()], prompt="Ergebnis",
                         id="filter-outcome")  # fmt: skip
            yield Field(placeholder="Thema (Artikel)", id="filter-topic")
            yield Field(placeholder="Nummer", id="filter-number")
        yield PlainTable(id="browser-calls", zebra_stripes=True, cursor_type="row")
        yield Label("", id="browser-status")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then the first search."""
        self.title = "Lotse – Anrufprotokoll"
        self.query_one(DataTable).add_columns(
            "Angeboten", "Anruf", "Agent", "Nummer", "Ergebnis", "Warten s", "Themen"
        )
        self.search()

    def current_filter(self) -> CallFilter | None:
        """The filter fields, or None (with a note) when a date is not YYYY-MM-DD."""
        values = {i.id: i.value.strip() for i in self.query(Input) if i.id}
        try:
            start = _day(values["filter-from"])
            end = _day(values["filter-to"])
        except ValueError:
            self.query_one("#browser-status", Label).update(
                f"Datum bitte als JJJJ-MM-TT zwischen {FIRST_DAY} und {LAST_DAY}"
            )
            return None
        outcome = self.query_one(Select).value
        return CallFilter(start, end, values["filter-agent"],
                          outcome if isinstance(outcome, str) else "",
                          values["filter-topic"], values["filter-number"])  # fmt: skip

    @on(Input.Submitted)
    @on(Select.Changed)
    def search(self) -> None:
        """Search with the current filter."""
        chosen = self.current_filter()
        if chosen is not None:
            self.load(chosen)

    @work(exclusive=True, group="browser", thread=True)
    def load(self, chosen: CallFilter) -> None:
        """Blocking: query the call log."""
        zone = ZoneInfo(self.options.timezone)

        def bound(day: date | None) -> datetime | None:
            return None if day is None else datetime.combine(day, time(0), zone)

        try:
            calls = find_calls(
                self.store, since=bound(chosen.start),
                until=bound(chosen.end + timedelta(days=1) if chosen.end else None),
                agent_id=chosen.agent, outcome=chosen.outcome, topic=chosen.topic,
                number=chosen.number,
            )  # fmt: skip
        except CallLogError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show_calls, calls)

    def show_calls(self, calls: list[CallRecord]) -> None:
        """Fill the list."""
        self.calls = calls
        zone = ZoneInfo(self.options.timezone)
        table = self.query_one(DataTable)
        table.clear()
        for c in calls:
            number = c.caller_number if self.options.show_numbers else mask_number(c.caller_number)
            table.add_row(
                f"{c.offered_at.astimezone(zone):%d.%m. %H:%M}", c.call_id, c.agent_id or "–",
                number or "–", OUTCOMES.get(c.outcome.value, "") if c.outcome else "läuft",
                f"{c.wait_ms / 1000:.0f}" if c.wait_ms is not None else "–",
                ", ".join(t.article_id for t in c.topics), key=c.call_id,
            )  # fmt: skip
        more = " (die neuesten)" if len(calls) >= 200 else ""
        self.query_one("#browser-status", Label).update(f"{len(calls)} Anrufe{more}")

    @on(DataTable.RowSelected, "#browser-calls")
    def open_call(self, event: DataTable.RowSelected) -> None:
        """Open the selected call with its outcome history."""
        if event.row_key.value is not None:
            self.open_detail(event.row_key.value)

    @work(group="detail", thread=True)
    def open_detail(self, call_id: str) -> None:
        """Blocking: load one call's history, then show it."""
        call = next(c for c in self.calls if c.call_id == call_id)
        try:
            history = self.store.outcome_history(call_id)
        except CallLogError:
            history = []
        self.app.call_from_thread(
            self.app.push_screen, CallDetailDialog(call, history, self.options)
        )
