"""Nothing is lost: the outbox against a real PostgreSQL that drops and refuses connections."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from calllog.exceptions import SchemaOutdated
from calllog.models import CallRecord, Outcome, Topic
from calllog.outbox import BufferedStore, open_call_log, purge_outbox
from calllog.store import PostgresStore, SqliteOutbox, open_store
from tests.integration.calllog.conftest import PG_ADMIN_URL

T0 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


def version(n: int, v: int) -> CallRecord:
    """Version `v` (1: talking, 2: wrapped up) of call number `n`."""
    offered = T0 + timedelta(minutes=n)
    return CallRecord(
        call_id=f"call-{n:04d}",
        queue="service115",
        offered_at=offered,
        agent_id=f"agent{n % 7}",
        caller_number=f"+49 234 {1000000 + n}",
        answered_at=offered + timedelta(seconds=n % 40),
        outcome=Outcome.CALLBACK if v == 2 else None,
        topics=(Topic("reisepass-beantragen", "99085001000000"),) if v == 2 else (),
        updated_at=offered + timedelta(seconds=60 * v),
        updated_by="agent-x",
    )


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _assert_all_arrived_once(url: str, count: int) -> None:
    store = PostgresStore(url)
    try:
        assert store.count_calls() == count
        for n in range(count):
            stored = store.get_call(f"call-{n:04d}")
            assert stored == version(n, 2)
            history = store.outcome_history(stored.call_id)
            assert [(h.old_outcome, h.new_outcome) for h in history] == [(None, Outcome.CALLBACK)]
    finally:
        store.close()


@pytest.fixture
def buffered(pg_url: str, tmp_path: Path) -> BufferedStore:
    """A buffered store on a fresh PostgreSQL database with a local outbox."""
    store = PostgresStore(pg_url, migrate=True, connect_timeout=2)
    store.migrate()
    return BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)


def test_killed_backends_mid_write_lose_and_duplicate_nothing(
    buffered: BufferedStore, pg_url: str
) -> None:
    count = 150
    stop, kills = threading.Event(), [0]

    def killer() -> None:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            while not stop.is_set():
                row = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                kills[0] += row[0] if row else 0
                time.sleep(0.015)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        for n in range(count):
            buffered.upsert_call(version(n, 1))
            buffered.upsert_call(version(n, 2))
    finally:
        stop.set()
        thread.join()
    deadline = time.monotonic() + 20
    while buffered.pending and time.monotonic() < deadline:
        buffered.flush()
    assert kills[0] > 0
    assert buffered.queued_total > 0, "no write ever hit a killed connection"
    assert buffered.pending == 0
    assert buffered.outbox.rejected() == 0
    _assert_all_arrived_once(pg_url, count)
    buffered.close()


def test_writes_queue_while_the_database_refuses_and_arrive_in_order(
    buffered: BufferedStore, pg_url: str
) -> None:
    name = _db_name(pg_url)
    buffered.upsert_call(version(0, 1))
    _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
    _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        buffered.upsert_call(version(0, 2))
        for n in range(1, 20):
            buffered.upsert_call(version(n, 1))
            buffered.upsert_call(version(n, 2))
        buffered.set_outcome(
            "call-0003", Outcome.WRITTEN, changed_by="supervisor1", at=T0 + timedelta(hours=2)
        )
        assert buffered.pending == 40
        assert buffered.flush() == 0  # still refused: nothing delivered, nothing dropped
    finally:
        _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    assert buffered.flush() == 40
    assert buffered.pending == 0
    assert buffered.store.count_calls() == 20
    history = buffered.store.outcome_history("call-0003")
    assert [(h.old_outcome, h.new_outcome, h.changed_by) for h in history] == [
        (None, Outcome.CALLBACK, "agent-x"),
        (Outcome.CALLBACK, Outcome.WRITTEN, "supervisor1"),
    ]
    assert buffered.store.get_call("call-0007") == version(7, 2)
    buffered.close()


def test_purge_scrubs_queued_records_too(buffered: BufferedStore, pg_url: str) -> None:
    name = _db_name(pg_url)
    _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
    _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        buffered.upsert_call(version(0, 2))
        buffered.upsert_call(version(200 * 24 * 60, 2))  # 200 days later: kept
        scrubbed = [e for e in buffered.outbox.entries() if e.payload["caller_number"] is None]
        assert scrubbed == []
        assert purge_outbox(buffered.outbox, T0 + timedelta(days=30)) == 1
    finally:
        _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    buffered.flush()
    assert buffered.store.get_call("call-0000").caller_number is None
    assert buffered.store.get_call("call-288000").caller_number == "+49 234 1288000"
    buffered.close()


def test_writes_wait_for_the_schema_upgrade(pg_url: str, tmp_path: Path) -> None:
    buffered = open_call_log(pg_url, tmp_path / "outbox.db")
    assert isinstance(buffered, BufferedStore)
    buffered.retry_interval = 0
    buffered.upsert_call(version(1, 2))  # database is empty: not upgraded yet
    assert buffered.pending == 1
    with pytest.raises(SchemaOutdated):
        buffered.store.count_calls()
    open_store(pg_url, migrate=True).close()  # `lotse db upgrade`
    assert buffered.flush() == 1
    assert buffered.store.get_call("call-0001") == version(1, 2)
    buffered.close()
