"""The wrap-up form: outcome (preselected), topics, notes, call-back; cannot be left without one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, RadioButton, RadioSet, SelectionList, Static

from agent_console.notices import worst
from agent_console.screens.session import (
    OUTCOME_LABELS,
    CallSession,
    build_record,
    clock_text,
    preselect_outcome,
)
from agent_console.services import Services
from agent_console.widgets.plain import plain
from calllog.callbacks import due_time, new_ticket
from calllog.exceptions import CallLogError
from calllog.models import CallbackTicket, CallRecord, Outcome
from calllog.outbox import Delivery
from kb.safe_text import terminal_safe

_BERLIN = ZoneInfo("Europe/Berlin")
_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
#: Outcomes the agent can choose after a call that was answered.
CHOOSABLE = [o for o in OUTCOME_LABELS if o != Outcome.ABANDONED]


@dataclass(frozen=True)
class WrapUpResult:
    """What the wrap-up wrote."""

    record: CallRecord
    ticket: CallbackTicket | None
    queued: int
    """Call-log writes waiting in the outbox after saving (0: all delivered)."""
    delivery: Delivery = Delivery.STORED
    """Where the call (and its ticket) went: stored, queued, held or rejected."""


def due_text(due: datetime) -> str:
    """'Mo 24.11. 14:05' in Berlin time."""
    local = due.astimezone(_BERLIN)
    return f"{_WEEKDAYS[local.weekday()]} {local:%d.%m. %H:%M}"


class WrapUpScreen(ModalScreen[WrapUpResult]):
    """After-call work for one session; dismissed only once the record is saved or queued."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "Speichern"),
        Binding("escape", "refuse", "Zurück", show=False),
    ]

    def __init__(
        self,
        session: CallSession,
        services: Services,
        agent_id: str,
        titles: dict[str, str],
        callback_hours: float,
    ) -> None:
        super().__init__()
        self.session = session
        self.services = services
        self.agent_id = agent_id
        self.titles = titles
        self.callback_hours = callback_hours
        self.started = services.clock()
        self.saving = False
        self.outcome: Outcome | None = preselect_outcome(session)
        """The outcome chosen so far (preselected from what happened)."""

    def compose(self) -> ComposeResult:
        """The form."""
        s = self.session
        preselected = self.outcome
        caller = s.caller_name or s.caller_number or "unbekannt"
        with Vertical(classes="dialog", id="wrapup-dialog"), VerticalScroll(id="wrapup-form"):
            yield Label(plain(f"Nachbearbeitung – {caller} ({s.caller_number or 'ohne Nummer'})"),
                        classes="dialog-title")  # fmt: skip
            yield Static("", id="wrapup-timer")
            yield Label("Ergebnis (Pflicht):")
            with RadioSet(id="wrapup-outcome"):
                for outcome in CHOOSABLE:
                    yield RadioButton(OUTCOME_LABELS[outcome], value=outcome == preselected,
                                      id=f"outcome-{outcome.value}")  # fmt: skip
            yield Label("Themen (Leertaste wählt ab):")
            topics = [(plain(self.titles.get(t, t)), t, True) for t in s.topics]
            yield SelectionList[str](*topics, id="wrapup-topics")
            target = s.transfer_office or s.transfer_target
            yield Input(terminal_safe(target), placeholder="Weitergeleitet an / verwiesen an",
                        id="wrapup-target")  # fmt: skip
            yield Input(placeholder="Notizen", id="wrapup-notes")
            with Vertical(id="callback-fields"):
                yield Label("Rückruf:")
                yield Input(terminal_safe(s.caller_number), placeholder="Rückrufnummer",
                            id="callback-number")  # fmt: skip
                yield Input(placeholder="Was ist zu klären? (Pflicht)", id="callback-clarify")
                yield Static("", id="callback-due")
            yield Static("", id="wrapup-error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        """Show the call-back fields when needed; tick the after-call-work timer."""
        self._sync_fields()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.query_one("#wrapup-outcome", RadioSet).focus()

    def _tick(self) -> None:
        elapsed = (self.services.clock() - self.started).total_seconds()
        timer = self.query_one("#wrapup-timer", Static)
        timer.update(f"Nachbearbeitungszeit: {clock_text(elapsed)}")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Outcome changed: show or hide the call-back fields."""
        button_id = event.pressed.id or ""
        self.outcome = Outcome(button_id.removeprefix("outcome-")) if button_id else None
        self._sync_fields()

    def _sync_fields(self) -> None:
        callback = self.outcome == Outcome.CALLBACK
        self.query_one("#callback-fields").display = callback
        if callback:
            due = due_time(self.services.clock(), self.services.calendar, self.callback_hours)
            self.query_one("#callback-due", Static).update(
                f"Fällig: {due_text(due)} ({self.callback_hours:g} Servicestunden)"
            )

    def action_refuse(self) -> None:
        """Esc does not leave: an outcome must be saved."""
        self._error("Bitte ein Ergebnis wählen und mit F10 speichern.")

    def _error(self, message: str) -> None:
        self.query_one("#wrapup-error", Static).update(plain(message, multiline=True))

    def action_save(self) -> None:
        """Validate and write the record (and a call-back ticket) in a worker."""
        if self.saving:
            return
        outcome = self.outcome
        if outcome is None:
            self._error("Bitte ein Ergebnis wählen – ohne Ergebnis kann der Anruf nicht enden.")
            return
        now = self.services.clock()
        ticket = None
        if outcome == Outcome.CALLBACK:
            number = self.query_one("#callback-number", Input).value.strip()
            clarify = self.query_one("#callback-clarify", Input).value.strip()
            if not number or not clarify:
                self._error("Für den Rückruf bitte Nummer und zu Klärendes angeben.")
                return
            topic = self.session.topics[0] if self.session.topics else None
            ticket = new_ticket(
                created_at=now, created_by=self.agent_id, clarify=clarify,
                calendar=self.services.calendar, hours=self.callback_hours,
                caller_name=self.session.caller_name or None, number=number, topic=topic,
                office=self.session.transfer_office or None, call_id=self.session.call_id,
            )  # fmt: skip
        topics = self.query_one("#wrapup-topics", SelectionList).selected
        record = build_record(
            self.session,
            outcome=outcome,
            agent_id=self.agent_id,
            notes=self.query_one("#wrapup-notes", Input).value,
            target=self.query_one("#wrapup-target", Input).value.strip() or None,
            topics=[str(t) for t in topics],
            now=now,
        )
        self.saving = True
        self._error("Wird gespeichert …")
        self.write(record, ticket)

    @work(exclusive=True, group="wrapup-save", thread=True)
    def write(self, record: CallRecord, ticket: CallbackTicket | None) -> None:
        """Blocking: write to the call log (a BufferedStore queues while the DB is down)."""
        try:
            delivery = self.services.calllog.upsert_call(record)
            if ticket is not None:
                delivery = worst(delivery, self.services.calllog.upsert_callback(ticket))
        except (CallLogError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        result = WrapUpResult(record, ticket, self.services.queued_records(), delivery)
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._error(f"Speichern fehlgeschlagen: {message}. Bitte erneut versuchen (F10).")
