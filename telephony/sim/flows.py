"""Queue call flows of the simulated PBX: offer, ring, answer, abandon, hang up."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from telephony.sim.model import Member, SimCall, Timing
from telephony.sim.wire import Emit, Wire

#: States of a call still in the queue (Asterisk counts callers being rung as in the queue).
_IN_QUEUE = frozenset({"queued", "ringing"})


class CallFlows(Wire):
    """Queue `service115` with Local-channel agents that answer after a delay."""

    def __init__(
        self, emit: Emit, agents: int, queue: str, timing: Timing | None, wrapup_time: float = 0.0
    ) -> None:
        super().__init__(emit, queue)
        self.timing = timing or Timing()
        self.wrapup_time = wrapup_time
        """The queue's `wrapuptime`: seconds after a call before a member is offered the next."""
        self.holds: list[asyncio.TimerHandle] = []
        now = int(time.time())
        self.members: dict[str, Member] = {}
        for n in range(1, agents + 1):
            iface = f"Local/agent{n}@agents/n"
            self.members[iface] = Member(iface, f"Agent {n}", login_time=now)
        self.calls: dict[str, SimCall] = {}
        self._rr = 0
        self.completed = 0
        self.abandoned = 0

    def _later(self, call: SimCall, delay: float, fn: Callable[[], None]) -> None:
        call.timers.append(asyncio.get_running_loop().call_later(delay, fn))

    def _cancel_timers(self, call: SimCall) -> None:
        for handle in call.timers:
            handle.cancel()
        call.timers.clear()

    def _member_status(self, member: Member, status: int, in_call: bool) -> None:
        member.status, member.in_call = status, in_call
        self.member_event(member)

    def offer_call(
        self, number: str, name: str, action_id: str = "", exten: str = "115"
    ) -> SimCall:
        """A citizen dials `exten` (as `Originate Local/<number>@citizen-phone/n` into
        `inbound,<exten>` does) and joins the queue."""
        call = self._dial_in(number, name, action_id, exten)
        self._join(call)
        return call

    def _dial_in(self, number: str, name: str, action_id: str, exten: str) -> SimCall:
        """The citizen's Local pair, up and running `inbound,<exten>` (not yet queued)."""
        call = SimCall("", number, name, dialled=exten)
        c1, c2 = self._pair(
            call, f"Local/{number}@citizen-phone", "citizen-phone", number, "caller"
        )
        call.caller, call.caller2 = c1, c2
        call.state = "dialling"
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
            self._originate_response(action_id, c1, "inbound", exten)
        c1.context, c1.exten, c1.priority = "inbound", exten, 2
        return call

    def _join(self, call: SimCall) -> None:
        """The caller's channel runs Queue(): QueueCallerJoin, then an agent is rung."""
        assert call.caller is not None
        call.state = "queued"
        call.joined = time.monotonic()
        count = sum(1 for c in self.calls.values() if c.state in _IN_QUEUE)
        call.entry_position = count
        self._ev(
            "QueueCallerJoin",
            "agent",
            call.caller.block(),
            Queue=self.queue,
            Position=str(count),
            Count=str(count),
        )
        self.distribute()

    def position(self, call: SimCall) -> int:
        """The caller's place in the queue now (1: next), counting callers being rung."""
        ahead = (c for c in self.calls.values() if c.state in _IN_QUEUE and c.joined < call.joined)
        return 1 + sum(1 for _ in ahead)

    def waiting(self) -> list[SimCall]:
        """Calls waiting in the queue (not yet ringing), oldest first."""
        return [c for c in self.calls.values() if c.state == "queued"]

    def available(self) -> list[Member]:
        """Members a queue call may be offered to: not paused, not busy, not held in wrap-up."""
        now = time.monotonic()
        return [m for m in self.members.values()
                if not (m.paused or m.busy) and m.held_until <= now]  # fmt: skip

    def distribute(self) -> None:
        """Ring a free agent for each waiting call (round robin with memory)."""
        free = self.available()
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
        if call.answered and call.caller is not None:  # a queue call (not a call-back)
            member.calls_taken += 1
            member.last_call = int(time.time())
            self._hold(member)
        self._member_status(member, 1, False)
        self.distribute()

    def _hold(self, member: Member) -> None:
        """Asterisk's `wrapuptime` (the member's, else the queue's): no queue call for a while."""
        seconds = member.wrapuptime or self.wrapup_time
        if seconds <= 0:
            return
        member.held_until = time.monotonic() + seconds
        self.holds = [h for h in self.holds if not h.cancelled()]
        self.holds.append(asyncio.get_running_loop().call_later(seconds, self.distribute))

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
        if call.state in _IN_QUEUE:
            self.abandoned += 1
            held = str(int(time.monotonic() - call.joined))
            self._ev(
                "QueueCallerAbandon",
                "agent",
                call.caller.block(),
                Queue=self.queue,
                Position=str(self.position(call)),
                OriginalPosition=str(call.entry_position or 1),
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
