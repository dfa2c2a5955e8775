"""The live board: callers waiting, the longest wait, agents' states and time in state."""

from __future__ import annotations

from recorder.live import LiveBoard
from telephony.calls import Agent, AgentState, Call, CallState, CallTracker
from telephony.protocol import ConnectionState
from tests.unit.telephony.conftest import trace_events

AGENTS = {"Local/agent1@agents/n": "agent1", "Local/agent2@agents/n": "agent2"}


def call(call_id: str, state: CallState, joined: float, queue: str = "service115") -> Call:
    return Call(call_id, queue=queue, state=state, joined_at=joined)


def agent(iface: str, state: AgentState, reason: str = "") -> Agent:
    return Agent(iface, name=iface, queue="service115", state=state, pause_reason=reason)


def test_callers_waiting_and_the_longest_wait_per_queue() -> None:
    board = LiveBoard(AGENTS, queues=["service115", "kfz"])
    board.apply([call("a", CallState.QUEUED, 100), call("b", CallState.RINGING, 130)], 140)
    board.apply([call("c", CallState.CONNECTED, 90)], 140)
    snap = board.snapshot(160)
    by_queue = {q.queue: q for q in snap.queues}
    assert (by_queue["service115"].waiting, by_queue["service115"].longest_wait_s) == (2, 60)
    assert (by_queue["kfz"].waiting, by_queue["kfz"].longest_wait_s) == (0, None)
    board.apply([call("a", CallState.ABANDONED, 100)], 170)
    assert board.snapshot(170).longest_wait_s == 40
    assert board.snapshot(170).waiting == 1


def test_time_in_state_starts_when_the_state_changes() -> None:
    board = LiveBoard(AGENTS)
    board.seed([], [agent("Local/agent1@agents/n", AgentState.PAUSED, "Mittag")], 1000)
    first = board.snapshot(1060).agents[0]
    assert (first.agent_id, first.state, first.pause_reason) == ("agent1", "paused", "Mittag")
    assert first.seconds_in_state == 60 and not first.since_known  # paused before we looked
    board.apply([agent("Local/agent1@agents/n", AgentState.PAUSED, "Schulung")], 1100)
    board.apply([agent("Local/agent1@agents/n", AgentState.PAUSED, "Schulung")], 1150)
    now = board.snapshot(1200).agents[0]
    assert (now.pause_reason, now.seconds_in_state, now.since_known) == ("Schulung", 100, True)


def test_the_board_follows_a_recorded_abandoned_call() -> None:
    tracker, board = CallTracker(), LiveBoard(AGENTS)
    board.connection_changed(ConnectionState.CONNECTED)
    seen = []
    for i, event in enumerate(trace_events("abandoned_in_queue")):
        board.apply(tracker.apply(event, 1000.0 + i), 1000.0 + i)
        snap = board.snapshot(1000.0 + i)
        states = {a.agent_id: (a.state, a.pause_reason) for a in snap.agents}
        seen.append((snap.waiting, states))
    waiting = [states for n, states in seen if n]
    assert waiting, "the caller was never shown waiting"
    assert waiting[0] == {
        "agent1": (AgentState.WRAP_UP, ""),  # paused with the wrap-up reason
        "agent2": (AgentState.PAUSED, "Pause"),
    }
    assert seen[-1] == (
        0,
        {"agent1": (AgentState.AVAILABLE, ""), "agent2": (AgentState.AVAILABLE, "")},
    )
    assert board.snapshot(2000).connected
