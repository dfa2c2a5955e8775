"""Only a record the server refuses is rejected; every other failure is retried.

Against a real PostgreSQL: a read-only server (as during a fail-over), a terminated
connection (a restart), a CHECK constraint the record breaks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from calllog.codec import call_from_dict
from calllog.models import Outcome
from calllog.outbox import BufferedStore, Delivery
from calllog.store import PostgresStore, SqliteOutbox
from tests.integration.calllog.conftest import PG_ADMIN_URL
from tests.integration.calllog.test_outbox import T0, version


def _admin(sql: str, url: str = PG_ADMIN_URL) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _terminate(name: str) -> None:
    """End every session on the database, as a restart or fail-over does."""
    _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


@pytest.fixture
def buffered(pg_url: str, tmp_path: Path) -> BufferedStore:
    """A buffered store on a fresh, migrated PostgreSQL database."""
    store = PostgresStore(pg_url, migrate=True, connect_timeout=2)
    store.migrate()
    return BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)


def test_a_read_only_server_queues_every_write_and_rejects_none(
    buffered: BufferedStore, pg_url: str
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    assert buffered.upsert_call(version(0, 1)) is Delivery.STORED
    _admin(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    _terminate(name)  # the fail-over: new sessions land on a read-only server
    try:
        assert buffered.upsert_call(version(0, 2)) is Delivery.QUEUED
        for n in range(1, 10):
            assert buffered.upsert_call(version(n, 2)) is Delivery.QUEUED
        assert buffered.set_outcome(
            "call-0001", Outcome.WRITTEN, changed_by="supervisor1", at=T0.replace(hour=12)
        ) is Delivery.QUEUED  # fmt: skip
        assert buffered.flush() == 0  # nothing counted as delivered
        assert buffered.pending == 11 and buffered.outbox.rejected() == 0
        head = buffered.outbox.entries()[0]
        assert head.attempts >= 2 and "25006" in (head.error or "")
    finally:
        _admin(f"ALTER DATABASE {name} RESET default_transaction_read_only")
    # The primary is back: the next flush connects afresh (a session that met the
    # read-only server is never reused) and delivers everything in order.
    assert buffered.flush() == 11
    assert buffered.pending == 0 and buffered.outbox.rejected() == 0
    assert buffered.store.count_calls() == 10
    assert buffered.store.get_call("call-0005") == version(5, 2)
    assert buffered.store.get_call("call-0001").outcome is Outcome.WRITTEN
    buffered.close()


def test_a_terminated_connection_queues_the_write_and_the_flush_delivers_it(
    buffered: BufferedStore, pg_url: str
) -> None:
    assert buffered.upsert_call(version(1, 1)) is Delivery.STORED
    _terminate(pg_url.rsplit("/", 1)[1])
    assert buffered.upsert_call(version(1, 2)) is Delivery.QUEUED
    assert buffered.flush() == 1
    assert buffered.store.get_call("call-0001") == version(1, 2)
    buffered.close()


def test_a_record_the_server_refuses_is_kept_visible_and_blocks_nothing(
    buffered: BufferedStore, pg_url: str
) -> None:
    _admin("ALTER TABLE calls ADD CONSTRAINT no_bogus CHECK (queue <> 'bogus')", pg_url)
    bad = replace(version(1, 2), queue="bogus")
    assert buffered.upsert_call(bad) is Delivery.REJECTED
    assert buffered.upsert_call(version(2, 2)) is Delivery.STORED
    [kept] = buffered.outbox.rejected_entries()
    assert kept.key == bad.call_id and call_from_dict(kept.payload) == bad
    assert "23514" in (kept.error or "")
    assert bad.caller_number and bad.caller_number not in (kept.error or "")  # no DETAIL row

    # The same on the way out of the queue: refused, kept, not counted, the rest delivered.
    name = pg_url.rsplit("/", 1)[1]
    _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
    _terminate(name)
    try:
        worse = replace(version(3, 2), queue="bogus")
        assert buffered.upsert_call(worse) is Delivery.QUEUED
        assert buffered.upsert_call(version(4, 2)) is Delivery.QUEUED
    finally:
        _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    assert buffered.flush() == 1
    assert buffered.pending == 0
    assert [e.key for e in buffered.outbox.rejected_entries()] == ["call-0001", "call-0003"]
    assert buffered.store.count_calls() == 2

    # Once the rule is fixed, the kept records go in on a retry.
    _admin("ALTER TABLE calls DROP CONSTRAINT no_bogus", pg_url)
    assert buffered.outbox.requeue() == 2
    assert buffered.flush() == 2
    assert buffered.outbox.rejected() == 0
    assert buffered.store.get_call("call-0003").queue == "bogus"
    buffered.close()
