"""The retention purge: personal data out, anonymous figures kept, the purge recorded.

What goes, for records older than the cutoff:
- calls (by offer time): caller number, name, notes and handover note; the search texts
  typed during them (the survey rating stays: without the number it is anonymous);
- call-back tickets (by creation) once closed: number, name and what to clarify;
- article flags (by creation): the comment once the flag is done; an open flag keeps its
  comment for the editors, with phone-number-like digit runs masked.
Afterwards the old values are wiped from the files (SQLite: secure delete, incremental
vacuum, WAL truncated; PostgreSQL: the changed tables rewritten by VACUUM FULL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from calllog.models import PurgeResult
from calllog.privacy import PURGED_COMMENT, mask_numbers_in
from calllog.store.base import StoreBase


class Purging(StoreBase):
    """The SQL of the retention purge and its log."""

    def purge(self, cutoff: datetime, *, now: datetime, by: str, outbox: int = 0) -> PurgeResult:
        """Remove personal data from calls, closed tickets, searches and flags before cutoff.

        The anonymous figures (times, outcome, topics, hit counts of searches are gone
        with their texts) stay; the purge itself is recorded. `outbox`: how many waiting
        writes the caller scrubbed (recorded with the purge).
        """
        params = {"cutoff": self._time_out(cutoff), "now": self._time_out(now)}
        with self._transaction() as cur:
            calls = self._exec(
                cur,
                "UPDATE calls SET caller_number = NULL, caller_name = NULL, notes = NULL,"
                " handover_note = NULL, purged_at = :now"
                " WHERE offered_at < :cutoff AND purged_at IS NULL",
                params,
            ).rowcount
            tickets = self._exec(
                cur,
                "UPDATE callbacks SET caller_name = NULL, number = NULL, clarify = NULL,"
                " purged_at = :now WHERE created_at < :cutoff AND purged_at IS NULL"
                " AND status IN ('done', 'failed_to_reach')",
                params,
            ).rowcount
            searches = self._exec(
                cur, "DELETE FROM call_searches WHERE offered_at < :cutoff", params
            ).rowcount
            feedback = self._purge_feedback(cur, params)
            notes = self._exec(  # the notes of attempts go with their ticket's personal data
                cur,
                "UPDATE callback_attempts SET notes = NULL WHERE notes IS NOT NULL"
                " AND ticket_id IN (SELECT ticket_id FROM callbacks WHERE purged_at IS NOT NULL)",
            ).rowcount
            self._exec(
                cur,
                "INSERT INTO purges (purged_at, purged_by, cutoff, calls, callbacks, outbox,"
                " searches, feedback) VALUES (:now, :by, :cutoff, :calls, :tickets, :outbox,"
                " :searches, :feedback)",
                {**params, "by": by, "calls": calls, "tickets": tickets, "outbox": outbox,
                 "searches": searches, "feedback": feedback},
            )  # fmt: skip
        changed = {"calls": calls, "callbacks": tickets, "call_searches": searches,
                   "article_feedback": feedback, "callback_attempts": notes}  # fmt: skip
        wiped = self._wipe(tuple(table for table, n in changed.items() if n))
        return PurgeResult(cutoff, now, calls, tickets, outbox, searches, feedback, wiped)

    def _purge_feedback(self, cur: Any, params: dict[str, Any]) -> int:
        """Done flags lose their comment; open ones keep it with numbers masked."""
        done = self._exec(
            cur,
            "UPDATE article_feedback SET comment = :purged WHERE created_at < :cutoff"
            " AND status = 'done' AND comment <> :purged",
            {**params, "purged": PURGED_COMMENT},
        ).rowcount
        rows = self._exec(
            cur,
            "SELECT feedback_id, comment FROM article_feedback WHERE created_at < :cutoff"
            " AND status = 'open'",
            params,
        ).fetchall()
        masked = 0
        for feedback_id, comment in rows:
            clean = mask_numbers_in(comment)
            if clean != comment:
                self._exec(
                    cur,
                    "UPDATE article_feedback SET comment = :comment WHERE feedback_id = :id",
                    {"comment": clean, "id": feedback_id},
                )
                masked += 1
        return int(done) + masked

    def _wipe(self, tables: tuple[str, ...]) -> bool:
        """Make the removed values physically gone from the database files (backends)."""
        raise NotImplementedError

    def purge_log(self) -> list[PurgeResult]:
        """Every purge so far, oldest first."""
        with self._transaction(write=False) as cur:
            rows = self._exec(
                cur,
                "SELECT cutoff, purged_at, calls, callbacks, outbox, searches, feedback"
                " FROM purges ORDER BY id",
            ).fetchall()
        return [
            PurgeResult(self._required_time(a), self._required_time(b), c, d, e, f, g)
            for a, b, c, d, e, f, g in rows
        ]
