"""A call as the console sees it: plain, frozen data (the tracker in calls.py builds it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CallState(StrEnum):
    """Where a call is."""

    QUEUED = "queued"
    RINGING = "ringing"
    CONNECTED = "connected"
    TRANSFERRED = "transferred"
    ENDED = "ended"
    ABANDONED = "abandoned"


#: States after which nothing changes any more.
TERMINAL = frozenset({CallState.ENDED, CallState.ABANDONED})


class TransferKind(StrEnum):
    """How a call left the agent."""

    BLIND = "blind"
    ATTENDED = "attended"
    REDIRECT = "redirect"


class EndedBy(StrEnum):
    """Who ended a call."""

    CALLER = "caller"
    AGENT = "agent"
    REMOTE = "remote"
    """The party the call was transferred to."""
    UNKNOWN = "unknown"
    """Lost while the PBX connection was down (found missing at resync)."""


@dataclass(frozen=True, slots=True)
class Call:
    """One citizen call (all legs with the same Linkedid)."""

    call_id: str
    """The Linkedid."""
    caller_channel: str = ""
    caller_number: str = ""
    caller_name: str = ""
    queue: str = ""
    dialled: str = ""
    """The number the caller dialled (QueueCallerJoin's `Exten`): whose call it is."""
    language: str = ""
    """The caller's channel language as the PBX reports it ("en" is Asterisk's default)."""
    state: CallState = CallState.QUEUED
    joined_at: float | None = None
    """When the call was offered to the queue (event arrival time, epoch seconds)."""
    agent_interface: str = ""
    """The agent ringing or connected (queue member interface)."""
    agent_channel: str = ""
    """The agent's leg (transferer for BlindTransfer/Atxfer)."""
    answered_at: float | None = None
    queue_wait: int | None = None
    """Seconds in the queue before an agent answered (AgentConnect HoldTime)."""
    talk_time: int | None = None
    bridged: bool = False
    """Caller and agent legs are in the same bridge: transfers may be sent now."""
    on_hold: bool = False
    """The agent's leg is on hold (attended transfer consultation)."""
    consult_channel: str = ""
    """The consultation leg during an attended transfer."""
    transfer_kind: TransferKind | None = None
    transfer_target: str = ""
    transfer_status: str = ""
    """DialStatus of the transfer target (ANSWER, NOANSWER, BUSY) once known."""
    ended_at: float | None = None
    ended_by: EndedBy | None = None
    outbound: bool = False
    """A call-back the console originated: the agent's phone first, then the citizen."""
    survey: bool = False
    """The agent ended the call "mit Umfrage": the caller went on to the satisfaction survey,
    and the call ended there (what follows in the survey belongs to no agent)."""

    @property
    def over(self) -> bool:
        """True once the call has ended (or was abandoned)."""
        return self.state in TERMINAL
