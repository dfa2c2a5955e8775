"""The call state machine, driven by the recorded Asterisk 22 traces."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from telephony import events as ev
from telephony.calls import AgentState, Call, CallState, CallTracker, EndedBy, TransferKind
from tests.unit.telephony.conftest import trace_events

AGENT1 = "Local/agent1@agents/n"
AGENT2 = "Local/agent2@agents/n"


def run(events: list[ev.AmiEvent], tracker: CallTracker | None = None) -> CallTracker:
    tracker = tracker or CallTracker()
    for i, event in enumerate(events):
        tracker.apply(event, 1000.0 + i)
    return tracker


def only_call(tracker: CallTracker) -> Call:
    (call,) = tracker.calls.values()
    return call


def until(events: list[ev.AmiEvent], kind: type, nth: int = 1) -> list[ev.AmiEvent]:
    """The events up to and including the nth event of `kind`."""
    seen = 0
    for i, event in enumerate(events):
        if isinstance(event, kind):
            seen += 1
            if seen == nth:
                return events[: i + 1]
    raise AssertionError(f"no {kind.__name__} #{nth}")


def test_answered_call_lifecycle() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    queued = only_call(run(until(events, ev.QueueCallerJoin)))
    assert queued.state == CallState.QUEUED
    assert (queued.caller_number, queued.caller_name) == ("02341234567", "Erika Musterfrau")
    assert queued.queue == "service115" and queued.joined_at is not None

    ringing = run(until(events, ev.AgentCalled))
    assert only_call(ringing).state == CallState.RINGING
    assert ringing.agents[AGENT1].state == AgentState.RINGING

    connected = run(until(events, ev.AgentConnect))
    call = only_call(connected)
    assert call.state == CallState.CONNECTED and call.queue_wait == 1
    assert call.agent_channel == "Local/agent1@agents-00000001;1"
    assert not call.bridged, "AgentConnect arrives before the bridge exists"
    assert connected.agents[AGENT1].state == AgentState.ON_CALL

    assert not only_call(run(until(events, ev.BridgeEnter, 1))).bridged
    assert only_call(run(until(events, ev.BridgeEnter, 2))).bridged

    done = run(events)
    call = only_call(done)
    assert call.state == CallState.ENDED and call.ended_by == EndedBy.CALLER
    assert call.talk_time == 2 and not call.bridged
    assert done.agents[AGENT1].state == AgentState.AVAILABLE
    assert done.agents[AGENT1].call_id == ""


def test_blind_transfer() -> None:
    events = trace_events("blind_transfer")
    after = run(until(events, ev.BlindTransfer))
    call = only_call(after)
    assert call.state == CallState.TRANSFERRED
    assert (call.transfer_kind, call.transfer_target) == (TransferKind.BLIND, "2002")
    assert after.agents[AGENT2].call_id == "", "the agent is free once the call is transferred"
    done = only_call(run(events))
    assert done.state == CallState.ENDED and done.transfer_status == "ANSWER"


def test_redirect_transfer_detected_without_transfer_event() -> None:
    call = only_call(run(trace_events("redirect_transfer")))
    assert (call.transfer_kind, call.transfer_target) == (TransferKind.REDIRECT, "2003")
    assert call.state == CallState.ENDED
    assert call.caller_name == "Jürgen Größe"


def test_attended_transfer_consultation_then_completion() -> None:
    events = trace_events("attended_transfer")
    holding = only_call(run(until(events, ev.DepartmentReached)))
    assert holding.state == CallState.CONNECTED and holding.on_hold
    assert holding.consult_channel == "Local/2001@departments-0000000a;1"
    after = only_call(run(until(events, ev.AttendedTransfer)))
    assert after.state == CallState.TRANSFERRED
    assert (after.transfer_kind, after.transfer_target) == (TransferKind.ATTENDED, "2001")
    assert not after.on_hold and after.consult_channel == ""
    assert only_call(run(events)).state == CallState.ENDED


def test_in_consultation_only_once_the_agent_has_moved_into_the_consultation() -> None:
    # Asterisk creates the target's channel, then moves the agent's leg out of the caller's
    # bridge into the consultation's; a hang-up of the agent before that drops the transfer.
    events = trace_events("attended_transfer")
    moved = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, ev.BridgeEnter)
        and e.channel == "Local/agent2@agents-00000009;1"
        and i
        > next(
            j
            for j, f in enumerate(events)
            if isinstance(f, ev.ChannelCreated) and f.channel == "Local/2001@departments-0000000a;1"
        )
    )
    before = run(events[:moved])
    (call_id,) = before.calls
    assert before.calls[call_id].consult_channel == "Local/2001@departments-0000000a;1"
    assert not before.in_consultation(call_id)
    after = run(events[moved : moved + 1], before)
    assert after.in_consultation(call_id)
    assert not run(until(events, ev.AttendedTransfer)).in_consultation(call_id)
    assert not after.in_consultation("no-such-call")


def test_abandoned_with_paused_agents() -> None:
    events = trace_events("abandoned_in_queue")
    paused = run(until(events, ev.MemberStatus, 2))
    assert paused.agents[AGENT1].state == AgentState.WRAP_UP
    assert paused.agents[AGENT2].state == AgentState.PAUSED
    assert paused.agents[AGENT2].pause_reason == "Pause"
    done = run(events)
    call = only_call(done)
    assert call.state == CallState.ABANDONED and call.ended_by == EndedBy.CALLER
    assert call.answered_at is None
    assert {a.state for a in done.agents.values()} == {AgentState.AVAILABLE}


def test_caller_hangup_before_abandon_event_still_abandoned() -> None:
    events = trace_events("abandoned_in_queue")
    abandon = next(i for i, e in enumerate(events) if isinstance(e, ev.QueueCallerAbandon))
    hangup = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, ev.ChannelHungUp) and e.channel.endswith(";1")
    )
    reordered = list(events)
    reordered.insert(abandon, reordered.pop(hangup))
    call = only_call(run(reordered))
    assert call.state == CallState.ABANDONED and call.ended_by == EndedBy.CALLER


def test_agent_hangup_reported_by_agent_complete() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    complete = next(e for e in events if isinstance(e, ev.AgentComplete))
    changed = [replace(complete, reason="agent") if e is complete else e for e in events]
    assert only_call(run(changed)).ended_by == EndedBy.AGENT


def test_connect_before_join_fills_the_same_call() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    join = next(e for e in events if isinstance(e, ev.QueueCallerJoin))
    connect = next(e for e in events if isinstance(e, ev.AgentConnect))
    tracker = run([connect, join])
    call = only_call(tracker)
    assert call.state == CallState.CONNECTED
    assert call.caller_name == "Erika Musterfrau" and call.joined_at is not None


def test_late_agent_called_does_not_move_back() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    called = next(e for e in events if isinstance(e, ev.AgentCalled))
    tracker = run([*until(events, ev.BridgeEnter, 2), called])
    assert only_call(tracker).state == CallState.CONNECTED
    assert tracker.agents[AGENT1].state == AgentState.ON_CALL


def test_apply_reports_changes_only() -> None:
    tracker = CallTracker()
    event = ev.MemberStatus("service115", AGENT1, "Agent 1", 1, False, "", False, 0)
    assert tracker.apply(event, 1.0) == [tracker.agents[AGENT1]]
    assert tracker.apply(event, 2.0) == []
    assert tracker.apply(ev.OtherEvent("FullyBooted"), 3.0) == []


def test_resync_ends_calls_that_vanished_while_disconnected() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    tracker = run(until(events, ev.BridgeEnter, 2))
    idle = ev.MemberStatus("service115", AGENT1, "Agent 1", 1, False, "", False, 1)
    waiting = ev.QueueEntry("service115", 1, "PJSIP/x-1", "9.9", "9.9", "0301", "Frau Ö", 5)
    changes = tracker.resync([idle], [waiting], 2000.0)
    old = tracker.calls["1795296769.0"]
    assert old.state == CallState.ENDED and old.ended_by == EndedBy.UNKNOWN
    new = tracker.calls["9.9"]
    assert new.state == CallState.QUEUED and new.joined_at == 1995.0
    assert tracker.agents[AGENT1].state == AgentState.AVAILABLE
    assert old in changes and new in changes


def test_ended_calls_are_pruned() -> None:
    tracker = CallTracker(keep_ended=2)
    for n in range(5):
        lid = f"1.{n}"
        tracker.apply(ev.QueueCallerJoin(f"C/{n}", lid, lid, "1", "A", "q", 1), 0.0)
        tracker.apply(ev.ChannelHungUp(f"C/{n}", lid, lid, 16, ""), 1.0)
    assert len(tracker.calls) <= 3


CAUSAL = (ev.QueueCallerJoin, ev.AgentConnect, ev.BlindTransfer, ev.AttendedTransfer)


def _final(events: list[ev.AmiEvent]) -> tuple[object, ...]:
    call = only_call(run(events))
    return (call.state, call.transfer_kind, call.transfer_target, call.caller_name, call.queue_wait)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_final_state_survives_local_reordering(data: st.DataObject) -> None:
    name = data.draw(
        st.sampled_from(
            [
                "answered_then_caller_hangs_up",
                "blind_transfer",
                "attended_transfer",
                "redirect_transfer",
            ]
        )
    )
    events = trace_events(name)
    expected = _final(events)
    reordered = list(events)
    for index in data.draw(st.lists(st.integers(0, len(events) - 2), max_size=15)):
        a, b = reordered[index], reordered[index + 1]
        if isinstance(a, CAUSAL) or isinstance(b, CAUSAL):
            continue
        if isinstance(a, ev.ChannelHungUp) or isinstance(b, ev.ChannelHungUp):
            continue
        reordered[index], reordered[index + 1] = b, a
    assert _final(reordered) == expected


def test_linkedid_reused_after_pbx_restart_starts_a_new_call() -> None:
    tracker = CallTracker()
    tracker.apply(ev.QueueCallerJoin("C/1", "9.0", "9.0", "1", "Alt", "q", 1), 0.0)
    tracker.apply(ev.ChannelHungUp("C/1", "9.0", "9.0", 16, ""), 1.0)
    tracker.apply(ev.QueueCallerJoin("C/2", "9.0", "9.0", "2", "Neu", "q", 1), 2.0)
    call = only_call(tracker)
    assert (call.state, call.caller_name, call.caller_channel) == (CallState.QUEUED, "Neu", "C/2")


def test_cancelled_consultation_without_unhold_event() -> None:
    events = trace_events("attended_transfer")
    tracker = run(until(events, ev.DepartmentReached))
    call = only_call(tracker)
    assert call.on_hold and call.consult_channel
    lid = call.call_id
    back = [
        ev.ChannelHungUp(call.consult_channel, "x", lid, 16, "Normal Clearing"),
        ev.BridgeLeave("consult-bridge", call.agent_channel, lid),
        ev.BridgeEnter("caller-bridge", call.agent_channel, lid),
        ev.BridgeEnter("caller-bridge", call.caller_channel, lid),
    ]
    after = only_call(run(back, tracker))
    assert after.bridged and not after.on_hold and after.consult_channel == ""
    assert after.state == CallState.CONNECTED
