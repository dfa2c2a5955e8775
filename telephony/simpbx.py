"""The simulated PBX: channels, the queue, agents and departments of the reference dialplan.

It emits the events Asterisk 22 emits for `../shared/asterisk/conf` (see the
recorded traces), in the same order, through an `emit(name, privilege, headers)`
callback. Timers run on the asyncio loop; nothing here touches a socket.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

#: emit(event name, privilege class, headers in wire order; names may repeat).
Emit = Callable[[str, str, list[tuple[str, str]]], None]

_DESC = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}
#: The back offices of the reference dialplan.
DEPARTMENTS = {"2001": "Buergerbuero", "2002": "Kfz-Zulassung", "2003": "Standesamt"}


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
            f"{p}Language": "en",
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


@dataclass
class SimCall:
    """A citizen call (or a call-back) and all its legs."""

    linkedid: str
    number: str
    name: str
    caller: Chan | None = None
    caller2: Chan | None = None
    state: str = "queued"
    joined: float = 0.0
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


class Pbx:
    """The reference dialplan in memory: queue `service115`, agents, departments 2001-2003."""

    def __init__(
        self,
        emit: Emit,
        agents: int = 2,
        queue: str = "service115",
        timing: Timing | None = None,
    ) -> None:
        self.emit = emit
        self.queue = queue
        self.timing = timing or Timing()
        now = int(time.time())
        self._epoch = _next_epoch(now)
        self._uid = itertools.count()
        self._local = itertools.count(0)
        self.members: dict[str, Member] = {}
        for n in range(1, agents + 1):
            iface = f"Local/agent{n}@agents/n"
            self.members[iface] = Member(iface, f"Agent {n}", login_time=now)
        self.calls: dict[str, SimCall] = {}
        self.channels: dict[str, tuple[SimCall, str]] = {}
        self.silent_departments: set[str] = set()
        """Scriptable: departments that ring but never answer."""
        self._rr = 0
        self.completed = 0
        self.abandoned = 0

    # -- plumbing -----------------------------------------------------------------
    def _later(self, call: SimCall, delay: float, fn: Callable[[], None]) -> None:
        call.timers.append(asyncio.get_running_loop().call_later(delay, fn))

    def _cancel_timers(self, call: SimCall) -> None:
        for handle in call.timers:
            handle.cancel()
        call.timers.clear()

    def _ev(self, name: str, priv: str, *blocks: dict[str, str], **extra: str) -> None:
        headers = [("Privilege", f"{priv},all")]
        for block in blocks:
            headers.extend(block.items())
        headers.extend(extra.items())  # appended, as Asterisk does (UserEvent repeats Exten)
        self.emit(name, priv, headers)

    def _pair(self, call: SimCall, base: str, context: str, exten: str, role: str) -> list[Chan]:
        sfx = f"{next(self._local):08x}"
        chans = []
        for half, state in ((1, 0), (2, 4)):
            uid = f"{self._epoch}.{next(self._uid)}"
            chan = Chan(f"{base}-{sfx};{half}", uid, call.linkedid or uid, context, exten, state)
            if not call.linkedid:
                call.linkedid = uid
            self.channels[chan.name] = (call, f"{role}{half}")
            chans.append(chan)
            self._ev("Newchannel", "call", chan.block())
        return chans

    def _set_cid(self, chan: Chan, num: str, name: str, conn: bool = True) -> None:
        chan.cid_num, chan.cid_name = num, name
        self._ev("NewCallerid", "call", chan.block(), **{"CID-CallingPres": _PRES})
        if conn:
            chan.conn_num, chan.conn_name = num, name
            self._ev("NewConnectedLine", "call", chan.block())

    def _state(self, chan: Chan, state: int) -> None:
        chan.state = state
        self._ev("Newstate", "call", chan.block())

    def _local_bridge(self, one: Chan, two: Chan) -> None:
        self._ev(
            "LocalBridge",
            "call",
            one.block("LocalOne"),
            two.block("LocalTwo"),
            Context=one.context,
            Exten=one.exten,
            LocalOptimization="No",
        )

    def _bridge_block(self, bridge: str, count: int) -> dict[str, str]:
        return {
            "BridgeUniqueid": bridge,
            "BridgeType": "basic",
            "BridgeTechnology": "simple_bridge",
            "BridgeCreator": "<unknown>",
            "BridgeName": "<unknown>",
            "BridgeNumChannels": str(count),
            "BridgeVideoSourceMode": "none",
        }

    def _bridge_create(self) -> str:
        bridge = str(uuid.uuid4())
        self._ev("BridgeCreate", "call", self._bridge_block(bridge, 0))
        return bridge

    def _enter(self, bridge: str, chan: Chan, count: int) -> None:
        self._ev("BridgeEnter", "call", self._bridge_block(bridge, count), chan.block())

    def _leave(self, bridge: str, chan: Chan, count: int) -> None:
        self._ev("BridgeLeave", "call", self._bridge_block(bridge, count), chan.block())

    def _destroy(self, bridge: str) -> None:
        self._ev("BridgeDestroy", "call", self._bridge_block(bridge, 0))

    def _request(self, chan: Chan | None, soft: bool = True) -> None:
        if chan is None or chan.name not in self.channels or (soft and chan.requested):
            return
        chan.requested = chan.requested or soft
        name = "SoftHangupRequest" if soft else "HangupRequest"
        self._ev(name, "call", chan.block(), Cause="16")

    def _gone(self, chan: Chan) -> None:
        self._ev("Hangup", "call", chan.block(), Cause="16", **{"Cause-txt": "Normal Clearing"})
        del self.channels[chan.name]

    def _hangup_pair(self, legs: list[Chan | None]) -> None:
        """Hang up Local pairs as Asterisk does: request ;2, Hangup ;1, then ;2."""
        for i in range(0, len(legs), 2):
            one, two = legs[i], legs[i + 1] if i + 1 < len(legs) else None
            live_one = one is not None and one.name in self.channels
            live_two = two is not None and two.name in self.channels
            if live_two:
                self._request(two, soft=False)
            if live_one and one is not None:
                self._gone(one)
            if live_two and two is not None:
                self._request(two)
                self._gone(two)

    def member_event(self, member: Member, name: str = "QueueMemberStatus") -> None:
        """Emit the member's state (QueueMemberStatus or QueueMemberPause)."""
        self._ev("QueueMemberStatus" if name == "" else name, "agent", self.member_block(member))

    def member_block(self, m: Member, location: bool = False) -> dict[str, str]:
        """The member fields Asterisk prints (QueueMember uses Name/Location instead)."""
        ident = (
            {"Name": m.name, "Location": m.interface}
            if location
            else {"MemberName": m.name, "Interface": m.interface}
        )
        block = {"Queue": self.queue, **ident, "StateInterface": m.interface}
        block.update(
            Membership="static",
            Penalty="0",
            CallsTaken=str(m.calls_taken),
            LastCall=str(m.last_call),
            LastPause=str(m.last_pause),
            LoginTime=str(m.login_time),
            InCall="1" if m.in_call else "0",
            Status=str(m.status),
            Paused="1" if m.paused else "0",
            PausedReason=m.reason,
        )
        if not location:
            block["Ringinuse"] = "0"
        block["Wrapuptime"] = "0"
        return block

    def _member_status(self, member: Member, status: int, in_call: bool) -> None:
        member.status, member.in_call = status, in_call
        self.member_event(member)

    # -- citizen calls --------------------------------------------------------------
    def offer_call(self, number: str, name: str, action_id: str = "") -> SimCall:
        """A citizen dials 115 (as `Originate Local/<number>@citizen-phone/n` does)."""
        call = SimCall("", number, name)
        c1, c2 = self._pair(
            call, f"Local/{number}@citizen-phone", "citizen-phone", number, "caller"
        )
        call.caller, call.caller2 = c1, c2
        self.calls[call.linkedid] = call
        self._set_cid(c1, number, name)
        self._set_cid(c2, number, name)
        self._local_bridge(c1, c2)
        self._ev("DialBegin", "call", c1.block("Dest"), DialString=f"{number}@citizen-phone/n")
        c2.priority = 2
        self._state(c2, 6)
        self._state(c1, 6)
        self._ev("DialEnd", "call", c1.block("Dest"), DialStatus="ANSWER")
        if action_id:
            self._originate_response(action_id, c1, "inbound", "115")
        c1.context, c1.exten, c1.priority = "inbound", "115", 2
        call.joined = time.monotonic()
        count = sum(1 for c in self.calls.values() if c.state == "queued")
        self._ev(
            "QueueCallerJoin",
            "agent",
            c1.block(),
            Queue=self.queue,
            Position=str(count),
            Count=str(count),
        )
        self.distribute()
        return call

    def _originate_response(self, action_id: str, chan: Chan, context: str, exten: str) -> None:
        self._ev(
            "OriginateResponse",
            "call",
            {"ActionID": action_id, "Response": "Success", "Channel": chan.name},
            Context=context,
            Exten=exten,
            Reason="4",
            Uniqueid=chan.uniqueid,
            CallerIDNum=chan.cid_num or "<unknown>",
            CallerIDName=chan.cid_name or "<unknown>",
        )

    def waiting(self) -> list[SimCall]:
        """Calls waiting in the queue (not yet ringing), oldest first."""
        return [c for c in self.calls.values() if c.state == "queued"]

    def distribute(self) -> None:
        """Ring a free agent for each waiting call (round robin with memory)."""
        free = [m for m in self.members.values() if not (m.paused or m.busy)]
        for call in self.waiting():
            candidates = [m for m in free if m.interface not in call.tried] or free
            if not candidates:
                return
            ordered = sorted(candidates, key=lambda m: (m.calls_taken, m.interface))
            member = ordered[self._rr % len(ordered)] if len(ordered) > 1 else ordered[0]
            self._rr += 1
            free.remove(member)
            self._ring(call, member)

    def _ring(self, call: SimCall, member: Member) -> None:
        assert call.caller is not None
        member.busy = True
        call.state, call.member = "ringing", member
        call.tried.add(member.interface)
        n = member.interface.split("/")[1].split("@")[0]
        a1, a2 = self._pair(call, f"Local/{n}@agents", "agents", n, "agent")
        call.agent, call.agent2 = a1, a2
        self._set_cid(a1, call.number, call.name, conn=False)
        self._set_cid(a2, call.number, call.name)
        self._local_bridge(a1, a2)
        a1.exten, a1.conn_num, a1.conn_name = "115", call.number, call.name
        self._state(a1, 5)
        self._ev("NewConnectedLine", "call", a1.block())
        agent_fields = {
            "Queue": self.queue,
            "Interface": member.interface,
            "MemberName": member.name,
        }
        self._ev("AgentCalled", "agent", call.caller.block(), a1.block("Dest"), agent_fields)
        self._ev(
            "DialBegin", "call", call.caller.block(), a1.block("Dest"), DialString=member.interface
        )
        self._ev("DialState", "call", call.caller.block(), a1.block("Dest"), DialStatus="RINGING")
        self._member_status(member, 2, False)
        if member.answers:
            self._later(call, self.timing.agent_answer, lambda: self._answer(call))
        else:
            self._later(call, self.timing.ring_timeout, lambda: self._no_answer(call))

    def _no_answer(self, call: SimCall) -> None:
        assert call.caller is not None and call.agent is not None and call.member is not None
        member = call.member
        self._ev(
            "AgentRingNoAnswer",
            "agent",
            call.caller.block(),
            call.agent.block("Dest"),
            Queue=self.queue,
            Interface=member.interface,
            MemberName=member.name,
            RingTime=str(int(self.timing.ring_timeout)),
        )
        self._ev(
            "DialEnd", "call", call.caller.block(), call.agent.block("Dest"), DialStatus="NOANSWER"
        )
        self._hangup_pair([call.agent, call.agent2])
        call.agent = call.agent2 = call.member = None
        call.state = "queued"
        member.busy = False
        self._member_status(member, 1, False)
        self.distribute()

    def _answer(self, call: SimCall) -> None:
        assert call.caller is not None and call.agent is not None and call.member is not None
        a1, a2, member = call.agent, call.agent2, call.member
        assert a2 is not None
        a2.priority = 4
        self._state(a2, 6)
        self._state(a1, 6)
        self._ev("DialEnd", "call", call.caller.block(), a1.block("Dest"), DialStatus="ANSWER")
        count = sum(1 for c in self.calls.values() if c.state == "queued")
        self._ev(
            "QueueCallerLeave",
            "agent",
            call.caller.block(),
            Queue=self.queue,
            Position="1",
            Count=str(count),
        )
        call.state, call.answered = "connected", time.monotonic()
        hold = str(int(call.answered - call.joined))
        self._ev(
            "AgentConnect",
            "agent",
            call.caller.block(),
            a1.block("Dest"),
            {"Queue": self.queue, "Interface": member.interface, "MemberName": member.name},
            HoldTime=hold,
            RingTime=str(int(self.timing.agent_answer)),
        )
        call.bridge = self._bridge_create()
        self._enter(call.bridge, a1, 1)
        self._member_status(member, 2, True)
        self._later(call, self.timing.bridge_settle, lambda: self._settle(call))

    def _settle(self, call: SimCall) -> None:
        if call.state == "connected" and call.caller is not None:
            call.state = "bridged"
            self._enter(call.bridge, call.caller, 2)

    # -- ending -------------------------------------------------------------------------
    def _agent_complete(self, call: SimCall, reason: str) -> None:
        if call.caller is None or call.agent is None or call.member is None:
            return
        talk = str(int(time.monotonic() - call.answered))
        alive = call.agent.name in self.channels  # after a Redirect the agent leg is gone
        self._ev(
            "AgentComplete",
            "agent",
            call.caller.block(),
            call.agent.block("Dest") if alive else {},
            {
                "Queue": self.queue,
                "Interface": call.member.interface,
                "MemberName": call.member.name,
            },
            HoldTime=str(int(call.answered - call.joined)),
            TalkTime=talk,
            Reason=reason,
        )

    def _free_agent(self, call: SimCall) -> None:
        member = call.member
        if member is None or not member.busy:
            return
        self._hangup_pair([call.agent, call.agent2])
        member.busy = False
        if call.answered:
            member.calls_taken += 1
            member.last_call = int(time.time())
        self._member_status(member, 1, False)
        self.distribute()

    def _finish(self, call: SimCall) -> None:
        self._cancel_timers(call)
        self._hangup_pair([*call.dept, *call.consult])
        self._request(call.caller)
        self._hangup_pair([call.caller, call.caller2])
        call.state = "ended"
        self.calls.pop(call.linkedid, None)

    def caller_hangs_up(self, call: SimCall) -> None:
        """The citizen hangs up, wherever the call is."""
        if call.state == "ended" or call.caller is None:
            return
        self._cancel_timers(call)
        if call.state in {"queued", "ringing"}:
            self.abandoned += 1
            held = str(int(time.monotonic() - call.joined))
            self._ev(
                "QueueCallerAbandon",
                "agent",
                call.caller.block(),
                Queue=self.queue,
                Position="1",
                OriginalPosition="1",
                HoldTime=held,
            )
            self._ev(
                "QueueCallerLeave",
                "agent",
                call.caller.block(),
                Queue=self.queue,
                Position="1",
                Count="0",
            )
            if call.state == "ringing" and call.agent is not None:
                self._ev(
                    "DialEnd",
                    "call",
                    call.caller.block(),
                    call.agent.block("Dest"),
                    DialStatus="CANCEL",
                )
                self._free_agent(call)
        elif call.state in {"connected", "bridged", "consult"}:
            self.completed += 1
            self._leave(call.bridge, call.caller, 1)
            self._request(call.caller)
            if call.agent is not None:
                self._leave(call.bridge, call.agent, 0)
            self._destroy(call.bridge)
            self._agent_complete(call, "caller")
            self._free_agent(call)
        elif call.state == "transferred":
            if call.dept:
                self._leave(call.dept_bridge, call.caller, 1)
                self._leave(call.dept_bridge, call.dept[0], 0)
                self._destroy(call.dept_bridge)
            if call.complete_pending:
                self._agent_complete(call, "caller")
        self._finish(call)

    def agent_hangs_up(self, call: SimCall) -> None:
        """The agent hangs up: ends the call, or completes a running attended transfer."""
        if call.state == "consult":
            self._complete_atxfer(call)
            return
        if call.state not in {"connected", "bridged"} or call.caller is None:
            return
        self.completed += 1
        self._cancel_timers(call)
        assert call.agent is not None
        self._request(call.agent)
        self._leave(call.bridge, call.agent, 1)
        self._leave(call.bridge, call.caller, 0)
        self._destroy(call.bridge)
        self._agent_complete(call, "agent")
        self._free_agent(call)
        self._finish(call)

    # -- transfers ------------------------------------------------------------------------
    def _dial_department(self, call: SimCall, exten: str, via: Chan) -> list[Chan]:
        """`via` dials department `exten` (Local/<exten>@backoffice); returns the new legs."""
        dept = DEPARTMENTS[exten]
        via.context, via.exten, via.priority = "departments", exten, 3
        self._ev(
            "UserEvent",
            "user",
            via.block(),
            UserEvent="DepartmentReached",
            Department=dept,
            Exten=exten,
        )
        d1, d2 = self._pair(call, f"Local/{exten}@backoffice", "backoffice", exten, "dept")
        self._set_cid(d1, call.number, call.name)
        self._set_cid(d2, call.number, call.name)
        self._local_bridge(d1, d2)
        self._ev(
            "DialBegin",
            "call",
            via.block(),
            d1.block("Dest"),
            DialString=f"Local/{exten}@backoffice/n",
        )
        self._state(d1, 5)
        return [d1, d2]

    def _department_answers(self, call: SimCall, via: Chan, legs: list[Chan]) -> str:
        d1, d2 = legs
        self._ev("DialState", "call", via.block(), d1.block("Dest"), DialStatus="RINGING")
        self._state(d2, 6)
        self._state(d1, 6)
        self._ev("DialEnd", "call", via.block(), d1.block("Dest"), DialStatus="ANSWER")
        bridge = self._bridge_create()
        self._enter(bridge, d1, 1)
        self._enter(bridge, via, 2)
        return bridge

    def _transfer_to(self, call: SimCall, exten: str) -> None:
        """The caller's channel runs `departments,<exten>` (after a blind transfer/redirect)."""
        assert call.caller is not None
        call.state = "transferred"
        call.dept = self._dial_department(call, exten, call.caller)
        if exten in self.silent_departments:
            self._later(call, self.timing.department_timeout, lambda: self._dept_timeout(call))
        else:
            self._later(call, self.timing.department_answer, lambda: self._dept_up(call))

    def _dept_up(self, call: SimCall) -> None:
        assert call.caller is not None
        call.dept_bridge = self._department_answers(call, call.caller, call.dept)

    def _dept_timeout(self, call: SimCall) -> None:
        assert call.caller is not None
        self._ev(
            "DialEnd",
            "call",
            call.caller.block(),
            call.dept[0].block("Dest"),
            DialStatus="NOANSWER",
        )
        self._hangup_pair(list(call.dept))
        call.dept = []
        if call.complete_pending:
            self._agent_complete(call, "caller")
        self._finish(call)

    def _require_bridged(self, call: SimCall) -> None:
        if call.state != "bridged":
            raise SimError("Transfer invalid")

    def blind_transfer(self, call: SimCall, exten: str) -> None:
        """BlindTransfer of the agent's leg to a department."""
        self._require_bridged(call)
        assert call.caller is not None and call.agent is not None
        self._ev("Unhold", "call", call.agent.block())
        self._ev(
            "BlindTransfer",
            "call",
            {"Result": "Success"},
            call.agent.block("Transferer"),
            call.caller.block("Transferee"),
            self._bridge_block(call.bridge, 2),
            IsExternal="Yes",
            Context="departments",
            Extension=exten,
        )
        self._agent_complete(call, "transfer")
        self._leave(call.bridge, call.caller, 1)
        self._transfer_to(call, exten)
        self._leave(call.bridge, call.agent, 0)
        self._destroy(call.bridge)
        self._free_agent(call)

    def redirect(self, call: SimCall, exten: str) -> None:
        """Redirect of the caller's channel to a department (the agent's leg is dropped)."""
        if call.state not in {"connected", "bridged"}:
            raise SimError("Redirect failed")
        assert call.caller is not None and call.agent is not None
        self._leave(call.bridge, call.caller, 1)
        self._leave(call.bridge, call.agent, 0)
        self._destroy(call.bridge)
        call.complete_pending = True
        self._transfer_to(call, exten)
        self._free_agent(call)

    def atxfer(self, call: SimCall, exten: str) -> None:
        """Atxfer: the agent consults department `exten` while the caller waits."""
        self._require_bridged(call)
        assert call.agent is not None
        agent = call.agent
        for index, digit in enumerate("*2" + exten):
            self._ev(
                "DTMFEnd", "dtmf", agent.block(), Digit=digit, DurationMs="0", Direction="Received"
            )
            if index == 1:
                self._ev("Hold", "call", agent.block())
        call.state = "consult"
        x1, x2 = self._pair(call, f"Local/{exten}@departments", "departments", exten, "consult")
        call.consult = [x1, x2]
        call.consult_bridge = self._bridge_create()
        self._set_cid(x2, call.number, call.name, conn=False)
        self._local_bridge(x1, x2)
        legs = self._dial_department(call, exten, x2)
        call.dept = legs
        self._enter(call.consult_bridge, x1, 1)
        self._leave(call.bridge, agent, 1)
        self._enter(call.consult_bridge, agent, 2)
        if exten in self.silent_departments:
            self._later(call, self.timing.atxfer_timeout, lambda: self.cancel_atxfer(call))
        else:
            self._later(call, self.timing.department_answer, lambda: self._consult_up(call, x2))

    def _consult_up(self, call: SimCall, via: Chan) -> None:
        call.dept_bridge = self._department_answers(call, via, call.dept)

    def cancel_atxfer(self, call: SimCall) -> None:
        """The consultation ends (target gone or timed out): the agent is back with the caller."""
        if call.state != "consult" or call.agent is None:
            return
        self._cancel_timers(call)
        self._hangup_pair([*call.consult, *call.dept])
        call.dept, call.consult = [], []
        self._leave(call.consult_bridge, call.agent, 0)
        self._destroy(call.consult_bridge)
        self._ev("Unhold", "call", call.agent.block())
        self._enter(call.bridge, call.agent, 2)
        call.state = "bridged"

    def _complete_atxfer(self, call: SimCall) -> None:
        assert call.caller is not None and call.agent is not None
        self._cancel_timers(call)
        x1 = call.consult[0]
        agent = call.agent
        self._ev(
            "BridgeMerge",
            "call",
            {"To" + k: v for k, v in self._bridge_block(call.bridge, 1).items()},
            {"From" + k: v for k, v in self._bridge_block(call.consult_bridge, 2).items()},
        )
        self._leave(call.consult_bridge, x1, 1)
        self._enter(call.bridge, x1, 2)
        self._ev(
            "AttendedTransfer",
            "call",
            {"Result": "Success"},
            agent.block("OrigTransferer"),
            self._prefixed("Orig", call.bridge),
            agent.block("SecondTransferer"),
            self._prefixed("Second", call.consult_bridge),
            call.caller.block("Transferee"),
            x1.block("TransferTarget"),
            IsExternal="No",
            DestType="Bridge",
            DestBridgeUniqueid=call.bridge,
        )
        self._agent_complete(call, "transfer")
        self._leave(call.consult_bridge, agent, 0)
        self._destroy(call.consult_bridge)
        call.state = "transferred"
        call.dept = call.consult + call.dept
        call.consult = []
        call.dept_bridge = call.bridge
        self._free_agent(call)

    def hangup_channel(self, name: str) -> None:
        """The AMI Hangup action on any channel."""
        found = self.channels.get(name)
        if found is None:
            raise SimError("No such channel")
        call, role = found
        if call.state == "callback":
            self.end_callback(call)
        elif role.startswith("caller"):
            self.caller_hangs_up(call)
        elif role.startswith("agent"):
            if call.state == "ringing":
                self._cancel_timers(call)
                self._no_answer(call)
            else:
                self.agent_hangs_up(call)
        elif call.state == "consult":
            self.cancel_atxfer(call)
        else:
            if call.caller is not None and call.dept:
                self._leave(call.dept_bridge, call.dept[0], 1)
                self._leave(call.dept_bridge, call.caller, 0)
                self._destroy(call.dept_bridge)
            if call.complete_pending:
                self._agent_complete(call, "caller")
            self._finish(call)

    def find_by_channel(self, name: str) -> tuple[SimCall, str]:
        """The call and role (caller1, agent1, ...) of a live channel."""
        found = self.channels.get(name)
        if found is None:
            raise SimError("No such channel")
        return found

    def _prefixed(self, prefix: str, bridge: str) -> dict[str, str]:
        return {prefix + k: v for k, v in self._bridge_block(bridge, 2).items()}

    # -- call-backs -------------------------------------------------------------------------
    def originate_agent_first(self, interface: str, number: str, cid: str, action_id: str) -> None:
        """Originate with the agent's phone first; the citizen's handset answers at once."""
        member = self.members.get(interface)
        call = SimCall("", number, cid)
        n = interface.split("/")[1].split("@")[0]
        a1, a2 = self._pair(call, f"Local/{n}@agents", "agents", n, "agent")
        call.agent, call.agent2, call.member = a1, a2, member
        call.state = "callback"
        self.calls[call.linkedid] = call
        if member is not None:
            member.busy = True
            self._member_status(member, 2, False)

        def up() -> None:
            self._state(a2, 6)
            self._state(a1, 6)
            self._originate_response(action_id, a1, "citizen-phone", number)
            a1.context, a1.exten = "citizen-phone", number
            call.answered = time.monotonic()

        self._later(call, self.timing.agent_answer, up)

    def end_callback(self, call: SimCall) -> None:
        """Hang up a call-back."""
        self._cancel_timers(call)
        if call.member is not None and call.member.busy:
            self._free_agent(call)
        else:
            self._hangup_pair([call.agent, call.agent2])
        call.state = "ended"
        self.calls.pop(call.linkedid, None)


_PRES = "0 (Presentation Allowed, Not Screened)"
_last_epoch = [0]


def _next_epoch(now: int) -> int:
    """Uniqueid prefix; a simulator restarted within the same second must not reuse ids."""
    _last_epoch[0] = max(now, _last_epoch[0] + 1)
    return _last_epoch[0]
