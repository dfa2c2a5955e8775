"""What saving a wrap-up writes: the call's record, or the call-back's attempt, and tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent_console.screens.session import CallSession, build_record
from agent_console.services import Services
from calllog.callbacks import add_attempt, new_ticket
from calllog.models import AttemptResult, CallbackAttempt, CallbackTicket, CallRecord, Outcome
from calllog.outbox import Delivery

_ATTEMPT_NOTICE = {
    AttemptResult.REACHED: "Rückruf erledigt.",
    AttemptResult.NOT_REACHED: "Nicht erreicht – der Rückruf bleibt offen (nächster Versuch).",
    AttemptResult.GIVEN_UP: "Rückruf aufgegeben (nicht erreicht).",
}


class FormError(Exception):
    """The form cannot be saved as it is; the message says what is missing (German)."""


@dataclass(frozen=True)
class WrapUpResult:
    """What the wrap-up wrote."""

    call_id: str
    record: CallRecord | None
    """The call's record (None for a call-back: its attempt is kept on the ticket)."""
    tickets: tuple[CallbackTicket, ...]
    """Tickets written: the call-back's (with the new attempt) and a newly promised one."""
    queued: int
    """Call-log writes waiting in the outbox after saving (0: all delivered)."""
    notice: str
    """What the agent is told."""
    delivery: Delivery = Delivery.STORED
    """Where the call (and its tickets) went: stored, queued, held or rejected."""

    @property
    def ticket(self) -> CallbackTicket | None:
        """A call-back promised in this wrap-up, if any."""
        new = [t for t in self.tickets if not t.history]
        return new[0] if new else None


@dataclass(frozen=True)
class Saving:
    """The writes of one wrap-up, in order."""

    call_id: str
    record: CallRecord | None
    tickets: tuple[CallbackTicket, ...]
    notice: str

    def result(self, queued: int, delivery: Delivery = Delivery.STORED) -> WrapUpResult:
        """The result once written."""
        return WrapUpResult(self.call_id, self.record, self.tickets, queued, self.notice, delivery)


def build_outcome(
    session: CallSession,
    services: Services,
    agent_id: str,
    hours: float,
    *,
    outcome: Outcome | None,
    attempt: AttemptResult | None,
    topics: Sequence[str],
    notes: str,
    target: str,
    number: str,
    clarify: str,
    handover: str = "",
) -> Saving:
    """Check the form and build what to write (raises FormError with the reason)."""
    now = services.clock()
    ticket = session.ticket
    if ticket is not None and attempt is None:
        raise FormError("Bitte wählen, ob die Bürgerin oder der Bürger erreicht wurde.")
    reached = ticket is None or attempt == AttemptResult.REACHED
    if reached and outcome is None:
        raise FormError("Bitte ein Ergebnis wählen – ohne Ergebnis kann der Anruf nicht enden.")
    promised = None
    if reached and outcome == Outcome.CALLBACK:
        if not number.strip() or not clarify.strip():
            raise FormError("Für den Rückruf bitte Nummer und zu Klärendes angeben.")
        promised = new_ticket(
            created_at=now, created_by=agent_id, clarify=clarify.strip(),
            calendar=services.calendar, hours=hours, caller_name=session.caller_name or None,
            number=number.strip(), topic=session.topics[0] if session.topics else None,
            office=session.transfer_office or None, call_id=session.call_id,
        )  # fmt: skip
    extra = (promised,) if promised is not None else ()
    if ticket is None:
        record = build_record(session, outcome=outcome, agent_id=agent_id, notes=notes,
                              target=target.strip() or None, topics=topics, now=now,
                              handover_note=handover)  # fmt: skip
        notice = "Anruf gespeichert." + (" Rückruf angelegt." if promised else "")
        return Saving(session.call_id, record, extra, notice)
    assert attempt is not None
    text = notes.strip() + (f" (verwiesen/weitergeleitet an: {target.strip()})"
                            if reached and target.strip() else "")  # fmt: skip
    tried = CallbackAttempt(now, agent_id, attempt, session.call_id,
                            outcome if reached else None, text.strip() or None)  # fmt: skip
    notice = _ATTEMPT_NOTICE[attempt] + (" Neuer Rückruf angelegt." if promised else "")
    return Saving(session.call_id, None, (add_attempt(ticket, tried), *extra), notice)
