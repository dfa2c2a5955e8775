"""A purge leaves nothing behind: the raw bytes of the database files are searched afterwards."""

from __future__ import annotations

import random
import string
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from calllog.codec import call_to_dict
from calllog.models import (
    ArticleFeedback,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    SearchQuery,
)
from calllog.outbox import BufferedStore
from calllog.outbox_purge import PURGED_REASON, purge_outbox
from calllog.privacy import PURGED_COMMENT
from calllog.store import SqliteOutbox, SqliteStore, SqlStore, open_store
from tests.integration.calllog.test_outbox_logic import FlakyStore

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CUTOFF = T0 + timedelta(days=30)
NOW = T0 + timedelta(days=120)
#: Markers of personal data that must be gone after the purge...
GONE = (b"+49 234 77", b"Purgeme", b"purgeme", b"0234 5556677", b"Rueckrufgrund")
#: ... and of data that must stay (proves the files are read at all).
KEPT = (b"+49 234 88", b"Keepme")


def _call(n: int, old: bool) -> CallRecord:
    at = (T0 if old else CUTOFF + timedelta(days=5)) + timedelta(minutes=n)
    tag, prefix = ("Purgeme", "77") if old else ("Keepme", "88")
    noise = "".join(random.Random(n).choices(string.ascii_letters, k=3000))
    return CallRecord(
        f"{'old' if old else 'new'}-{n}", "service115", at, agent_id="agent1",
        caller_number=f"+49 234 {prefix}{n:05d}", caller_name=f"Erika {tag}{n:04d}",
        answered_at=at + timedelta(seconds=9), outcome=Outcome.RESOLVED,
        notes=f"Notiz {tag} {n}" + (f" {noise} {tag}" if n == 0 else ""),
        searches=(SearchQuery(f"suche {tag.lower()} {n}", 0, at),), updated_at=at,
    )  # fmt: skip


def seed(store: SqlStore, count: int = 200) -> None:
    """Old and recent calls, an old closed ticket, an old done and an old open flag."""
    for n in range(count):
        store.upsert_call(_call(n, old=True))
        store.upsert_call(_call(n, old=False))
    store.upsert_callback(
        CallbackTicket("t-old", T0, T0 + timedelta(days=1), "agent1", "Rueckrufgrund Purgeme",
                       caller_name="Purgeme Ticket", number="+49 234 7799999",
                       status=CallbackStatus.DONE, closed_at=T0 + timedelta(hours=3))
    )  # fmt: skip
    store.add_feedback(
        ArticleFeedback("hund-anmelden", FeedbackKind.WRONG, "Frau Purgeme sagt: falsch",
                        "agent1", T0, status=FeedbackStatus.DONE, resolved_by="editor1",
                        resolved_at=T0 + timedelta(days=1))
    )  # fmt: skip
    store.add_feedback(
        ArticleFeedback("reisepass-beantragen", FeedbackKind.MISSING,
                        "Offen: Rückruf an 0234 5556677", "agent1", T0)
    )  # fmt: skip


def assert_gone(data: bytes) -> None:
    """None of the purged values is in `data`, every kept one is."""
    for marker in GONE:
        assert marker not in data, f"{marker!r} is still in the files"
    for marker in KEPT:
        assert marker in data, f"{marker!r} missing: the files were not read"


