"""Staffed time in the store (both backends), through the outbox, and the purge's new column."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from calllog.models import CallRecord, Outcome, TransferMode
from calllog.outbox import BufferedStore, Delivery
from calllog.staffed import StaffedSpan, StaffedState
from calllog.store import SqliteOutbox, SqlStore
from tests.integration.calllog.test_outbox_logic import FlakyStore

T0 = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # Monday 22:00 in Berlin
MON, TUE = date(2026, 11, 23), date(2026, 11, 24)


def span(minutes: int, state: StaffedState = StaffedState.AVAILABLE) -> StaffedSpan:
    return StaffedSpan("a1", state, T0, T0 + timedelta(minutes=minutes))


def test_a_growing_span_is_one_row_per_day_and_never_shrinks(store: SqlStore) -> None:
    assert store.upsert_staffed([span(30)]) == 1
    assert store.upsert_staffed([span(90)]) == 1  # the same span, later: same row
    assert store.upsert_staffed([span(150)]) == 2  # past local midnight: a row per day
    assert store.upsert_staffed([span(60)]) == 1  # a late, shorter write changes nothing
    assert store.upsert_staffed([span(150)]) == 2  # a replay neither
    rows = store.list_staffed(MON, TUE)
    assert [(r.started_at, r.ms) for r in rows] == [
        (T0, 7_200_000), (T0 + timedelta(hours=2), 1_800_000),
    ]  # fmt: skip
    assert [r.ms for r in store.list_staffed(TUE, TUE)] == [1_800_000]
    assert store.list_staffed(MON, TUE, agent_id="a2") == []


def test_the_pause_reason_is_kept(store: SqlStore) -> None:
    store.upsert_staffed([StaffedSpan("a2", StaffedState.PAUSED, T0, T0 + timedelta(minutes=5),
                                      "Schulung")])  # fmt: skip
    [row] = store.list_staffed(MON, MON)
    assert (row.state, row.reason, row.ms) == (StaffedState.PAUSED, "Schulung", 300_000)


def test_staffed_time_waits_in_the_outbox_while_the_store_is_down(tmp_path: Path) -> None:
    store = FlakyStore(tmp_path / "calls.db")
    buffered = BufferedStore(store, SqliteOutbox(tmp_path / "outbox.db"), retry_interval=0)
    store.down = True
    assert buffered.upsert_staffed([span(10)]) is Delivery.QUEUED
    assert buffered.upsert_staffed([span(20)]) is Delivery.QUEUED
    store.down = False
    assert buffered.flush() == 2
    assert [r.ms for r in store.list_staffed(MON, MON)] == [1_200_000]
    buffered.close()


def test_the_purge_removes_the_handover_note_and_keeps_the_rating(store: SqlStore) -> None:
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    store.upsert_call(CallRecord(
        "old", "service115", at, agent_id="a1", caller_number="+49 234 1",
        answered_at=at, ended_at=at + timedelta(minutes=3), outcome=Outcome.TRANSFERRED,
        transfer_mode=TransferMode.BLIND, handover_note="Frau X, Az. 4711",
        survey_at=at + timedelta(minutes=3), survey_rating=5,
    ))  # fmt: skip
    assert store.purge(at + timedelta(days=1), now=at + timedelta(days=100), by="admin").calls == 1
    stored = store.get_call("old")
    assert stored.handover_note is None and stored.handover  # the flag stays for the figures
    assert stored.survey_rating == 5 and stored.caller_number is None
