"""Call-back tickets: due times in service hours and the lists of due and overdue tickets (pure)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from calllog.exceptions import InvalidRecord
from calllog.models import AttemptResult, CallbackAttempt, CallbackStatus, CallbackTicket
from calllog.service_hours import ServiceCalendar, add_service_time

#: The 115 promise: an answer within 24 hours of service time.
PROMISED_SERVICE_HOURS = 24


def due_time(
    created_at: datetime, calendar: ServiceCalendar, hours: float = PROMISED_SERVICE_HOURS
) -> datetime:
    """When a ticket created at `created_at` must be answered: `hours` service hours later."""
    return add_service_time(created_at, timedelta(hours=hours), calendar)


def new_ticket(
    *,
    created_at: datetime,
    created_by: str,
    clarify: str,
    calendar: ServiceCalendar,
    hours: float = PROMISED_SERVICE_HOURS,
    ticket_id: str | None = None,
    caller_name: str | None = None,
    number: str | None = None,
    topic: str | None = None,
    office: str | None = None,
    call_id: str | None = None,
) -> CallbackTicket:
    """Open a call-back ticket with its due time computed from the service calendar."""
    if not clarify.strip():
        raise InvalidRecord("a call-back ticket must say what to clarify")
    return CallbackTicket(
        ticket_id=ticket_id or uuid.uuid4().hex,
        created_at=created_at,
        due_at=due_time(created_at, calendar, hours),
        created_by=created_by,
        clarify=clarify,
        caller_name=caller_name,
        number=number,
        topic=topic,
        office=office,
        call_id=call_id,
        updated_at=created_at,
    )


def record_attempt(ticket: CallbackTicket, at: datetime, reached: bool) -> CallbackTicket:
    """A call-back attempt without details: reached means done, else it stays in progress."""
    if not ticket.pending:
        raise InvalidRecord(f"{ticket.ticket_id}: ticket is already closed ({ticket.status})")
    status = CallbackStatus.DONE if reached else CallbackStatus.IN_PROGRESS
    return replace(
        ticket,
        status=status,
        attempts=ticket.attempts + 1,
        updated_at=at,
        closed_at=at if reached else None,
    )


_AFTER = {
    AttemptResult.REACHED: CallbackStatus.DONE,
    AttemptResult.NOT_REACHED: CallbackStatus.IN_PROGRESS,
    AttemptResult.GIVEN_UP: CallbackStatus.UNREACHABLE,
}


def add_attempt(ticket: CallbackTicket, attempt: CallbackAttempt) -> CallbackTicket:
    """Count an attempt and keep it in the history; reached closes the ticket as done,
    given up as failed to reach, not reached leaves it in progress for the next try."""
    if not ticket.pending:
        raise InvalidRecord(f"{ticket.ticket_id}: ticket is already closed ({ticket.status})")
    status = _AFTER[attempt.result]
    return replace(
        ticket,
        status=status,
        attempts=ticket.attempts + 1,
        history=(*ticket.history, attempt),
        updated_at=attempt.at,
        closed_at=attempt.at if status is not CallbackStatus.IN_PROGRESS else None,
    )


def start(ticket: CallbackTicket, at: datetime) -> CallbackTicket:
    """Somebody is calling the citizen back now: the ticket is in progress."""
    if not ticket.pending:
        raise InvalidRecord(f"{ticket.ticket_id}: ticket is already closed ({ticket.status})")
    return replace(ticket, status=CallbackStatus.IN_PROGRESS, updated_at=at)


def close(ticket: CallbackTicket, at: datetime, status: CallbackStatus) -> CallbackTicket:
    """Close a ticket as done or as failed to reach."""
    if status not in (CallbackStatus.DONE, CallbackStatus.UNREACHABLE):
        raise InvalidRecord(f"cannot close a ticket as {status}")
    return replace(ticket, status=status, updated_at=at, closed_at=at)


def is_overdue(ticket: CallbackTicket, now: datetime) -> bool:
    """True when the caller still waits and the due time has passed."""
    return ticket.pending and ticket.due_at < now


def overdue(tickets: Iterable[CallbackTicket], now: datetime) -> list[CallbackTicket]:
    """Pending tickets whose due time has passed, the longest overdue first."""
    return sorted((t for t in tickets if is_overdue(t, now)), key=lambda t: t.due_at)


def due_within(
    tickets: Iterable[CallbackTicket], now: datetime, horizon: timedelta
) -> list[CallbackTicket]:
    """Pending tickets not yet overdue but due within `horizon`, the earliest first."""
    limit = now + horizon
    chosen = (t for t in tickets if t.pending and now <= t.due_at <= limit)
    return sorted(chosen, key=lambda t: t.due_at)


def answered_in_time(ticket: CallbackTicket) -> bool | None:
    """Whether a done ticket was answered by its due time (None while not done)."""
    if ticket.status is not CallbackStatus.DONE or ticket.closed_at is None:
        return None
    return ticket.closed_at <= ticket.due_at
