"""What Lotse itself asked for is known before the events and never lost to their order."""

from __future__ import annotations

from dataclasses import replace

from telephony import events as ev
from telephony.calls import AgentState, Call, CallState, CallTracker, EndedBy, TransferKind
from tests.unit.telephony.conftest import trace_events

AGENT1 = "Local/agent1@agents/n"


def run(events: list[ev.AmiEvent], tracker: CallTracker) -> CallTracker:
    for i, event in enumerate(events):
        tracker.apply(event, 1000.0 + i)
    return tracker


def connected(events: list[ev.AmiEvent]) -> tuple[CallTracker, list[ev.AmiEvent], Call]:
    """A tracker fed up to AgentConnect, the rest of the events, and the call."""
    split = next(i for i, e in enumerate(events) if isinstance(e, ev.AgentConnect)) + 1
    tracker = run(events[:split], CallTracker())
    (call,) = tracker.calls.values()
    return tracker, events[split:], call


def test_the_leg_lotse_hung_up_ended_the_call_whatever_asterisk_reports() -> None:
    # Asterisk's AgentComplete says "caller" and the caller's Hangup comes first:
    # on a real PBX that is what a Hangup of the agent's Local channel can look like.
    tracker, rest, call = connected(trace_events("answered_then_caller_hangs_up"))
    tracker.asked_hangup(call.call_id, call.agent_channel)
    done = run(rest, tracker).calls[call.call_id]
    assert done.state == CallState.ENDED and done.ended_by == EndedBy.AGENT


def test_agent_complete_after_the_end_does_not_overwrite_what_lotse_did() -> None:
    tracker, rest, call = connected(trace_events("answered_then_caller_hangs_up"))
    tracker.asked_hangup(call.call_id, call.agent_channel)
    complete = next(e for e in rest if isinstance(e, ev.AgentComplete))
    late = [e for e in rest if e is not complete] + [replace(complete, reason="caller")]
    assert run(late, tracker).calls[call.call_id].ended_by == EndedBy.AGENT


def test_without_a_request_the_queue_says_who_ended() -> None:
    tracker, rest, call = connected(trace_events("answered_then_caller_hangs_up"))
    assert run(rest, tracker).calls[call.call_id].ended_by == EndedBy.CALLER


def test_the_extension_lotse_dialled_is_the_transfer_target() -> None:
    events = trace_events("attended_transfer")
    no_target = [  # the event as Asterisk sends it when the target's channel is gone
        replace(e, target_extension="", target_channel="")
        if isinstance(e, ev.AttendedTransfer) else e
        for e in events
    ]  # fmt: skip
    tracker, rest, call = connected(no_target)
    tracker.asked_transfer(call.call_id, "2001")
    moved = run(rest, tracker).calls[call.call_id]
    assert (moved.transfer_kind, moved.transfer_target) == (TransferKind.ATTENDED, "2001")


def test_agent_complete_without_channel_blocks_still_finds_its_call() -> None:
    events = trace_events("answered_then_caller_hangs_up")
    bare = [
        replace(e, channel="", linkedid="", agent_channel="")
        if isinstance(e, ev.AgentComplete) else e
        for e in events
    ]  # fmt: skip
    (call,) = run(bare, CallTracker()).calls.values()
    assert call.talk_time == 2 and call.ended_by == EndedBy.CALLER


def callback_answered(tracker: CallTracker) -> Call:
    tracker.asked_callback("cb-1", AGENT1, "02341112233", "Frau Öztürk")
    tracker.apply(ev.OriginateResult("cb-1", True, "Local/agent1@agents-0000002a;1",
                                     "1795.40", 4), 1000.0)  # fmt: skip
    return tracker.calls["1795.40"]


def test_a_callback_is_a_call_from_the_agents_answer_to_the_hang_up() -> None:
    tracker = CallTracker()
    call = callback_answered(tracker)
    assert call.outbound and call.state == CallState.CONNECTED
    assert (call.caller_number, call.caller_name) == ("02341112233", "Frau Öztürk")
    assert tracker.agents[AGENT1].state == AgentState.ON_CALL
    assert tracker.agents[AGENT1].call_id == "1795.40"
    tracker.apply(ev.ChannelHungUp("Local/agent1@agents-0000002a;2", "1795.41", "1795.40",
                                   16, "Normal Clearing"), 1001.0)  # fmt: skip
    assert tracker.calls["1795.40"].state == CallState.CONNECTED  # the other half: no end
    tracker.apply(ev.ChannelHungUp("Local/agent1@agents-0000002a;1", "1795.40", "1795.40",
                                   16, "Normal Clearing"), 1002.0)  # fmt: skip
    ended = tracker.calls["1795.40"]
    assert ended.state == CallState.ENDED and ended.ended_by == EndedBy.CALLER
    assert tracker.agents[AGENT1].state == AgentState.AVAILABLE


def test_a_callback_hung_up_by_lotse_ended_by_the_agent() -> None:
    tracker = CallTracker()
    call = callback_answered(tracker)
    tracker.asked_hangup(call.call_id, call.agent_channel)
    tracker.apply(ev.ChannelHungUp(call.agent_channel, "1795.40", "1795.40", 16, ""), 1001.0)
    assert tracker.calls[call.call_id].ended_by == EndedBy.AGENT


def test_an_originate_not_answered_or_not_ours_makes_no_call() -> None:
    tracker = CallTracker()
    tracker.asked_callback("cb-1", AGENT1, "0234", "")
    tracker.apply(ev.OriginateResult("cb-1", False, "Local/agent1@agents-1;1", "", 3), 1.0)
    tracker.apply(ev.OriginateResult("other", True, "Local/x-1;1", "9.9", 4), 2.0)
    assert tracker.calls == {}
