"""Call-back tickets still to be called back, counted by due time (through `store.read()`).

The wallboard's "Rückrufe": how many open tickets fall due later today and how many are
past due now, whenever they were created (a report counts the tickets created in its
period instead). Counts only: no number, name or question leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from calllog.store import SqlStore

_OPEN = "status IN ('open', 'in_progress')"
_SQL = (
    "SELECT"
    f" coalesce(sum(CASE WHEN {_OPEN} AND due_at >= :now AND due_at < :midnight"
    " THEN 1 ELSE 0 END), 0),"
    f" coalesce(sum(CASE WHEN {_OPEN} AND due_at < :now THEN 1 ELSE 0 END), 0)"
    f" FROM callbacks WHERE {_OPEN} AND due_at < :midnight"
)


@dataclass(frozen=True, slots=True)
class DueCallbacks:
    """Open call-back tickets at one moment."""

    due_today: int = 0
    """Not yet overdue, due before the next local midnight."""
    overdue: int = 0
    """Past their due time (of any day)."""


def due_callbacks(store: SqlStore, now: datetime) -> DueCallbacks:
    """Open tickets due later today (local day of the store's zone) and overdue at `now`."""
    local = now.astimezone(store.zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), store.zone)
    with store.read() as read:
        params = {
            "now": read.time_param(now.astimezone(UTC)),
            "midnight": read.time_param(midnight.astimezone(UTC)),
        }
        due_today, overdue = read.rows(_SQL, params)[0]
    return DueCallbacks(int(due_today), int(overdue))
