"""Call-backs due for this agent, earliest first; Enter calls the citizen back (originate)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from agent_console.notices import write_notice
from agent_console.screens.wrapup import due_text
from agent_console.services import Services
from agent_console.widgets.plain import PlainTable, plain
from calllog.callbacks import record_attempt
from calllog.exceptions import CallLogError
from calllog.models import PENDING_STATUSES, CallbackTicket
from telephony.exceptions import TelephonyError

_STATUS = {"open": "offen", "in_progress": "in Arbeit"}


class CallbacksScreen(ModalScreen[None]):
    """The agent's open call-back tickets."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "call_back", "Zurückrufen"),
        Binding("escape,f7", "close", "Schließen"),
    ]

    def __init__(self, services: Services, agent_id: str, titles: dict[str, str]) -> None:
        super().__init__()
        self.services = services
        self.agent_id = agent_id
        self.titles = titles
        self.tickets: list[CallbackTicket] = []

    def compose(self) -> ComposeResult:
        """Table of tickets."""
        with Vertical(classes="dialog", id="callbacks-dialog"):
            yield Label("Rückrufe (meine, offen)", classes="dialog-title")
            yield PlainTable(id="callbacks-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="callbacks-status")
            yield Label("Enter: zurückrufen   ·   Esc: schließen", classes="dialog-keys")

    def on_mount(self) -> None:
        """Set up columns and load."""
        table = self.query_one(DataTable)
        table.add_columns("Fällig", "", "Status", "Anrufer", "Nummer", "Thema", "Zu klären")
        table.focus()
        self.load()

    @work(exclusive=True, group="callbacks", thread=True)
    def load(self) -> None:
        """Blocking: read the tickets."""
        try:
            found = self.services.calllog.store.list_callbacks(
                statuses=PENDING_STATUSES, created_by=self.agent_id
            )
        except CallLogError as exc:
            self.app.call_from_thread(self._status, f"Rückrufe nicht lesbar: {exc}")
            return
        self.app.call_from_thread(self._show, found)

    def _status(self, text: str) -> None:
        self.query_one("#callbacks-status", Static).update(plain(text, multiline=True))

    def _show(self, tickets: list[CallbackTicket]) -> None:
        self.tickets = tickets
        table = self.query_one(DataTable)
        table.clear()
        now = self.services.clock()
        for t in tickets:
            table.add_row(
                due_text(t.due_at), "überfällig" if t.due_at < now else "",
                _STATUS.get(t.status.value, t.status.value), t.caller_name or "–",
                t.number or "–", self.titles.get(t.topic or "", t.topic or "–"), t.clarify,
                key=t.ticket_id,
            )  # fmt: skip
        self._status("Keine offenen Rückrufe." if not tickets else f"{len(tickets)} offen")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row calls back."""
        event.stop()
        self.action_call_back()

    def action_call_back(self) -> None:
        """Originate a call-back for the ticket under the cursor."""
        table = self.query_one(DataTable)
        if not self.tickets or table.cursor_row is None:
            return
        ticket = self.tickets[table.cursor_row]
        if not ticket.number:
            self.notify("Für diesen Rückruf ist keine Nummer hinterlegt.", severity="warning")
            return
        self.originate(ticket)

    @work(exclusive=True, group="callback-originate")
    async def originate(self, ticket: CallbackTicket) -> None:
        """Ring the agent's phone, then the citizen; count the attempt."""
        assert ticket.number is not None
        try:
            await self.services.telephony.originate_callback(
                self.agent_id, ticket.number, ticket.caller_name or "Rückruf"
            )
        except TelephonyError as exc:
            self.notify(f"Rückruf nicht gestartet: {exc}", severity="error")
            return
        self.notify(f"Rückruf an {ticket.number} gestartet – Ihr Telefon klingelt zuerst.")
        self.count_attempt(ticket)

    @work(group="callback-attempt", thread=True)
    def count_attempt(self, ticket: CallbackTicket) -> None:
        """Blocking: mark the ticket in progress with one more attempt."""
        try:
            updated = record_attempt(ticket, self.services.clock(), reached=False)
            delivery = self.services.calllog.upsert_callback(replace(updated))
        except CallLogError as exc:
            self.app.call_from_thread(self.notify, f"Versuch nicht gespeichert: {exc}",
                                      severity="error")  # fmt: skip
            return
        notice = write_notice("Rückrufversuch", delivery)
        if notice is not None:
            self.app.call_from_thread(self.notify, notice[0], severity=notice[1])
        self.app.call_from_thread(self.load)

    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
