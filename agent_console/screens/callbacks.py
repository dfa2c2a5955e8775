"""Call-backs due for this agent, earliest first; Enter calls the citizen back."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from agent_console.labels import CALLBACK_STATUS_LABELS
from agent_console.screens.wrapup import due_text
from agent_console.services import Services
from agent_console.widgets.plain import PlainTable, plain
from calllog.exceptions import CallLogError
from calllog.models import PENDING_STATUSES, CallbackTicket


def short(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis (table cells)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def status_text(ticket: CallbackTicket, now: datetime) -> str:
    """The ticket's state; an overdue one says so instead ("überfällig")."""
    overdue = ticket.due_at < now and ticket.pending
    return "überfällig" if overdue else CALLBACK_STATUS_LABELS[ticket.status]


class CallbacksScreen(ModalScreen[CallbackTicket | None]):
    """The agent's open call-back tickets; Enter returns the ticket to call back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "call_back", "Zurückrufen"),
        Binding("escape,f7", "close", "Schließen"),
    ]

    def __init__(
        self, services: Services, agent_id: str, titles: dict[str, str], can_call: bool = True
    ) -> None:
        super().__init__()
        self.services = services
        self.agent_id = agent_id
        self.titles = titles
        self.can_call = can_call
        """False during a call or a wrap-up: the list is shown, calling back is not possible."""
        self.tickets: list[CallbackTicket] = []

    def compose(self) -> ComposeResult:
        """Table of tickets."""
        keys = (
            "Enter: zurückrufen   ·   Esc: schließen"
            if self.can_call
            else ("Zurückrufen erst nach dem Gespräch und der Nachbearbeitung   ·   Esc: schließen")
        )
        with Vertical(classes="dialog", id="callbacks-dialog"):
            yield Label("Rückrufe (meine, offen)", classes="dialog-title")
            yield PlainTable(id="callbacks-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="callbacks-status")
            yield Label(keys, classes="dialog-keys")

    def on_mount(self) -> None:
        """Set up columns and load."""
        table = self.query_one(DataTable)
        table.add_columns("Fällig", "Status", "Anrufer", "Nummer", "Thema", "Zu klären", "Vers.")
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
                due_text(t.due_at), status_text(t, now), short(t.caller_name or "–", 16),
                t.number or "–", short(self.titles.get(t.topic or "", t.topic or "–"), 16),
                short(t.clarify, 18), str(t.attempts), key=t.ticket_id,
            )  # fmt: skip
        self._status("Keine offenen Rückrufe." if not tickets else f"{len(tickets)} offen")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row calls back."""
        event.stop()
        self.action_call_back()

    def action_call_back(self) -> None:
        """Return the ticket under the cursor (the console starts the call-back)."""
        table = self.query_one(DataTable)
        if not self.tickets or table.cursor_row is None:
            return
        if not self.can_call:
            self._status("Während eines Gesprächs oder der Nachbearbeitung nicht möglich.")
            return
        self.dismiss(self.tickets[table.cursor_row])

    def action_close(self) -> None:
        """Back to the console."""
        self.dismiss(None)
