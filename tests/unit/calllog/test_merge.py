"""The merge of a record's two parts: the PBX facts and the agent's part, in any order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from calllog.merge import merge
from calllog.models import CallRecord, Outcome, SearchQuery, Topic, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
NOW = T0 + timedelta(hours=1)


def s(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


#: What the recorder writes as the call goes on: offered, answered, ended (cumulative).
REC_OFFERED = CallRecord(
    "1795296769.0", "service115", s(0.25), caller_number="02341234567", caller_name="Erika",
    caller_uniqueid="1795296769.0", entry_position=1, source=Source.RECORDER,
    pbx_updated_at=s(0.25),
)  # fmt: skip
REC_ANSWERED = replace(REC_OFFERED, agent_id="agent1", answered_at=s(12.5), pbx_updated_at=s(13))
REC_ENDED = replace(
    REC_ANSWERED, ended_at=s(190.75), ended_by=EndedBy.CALLER, pbx_updated_at=s(191)
)
#: The same call from Asterisk's queue_log: whole seconds.
IMPORTED = replace(
    REC_ENDED, offered_at=s(0), answered_at=s(12), ended_at=s(190), caller_name=None,
    source=Source.QUEUE_LOG, pbx_updated_at=NOW,
)  # fmt: skip
#: The console's two writes: while talking (no outcome) and at the end of wrap-up.
CONSOLE_TALKING = CallRecord(
    "1795296769.0", "service115", s(1), agent_id="agent1", caller_number="02341234567",
    caller_name="Erika", answered_at=s(13), updated_at=s(30), updated_by="agent1",
)  # fmt: skip
CONSOLE_DONE = replace(
    CONSOLE_TALKING, ended_at=s(191), wrapup_end_at=s(220), outcome=Outcome.TRANSFERRED,
    outcome_target="Standesamt", transfer_mode=TransferMode.BLIND, notes="Termin",
    topics=(Topic("geburtsurkunde"),), searches=(SearchQuery("geburt", 3, s(40)),),
    updated_at=s(220),
)  # fmt: skip


def apply(*writes: CallRecord) -> CallRecord:
    stored: CallRecord | None = None
    for write in writes:
        stored = merge(stored, write, NOW).record
    assert stored is not None
    return stored


def test_console_first_and_recorder_first_give_the_same_record() -> None:
    console_first = apply(CONSOLE_DONE, REC_OFFERED, REC_ANSWERED, REC_ENDED)
    recorder_first = apply(REC_OFFERED, REC_ANSWERED, REC_ENDED, CONSOLE_DONE)
    assert console_first == recorder_first
    assert console_first.source is Source.RECORDER
    assert (console_first.offered_at, console_first.answered_at) == (s(0.25), s(12.5))
    assert console_first.ended_by is EndedBy.CALLER
    assert console_first.outcome is Outcome.TRANSFERRED
    assert console_first.topics == (Topic("geburtsurkunde"),)
    assert console_first.updated_at == s(220)
    assert console_first.wrapup_ms == 29_250


def test_the_consoles_view_of_the_pbx_facts_stands_until_the_pbx_speaks() -> None:
    alone = apply(CONSOLE_DONE)
    assert (alone.source, alone.offered_at, alone.answered_at) == (Source.AGENT, s(1), s(13))
    merged = apply(CONSOLE_DONE, REC_OFFERED)
    assert merged.answered_at is None  # the recorder's facts replace the view as a whole
    assert merged.offered_at == s(0.25)


def test_a_replay_changes_nothing() -> None:
    for write in (REC_ENDED, CONSOLE_DONE, IMPORTED):
        stored = apply(REC_OFFERED, CONSOLE_DONE, REC_ENDED)
        again = merge(stored, write, NOW + timedelta(hours=3))
        assert again.record == stored
        assert not again.changed


def test_an_older_agent_part_never_replaces_a_newer_one_nor_touches_the_pbx_facts() -> None:
    stored = apply(REC_ENDED, CONSOLE_DONE)
    result = merge(stored, CONSOLE_TALKING, NOW)
    assert not result.agent_taken and not result.changed
    assert result.record.outcome is Outcome.TRANSFERRED


def test_pbx_facts_never_touch_the_agents_part() -> None:
    stored = apply(CONSOLE_DONE)
    after = apply(CONSOLE_DONE, REC_ENDED)
    for name in ("outcome", "outcome_target", "transfer_mode", "notes", "topics", "searches",
                 "wrapup_end_at", "updated_at", "updated_by"):  # fmt: skip
        assert getattr(after, name) == getattr(stored, name), name


def test_the_import_fills_gaps_and_the_recorder_wins_over_it() -> None:
    restarted = replace(REC_OFFERED, caller_name=None)  # e.g. a recorder that missed things
    assert apply(restarted, IMPORTED) == apply(IMPORTED, restarted)
    merged = apply(IMPORTED, REC_ANSWERED)
    assert merged.offered_at == s(0.25) and merged.answered_at == s(12.5)
    assert merged.ended_at == s(190)  # only the import knew the end
    assert merged.caller_name == "Erika"


def test_between_two_values_of_one_source_the_earlier_stands() -> None:
    later_guess = replace(REC_ENDED, offered_at=s(2), answered_at=s(14), pbx_updated_at=s(500))
    assert apply(REC_ENDED, later_guess).offered_at == s(0.25)


def test_times_stay_in_order_when_two_sources_meet() -> None:
    answered_late = replace(REC_ANSWERED, answered_at=s(190.5))
    merged = apply(answered_late, IMPORTED)  # the import ended it at 190 (whole seconds)
    assert merged.ended_at == merged.answered_at == s(190.5)


def test_an_answered_call_never_keeps_a_queue_exit() -> None:
    abandoned = replace(IMPORTED, answered_at=None, queue_exit=QueueExit.ABANDONED, exit_position=2)
    merged = apply(abandoned, REC_ANSWERED)
    assert (merged.queue_exit, merged.exit_position) == (None, None)


def test_the_console_marks_an_abandoned_call_as_left_the_queue() -> None:
    record = CallRecord("c", "q", T0, ended_at=s(4), outcome=Outcome.ABANDONED)
    assert record.queue_exit is QueueExit.ABANDONED


def test_personal_data_of_a_purged_call_is_not_brought_back() -> None:
    stored = replace(
        apply(REC_ENDED, CONSOLE_DONE), caller_number=None, caller_name=None, notes=None,
        purged_at=NOW,
    )  # fmt: skip
    again = apply(stored, replace(CONSOLE_DONE, updated_at=s(900)), REC_ENDED)
    assert (again.caller_number, again.caller_name, again.notes) == (None, None, None)


WRITES = [REC_OFFERED, REC_ANSWERED, REC_ENDED, IMPORTED, CONSOLE_TALKING, CONSOLE_DONE]


@given(st.permutations(WRITES), st.integers(0, 5))
def test_any_order_and_any_replay_gives_the_same_record(order: list[CallRecord], n: int) -> None:
    expected = apply(*WRITES)
    assert apply(*order) == expected
    assert apply(*order, order[n]) == expected


def test_a_coarse_estimate_never_beats_an_observed_time() -> None:
    estimate = replace(  # a restarted recorder: times from HoldTime/TalkTime, a second early
        REC_ENDED, offered_at=s(-0.75), answered_at=s(11.5),
        coarse_facts=frozenset({"offered_at", "answered_at"}),
    )  # fmt: skip
    for order in ([REC_ANSWERED, estimate], [estimate, REC_ANSWERED]):
        merged = apply(*order)
        assert (merged.offered_at, merged.answered_at) == (s(0.25), s(12.5))
        assert merged.ended_at == s(190.75) and merged.coarse_facts == frozenset()
    assert apply(estimate).coarse_facts == {"offered_at", "answered_at"}
