"""The console's and the recorder's writes of one call in the store, both backends, any order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from calllog.browse import find_calls
from calllog.models import CallRecord, Outcome, SearchQuery, Topic, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from calllog.store import SqlStore, WriteResult

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


RECORDED = [  # what the recorder writes as the call goes on
    CallRecord("1795.1", "service115", at(0.2), caller_number="0234 1", caller_name="Erika",
               caller_uniqueid="1795.1", entry_position=2, source=Source.RECORDER),
    CallRecord("1795.1", "service115", at(0.2), agent_id="agent1", caller_number="0234 1",
               caller_name="Erika", answered_at=at(11.4), caller_uniqueid="1795.1",
               entry_position=2, source=Source.RECORDER),
    CallRecord("1795.1", "service115", at(0.2), agent_id="agent1", caller_number="0234 1",
               caller_name="Erika", answered_at=at(11.4), ended_at=at(95.1),
               pbx_transfer=TransferMode.BLIND, pbx_transfer_target="2002",
               caller_uniqueid="1795.1", entry_position=2, source=Source.RECORDER),
]  # fmt: skip
CONSOLE = CallRecord(  # the agent's wrap-up: its own clock, its own view of the times
    "1795.1", "service115", at(1), agent_id="agent1", caller_number="0234 1",
    caller_name="Erika", answered_at=at(12), ended_at=at(96), wrapup_end_at=at(130),
    outcome=Outcome.TRANSFERRED, outcome_target="Kfz-Zulassung", transfer_mode=TransferMode.BLIND,
    notes="Termin", topics=(Topic("kfz-zulassung"),), searches=(SearchQuery("kfz", 2, at(20)),),
    updated_at=at(130), updated_by="agent1",
)  # fmt: skip


def test_console_first_and_recorder_first_store_the_same_record(store: SqlStore) -> None:
    for record in [CONSOLE, *RECORDED]:  # the same call twice, under two ids
        store.upsert_call(replace(record, call_id="console-first"))
    for record in [*RECORDED, CONSOLE]:
        store.upsert_call(replace(record, call_id="recorder-first"))
    one, two = store.get_call("console-first"), store.get_call("recorder-first")
    assert one == replace(two, call_id="console-first")
    assert (one.offered_at, one.answered_at, one.ended_at) == (at(0.2), at(11.4), at(95.1))
    assert one.outcome is Outcome.TRANSFERRED and one.topics == CONSOLE.topics
    assert one.searches == CONSOLE.searches and one.notes == "Termin"
    assert one.pbx_transfer_target == "2002" and one.outcome_target == "Kfz-Zulassung"
    assert (one.wait_ms, one.talk_ms, one.wrapup_ms) == (11_200, 83_700, 34_900)
    assert store.outcome_history("console-first") == store.outcome_history("recorder-first") == []


@pytest.mark.parametrize("order", [[CONSOLE, *RECORDED], [*RECORDED, CONSOLE]])
def test_a_replay_changes_nothing(store: SqlStore, order: list[CallRecord]) -> None:
    for record in order:
        store.upsert_call(record)
    before = store.get_call("1795.1")
    assert store.merge_calls(order) == [WriteResult.UNCHANGED] * len(order)
    assert store.get_call("1795.1") == before and store.count_calls() == 1


def test_the_agents_later_edit_is_history_and_never_touches_the_pbx_facts(
    store: SqlStore,
) -> None:
    for record in RECORDED:
        store.upsert_call(record)
    store.upsert_call(replace(CONSOLE, outcome=None, outcome_target=None, transfer_mode=None,
                              updated_at=at(60)))  # fmt: skip
    store.upsert_call(CONSOLE)
    assert not store.upsert_call(replace(CONSOLE, notes="alt", updated_at=at(100)))
    stored = store.get_call("1795.1")
    assert stored.notes == "Termin" and stored.answered_at == at(11.4)
    history = store.outcome_history("1795.1")
    assert [(h.old_outcome, h.new_outcome) for h in history] == [(None, Outcome.TRANSFERRED)]


def test_the_browser_finds_abandoned_calls_and_calls_without_an_outcome(store: SqlStore) -> None:
    for record in RECORDED:
        store.upsert_call(record)
    store.upsert_call(CallRecord("1795.9", "service115", at(300), ended_at=at(304),
                                 queue_exit=QueueExit.ABANDONED, exit_position=1,
                                 ended_by=EndedBy.CALLER, source=Source.RECORDER))  # fmt: skip
    store.upsert_call(CallRecord("old", "service115", at(400), ended_at=at(404),
                                 outcome=Outcome.ABANDONED))  # fmt: skip
    assert [c.call_id for c in find_calls(store, outcome="abandoned")] == ["old", "1795.9"]
    assert [c.call_id for c in find_calls(store, outcome="none")] == ["1795.1"]
    store.upsert_call(CONSOLE)
    assert find_calls(store, outcome="none") == []


def test_the_import_finds_a_call_by_its_callers_uniqueid(store: SqlStore) -> None:
    store.upsert_call(replace(RECORDED[0], call_id="linked-1", caller_uniqueid="1795.7"))
    assert store.resolve_call_ids(["1795.7", "linked-1", "unknown"]) == {
        "1795.7": "linked-1", "linked-1": "linked-1",
    }  # fmt: skip
