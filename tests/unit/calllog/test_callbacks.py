"""Call-back tickets: creation with due time, attempts, and the due and overdue lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calllog.callbacks import (
    add_attempt,
    answered_in_time,
    close,
    due_within,
    is_overdue,
    new_ticket,
    overdue,
    record_attempt,
    start,
)
from calllog.exceptions import InvalidRecord
from calllog.models import AttemptResult, CallbackAttempt, CallbackStatus, CallbackTicket, Outcome
from calllog.service_hours import ServiceCalendar, state_holidays

BERLIN = ZoneInfo("Europe/Berlin")
NRW = ServiceCalendar(holidays=state_holidays("NW"))
MONDAY = datetime(2026, 3, 2, 10, tzinfo=BERLIN)


def ticket(ticket_id: str, created: datetime = MONDAY) -> CallbackTicket:
    """A fresh ticket created at `created`."""
    return new_ticket(
        ticket_id=ticket_id,
        created_at=created,
        created_by="agent1",
        clarify="Kosten Führungszeugnis für Ehrenamt",
        calendar=NRW,
        number="0234 1234567",
        topic="fuehrungszeugnis",
        office="Bürgerbüro Mitte",
    )


def test_new_ticket_is_open_and_due_in_24_service_hours() -> None:
    t = ticket("t1")
    assert t.status is CallbackStatus.OPEN
    assert t.attempts == 0
    assert t.due_at == datetime(2026, 3, 4, 14, tzinfo=BERLIN)
    assert len(new_ticket(created_at=MONDAY, created_by="a", clarify="x", calendar=NRW).ticket_id)


def test_a_ticket_must_say_what_to_clarify() -> None:
    with pytest.raises(InvalidRecord):
        new_ticket(created_at=MONDAY, created_by="a", clarify="  ", calendar=NRW)


def test_attempts_until_reached() -> None:
    t = record_attempt(ticket("t1"), MONDAY + timedelta(hours=1), reached=False)
    assert (t.status, t.attempts, t.closed_at) == (CallbackStatus.IN_PROGRESS, 1, None)
    done_at = MONDAY + timedelta(hours=3)
    t = record_attempt(t, done_at, reached=True)
    assert (t.status, t.attempts, t.closed_at) == (CallbackStatus.DONE, 2, done_at)
    assert answered_in_time(t) is True
    with pytest.raises(InvalidRecord):
        record_attempt(t, done_at, reached=True)


def test_answered_late_or_not_at_all() -> None:
    t = ticket("t1")
    assert answered_in_time(t) is None
    late = close(t, t.due_at + timedelta(minutes=1), CallbackStatus.DONE)
    assert answered_in_time(late) is False
    unreachable = close(t, t.due_at, CallbackStatus.UNREACHABLE)
    assert answered_in_time(unreachable) is None
    with pytest.raises(InvalidRecord):
        close(t, t.due_at, CallbackStatus.IN_PROGRESS)


def test_overdue_and_due_soon_lists() -> None:
    early = ticket("early", MONDAY - timedelta(days=7))
    middle = ticket("middle", MONDAY - timedelta(days=5))
    now_ticket = ticket("now")
    done = close(ticket("done", MONDAY - timedelta(days=7)), MONDAY, CallbackStatus.DONE)
    tickets = [now_ticket, middle, done, early]
    now = MONDAY + timedelta(hours=1)
    assert [t.ticket_id for t in overdue(tickets, now)] == ["early", "middle"]
    assert not is_overdue(done, now)
    assert due_within(tickets, now, timedelta(days=1)) == []
    assert [t.ticket_id for t in due_within(tickets, now, timedelta(days=3))] == ["now"]
    exactly_due = replace(now_ticket, due_at=now)
    assert not is_overdue(exactly_due, now)


def test_attempts_are_counted_and_kept_in_order() -> None:
    opened = ticket("t1")
    tried = add_attempt(
        opened, CallbackAttempt(MONDAY + timedelta(hours=1), "agent1", AttemptResult.NOT_REACHED)
    )
    assert tried.status == CallbackStatus.IN_PROGRESS and tried.attempts == 1
    assert tried.closed_at is None and tried.pending
    reached = add_attempt(
        tried,
        CallbackAttempt(MONDAY + timedelta(hours=2), "agent2", AttemptResult.REACHED, "9.3",
                        Outcome.RESOLVED),
    )  # fmt: skip
    assert reached.status == CallbackStatus.DONE and reached.attempts == 2
    assert reached.closed_at == MONDAY + timedelta(hours=2)
    assert [a.result for a in reached.history] == [AttemptResult.NOT_REACHED, AttemptResult.REACHED]
    with pytest.raises(InvalidRecord):  # a closed ticket takes no more attempts
        add_attempt(reached, CallbackAttempt(MONDAY, "agent1", AttemptResult.NOT_REACHED))


def test_giving_up_closes_the_ticket_as_not_reached() -> None:
    given_up = add_attempt(
        start(ticket("t1"), MONDAY),
        CallbackAttempt(MONDAY + timedelta(hours=1), "agent1", AttemptResult.GIVEN_UP),
    )
    assert given_up.status == CallbackStatus.UNREACHABLE and not given_up.pending
    assert given_up.closed_at == MONDAY + timedelta(hours=1)


def test_an_attempt_has_an_outcome_only_when_reached() -> None:
    with pytest.raises(InvalidRecord):
        CallbackAttempt(MONDAY, "agent1", AttemptResult.NOT_REACHED, outcome=Outcome.RESOLVED)
