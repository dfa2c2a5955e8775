"""Typed AMI events: the subset of Asterisk's events the call state machine understands."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class QueueCallerJoin:
    """A caller entered a queue (the call is offered)."""

    channel: str
    uniqueid: str
    linkedid: str
    caller_number: str
    caller_name: str
    queue: str
    position: int
    exten: str = ""
    """The number the caller dialled, as the caller's channel names it (`Exten`, e.g. "115"
    or a municipality's own number): who the call is for."""
    language: str = ""
    """The caller's channel language (`Language`, CHANNEL(language)): set by an IVR choice
    or the dialplan; Asterisk's default is "en" (no choice made)."""


@dataclass(frozen=True, slots=True)
class QueueCallerLeave:
    """A caller left a queue (answered, abandoned or timed out)."""

    channel: str
    linkedid: str
    queue: str


@dataclass(frozen=True, slots=True)
class QueueCallerAbandon:
    """A caller hung up while waiting in the queue."""

    channel: str
    linkedid: str
    caller_number: str
    caller_name: str
    queue: str
    hold_time: int
    position: int = 0
    """The caller's position when hanging up (1 = next in line)."""
    original_position: int = 0
    """The caller's position on entering the queue."""
    uniqueid: str = ""
    """The caller's channel's Uniqueid (the call id of Asterisk's queue_log)."""


@dataclass(frozen=True, slots=True)
class AgentCalled:
    """The queue rings an agent for a call."""

    channel: str
    linkedid: str
    agent_channel: str
    interface: str
    member_name: str
    queue: str
    caller_number: str
    caller_name: str


@dataclass(frozen=True, slots=True)
class AgentRingNoAnswer:
    """An agent did not answer in time; the queue goes on."""

    channel: str
    linkedid: str
    agent_channel: str
    interface: str
    queue: str


@dataclass(frozen=True, slots=True)
class AgentConnect:
    """An agent answered a queue call (before the bridge exists)."""

    channel: str
    linkedid: str
    agent_channel: str
    interface: str
    member_name: str
    queue: str
    caller_number: str
    caller_name: str
    hold_time: int
    ring_time: int


@dataclass(frozen=True, slots=True)
class AgentComplete:
    """The queue considers the agent's part done; arrives after the caller's leg ends."""

    channel: str
    linkedid: str
    agent_channel: str
    interface: str
    queue: str
    hold_time: int
    talk_time: int
    reason: str
    """`caller`, `agent` or `transfer`."""
    caller_number: str = ""
    caller_name: str = ""


@dataclass(frozen=True, slots=True)
class BridgeEnter:
    """A channel entered a bridge."""

    bridge_id: str
    channel: str
    linkedid: str


@dataclass(frozen=True, slots=True)
class BridgeLeave:
    """A channel left a bridge."""

    bridge_id: str
    channel: str
    linkedid: str


@dataclass(frozen=True, slots=True)
class HoldChanged:
    """A channel was put on hold or taken off hold."""

    channel: str
    linkedid: str
    on_hold: bool


@dataclass(frozen=True, slots=True)
class BlindTransfer:
    """Result of a blind transfer."""

    success: bool
    transferer_channel: str
    transferee_channel: str
    linkedid: str
    context: str
    extension: str


@dataclass(frozen=True, slots=True)
class AttendedTransfer:
    """Result of an attended transfer."""

    success: bool
    transferer_channel: str
    transferee_channel: str
    target_channel: str
    linkedid: str
    target_extension: str


@dataclass(frozen=True, slots=True)
class ChannelCreated:
    """A new channel (Newchannel)."""

    channel: str
    uniqueid: str
    linkedid: str
    context: str
    exten: str


@dataclass(frozen=True, slots=True)
class DialBegin:
    """A channel starts dialling (the caller's channel dialling a department after a transfer)."""

    channel: str
    linkedid: str
    dest_channel: str
    context: str
    exten: str


@dataclass(frozen=True, slots=True)
class DialEnd:
    """A dial attempt ended with a status (ANSWER, NOANSWER, BUSY, ...)."""

    channel: str
    linkedid: str
    dest_channel: str
    status: str


@dataclass(frozen=True, slots=True)
class HangupRequested:
    """Somebody asked a channel to hang up (HangupRequest or SoftHangupRequest)."""

    channel: str
    linkedid: str


@dataclass(frozen=True, slots=True)
class ChannelHungUp:
    """A channel is gone (Hangup)."""

    channel: str
    uniqueid: str
    linkedid: str
    cause: int
    cause_text: str


@dataclass(frozen=True, slots=True)
class MemberStatus:
    """A queue member's state (QueueMemberStatus, QueueMemberPause, QueueMember, ...Added)."""

    queue: str
    interface: str
    member_name: str
    status: int
    """Asterisk device state: 1 not in use, 2 in use, 5 unavailable, 6 ringing, ..."""
    paused: bool
    paused_reason: str
    in_call: bool
    calls_taken: int


@dataclass(frozen=True, slots=True)
class MemberRemoved:
    """A member left a queue (QueueMemberRemoved)."""

    queue: str
    interface: str


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A caller waiting in a queue, as listed by QueueStatus."""

    queue: str
    position: int
    channel: str
    uniqueid: str
    linkedid: str
    caller_number: str
    caller_name: str
    wait: int


@dataclass(frozen=True, slots=True)
class DepartmentReached:
    """UserEvent DepartmentReached from the reference dialplan: a department is being dialled."""

    channel: str
    linkedid: str
    department: str
    exten: str


@dataclass(frozen=True, slots=True)
class SurveyStarted:
    """UserEvent SurveyStarted from the survey dialplan (docs/survey.md): the caller's channel
    entered the satisfaction survey; the agent's part of the call is over."""

    channel: str
    linkedid: str
    uniqueid: str
    queue: str = ""
    """The queue the call came from (the dialplan's ${QUEUENAME}), when set."""


@dataclass(frozen=True, slots=True)
class SurveyRated:
    """UserEvent SurveyRated from the survey dialplan: the caller pressed a key from 1 to 5."""

    channel: str
    linkedid: str
    uniqueid: str
    rating: int
    """1 (sehr unzufrieden) to 5 (sehr zufrieden); 0 when the event carried anything else."""


@dataclass(frozen=True, slots=True)
class OriginateResult:
    """The outcome of an asynchronous Originate."""

    action_id: str
    success: bool
    channel: str
    uniqueid: str
    reason: int


@dataclass(frozen=True, slots=True)
class OtherEvent:
    """Any event the state machine does not interpret; kept with its headers."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)


#: Every typed event.
AmiEvent = (
    QueueCallerJoin
    | QueueCallerLeave
    | QueueCallerAbandon
    | AgentCalled
    | AgentRingNoAnswer
    | AgentConnect
    | AgentComplete
    | BridgeEnter
    | BridgeLeave
    | HoldChanged
    | BlindTransfer
    | AttendedTransfer
    | ChannelCreated
    | DialBegin
    | DialEnd
    | HangupRequested
    | ChannelHungUp
    | MemberStatus
    | MemberRemoved
    | QueueEntry
    | DepartmentReached
    | SurveyStarted
    | SurveyRated
    | OriginateResult
    | OtherEvent
)
