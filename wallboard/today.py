"""Today's figures from the call log: the report of the local day and the call-backs due.

Blocking (SQL through `store.read()`); the hub calls it in a worker thread. A store that
cannot be read raises `calllog.exceptions.CallLogError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from calllog.due import DueCallbacks, due_callbacks
from calllog.kpi import build_report
from calllog.reports import Period, Report, Targets
from calllog.store import SqlStore


@dataclass(frozen=True, slots=True)
class Today:
    """The call log's figures of the current local day, as read at `read_at`."""

    report: Report
    due: DueCallbacks
    read_at: datetime


class TodayReader:
    """Reads `Today` from a call-log store (the same SQL as `lotse report`)."""

    def __init__(self, store: SqlStore, targets: Targets) -> None:
        self.store = store
        self.targets = targets

    def read(self, now: datetime) -> Today:
        """Today's report (totals only) and the open call-backs at `now`."""
        day = now.astimezone(self.store.zone).date()
        report = build_report(
            self.store, Period(day, day), now=now, targets=self.targets, breakdowns=False
        )
        return Today(report, due_callbacks(self.store, now), now)
