"""Per-person lookups on both backends: a caller's calls, an agent's tickets (migration 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from calllog.models import PENDING_STATUSES, CallbackStatus, CallbackTicket, CallRecord, Outcome
from calllog.outbox import BufferedStore
from calllog.store import SqliteOutbox, SqlStore, _migration_scripts, open_store

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def call(
    call_id: str, days: float, number: str | None, outcome: Outcome = Outcome.RESOLVED
) -> CallRecord:
    """A call offered `days` after T0 from `number`."""
    at = T0 + timedelta(days=days)
    return CallRecord(
        call_id, "service115", at, agent_id="agent1", caller_number=number,
        answered_at=at, ended_at=at + timedelta(minutes=2), outcome=outcome,
        updated_at=at + timedelta(minutes=3),
    )  # fmt: skip


def ticket(ticket_id: str, hours: int, by: str, status: CallbackStatus) -> CallbackTicket:
    """A ticket created by agent `by`, due `hours` after T0."""
    return CallbackTicket(
        ticket_id=ticket_id, created_at=T0, due_at=T0 + timedelta(hours=hours), created_by=by,
        clarify="Gebühr klären", number="0234 1234567", status=status, updated_at=T0,
    )  # fmt: skip


def _seed_calls(store: SqlStore) -> None:
    for record in (
        call("a1", 1, "0234999"),
        call("a2", 3, "0234999", outcome=Outcome.CALLBACK),
        call("a3", 40, "0234999"),
        call("prefix", 2, "02349990"),  # shares the prefix only
        call("other", 2, "0171555"),
        call("anonymous", 2, None),
    ):
        store.upsert_call(record)


def test_list_calls_by_exact_caller_number_newest_first(store: SqlStore) -> None:
    _seed_calls(store)
    got = store.list_calls(caller_number="0234999")
    assert [c.call_id for c in got] == ["a3", "a2", "a1"]
    assert all(c.caller_number == "0234999" for c in got)
    window = store.list_calls(caller_number="0234999", since=T0, until=T0 + timedelta(days=30))
    assert [c.call_id for c in window] == ["a2", "a1"]
    assert [c.call_id for c in store.list_calls(caller_number="02349990")] == ["prefix"]
    assert store.list_calls(caller_number="0234") == []
    assert len(store.list_calls(caller_number="0234999", limit=1)) == 1
    combined = store.list_calls(caller_number="0234999", outcome=Outcome.CALLBACK)
    assert [c.call_id for c in combined] == ["a2"]
    assert len(store.list_calls()) == 6  # no number given: every call


def test_purged_calls_are_not_found_by_number(store: SqlStore) -> None:
    _seed_calls(store)
    store.purge(T0 + timedelta(days=10), now=T0 + timedelta(days=50), by="dsb")
    assert [c.call_id for c in store.list_calls(caller_number="0234999")] == ["a3"]


def test_list_callbacks_by_creator(store: SqlStore) -> None:
    for t in (
        ticket("mine-late", 30, "agent1", CallbackStatus.OPEN),
        ticket("mine-soon", 2, "agent1", CallbackStatus.IN_PROGRESS),
        ticket("mine-done", 1, "agent1", CallbackStatus.DONE),
        ticket("theirs", 1, "agent2", CallbackStatus.OPEN),
    ):
        store.upsert_callback(t)
    mine = store.list_callbacks(created_by="agent1")
    assert [t.ticket_id for t in mine] == ["mine-done", "mine-soon", "mine-late"]
    pending = store.list_callbacks(statuses=PENDING_STATUSES, created_by="agent1")
    assert [t.ticket_id for t in pending] == ["mine-soon", "mine-late"]
    due = store.list_callbacks(created_by="agent1", due_before=T0 + timedelta(hours=3))
    assert [t.ticket_id for t in due] == ["mine-done", "mine-soon"]
    assert [t.ticket_id for t in store.list_callbacks(created_by="agent2")] == ["theirs"]
    assert store.list_callbacks(created_by="agent9") == []
    assert len(store.list_callbacks()) == 4


def test_reads_beside_a_buffered_store_go_to_the_store_itself(
    store: SqlStore, tmp_path: Path
) -> None:
    _seed_calls(store)
    store.upsert_callback(ticket("mine", 2, "agent1", CallbackStatus.OPEN))
    store.upsert_callback(ticket("theirs", 1, "agent2", CallbackStatus.OPEN))
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"))
    try:
        assert not hasattr(buffered, "list_calls")  # it wraps writes only
        calls = buffered.store.list_calls(caller_number="0234999", since=T0 + timedelta(days=2))
        assert [c.call_id for c in calls] == ["a3", "a2"]
        tickets = buffered.store.list_callbacks(statuses=PENDING_STATUSES, created_by="agent1")
        assert [t.ticket_id for t in tickets] == ["mine"]
    finally:
        buffered.outbox.close()


def _index_names(store: SqlStore) -> set[str]:
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if store.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    )
    with store._transaction(write=False) as cur:
        return {row[0] for row in store._exec(cur, sql).fetchall()}


def test_migration_5_adds_the_lookup_indexes(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    try:
        store.migrate(target=3)
        assert not {"calls_caller_offered", "callbacks_creator_due"} & _index_names(store)
        assert 5 in store.migrate()
        assert {"calls_caller_offered", "callbacks_creator_due"} <= _index_names(store)
    finally:
        store.close()


def test_sqlite_looks_callers_up_through_the_index(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'calls.db'}")
    try:
        with store._transaction(write=False) as cur:
            plan = " ".join(
                str(row[-1])
                for row in cur.execute(
                    "EXPLAIN QUERY PLAN SELECT call_id FROM calls WHERE caller_number = ?"
                    " AND offered_at >= ? ORDER BY offered_at DESC",
                    ("0234999", "2026-01-01"),
                ).fetchall()
            )
        assert "calls_caller_offered" in plan
    finally:
        store.close()


def test_a_migration_numbered_below_the_newest_applied_still_runs(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    try:
        assert store.migrate(target=2) == [1, 2]
        with store._transaction() as cur:  # as if 5 had come in before 3 (from another branch)
            store._exec(
                cur,
                "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES (5, 'caller_and_creator_lookup', 'test')",
            )
        assert store.schema_version() == 5
        later = [v for v, _, _ in _migration_scripts(store.dialect.name) if v > 5]
        assert store.pending_versions() == [3, *later]
        assert store.migrate() == [3, *later]
        assert store.pending_versions() == []
        store.list_feedback()  # the table of migration 3 exists
    finally:
        store.close()
