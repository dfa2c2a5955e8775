"""The recorder's core on the recorded Asterisk 22 traces: what each call becomes in the log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from calllog.merge import merge
from calllog.models import CallRecord, TransferMode
from calllog.pbx import EndedBy, QueueExit, Source
from recorder.core import RecorderCore
from telephony import events as ev
from telephony.calls import CallTracker
from telephony.parse import parse_frame, to_event
from tests.unit.telephony.conftest import trace_events

AGENTS = {"Local/agent1@agents/n": "agent1", "Local/agent2@agents/n": "agent2"}
T0 = 1_795_296_700.0


def feed(
    events: Sequence[ev.AmiEvent],
    core: RecorderCore | None = None,
    tracker: CallTracker | None = None,
    start: float = T0,
) -> list[CallRecord]:
    """Drive core and tracker as the bridge does: event first, then the changes it made."""
    core = core or RecorderCore(AGENTS)
    tracker = tracker or CallTracker()
    written: list[CallRecord] = []
    for i, event in enumerate(events):
        at = start + i
        written += core.on_event(event, at)
        written += core.on_changes(tracker.apply(event, at), at)
    return written


def final(written: Sequence[CallRecord]) -> CallRecord:
    """What the call log holds after every write."""
    stored = None
    for record in written:
        stored = merge(stored, record, record.pbx_updated_at or record.offered_at).record
    assert stored is not None
    return stored


def test_an_answered_call_with_who_hung_up_from_the_queue_itself() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    written = feed(events)
    assert all(r.source is Source.RECORDER and r.outcome is None for r in written)
    assert 3 <= len(written) <= 6  # offered, answered, ended, completed: not one per event
    call = final(written)
    assert call.call_id == "1795296769.0" and call.caller_uniqueid == "1795296769.0"
    assert (call.queue, call.agent_id, call.caller_number) == (
        "service115",
        "agent1",
        "02341234567",
    )
    assert call.entry_position == 1
    assert call.answered_at is not None and call.ended_at is not None
    assert call.offered_at < call.answered_at < call.ended_at
    assert call.ended_by is EndedBy.CALLER  # AgentComplete Reason: caller
    assert call.queue_exit is None and call.pbx_transfer is None


def test_an_abandoned_call_keeps_its_wait_and_position() -> None:
    call = final(feed(trace_events("abandoned_in_queue")))
    assert call.queue_exit is QueueExit.ABANDONED
    assert (call.exit_position, call.entry_position) == (1, 1)
    assert call.answered_at is None and call.agent_id is None
    assert call.ended_by is EndedBy.CALLER
    assert call.wait_ms is not None and call.wait_ms > 0


def test_a_blind_transfer_ends_the_agents_part_at_the_transfer() -> None:
    events = trace_events("blind_transfer")
    call = final(feed(events))
    assert (call.pbx_transfer, call.pbx_transfer_target) == (TransferMode.BLIND, "2002")
    assert call.ended_by is None  # handed on: who hung up later is not the agent's part
    index = next(i for i, e in enumerate(events) if isinstance(e, ev.BlindTransfer))
    assert call.ended_at is not None
    assert call.ended_at.timestamp() == T0 + index


def test_an_attended_transfer_names_the_consulted_extension() -> None:
    call = final(feed(trace_events("attended_transfer")))
    assert (call.pbx_transfer, call.pbx_transfer_target) == (TransferMode.ATTENDED, "2001")
    assert call.agent_id == "agent2" and call.ended_by is None


def test_a_redirect_counts_as_a_blind_transfer() -> None:
    call = final(feed(trace_events("redirect_transfer")))
    assert call.pbx_transfer is TransferMode.BLIND and call.pbx_transfer_target == "2003"


def test_a_replayed_state_writes_nothing() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    core, tracker = RecorderCore(AGENTS), CallTracker()
    feed(events, core, tracker)
    call = next(iter(tracker.calls.values()))
    assert core.on_changes([call], T0 + 500) == []


def test_a_restarted_recorder_completes_a_call_it_never_saw_offered() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    connect = next(i for i, e in enumerate(events) if isinstance(e, ev.AgentConnect))
    before = feed(events[: connect + 1])  # the first recorder, until the answer
    after = feed(events[connect + 1 :], start=T0 + connect + 1)  # a new one, knows nothing
    assert [r.call_id for r in after] == ["1795296769.0"]
    estimate = after[0]
    assert estimate.ended_by is EndedBy.CALLER and estimate.talk_ms is not None
    whole = final([*before, *after])
    assert whole.offered_at == final(before).offered_at  # the precise time stands
    assert whole.answered_at == final(before).answered_at
    assert whole.ended_at == estimate.ended_at and whole.ended_by is EndedBy.CALLER
    assert final([*after, *before]) == whole  # either order


def test_only_the_configured_queues_are_recorded() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    assert feed(events, RecorderCore(AGENTS, queues=["other"])) == []


def test_an_unknown_interface_is_recorded_as_it_is() -> None:
    call = final(feed(trace_events("answered_then_caller_hangs_up"), RecorderCore({})))
    assert call.agent_id == "Local/agent1@agents/n"


def test_a_call_lost_while_disconnected_has_no_invented_end() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    connect = next(i for i, e in enumerate(events) if isinstance(e, ev.AgentConnect))
    core, tracker = RecorderCore(AGENTS), CallTracker()
    written = feed(events[: connect + 1], core, tracker)
    written += core.on_changes(tracker.resync([], [], T0 + 100), T0 + 100)
    call = final(written)
    assert call.answered_at is not None and call.ended_at is None and call.ended_by is None


def _without_call_fields(event: ev.AmiEvent, keep_agent: bool) -> ev.AmiEvent:
    """AgentComplete as Asterisk sends it once the caller's (and the agent's) channel is gone."""
    assert isinstance(event, ev.AgentComplete)
    return replace(
        event, channel="", linkedid=event.linkedid if keep_agent else "", caller_number=""
    )


def test_an_agent_complete_without_the_callers_fields_still_says_who_hung_up() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    stripped = [
        _without_call_fields(e, keep_agent=False) if isinstance(e, ev.AgentComplete) else e
        for e in events
    ]
    call = final(feed(stripped))
    assert call.ended_by is EndedBy.CALLER and call.ended_at is not None


def test_the_agents_leg_names_the_call_when_the_callers_is_gone() -> None:
    frame = parse_frame(
        "Event: AgentComplete\r\nPrivilege: agent,all\r\nDestChannel: Local/agent1@agents-1;1\r\n"
        "DestLinkedid: 1795296769.0\r\nQueue: service115\r\nInterface: Local/agent1@agents/n\r\n"
        "MemberName: Agent 1\r\nHoldTime: 1\r\nTalkTime: 2\r\nReason: caller"
    )
    event = to_event(frame)
    assert isinstance(event, ev.AgentComplete) and event.linkedid == "1795296769.0"


def test_an_attended_transfer_without_the_targets_fields_names_the_department() -> None:
    events = [
        replace(e, target_extension="", target_channel="")
        if isinstance(e, ev.AttendedTransfer) else e
        for e in trace_events("attended_transfer")
    ]  # fmt: skip
    call = final(feed(events))
    assert (call.pbx_transfer, call.pbx_transfer_target) == (TransferMode.ATTENDED, "2001")


def test_a_stopping_recorder_hands_its_calls_in_flight_to_the_next() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    connect = next(i for i, e in enumerate(events) if isinstance(e, ev.AgentConnect))
    first = RecorderCore(AGENTS)
    before = feed(events[: connect + 1], first)
    assert first.in_flight() == {"Local/agent1@agents/n": "1795296769.0"}
    second = RecorderCore(AGENTS)
    second.remember(first.in_flight())
    rest = [  # the worst case: AgentComplete names neither leg
        _without_call_fields(e, keep_agent=False) if isinstance(e, ev.AgentComplete) else e
        for e in events[connect + 1 :]
    ]
    after = feed(rest, second, start=T0 + connect + 1)
    call = final([*before, *after])
    assert call.ended_by is EndedBy.CALLER and call.ended_at is not None
    assert call.answered_at == final(before).answered_at
    assert second.in_flight() == {}
    assert feed(rest, RecorderCore(AGENTS), start=T0 + connect + 1) == []  # without: lost
