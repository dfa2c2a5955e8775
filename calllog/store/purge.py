"""The retention purge: personal data out, anonymous figures kept, the purge recorded."""

from __future__ import annotations

from datetime import datetime

from calllog.models import PurgeResult
from calllog.store.base import StoreBase


class Purging(StoreBase):
    """The SQL of the retention purge and its log."""

    def purge(self, cutoff: datetime, *, now: datetime, by: str, outbox: int = 0) -> PurgeResult:
        """Remove personal data from calls offered, and closed tickets created, before cutoff.

        The anonymous figures (times, outcome, topics) stay; the purge itself is recorded.
        Article feedback is kept: its comments are meant for the editors, not caller data.
        """
        params = {"cutoff": self._time_out(cutoff), "now": self._time_out(now)}
        with self._transaction() as cur:
            calls = self._exec(
                cur,
                "UPDATE calls SET caller_number = NULL, caller_name = NULL, notes = NULL,"
                " purged_at = :now WHERE offered_at < :cutoff AND purged_at IS NULL",
                params,
            ).rowcount
            tickets = self._exec(
                cur,
                "UPDATE callbacks SET caller_name = NULL, number = NULL, clarify = NULL,"
                " purged_at = :now WHERE created_at < :cutoff AND purged_at IS NULL"
                " AND status IN ('done', 'failed_to_reach')",
                params,
            ).rowcount
            self._exec(
                cur,
                "INSERT INTO purges (purged_at, purged_by, cutoff, calls, callbacks, outbox)"
                " VALUES (:now, :by, :cutoff, :calls, :tickets, :outbox)",
                {**params, "by": by, "calls": calls, "tickets": tickets, "outbox": outbox},
            )
        return PurgeResult(cutoff, now, calls, tickets, outbox)

    def purge_log(self) -> list[PurgeResult]:
        """Every purge so far, oldest first."""
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur, "SELECT cutoff, purged_at, calls, callbacks, outbox FROM purges ORDER BY id"
            ).fetchall()
        return [
            PurgeResult(self._required_time(a), self._required_time(b), c, d, e)
            for a, b, c, d, e in rows
        ]
