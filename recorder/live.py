"""What the centre looks like right now, straight from the PBX (pure): a wallboard's data.

`LiveBoard` folds the call tracker's call and agent states (and the connection state) into
`LiveSnapshot`: per queue the callers waiting and the longest wait, per agent the state,
since when, and the pause reason. The supervisor's "jetzt" panel reads it; so can any
other view (a web wallboard), from the recorder or from its own connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from telephony.calls import Agent, AgentState, Call, CallState
from telephony.protocol import ConnectionState

_WAITING = {CallState.QUEUED, CallState.RINGING}

#: An agent's state as every live view names it (German).
STATE_LABELS = {
    AgentState.AVAILABLE: "Bereit",
    AgentState.RINGING: "Klingelt",
    AgentState.ON_CALL: "Im Gespräch",
    AgentState.WRAP_UP: "Nachbearbeitung",
    AgentState.PAUSED: "Pause",
    AgentState.UNAVAILABLE: "Abgemeldet",
}


def duration(seconds: float | None) -> str:
    """Seconds (rounded) as `m:ss` (`h:mm:ss` from an hour); `–` for none."""
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@dataclass(frozen=True, slots=True)
class QueueNow:
    """One queue right now."""

    queue: str
    waiting: int
    """Callers in the queue (waiting, or ringing at an agent)."""
    longest_wait_s: float | None
    """How long the caller waiting longest has waited; None when nobody waits."""


@dataclass(frozen=True, slots=True)
class AgentNow:
    """One agent right now."""

    agent_id: str
    """The configured agent id (else the queue member interface)."""
    name: str
    state: AgentState
    """available, ringing, on_call, wrap_up, paused or unavailable."""
    seconds_in_state: float
    since_known: bool
    """False when the state began before the board started watching (then "at least")."""
    pause_reason: str = ""
    queue: str = ""


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """The whole board at one moment."""

    taken_at: float
    """Epoch seconds."""
    connection: ConnectionState
    queues: tuple[QueueNow, ...]
    agents: tuple[AgentNow, ...]

    @property
    def connected(self) -> bool:
        """True while the figures come live from the PBX."""
        return self.connection == ConnectionState.CONNECTED

    @property
    def waiting(self) -> int:
        """Callers waiting in every queue."""
        return sum(q.waiting for q in self.queues)

    @property
    def longest_wait_s(self) -> float | None:
        """The longest wait over every queue."""
        return max((q.longest_wait_s for q in self.queues if q.longest_wait_s), default=None)


@dataclass(slots=True)
class _Seen:
    agent: Agent
    since: float
    known: bool


class LiveBoard:
    """Folds call and agent states into the board; no I/O, no clock (times are passed in)."""

    def __init__(self, agent_ids: Mapping[str, str], queues: Iterable[str] = ()) -> None:
        """`agent_ids` maps member interfaces to agent ids; `queues` are always shown."""
        self.agent_ids = dict(agent_ids)
        self.queues = tuple(queues)
        self.connection = ConnectionState.CONNECTING
        self._waiting: dict[str, tuple[str, float]] = {}
        self._agents: dict[str, _Seen] = {}

    def connection_changed(self, state: ConnectionState) -> None:
        """The PBX connection's state."""
        self.connection = state

    def apply(self, changes: Sequence[Call | Agent], at: float) -> None:
        """New states of calls and agents, observed at `at`."""
        for change in changes:
            if isinstance(change, Call):
                self._call(change, at)
            else:
                self._agent(change, at)

    def seed(self, calls: Iterable[Call], agents: Iterable[Agent], at: float) -> None:
        """The states already there when the board starts watching."""
        self.apply([*calls, *agents], at)

    def _call(self, call: Call, at: float) -> None:
        if call.state in _WAITING and call.queue:
            self._waiting[call.call_id] = (call.queue, call.joined_at or at)
        else:
            self._waiting.pop(call.call_id, None)

    def _agent(self, agent: Agent, at: float) -> None:
        seen = self._agents.get(agent.interface)
        if seen is None:  # first seen: its state may have begun long before
            self._agents[agent.interface] = _Seen(agent, at, False)
        elif (seen.agent.state, seen.agent.pause_reason) != (agent.state, agent.pause_reason):
            self._agents[agent.interface] = _Seen(agent, at, True)
        else:
            seen.agent = agent

    def snapshot(self, now: float) -> LiveSnapshot:
        """The board at `now`."""
        by_queue: dict[str, list[float]] = {q: [] for q in self.queues}
        for queue, joined in self._waiting.values():
            by_queue.setdefault(queue, []).append(joined)
        queues = tuple(
            QueueNow(q, len(j), max(0.0, now - min(j)) if j else None)
            for q, j in sorted(by_queue.items())
        )
        agents = tuple(
            sorted(
                (self._now(seen, now) for seen in self._agents.values()),
                key=lambda a: (a.agent_id, a.queue),
            )
        )
        return LiveSnapshot(now, self.connection, queues, agents)

    def _now(self, seen: _Seen, now: float) -> AgentNow:
        a = seen.agent
        return AgentNow(
            agent_id=self.agent_ids.get(a.interface, a.interface),
            name=a.name,
            state=a.state,
            seconds_in_state=max(0.0, now - seen.since),
            since_known=seen.known,
            pause_reason=a.pause_reason if a.state == AgentState.PAUSED else "",
            queue=a.queue,
        )
