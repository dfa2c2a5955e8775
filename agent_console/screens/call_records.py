"""The console's own call-log writes and reads for a call: the record from its end on,
an abandoned ring, the caller's earlier calls. Writes queue on the console's OrderedWriter."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from agent_console.messages import WrapUpSaved as WrapUpSavedMessage
from agent_console.notices import write_notice
from agent_console.screens.session import CallSession, build_record, earlier_calls
from agent_console.services import Services
from agent_console.widgets.caller_history import CallerHistory
from agent_console.writer import OrderedWriter
from calllog.exceptions import CallLogError
from calllog.models import CallRecord, Outcome
from calllog.outbox import Delivery

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class CallRecords(_Base):
    """Mixed into ConsoleScreen: what the console writes and reads about the current call."""

    services: Services
    agent_id: str
    writer: OrderedWriter
    session: CallSession | None
    if TYPE_CHECKING:  # provided by the screen
        set_queued: Callable[[int], None]
        _titles: Callable[[], dict[str, str]]

    def save_open_record(self, session: CallSession) -> None:
        """The call's record exists from its end on, with the outcome still open."""
        now = self.services.clock()
        record = build_record(session, outcome=None, agent_id=self.agent_id, notes="",
                              target=None, topics=session.topics, now=now)  # fmt: skip
        written = self.writer.run(self.services.calllog.upsert_call, record)  # queued now
        self.report_write(written, "Anruf", None)

    def save_abandoned(self, session: CallSession) -> None:
        """Log a call that rang here and was abandoned before it was answered."""
        now = self.services.clock()
        record = build_record(session, outcome=Outcome.ABANDONED, agent_id=self.agent_id,
                              notes="", target=None, topics=[], now=now)  # fmt: skip
        written = self.writer.run(self.services.calllog.upsert_call, record)
        self.report_write(written, "Aufgelegter Anruf", record)

    @work(group="calllog-write")
    async def report_write(
        self, written: asyncio.Future[Delivery], subject: str, record: CallRecord | None
    ) -> None:
        """Tell the agent where a queued write went when it was not simply stored."""
        try:
            delivery = await written
        except (CallLogError, OSError) as exc:  # the outbox keeps it; say so anyway
            self.notify(f"{subject} nicht gespeichert: {exc}", severity="warning")
            return
        notice = write_notice(subject, delivery)
        if notice is not None and delivery is not Delivery.QUEUED:
            self.notify(notice[0], severity=notice[1])
        self.set_queued(self.services.queued_records())
        if record is not None:
            self.post_message(WrapUpSavedMessage(record, delivery is not Delivery.STORED))

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
