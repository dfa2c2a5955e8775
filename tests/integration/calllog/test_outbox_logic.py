"""Outbox rules without a server: order, back-off, dead letters (a store that can 'go down')."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from calllog.exceptions import StoreUnavailable
from calllog.models import CallRecord, Outcome
from calllog.outbox import BufferedStore
from calllog.store import SqliteOutbox, SqliteStore

T0 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


class FlakyStore(SqliteStore):
    """A real SQLite store that refuses every operation while `down` is set."""

    down = False

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[Any]:
        if self.down:
            raise StoreUnavailable("server down (test)")
        with super()._transaction(write) as cur:
            yield cur


def record(n: int, minute: int, outcome: Outcome | None = None) -> CallRecord:
    """Call `n` as known `minute` minutes after it was offered."""
    return CallRecord(
        f"c{n}",
        "service115",
        T0,
        outcome=outcome,
        updated_at=T0 + timedelta(minutes=minute),
        updated_by="agent1",
    )


def test_writes_queue_in_order_and_a_refused_one_becomes_a_dead_letter(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=3600)
    buffered.upsert_call(record(1, 1))
    store.down = True
    buffered.upsert_call(record(1, 2, Outcome.CALLBACK))
    store.down = False  # back, but within the back-off: later writes still queue behind
    buffered.upsert_call(record(1, 3, Outcome.RESOLVED))
    buffered.set_outcome("nope", Outcome.RESOLVED, changed_by="sup", at=T0)
    buffered.upsert_call(record(2, 1))
    assert buffered.pending == 4
    assert buffered.store.count_calls() == 1

    assert buffered.flush() == 3  # the refused edit is not counted as delivered
    assert buffered.pending == 0
    assert buffered.outbox.rejected() == 1  # the edit of an unknown call, kept
    assert buffered.store.get_call("c1").outcome is Outcome.RESOLVED
    history = buffered.store.outcome_history("c1")
    assert [(h.old_outcome, h.new_outcome) for h in history] == [
        (None, Outcome.CALLBACK),
        (Outcome.CALLBACK, Outcome.RESOLVED),
    ]
    assert buffered.store.count_calls() == 2
    buffered.close()


def test_an_outbox_survives_a_restart(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    store.down = True
    first = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"))
    first.upsert_call(record(7, 1))
    first.outbox.close()
    store.down = False
    second = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    assert second.pending == 1
    assert second.flush() == 1
    assert second.store.get_call("c7") == record(7, 1)
    second.close()
