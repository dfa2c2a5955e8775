"""Staffed time from the PBX's agent states (pure): spans of each agent in each state.

The call tracker turns the queue's member events (QueueMemberAdded/Removed/Pause/Status,
AgentCalled/Connect/Complete) into agent states; `StaffedClock` times them. Each change of
an agent's state (or pause reason) closes one span and opens the next; a span still open is
written again every `refresh_seconds` with its end moved on, so the figures of the day are
current and a crash loses at most that long. Logged out (unavailable) is not staffed time.

Only time the recorder watched is counted: the clock starts at the first connection (the
states then are taken from QueueStatus), stops when the PBX connection is lost and starts
again with the resync; a stopping recorder closes its spans. No clock, no I/O: times come in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from calllog.staffed import StaffedSpan, StaffedState
from telephony.calls import Agent, AgentState, Call

#: Agent states as staffed time counts them (unavailable: logged out, not counted).
STATES: dict[AgentState, StaffedState] = {
    AgentState.AVAILABLE: StaffedState.AVAILABLE,
    AgentState.RINGING: StaffedState.RINGING,
    AgentState.ON_CALL: StaffedState.TALKING,
    AgentState.WRAP_UP: StaffedState.WRAP_UP,
    AgentState.PAUSED: StaffedState.PAUSED,
}


@dataclass(slots=True)
class _Open:
    agent_id: str
    state: StaffedState
    reason: str | None
    since: float
    written: float
    """Until when the span was last written."""

    def span(self, until: float) -> StaffedSpan:
        return StaffedSpan(self.agent_id, self.state, _utc(self.since), _utc(until), self.reason)


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class StaffedClock:
    """Times each agent's states; every method returns the spans to write (oldest first)."""

    def __init__(
        self,
        agent_ids: Mapping[str, str],
        queues: Iterable[str] = (),
        refresh_seconds: float = 60.0,
    ) -> None:
        """`agent_ids` maps member interfaces to agent ids; `queues` limits the members
        counted to those last seen in these queues (empty: every member)."""
        self.agent_ids = dict(agent_ids)
        self.queues = frozenset(queues)
        self.refresh_seconds = refresh_seconds
        self.watching = False
        """True while connected: changes are timed."""
        self._open: dict[str, _Open] = {}

    def connected(self, agents: Iterable[Agent], at: float) -> list[StaffedSpan]:
        """The PBX connection is (back) up: every member's state from now on."""
        out = self.lost(at)
        self.watching = True
        for agent in agents:
            out += self._change(agent, at)
        return out

    def lost(self, at: float) -> list[StaffedSpan]:
        """The connection is gone (or the recorder stops): every open span ends now."""
        self.watching = False
        out = [o.span(at) for o in self._open.values() if at > o.written]
        self._open.clear()
        return out

    def apply(self, changes: Sequence[Call | Agent], at: float) -> list[StaffedSpan]:
        """New agent states, seen at `at` (calls are ignored)."""
        if not self.watching:
            return []  # a resync's changes: `connected` takes the states after it
        out: list[StaffedSpan] = []
        for change in changes:
            if isinstance(change, Agent):
                out += self._change(change, at)
        return out

    def tick(self, at: float) -> list[StaffedSpan]:
        """Spans still open, written again if their last write is `refresh_seconds` old."""
        due = [o for o in self._open.values() if at - o.written >= self.refresh_seconds]
        for o in due:
            o.written = at
        return [o.span(at) for o in due]

    def _counted(self, agent: Agent) -> StaffedState | None:
        if self.queues and agent.queue and agent.queue not in self.queues:
            return None
        return STATES.get(agent.state)

    def _change(self, agent: Agent, at: float) -> list[StaffedSpan]:
        state = self._counted(agent)
        reason = (agent.pause_reason or None) if state is StaffedState.PAUSED else None
        old = self._open.get(agent.interface)
        if old is not None and (old.state, old.reason) == (state, reason):
            return []
        out = [old.span(at)] if old is not None and at > old.since else []
        if state is None:
            self._open.pop(agent.interface, None)
        else:
            agent_id = self.agent_ids.get(agent.interface, agent.interface)
            self._open[agent.interface] = _Open(agent_id, state, reason, at, at)
        return out
