"""Call-backs due later today and overdue, counted in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from calllog.due import DueCallbacks, due_callbacks
from calllog.models import CallbackStatus, CallbackTicket
from calllog.store import SqlStore

BERLIN = ZoneInfo("Europe/Berlin")
#: A Sunday in October 2026, the night the clocks go back: "today" has 25 hours.
NOW = datetime(2026, 10, 25, 14, 0, tzinfo=BERLIN)


def ticket(tid: str, due: datetime, status: CallbackStatus = CallbackStatus.OPEN) -> CallbackTicket:
    created = due - timedelta(days=3)
    closed = due if status in (CallbackStatus.DONE, CallbackStatus.UNREACHABLE) else None
    return CallbackTicket(tid, created, due, "agent1", "Rückfrage", status=status,
                          closed_at=closed, number="0234 111")  # fmt: skip


def test_open_tickets_by_due_time(make_store: object) -> None:
    store: SqlStore = make_store()  # type: ignore[operator]
    for t in (
        ticket("overdue-days", NOW - timedelta(days=2)),
        ticket("overdue-minutes", NOW - timedelta(minutes=1), CallbackStatus.IN_PROGRESS),
        ticket("due-now", NOW),
        ticket("due-tonight", datetime(2026, 10, 25, 23, 59, tzinfo=BERLIN)),
        ticket("due-tomorrow", datetime(2026, 10, 26, 0, 0, tzinfo=BERLIN)),
        ticket("done-late", NOW - timedelta(hours=1), CallbackStatus.DONE),
        ticket("done-later-today", NOW + timedelta(hours=1), CallbackStatus.DONE),
        ticket("unreachable", NOW - timedelta(hours=5), CallbackStatus.UNREACHABLE),
    ):
        store.upsert_callback(t)
    assert due_callbacks(store, NOW) == DueCallbacks(due_today=2, overdue=2)
    assert due_callbacks(store, NOW - timedelta(days=5)) == DueCallbacks(0, 0)
    late = datetime(2026, 10, 26, 0, 30, tzinfo=BERLIN)  # the next day: tonight's is overdue
    assert due_callbacks(store, late) == DueCallbacks(due_today=0, overdue=5)
