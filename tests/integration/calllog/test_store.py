"""The store on both backends: migrations, idempotent upserts, history, tickets, purge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from calllog.callbacks import add_attempt
from calllog.exceptions import NotFound, StoreError, UnsupportedUrl
from calllog.models import (
    AttemptResult,
    CallbackAttempt,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Outcome,
    SearchQuery,
    Topic,
    TransferMode,
)
from calllog.store import SqlStore, latest_version, open_store
from tests.integration.calllog.conftest import insert_v1_call

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # Monday 09:30 in Berlin


def call(call_id: str = "1700000000.1", start: datetime = T0, **changes: object) -> CallRecord:
    """A resolved call about the identity card, offered at `start`."""
    shift = start - T0
    record = CallRecord(
        call_id=call_id,
        queue="service115",
        offered_at=T0,
        agent_id="agent1",
        caller_number="+49 234 9101234",
        caller_name="Erika Mustermann",
        language="de",
        answered_at=T0 + timedelta(seconds=12),
        ended_at=T0 + timedelta(seconds=192),
        wrapup_end_at=T0 + timedelta(seconds=222),
        outcome=Outcome.RESOLVED,
        notes="Termin gewünscht",
        topics=(
            Topic("personalausweis-beantragen", "99008001000000"),
            Topic("biometrisches-foto"),
        ),
        searches=(SearchQuery("perso", 4, T0 + timedelta(seconds=20)), SearchQuery("xyz", 0)),
        updated_at=T0 + timedelta(seconds=222),
        updated_by="agent1",
    )
    times = ("offered_at", "answered_at", "ended_at", "wrapup_end_at", "updated_at")
    record = replace(record, **{name: getattr(record, name) + shift for name in times})
    return replace(record, **changes)  # type: ignore[arg-type]


def test_migrations_start_from_empty_and_are_idempotent(store: SqlStore) -> None:
    dialect = store.dialect.name
    assert store.schema_version() == latest_version(dialect)
    assert store.migrate() == []


def _topic_outcomes(store: SqlStore) -> list[tuple[str, str | None]]:
    with store._transaction() as cur:
        cur.execute("SELECT article_id, outcome FROM call_topics ORDER BY article_id")
        return [tuple(row) for row in cur.fetchall()]


def test_migration_2_backfills_the_outcome_of_topics(store_url: str) -> None:
    store = open_store(store_url, migrate=False)
    assert store.migrate(target=1) == [1]
    record = call()
    insert_v1_call(store, record, topic_outcomes=False)
    assert store.migrate(target=2) == [2]
    assert _topic_outcomes(store) == [
        ("biometrisches-foto", "resolved"),
        ("personalausweis-beantragen", "resolved"),
    ]
    store.migrate()  # the program reads calls with the newest schema
    assert store.get_call(record.call_id) == replace(record, searches=())
    store.close()


def test_topics_follow_their_calls_outcome(store: SqlStore) -> None:
    store.upsert_call(call())
    store.set_outcome("1700000000.1", Outcome.WRITTEN, changed_by="s", at=T0 + timedelta(hours=1))
    assert {outcome for _, outcome in _topic_outcomes(store)} == {"written"}
    store.bulk_insert([call("bulk", topics=(Topic("fundsache"),))])
    assert ("fundsache", "resolved") in _topic_outcomes(store)


def test_a_call_round_trips_with_topics_searches_and_derived_times(store: SqlStore) -> None:
    record = call()
    assert store.upsert_call(record)
    stored = store.get_call(record.call_id)
    assert stored == record
    assert (stored.wait_ms, stored.talk_ms, stored.wrapup_ms) == (12_000, 180_000, 30_000)


def test_replaying_a_record_never_duplicates_it(store: SqlStore) -> None:
    record = call()
    for _ in range(3):
        store.upsert_call(record)
    assert store.count_calls() == 1
    assert store.get_call(record.call_id).topics == record.topics
    assert store.outcome_history(record.call_id) == []


def test_a_newer_version_replaces_and_an_older_one_is_ignored(store: SqlStore) -> None:
    first = call(outcome=None, wrapup_end_at=None, topics=(), updated_at=T0 + timedelta(minutes=3))
    final = call(
        outcome=Outcome.TRANSFERRED,
        outcome_target="Bürgerbüro 4711",
        transfer_mode=TransferMode.ATTENDED,
        updated_at=T0 + timedelta(minutes=5),
    )
    assert store.upsert_call(first)
    assert store.upsert_call(final)
    assert not store.upsert_call(first)  # stale replay
    stored = store.get_call(final.call_id)
    assert stored.outcome is Outcome.TRANSFERRED
    assert stored.transfer_mode is TransferMode.ATTENDED
    assert [t.article_id for t in stored.topics] == [t.article_id for t in final.topics]
    history = store.outcome_history(final.call_id)
    assert [(h.old_outcome, h.new_outcome, h.changed_by) for h in history] == [
        (None, Outcome.TRANSFERRED, "agent1")
    ]


def test_outcome_edits_are_kept_as_append_only_history(store: SqlStore) -> None:
    store.upsert_call(call())
    store.set_outcome(
        "1700000000.1",
        Outcome.CALLBACK,
        changed_by="supervisor1",
        at=T0 + timedelta(hours=1),
    )
    store.set_outcome(
        "1700000000.1",
        Outcome.NOT_RESPONSIBLE,
        changed_by="supervisor2",
        at=T0 + timedelta(hours=2),
        target="Finanzamt Bochum",
    )
    history = store.outcome_history("1700000000.1")
    assert [(h.changed_by, h.old_outcome, h.new_outcome, h.new_target) for h in history] == [
        ("supervisor1", Outcome.RESOLVED, Outcome.CALLBACK, None),
        ("supervisor2", Outcome.CALLBACK, Outcome.NOT_RESPONSIBLE, "Finanzamt Bochum"),
    ]
    assert history[0].changed_at == T0 + timedelta(hours=1)
    assert store.get_call("1700000000.1").outcome is Outcome.NOT_RESPONSIBLE
    with pytest.raises(StoreError, match="append-only"), store._transaction() as cur:
        cur.execute("DELETE FROM outcome_history")
    assert len(store.outcome_history("1700000000.1")) == 2


def test_unknown_ids_raise_not_found(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        store.get_call("nope")
    with pytest.raises(NotFound):
        store.set_outcome("nope", Outcome.RESOLVED, changed_by="x", at=T0)
    with pytest.raises(NotFound):
        store.get_callback("nope")


def test_list_calls_filters_by_time_agent_and_outcome(store: SqlStore) -> None:
    for n in range(6):
        store.upsert_call(
            call(
                f"c{n}",
                start=T0 + timedelta(days=n),
                agent_id="agent1" if n % 2 else "agent2",
                outcome=Outcome.DROPPED if n == 5 else Outcome.RESOLVED,
            )
        )
    got = store.list_calls(since=T0 + timedelta(days=1), until=T0 + timedelta(days=5))
    assert [c.call_id for c in got] == ["c4", "c3", "c2", "c1"]
    assert [c.call_id for c in store.list_calls(agent_id="agent2")] == ["c4", "c2", "c0"]
    assert [c.call_id for c in store.list_calls(outcome=Outcome.DROPPED)] == ["c5"]
    assert len(store.list_calls(limit=2)) == 2


def ticket(ticket_id: str, due: datetime, status: CallbackStatus) -> CallbackTicket:
    """A call-back ticket due at `due`."""
    return CallbackTicket(
        ticket_id=ticket_id,
        created_at=T0,
        due_at=due,
        created_by="agent1",
        clarify="Gebühr für Expresspass",
        number="0234 1234567",
        status=status,
        updated_at=T0,
    )


def test_callback_tickets_round_trip_and_list_by_status_and_due(store: SqlStore) -> None:
    tickets = [
        ticket("t1", T0 + timedelta(days=2), CallbackStatus.OPEN),
        ticket("t2", T0 + timedelta(days=1), CallbackStatus.IN_PROGRESS),
        ticket("t3", T0 + timedelta(hours=3), CallbackStatus.DONE),
    ]
    for t in tickets:
        store.upsert_callback(t)
    store.upsert_callback(tickets[0])
    assert store.get_callback("t1") == tickets[0]
    later = replace(tickets[0], attempts=1, updated_at=T0 + timedelta(hours=1))
    store.upsert_callback(later)
    store.upsert_callback(tickets[0])  # stale replay
    assert store.get_callback("t1") == later
    pending = store.list_callbacks(statuses=[CallbackStatus.OPEN, CallbackStatus.IN_PROGRESS])
    assert [t.ticket_id for t in pending] == ["t2", "t1"]
    due = store.list_callbacks(due_before=T0 + timedelta(days=1, hours=1))
    assert [t.ticket_id for t in due] == ["t3", "t2"]
    assert store.list_callbacks(statuses=[]) == []


def test_attempts_are_kept_with_the_ticket_and_a_stale_replay_keeps_them(
    store: SqlStore,
) -> None:
    opened = ticket("t1", T0 + timedelta(days=2), CallbackStatus.OPEN)
    store.upsert_callback(opened)
    first = add_attempt(opened, CallbackAttempt(T0 + timedelta(hours=1), "agent1",
                                                AttemptResult.NOT_REACHED, "9.1",
                                                notes="Mailbox, nur vormittags"))  # fmt: skip
    store.upsert_callback(first)
    second = add_attempt(first, CallbackAttempt(T0 + timedelta(hours=3), "agent2",
                                                AttemptResult.REACHED, "9.7",
                                                Outcome.RESOLVED))  # fmt: skip
    store.upsert_callback(second)
    store.upsert_callback(first)  # an older version replayed (the outbox) changes nothing
    stored = store.get_callback("t1")
    assert stored == second
    assert [(a.agent_id, a.result, a.call_id) for a in stored.history] == [
        ("agent1", AttemptResult.NOT_REACHED, "9.1"),
        ("agent2", AttemptResult.REACHED, "9.7"),
    ]
    assert stored.status == CallbackStatus.DONE and stored.attempts == 2
    (listed,) = store.list_callbacks(statuses=[CallbackStatus.DONE])
    assert listed.history == stored.history
    assert stored.history[0].notes == "Mailbox, nur vormittags"
    store.purge(T0 + timedelta(days=1), now=T0 + timedelta(days=100), by="admin")
    purged = store.get_callback("t1")
    assert purged.history[0].notes is None and purged.history[0].result == "not_reached"
    store.upsert_callback(replace(second, updated_at=T0 + timedelta(days=101)))
    assert store.get_callback("t1").history[0].notes is None  # not brought back


def test_purge_removes_personal_data_keeps_statistics_and_is_recorded(store: SqlStore) -> None:
    old, recent = call("old"), call("recent", start=T0 + timedelta(days=100))
    old_ticket = replace(ticket("t-old", T0 + timedelta(days=1), CallbackStatus.DONE))
    open_ticket = ticket("t-open", T0 + timedelta(days=1), CallbackStatus.OPEN)
    for record in (old, recent):
        store.upsert_call(record)
    for t in (old_ticket, open_ticket):
        store.upsert_callback(t)
    now = T0 + timedelta(days=120)
    result = store.purge(T0 + timedelta(days=30), now=now, by="admin")
    assert (result.calls, result.callbacks) == (1, 1)
    purged = store.get_call("old")
    assert (purged.caller_number, purged.caller_name, purged.notes) == (None, None, None)
    assert purged.purged_at == now
    assert (purged.outcome, purged.wait_ms, purged.topics) == (old.outcome, 12_000, old.topics)
    assert store.get_call("recent").caller_number == recent.caller_number
    assert store.get_callback("t-old").number is None
    assert store.get_callback("t-open").number == open_ticket.number  # still owed an answer
    # A late replay of the old record does not bring the personal data back.
    store.upsert_call(replace(old, updated_at=now + timedelta(seconds=1)))
    assert store.get_call("old").caller_number is None
    assert store.purge(T0 + timedelta(days=30), now=now, by="admin").calls == 0
    assert [(p.calls, p.callbacks) for p in store.purge_log()] == [(1, 1), (0, 0)]


def test_bulk_insert_loads_new_calls_and_keeps_existing_ones(store: SqlStore) -> None:
    store.upsert_call(call("c0", notes="kept"))
    records = [call(f"c{n}", notes=f"Zeile {n}\nmit\tTab \\N und \\ Ende") for n in range(5)]
    assert store.bulk_insert(records, batch_size=2) == 5
    assert store.count_calls() == 5
    assert store.get_call("c0").notes == "kept"
    assert store.get_call("c3") == records[3]
    fresh = [call(f"d{n}", start=T0 + timedelta(hours=n)) for n in range(3)]
    assert store.bulk_insert(fresh) == 3
    assert store.get_call("d2") == fresh[2]


def test_two_stores_on_one_database_see_each_others_writes(
    make_store: Callable[[], SqlStore],
) -> None:
    first, second = make_store(), make_store()
    first.upsert_call(call("a"))
    second.upsert_call(call("b"))
    assert first.count_calls() == second.count_calls() == 2


def test_unsupported_urls_are_rejected() -> None:
    with pytest.raises(UnsupportedUrl):
        open_store("mysql://localhost/calls")
    with pytest.raises(UnsupportedUrl):
        open_store("sqlite://")


def test_readers_are_not_blocked_by_an_open_write(make_store: Callable[[], SqlStore]) -> None:
    writer, reader = make_store(), make_store()
    writer.upsert_call(call("committed"))
    with writer._transaction() as cur:
        writer._exec(cur, "UPDATE calls SET notes = 'x' WHERE call_id = 'committed'")
        assert reader.count_calls() == 1  # would wait for the lock if reads took it
        assert reader.get_call("committed").notes == call().notes
