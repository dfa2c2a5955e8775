"""Feedback is never lost: flags wait in the outbox while PostgreSQL refuses connections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from calllog.exceptions import StoreUnavailable
from calllog.models import FeedbackStatus
from calllog.outbox import BufferedStore, purge_outbox
from calllog.store import PostgresStore, SqliteOutbox
from tests.integration.calllog.conftest import PG_ADMIN_URL
from tests.integration.calllog.test_feedback import T0, flag
from tests.integration.calllog.test_outbox_logic import FlakyStore, record


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _refuse(name: str, refuse: bool) -> None:
    _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {'false' if refuse else 'true'}")
    if refuse:
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


@pytest.fixture
def buffered(pg_url: str, tmp_path: Path) -> BufferedStore:
    """A buffered store on a fresh, migrated PostgreSQL database."""
    store = PostgresStore(pg_url, migrate=True, connect_timeout=2)
    store.migrate()
    return BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)


def test_flags_queue_while_postgres_is_down_and_arrive_once(
    buffered: BufferedStore, pg_url: str
) -> None:
    name = pg_url.rsplit("/", 1)[1]
    buffered.add_feedback(flag(0))
    _refuse(name, True)
    try:
        for n in range(1, 6):
            buffered.add_feedback(flag(n))
        buffered.add_feedback(flag(1))  # the console retrying: a replay, not a second flag
        assert buffered.pending == 6
        with pytest.raises(StoreUnavailable):
            buffered.store.list_feedback()
        with pytest.raises(StoreUnavailable):
            buffered.resolve_feedback(flag(0).feedback_id, by="editor1", at=T0 + timedelta(1))
        assert purge_outbox(buffered.outbox, T0 + timedelta(days=400)) == 0  # flags are kept
        assert buffered.flush() == 0
    finally:
        _refuse(name, False)
    assert buffered.flush() == 6
    assert buffered.pending == 0 and buffered.outbox.rejected() == 0
    assert buffered.store.list_feedback() == [flag(n) for n in range(5, -1, -1)]
    done = buffered.resolve_feedback(flag(2).feedback_id, by="editor1", at=T0 + timedelta(1))
    assert done.status is FeedbackStatus.DONE
    assert buffered.store.list_feedback(status="done") == [done]
    buffered.close()


def test_flags_queue_behind_calls_in_order(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=3600)
    store.down = True
    buffered.upsert_call(record(1, 1))
    buffered.add_feedback(flag(1))
    store.down = False  # back, but within the back-off: the flag still queues
    buffered.add_feedback(flag(2))
    assert buffered.pending == 3
    assert buffered.store.list_feedback() == []  # reads see the store only
    # Resolving first delivers the queue, so the flag it names is there.
    done = buffered.resolve_feedback(flag(1).feedback_id, by="editor1", at=datetime.now(UTC))
    assert buffered.pending == 0
    assert done.resolved_by == "editor1"
    assert buffered.store.list_feedback() == [flag(2)]
    assert buffered.store.count_calls() == 1
    buffered.close()
