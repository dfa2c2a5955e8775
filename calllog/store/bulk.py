"""Bulk loading of many new calls, tickets and staffed time (seeding, imports)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from calllog.models import CallbackTicket, CallRecord
from calllog.staffed import StaffedSpan, split_days
from calllog.store.calls import CallQueries
from calllog.store.schema import (
    CALL_COLUMNS,
    SEARCH_COLUMNS,
    STAFFED_COLUMNS,
    TICKET_COLUMNS,
    TOPIC_COLUMNS,
    _rows,
)
from calllog.store.staffed import StaffedQueries
from calllog.store.tickets import CallbackQueries


class BulkLoading(CallQueries, CallbackQueries, StaffedQueries):
    """Batched inserts that keep rows already stored; PostgreSQL overrides `_bulk_rows`."""

    def bulk_insert(self, records: Iterable[CallRecord], batch_size: int = 20_000) -> int:
        """Load many new calls fast (seeding, imports); calls already stored are kept as they are.

        Returns the number of records read. Outcome history is not written.
        """
        now = datetime.now(UTC)
        total = 0
        batch: list[CallRecord] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                total += self._bulk_batch(batch, now)
                batch = []
        if batch:
            total += self._bulk_batch(batch, now)
        return total

    def _bulk_batch(self, batch: list[CallRecord], now: datetime) -> int:
        calls, topics, searches = [], [], []
        for record in batch:
            params = self._call_params(record, now)
            calls.append(params)
            more_topics, more_searches = self._child_rows(record, params["offered_at"])
            topics += more_topics
            searches += more_searches
        with self._transaction() as cur:
            self._bulk_rows(cur, "calls", CALL_COLUMNS, calls, "call_id")
            self._bulk_rows(cur, "call_topics", TOPIC_COLUMNS, topics, "call_id, article_id")
            self._bulk_rows(cur, "call_searches", SEARCH_COLUMNS, searches, "call_id, seq")
        return len(batch)

    def _bulk_rows(
        self, cur: Any, table: str, columns: Sequence[str], rows: list[dict[str, Any]], key: str
    ) -> None:
        if rows:
            sql = _rows(columns, table) + f" ON CONFLICT ({key}) DO NOTHING"
            cur.executemany(self.dialect.sql(sql), rows)

    def bulk_insert_staffed(self, spans: Iterable[StaffedSpan], batch_size: int = 50_000) -> int:
        """Load much staffed time fast (seeding); rows already stored are kept. Returns the
        rows written (spans cut at local midnights)."""
        total = 0
        batch: list[dict[str, Any]] = []
        for span in itertools.chain(spans, [None]):
            if span is not None:
                batch += [self._staffed_params(p) for p in split_days(span, self.zone)]
            if batch and (span is None or len(batch) >= batch_size):
                with self._transaction() as cur:
                    self._bulk_rows(cur, "staffed_time", STAFFED_COLUMNS, batch,
                                    "agent_id, started_at")  # fmt: skip
                total += len(batch)
                batch = []
        return total

    def bulk_insert_callbacks(self, tickets: Iterable[CallbackTicket]) -> int:
        """Load many new tickets fast (seeding); tickets already stored are kept."""
        rows = [self._ticket_params(t) for t in tickets]
        with self._transaction() as cur:
            self._bulk_rows(cur, "callbacks", TICKET_COLUMNS, rows, "ticket_id")
        return len(rows)