def _sqlite_bytes(path: Path) -> bytes:
    parts = [Path(str(path) + suffix) for suffix in ("", "-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def test_sqlite_purge_wipes_the_file_and_its_wal_while_the_connection_stays_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calls.db"
    store = SqliteStore(path)
    seed(store)
    assert b"Purgeme" in _sqlite_bytes(path)  # before: in the file or the WAL
    result = store.purge(CUTOFF, now=NOW, by="admin")
    assert (result.calls, result.callbacks, result.searches, result.feedback) == (200, 1, 200, 2)
    assert result.wiped
    assert_gone(_sqlite_bytes(path))  # the store's connection is still open
    assert Path(str(path) + "-wal").stat().st_size == 0
    flags = {f.article_id: f.comment for f in store.list_feedback(status=None)}
    assert flags["hund-anmelden"] == PURGED_COMMENT
    assert flags["reisepass-beantragen"] == "Offen: Rückruf an 0234 •••••77"
    assert store.get_call("old-3").searches == ()
    assert store.get_call("new-3").searches[0].text == "suche keepme 3"
    store.close()


def test_sqlite_file_from_before_incremental_vacuum_is_converted_and_wiped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calls.db"
    store = SqliteStore(path)
    store._conn.execute("PRAGMA auto_vacuum = NONE")
    store._conn.execute("VACUUM")  # as a file created by an older Lotse
    assert store._conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    seed(store, count=50)
    assert store.purge(CUTOFF, now=NOW, by="admin").wiped
    assert store._conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental now
    assert_gone(_sqlite_bytes(path))
    store.close()


def test_sqlite_purge_says_when_a_reader_kept_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "calls.db"
    store = SqliteStore(path)
    seed(store, count=20)
    reader = open_store(f"sqlite:///{path}")
    with reader._transaction(write=False) as cur:  # another program in the middle of a read
        reader._exec(cur, "SELECT count(*) FROM calls").fetchone()
        store._conn.execute("PRAGMA busy_timeout = 100")
        assert not store.purge(CUTOFF, now=NOW, by="admin").wiped
    assert store.purge(CUTOFF, now=NOW, by="admin").wiped  # again, once it is done
    assert_gone(_sqlite_bytes(path))
    reader.close()
    store.close()


@pytest.fixture
def pg_files(pg_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A superuser connection to the test database (reads relation files)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        yield conn


def _relation_bytes(conn: psycopg.Connection[tuple[object, ...]]) -> bytes:
    """Every table, index and TOAST file of the database, after a checkpoint."""
    conn.execute("CHECKPOINT")
    rows = conn.execute(
        "SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')"
        " AND pg_relation_filepath(c.oid) IS NOT NULL"
    ).fetchall()
    return b"".join(bytes(r[0]) for r in rows if r[0] is not None)  # type: ignore[arg-type]


def test_postgres_purge_leaves_no_dead_rows_in_tables_indexes_or_toast(
    pg_url: str, pg_files: psycopg.Connection[tuple[object, ...]]
) -> None:
    store = open_store(pg_url, migrate=True)
    seed(store)
    assert b"Purgeme" in _relation_bytes(pg_files)  # the files are read
    result = store.purge(CUTOFF, now=NOW, by="admin")
    assert (result.calls, result.searches, result.wiped) == (200, 200, True)
    assert_gone(_relation_bytes(pg_files))
    store.close()


def test_outbox_purge_and_delivery_leave_no_copies_in_the_outbox_file(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = SqliteOutbox(path)
    waiting, refused, recent = _call(1, old=True), _call(2, old=True), _call(3, old=False)
    outbox.append("call", waiting.call_id, call_to_dict(waiting))
    outbox.reject_new(
        "call", refused.call_id, call_to_dict(refused), f"refused: {refused.caller_number}"
    )
    outbox.append("call", recent.call_id, call_to_dict(recent))
    assert b"Purgeme" in _sqlite_bytes(path)
    assert purge_outbox(outbox, CUTOFF) == 2  # the waiting and the refused write
    assert_gone(_sqlite_bytes(path))
    assert outbox.rejected_entries()[0].error == PURGED_REASON  # it quoted the number

    # Delivered writes leave no copy behind either, once the queue is empty.
    store = FlakyStore(tmp_path / "calls.db")
    assert BufferedStore(store, outbox, retry_interval=0).flush() == 2
    data = _sqlite_bytes(path)
    assert b"Keepme" not in data and b"+49 234 88" not in data
    outbox.close()
    store.close()


def test_postgres_purge_waits_for_an_older_transaction_before_it_rewrites(
    pg_url: str, pg_files: psycopg.Connection[tuple[object, ...]]
) -> None:
    """A transaction that held an id from before the purge (here in the same database; another
    suite's migration in another database does the same) kept the old row versions alive:
    VACUUM FULL copied them and the numbers stayed in the files."""
    store = open_store(pg_url, migrate=True)
    seed(store, count=20)
    holder = psycopg.connect(pg_url)
    holder.execute("SELECT pg_current_xact_id()")  # open, with a transaction id
    done: list[object] = []
    purging = threading.Thread(target=lambda: done.append(store.purge(CUTOFF, now=NOW, by="admin")))
    purging.start()
    waiting = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND query LIKE 'SELECT pg_snapshot_xmin%%'"
    )
    while not pg_files.execute(waiting).fetchone()[0] and purging.is_alive():  # type: ignore[index]
        time.sleep(0.01)  # polls the condition; the holder keeps the purge waiting meanwhile
    assert done == []  # still waiting for the holder
    holder.commit()
    purging.join()
    holder.close()
    assert done[0].wiped  # type: ignore[attr-defined]
    assert_gone(_relation_bytes(pg_files))
    store.close()


def test_postgres_wipe_gives_up_while_an_older_transaction_stays_open(pg_url: str) -> None:
    store = open_store(pg_url, migrate=True)
    with psycopg.connect(pg_url) as holder:
        holder.execute("SELECT pg_current_xact_id()")
        conn = store._connection()
        assert not store._older_transactions_ended(conn, wait=0.3)  # type: ignore[attr-defined]
    # Other work on the server (CREATE DATABASE of another suite) may take a while to end.
    assert store._older_transactions_ended(conn, wait=60)  # type: ignore[attr-defined]
    store.close()
