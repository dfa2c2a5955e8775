"""Data of the simulated PBX: timings, channels, queue members and calls."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

_DESC = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}
#: The back offices of the reference dialplan.
DEPARTMENTS = {"2001": "Buergerbuero", "2002": "Kfz-Zulassung", "2003": "Standesamt"}
_last_epoch = [0]


def next_epoch(now: int) -> int:
    """Uniqueid prefix; a simulator restarted within the same second must not reuse ids."""
    _last_epoch[0] = max(now, _last_epoch[0] + 1)
    return _last_epoch[0]


@dataclass
class Timing:
    """Delays of the reference dialplan, in seconds (tests may shorten them)."""

    agent_answer: float = 1.0
    department_answer: float = 1.0
    bridge_settle: float = 0.05
    """AgentConnect comes before the bridge exists; this is the gap."""
    ring_timeout: float = 15.0
    department_timeout: float = 30.0
    atxfer_timeout: float = 15.0
    citizen_timeout: float = 20.0
    """A call-back to a citizen who does not answer ends after this (the Dial's timeout)."""
    survey_answer: float = 3.0
    """Until a simulated citizen presses a key in the survey."""
    survey_timeout: float = 8.0
    """Until the survey gives up waiting for a key (the dialplan's Read time-out)."""
    language_answer: float = 1.0
    """Until a simulated citizen presses a key in the language choice."""
    language_timeout: float = 5.0
    """Until the language choice gives up waiting (WaitExten's time-out; no choice made)."""


@dataclass
class Chan:
    """One channel."""

    name: str
    uniqueid: str
    linkedid: str
    context: str
    exten: str
    state: int = 0
    priority: int = 1
    cid_num: str = ""
    cid_name: str = ""
    conn_num: str = ""
    conn_name: str = ""
    requested: bool = False
    """A hang-up was requested (SoftHangupRequest already emitted)."""
    language: str = "en"
    """CHANNEL(language): Asterisk's default `en` until the dialplan sets another."""

    def block(self, prefix: str = "") -> dict[str, str]:
        """The channel snapshot Asterisk prints, with an optional field prefix."""
        p = prefix
        return {
            f"{p}Channel": self.name,
            f"{p}ChannelState": str(self.state),
            f"{p}ChannelStateDesc": _DESC.get(self.state, "Unknown"),
            f"{p}CallerIDNum": self.cid_num or "<unknown>",
            f"{p}CallerIDName": self.cid_name or "<unknown>",
            f"{p}ConnectedLineNum": self.conn_num or "<unknown>",
            f"{p}ConnectedLineName": self.conn_name or "<unknown>",
            f"{p}Language": self.language,
            f"{p}AccountCode": "",
            f"{p}Context": self.context,
            f"{p}Exten": self.exten,
            f"{p}Priority": str(self.priority),
            f"{p}Uniqueid": self.uniqueid,
            f"{p}Linkedid": self.linkedid,
        }


@dataclass
class Member:
    """A queue member (agent)."""

    interface: str
    name: str
    paused: bool = False
    reason: str = ""
    calls_taken: int = 0
    last_call: int = 0
    last_pause: int = 0
    login_time: int = 0
    status: int = 1
    in_call: bool = False
    answers: bool = True
    """Scriptable: False lets the agent ring without answering."""
    busy: bool = False
    held_until: float = 0.0
    """Queue `wrapuptime`: no queue call is offered before this (monotonic seconds)."""
    wrapuptime: int = 0
    """The member's own wrap-up time (QueueAdd `Wrapuptime`); 0: the queue's."""


@dataclass
class SimCall:
    """A citizen call (or a call-back) and all its legs."""

    linkedid: str
    number: str
    name: str
    caller: Chan | None = None
    caller2: Chan | None = None
    dialled: str = "115"
    """The number the citizen dialled (the caller's extension in `inbound`)."""
    state: str = "queued"
    joined: float = 0.0
    entry_position: int = 0
    """The caller's position on entering the queue."""
    answered: float = 0.0
    member: Member | None = None
    agent: Chan | None = None
    agent2: Chan | None = None
    bridge: str = ""
    consult: list[Chan] = field(default_factory=list)
    consult_bridge: str = ""
    dept: list[Chan] = field(default_factory=list)
    dept_bridge: str = ""
    complete_pending: bool = False
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)


class SimError(Exception):
    """An action the simulated PBX refuses; the message is Asterisk's."""
