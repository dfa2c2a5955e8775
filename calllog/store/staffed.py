"""Staffed time: writing the recorder's spans (one row per agent, start and local day), reading."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from calllog.staffed import StaffedSpan, StaffedState, split_days
from calllog.store.base import StoreBase
from calllog.store.schema import STAFFED_COLUMNS, _rows

# A span is written again as it grows: the longest version of a row stands, so a replayed
# or late write never shortens it.
_UPSERT_STAFFED = (
    _rows(STAFFED_COLUMNS, "staffed_time")
    + " ON CONFLICT (agent_id, started_at) DO UPDATE SET ended_at = excluded.ended_at,"
    " state = excluded.state, reason = excluded.reason, day = excluded.day, ms = excluded.ms"
    " WHERE staffed_time.ended_at <= excluded.ended_at"
)


class StaffedQueries(StoreBase):
    """The SQL of staffed time."""

    def upsert_staffed(self, spans: Iterable[StaffedSpan]) -> int:
        """Write spans, cut at local midnights; returns how many day rows they make. A row is
        only ever lengthened, so replays and late writes change nothing."""
        rows = [self._staffed_params(piece) for s in spans for piece in split_days(s, self.zone)]
        if rows:
            with self._transaction() as cur:
                cur.executemany(self.dialect.sql(_UPSERT_STAFFED), rows)
        return len(rows)

    def _staffed_params(self, span: StaffedSpan) -> dict[str, Any]:
        return {
            "agent_id": span.agent_id,
            "started_at": self._time_out(span.started_at),
            "ended_at": self._time_out(span.ended_at),
            "state": span.state.value,
            "reason": span.reason,
            "day": self._day_out(span.started_at.astimezone(self.zone).date()),
            "ms": span.ms,
        }

    def list_staffed(
        self, first: date, last: date, *, agent_id: str | None = None
    ) -> list[StaffedSpan]:
        """The rows of local days `first` to `last` (both included), by agent and start."""
        where = "day >= :first AND day <= :last"
        params: dict[str, Any] = {"first": self._day_out(first), "last": self._day_out(last)}
        if agent_id is not None:
            where += " AND agent_id = :agent"
            params["agent"] = agent_id
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                "SELECT agent_id, state, started_at, ended_at, reason FROM staffed_time"
                f" WHERE {where} ORDER BY agent_id, started_at",
                params,
            ).fetchall()
        return [
            StaffedSpan(a, StaffedState(s), self._required_time(b), self._required_time(e), r)
            for a, s, b, e, r in rows
        ]
