"""Carries out the desk's PBX actions one after another: a pause is in place before a hang-up.

Batches run in the order the desk asked for them (one lock, first come first
served); within a batch a failed action stops the rest, so a leg is never hung up
without the wrap-up pause that keeps the next caller away.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from agent_console.desk import (
    CallbackConnected,
    CallbackFailed,
    ConsultChanged,
    Desk,
    EndConsult,
    Event,
    Hangup,
    Originate,
    Pause,
    PbxEffect,
    Phase,
    ToSurvey,
    Transfer,
    Unpause,
)
from agent_console.lifecycle import Lifecycle
from agent_console.notices import write_notice
from agent_console.screens.session import CallSession
from agent_console.screens.transfer import TransferChoice
from agent_console.services import Services
from agent_console.writer import OrderedWriter
from calllog.callbacks import start
from calllog.exceptions import CallLogError, InvalidRecord
from calllog.models import CallbackTicket
from calllog.outbox import Delivery
from telephony.calls import Call
from telephony.exceptions import NotConnectedError, TelephonyError

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class PbxRunner(_Base):
    """Mixed into ConsoleScreen: `run_pbx(actions)` and what the agent is told about them."""

    services: Services
    agent_id: str
    desk: Desk
    lifecycle: Lifecycle
    session: CallSession | None
    callback_ticket: CallbackTicket | None
    writer: OrderedWriter
    _pbx_lock: asyncio.Lock
    _choices: dict[str, TransferChoice]
    """Call id -> the office chosen in its transfer dialog."""
    _transfers: dict[str, str]
    """Call id -> office name of blind transfers whose answer is still awaited."""

    if TYPE_CHECKING:  # provided by CallFlow
        feed: Callable[[Event], None]

    @work(group="pbx-actions")
    async def run_pbx(self, actions: list[PbxEffect]) -> None:
        """Perform the actions in order after every earlier batch; stop at the first failure."""
        async with self._pbx_lock:
            for n, action in enumerate(actions):
                try:
                    await self._perform(action)
                except TelephonyError as exc:
                    self._failed(action, exc, actions[n + 1 :])
                    return

    async def _perform(self, action: PbxEffect) -> None:
        telephony = self.services.telephony
        if isinstance(action, Pause):
            await telephony.pause(self.agent_id, action.reason)
        elif isinstance(action, Unpause):
            await telephony.unpause(self.agent_id)
        elif isinstance(action, Hangup):
            await telephony.hangup(action.call_id)
        elif isinstance(action, ToSurvey):
            await telephony.send_to_survey(action.call_id)
            self.notify("Anrufer zur Umfrage weitergegeben.")
        elif isinstance(action, Transfer):
            await self._transfer(action)
        elif isinstance(action, EndConsult):
            await self._end_consult(action)
        elif isinstance(action, Originate):
            call_id = await telephony.originate_callback(self.agent_id, action.number,
                                                         action.name or "Rückruf")  # fmt: skip
            self.mark_started(action.ticket_id)
            self.feed(CallbackConnected(call_id))

    async def _transfer(self, action: Transfer) -> None:
        telephony = self.services.telephony
        choice = self._choices.get(action.call_id)
        name = choice.name if choice else action.target
        session = self.session
        if session is not None and session.call_id == action.call_id:
            session.transfer_office = name
        if action.attended:
            await telephony.attended_transfer(action.call_id, action.target)
            if session is not None:
                session.consulting = action.target
            self.feed(ConsultChanged(action.call_id, True))
            self.notify(f"Rückfrage mit {name} ({action.target}) läuft – "
                        "F5 übergibt, F6 holt den Anrufer zurück.")  # fmt: skip
        else:
            await telephony.blind_transfer(action.call_id, action.target)
            self._transfers[action.call_id] = name
            self.notify(f"Weitergeleitet an {name} ({action.target}).")

    async def _end_consult(self, action: EndConsult) -> None:
        telephony = self.services.telephony
        session = self.session
        if action.hand_over:
            await telephony.complete_transfer(action.call_id)
            office = session.transfer_office or session.consulting if session else ""
            self.notify(f"Übergeben an {office}.")
            return
        await telephony.cancel_transfer(action.call_id)
        if session is not None:
            session.consulting, session.transfer_office = "", ""
        self.feed(ConsultChanged(action.call_id, False))
        self.notify("Rückfrage beendet – Sie sind wieder mit dem Anrufer verbunden.")

    def _failed(self, action: PbxEffect, exc: TelephonyError, skipped: list[PbxEffect]) -> None:
        """Tell the agent; a call-back that did not start returns the desk to where it was."""
        quiet = isinstance(action, Pause | Unpause) and isinstance(exc, NotConnectedError)
        if not quiet:  # a lost PBX is on the banner; the pause is set again on reconnect
            self.notify(f"{_what(action)} nicht möglich (Telefonanlage): {exc}", severity="error")
        for later in skipped:
            if not isinstance(later, Pause | Unpause):
                self.notify(f"{_what(later)} nicht ausgeführt.", severity="warning")
        if isinstance(action, Transfer) and self.session is not None:
            self.session.transfer_office = ""
        if any(isinstance(a, Originate) for a in [action, *skipped]):
            self.feed(CallbackFailed())

    def mark_started(self, ticket_id: str) -> None:
        """The call-back is under way: the ticket is in progress (colleagues see it)."""
        ticket = self.callback_ticket
        if ticket is None or ticket.ticket_id != ticket_id:
            return
        try:
            started = start(ticket, self.services.clock())
        except InvalidRecord as exc:
            self.notify(f"Rückruf nicht vermerkt: {exc}", severity="warning")
            return
        self.callback_ticket = started
        self.report_ticket(self.writer.run(self.services.calllog.upsert_callback, started))

    @work(group="calllog-write")
    async def report_ticket(self, written: asyncio.Future[Delivery]) -> None:
        """Tell the agent when the ticket could not be marked."""
        try:
            notice = write_notice("Rückruf", await written)
        except (CallLogError, OSError) as exc:
            self.notify(f"Rückruf nicht vermerkt: {exc}", severity="warning")
            return
        if notice is not None:
            self.notify(notice[0], severity=notice[1])

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

    def reassert_pause(self) -> None:
        """After (re)connecting: the PBX gets the pause the desk stands for."""
        desk = self.desk
        if desk.phase == Phase.WRAP_UP:
            self.run_pbx([Pause(self.lifecycle.wrapup_reason)])
        elif desk.phase == Phase.PAUSED and desk.pause_reason:
            self.run_pbx([Pause(desk.pause_reason)])


def _what(action: PbxEffect) -> str:
    """The action in German, for a notice."""
    if isinstance(action, Pause):
        return f"Pause ({action.reason})"
    if isinstance(action, Unpause):
        return "Bereit"
    if isinstance(action, Hangup):
        return "Auflegen"
    if isinstance(action, ToSurvey):
        return "Weitergabe zur Umfrage"
    if isinstance(action, Transfer):
        return "Rückfrage" if action.attended else "Weiterleitung"
    if isinstance(action, EndConsult):
        return "Übergabe" if action.hand_over else "Zurückholen"
    return "Rückruf"
