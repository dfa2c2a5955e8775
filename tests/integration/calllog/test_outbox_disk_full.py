"""A full disk loses nothing: of the outbox file (writes held in memory) or of the call log."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from calllog.models import CallRecord
from calllog.outbox import BufferedStore, Delivery
from calllog.store import SqliteOutbox, SqliteStore
from tests.integration.calllog.test_outbox_logic import T0, FlakyStore

#: SQLite's default upper bound for `max_page_count` (no limit in practice).
NO_LIMIT = 1_073_741_823


def big(n: int) -> CallRecord:
    """A call with long notes, so a few fill a page-limited file."""
    return CallRecord(
        f"c{n:03d}", "service115", T0 + timedelta(minutes=n), caller_number=f"+4923410{n:05d}",
        notes=f"Notiz {n} " + "x" * 3000, updated_at=T0 + timedelta(minutes=n, seconds=1),
    )  # fmt: skip


def _limit(conn: object, extra_pages: int) -> None:
    """Simulate a disk with room for only `extra_pages` more pages (SQLITE_FULL after)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
    conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")  # type: ignore[attr-defined]


def test_a_full_outbox_disk_holds_writes_in_memory_in_order(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    store.down = True
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    buffered = BufferedStore(store, outbox, retry_interval=0)
    _limit(outbox._conn, 4)
    went = [buffered.upsert_call(big(n)) for n in range(30)]
    first_held = went.index(Delivery.HELD)
    assert first_held > 0 and set(went[:first_held]) == {Delivery.QUEUED}
    assert set(went[first_held:]) == {Delivery.HELD}  # order kept: never back to the file early
    assert buffered.pending == 30 and buffered.held == 30 - first_held

    # Space again, the store still down: the held writes move into the file, in order.
    outbox._conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}")
    assert buffered.flush() == 0
    assert buffered.held == 0 and [e.key for e in outbox.entries()] == [
        f"c{n:03d}" for n in range(30)
    ]
    store.down = False
    assert buffered.flush() == 30
    assert buffered.pending == 0
    assert buffered.store.get_call("c029") == big(29)
    buffered.close()


def test_held_writes_follow_the_queued_ones_into_the_store_in_order(
    tmp_path: Path,
) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    store.down = True
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    buffered = BufferedStore(store, outbox, retry_interval=0)
    _limit(outbox._conn, 0)
    n = 0
    while buffered.upsert_call(big(n)) is Delivery.QUEUED:  # until the file is full
        n += 1
    later = replace(big(0), notes="neuer", updated_at=big(n).updated_at)
    assert buffered.upsert_call(later) is Delivery.HELD
    store.down = False
    assert buffered.flush() == n + 2  # the file's entries, then the held ones directly
    assert buffered.pending == 0 and buffered.held == 0
    assert buffered.store.get_call("c000").notes == "neuer"
    assert buffered.store.count_calls() == n + 1
    buffered.close()


def test_a_full_call_log_disk_queues_the_writes_instead_of_refusing_them(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "calls.db")
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    _limit(store._conn, 3)
    went = [buffered.upsert_call(big(n)) for n in range(20)]
    assert Delivery.QUEUED in went and Delivery.REJECTED not in went
    assert buffered.outbox.rejected() == 0
    assert "full" in (buffered.outbox.entries()[0].error or "")
    store._conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}")
    buffered.flush()
    assert buffered.pending == 0 and buffered.store.count_calls() == 20
    buffered.close()
