"""Pure call state machine: typed AMI events in, Call and Agent states out.

The legs of one call are tied together by Linkedid. Handlers never rely on a
strict event order: a call is created by whichever queue event comes first,
states only move forward, and late events (AgentComplete after the hang-up)
only add detail.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from telephony import events as ev
from telephony.agents import Agent, AgentState, agent_state
from telephony.exceptions import ProtocolError
from telephony.model import TERMINAL, Call, CallState, EndedBy, TransferKind

__all__ = [
    "Agent",
    "AgentState",
    "Call",
    "CallState",
    "CallTracker",
    "Change",
    "EndedBy",
    "TransferKind",
    "agent_state",
]


Change = Call | Agent


@dataclass
class _Asked:
    """What Lotse itself asked the PBX to do with a call, known before any of its events."""

    hangup: str = ""
    """The channel Lotse hung up: who ended the call, whatever order the Hangups come in."""
    target: str = ""
    """The extension Lotse transferred to (blind or attended)."""


@dataclass(frozen=True)
class _Callback:
    """A call-back Lotse originated, until its OriginateResponse names the agent's channel."""

    interface: str
    number: str
    name: str


_RANK = {s: i for i, s in enumerate(CallState)}
_TERMINAL = TERMINAL


class CallTracker:
    """Applies events to calls and agents; `apply` returns the states that changed.

    No I/O and no clock: the caller passes each event's arrival time.
    """

    def __init__(
        self,
        wrapup_reason: str = "Nachbearbeitung",
        keep_ended: int = 500,
        survey_context: str = "",
    ) -> None:
        """`survey_context`: the dialplan context of the caller survey; a blind transfer there
        ends the call "mit Umfrage" instead of passing it on ("": only the survey's own
        SurveyStarted event says so)."""
        self.wrapup_reason = wrapup_reason
        self.keep_ended = keep_ended
        self.survey_context = survey_context
        self.calls: OrderedDict[str, Call] = OrderedDict()
        self.agents: dict[str, Agent] = {}
        self._bridge_of: dict[str, str] = {}
        self._ringing: dict[str, str] = {}
        self._talking: dict[str, str] = {}
        self._first_hangup: dict[str, str] = {}
        self._asked: dict[str, _Asked] = {}
        self._callbacks: dict[str, _Callback] = {}
        self._changed: dict[str, Change] = {}

    # -- public -----------------------------------------------------------------
    def apply(self, event: ev.AmiEvent, at: float) -> list[Change]:
        """Apply one event; returns the calls and agents whose state changed.

        Raises ProtocolError (nothing changed) for an event that names no call.
        """
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return []
        self._changed = {}
        handler(self, event, at)
        return list(self._changed.values())

    # -- what Lotse asked for: recorded before the action is sent ------------------
    def asked_hangup(self, call_id: str, channel: str) -> None:
        """Lotse hangs up `channel` of the call: that leg ended it, whatever Asterisk reports."""
        self._asked.setdefault(call_id, _Asked()).hangup = channel

    def asked_transfer(self, call_id: str, exten: str) -> None:
        """Lotse transfers the call to `exten`: the target even when an event leaves it out."""
        self._asked.setdefault(call_id, _Asked()).target = exten

    def asked_callback(self, action_id: str, interface: str, number: str, name: str) -> None:
        """Lotse originates a call-back with this ActionID (agent's phone first)."""
        self._callbacks[action_id] = _Callback(interface, number, name)
        while len(self._callbacks) > 100:  # responses that never came
            del self._callbacks[next(iter(self._callbacks))]

    def in_consultation(self, call_id: str) -> bool:
        """The agent's leg has moved into the consultation's bridge.

        Asterisk dials the target before it moves the agent: a hang-up of the agent's leg
        before that move drops the transfer and leaves the caller on hold alone (seen on
        Asterisk 22 when the hang-up came 2 ms after the target's channel appeared).
        """
        call = self.calls.get(call_id)
        if call is None or not call.on_hold or not call.consult_channel:
            return False
        agent_bridge = self._bridge_of.get(call.agent_channel)
        return bool(agent_bridge) and agent_bridge == self._bridge_of.get(call.consult_channel)

    def active_calls(self) -> list[Call]:
        """Calls that are not over, oldest first."""
        return [c for c in self.calls.values() if c.state not in _TERMINAL]

    def resync(
        self, members: list[ev.MemberStatus], entries: list[ev.QueueEntry], at: float
    ) -> list[Change]:
        """Reconcile with a fresh QueueStatus after a reconnect.

        Waiting calls not listed any more, and connected calls whose agent is no
        longer in a call, ended while the connection was down.
        """
        self._changed = {}
        listed = {e.linkedid for e in entries}
        busy = {m.interface for m in members if m.in_call or m.status in {2, 3, 6, 7, 8}}
        for call in self.active_calls():
            gone_waiting = call.state in {CallState.QUEUED, CallState.RINGING}
            gone_waiting = gone_waiting and call.call_id not in listed
            gone_talking = call.state == CallState.CONNECTED and call.agent_interface not in busy
            if gone_waiting or gone_talking or call.state == CallState.TRANSFERRED:
                self._end(call, at, EndedBy.UNKNOWN)
        for member in members:
            self._on_member(member, at)
        for entry in entries:
            if entry.linkedid:  # an entry naming no call is left out
                self._on_entry(entry, at)
        return list(self._changed.values())

    # -- helpers ----------------------------------------------------------------
    def _put(self, call: Call) -> None:
        if self.calls.get(call.call_id) != call:
            self.calls[call.call_id] = call
            self._changed[call.call_id] = call

    def _call(self, linkedid: str, create: bool = False) -> Call | None:
        call = self.calls.get(linkedid)
        if call is None and create and linkedid:
            call = Call(linkedid)
            self.calls[linkedid] = call
            self._prune()
        return call

    def _new_call(self, e: ev.AmiEvent) -> Call:
        """The call an event names, created if new; ProtocolError when it names none."""
        call = self._call(getattr(e, "linkedid", ""), create=True)
        if call is None:
            raise ProtocolError(f"{type(e).__name__} without Linkedid")
        return call

    def _prune(self) -> None:
        ended = [k for k, c in self.calls.items() if c.state in _TERMINAL]
        for key in ended[: max(0, len(ended) - self.keep_ended)]:
            del self.calls[key]
            self._asked.pop(key, None)

    def _advance(self, call: Call, state: CallState) -> Call:
        if call.state in _TERMINAL or _RANK[state] <= _RANK[call.state]:
            return call
        return replace(call, state=state)

    def _fill(self, call: Call, channel: str, number: str, name: str, queue: str) -> Call:
        return replace(
            call,
            caller_channel=call.caller_channel or channel,
            caller_number=call.caller_number or number,
            caller_name=call.caller_name or name,
            queue=call.queue or queue,
        )

    def _agent(self, interface: str) -> Agent:
        return self.agents.get(interface) or Agent(interface)

    def _refresh_agent(self, agent: Agent) -> None:
        ringing = self._ringing.get(agent.interface, "")
        talking = self._talking.get(agent.interface, "")
        state = agent_state(agent, bool(ringing), bool(talking), self.wrapup_reason)
        new = replace(agent, state=state, call_id=talking or ringing)
        if self.agents.get(agent.interface) != new:
            self.agents[agent.interface] = new
            self._changed["agent:" + agent.interface] = new

    def _release_agent(self, call_id: str) -> None:
        for table in (self._ringing, self._talking):
            for iface in [i for i, c in table.items() if c == call_id]:
                del table[iface]
                self._refresh_agent(self._agent(iface))

    def _with_bridge(self, call: Call) -> Call:
        caller = self._bridge_of.get(call.caller_channel)
        bridged = bool(caller) and caller == self._bridge_of.get(call.agent_channel)
        return replace(call, bridged=bridged)

    def _end(self, call: Call, at: float, by: EndedBy | None) -> None:
        if call.state in _TERMINAL:
            return
        answered = call.answered_at is not None or call.transfer_kind is not None
        by = call.ended_by or by  # AgentComplete's reason may have come first
        state = CallState.ENDED if answered else CallState.ABANDONED
        if not answered:
            by = EndedBy.CALLER if by is None else by
        asked = self._asked.get(call.call_id)
        if asked is not None and asked.hangup and call.transfer_kind is None:
            by = self._leg_role(call, asked.hangup)  # what Lotse did is known, not guessed
        self._put(replace(call, state=state, ended_at=at, ended_by=by, bridged=False))
        self._release_agent(call.call_id)

    def _last_call_of(self, interface: str) -> Call | None:
        """The agent's latest call still without a talk time (AgentComplete without channels)."""
        for call in reversed(self.calls.values()):
            if call.agent_interface == interface and call.talk_time is None:
                return call
        return None

    def _leg_role(self, call: Call, channel: str) -> EndedBy:
        base = channel.rsplit(";", 1)[0]
        if call.caller_channel and base == call.caller_channel.rsplit(";", 1)[0]:
            return EndedBy.CALLER
        if call.agent_channel and base == call.agent_channel.rsplit(";", 1)[0]:
            return EndedBy.AGENT
        return EndedBy.REMOTE

    # -- handlers ---------------------------------------------------------------
    def _on_join(self, e: ev.QueueCallerJoin, at: float) -> None:
        old = self.calls.get(e.linkedid)
        if old is not None and old.state in _TERMINAL:  # id reused after a PBX restart
            del self.calls[e.linkedid]
        call = self._new_call(e)
        call = self._fill(call, e.channel, e.caller_number, e.caller_name, e.queue)
        call = replace(call, dialled=call.dialled or e.exten, language=call.language or e.language)
        self._put(replace(call, joined_at=call.joined_at or at))

    def _on_entry(self, e: ev.QueueEntry, at: float) -> None:
        call = self._new_call(e)
        call = self._fill(call, e.channel, e.caller_number, e.caller_name, e.queue)
        self._put(replace(call, joined_at=call.joined_at or at - e.wait))

    def _on_abandon(self, e: ev.QueueCallerAbandon, at: float) -> None:
        call = self._new_call(e)
        call = self._fill(call, e.channel, e.caller_number, e.caller_name, e.queue)
        self._put(call)
        self._end(call, at, EndedBy.CALLER)

    def _on_called(self, e: ev.AgentCalled, at: float) -> None:
        call = self._new_call(e)
        if call.state in _TERMINAL:
            return
        call = self._fill(call, e.channel, e.caller_number, e.caller_name, e.queue)
        if call.state in {CallState.QUEUED, CallState.RINGING}:
            call = replace(call, agent_interface=e.interface, agent_channel=e.agent_channel)
            self._ringing[e.interface] = call.call_id
        self._put(self._advance(call, CallState.RINGING))
        self._refresh_agent(replace(self._agent(e.interface), name=e.member_name, queue=e.queue))

    def _on_no_answer(self, e: ev.AgentRingNoAnswer, at: float) -> None:
        if self._ringing.get(e.interface) == e.linkedid:
            del self._ringing[e.interface]
            self._refresh_agent(self._agent(e.interface))

    def _on_connect(self, e: ev.AgentConnect, at: float) -> None:
        call = self._new_call(e)
        if call.state in _TERMINAL:
            return
        call = self._fill(call, e.channel, e.caller_number, e.caller_name, e.queue)
        call = replace(
            call,
            agent_interface=e.interface,
            agent_channel=e.agent_channel,
            answered_at=call.answered_at or at,
            queue_wait=e.hold_time,
            joined_at=call.joined_at or at - e.hold_time - e.ring_time,
        )
        self._put(self._with_bridge(self._advance(call, CallState.CONNECTED)))
        for iface in [i for i, c in self._ringing.items() if c == call.call_id]:
            del self._ringing[iface]
            self._refresh_agent(self._agent(iface))
        self._talking[e.interface] = call.call_id
        self._refresh_agent(replace(self._agent(e.interface), name=e.member_name, queue=e.queue))

    def _on_complete(self, e: ev.AgentComplete, at: float) -> None:
        call = self._call(e.linkedid) if e.linkedid else self._last_call_of(e.interface)
        if call is None:
            return
        call = replace(call, talk_time=e.talk_time)
        asked = self._asked.get(call.call_id)
        lotse_hung_up = asked is not None and bool(asked.hangup)
        mine = lotse_hung_up or call.survey  # after a Redirect into the survey: "caller"
        if call.transfer_kind is None and e.reason in {"caller", "agent"} and not mine:
            call = replace(call, ended_by=EndedBy(e.reason))  # the queue's word, unless Lotse's
        self._put(call)
        if self._talking.get(e.interface) == call.call_id:
            del self._talking[e.interface]
            self._refresh_agent(self._agent(e.interface))

    def _on_bridge(self, e: ev.BridgeEnter | ev.BridgeLeave, at: float) -> None:
        if isinstance(e, ev.BridgeEnter):
            self._bridge_of[e.channel] = e.bridge_id
        elif self._bridge_of.get(e.channel) == e.bridge_id:
            del self._bridge_of[e.channel]
        call = self._call(e.linkedid)
        if call is not None and call.state not in _TERMINAL:
            call = self._with_bridge(call)
            if call.bridged and call.on_hold and not call.consult_channel:
                call = replace(call, on_hold=False)  # back from a cancelled consultation
            self._put(call)

    def _on_hold(self, e: ev.HoldChanged, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or call.state in _TERMINAL or e.channel != call.agent_channel:
            return
        consult = call.consult_channel if e.on_hold else ""
        self._put(replace(call, on_hold=e.on_hold, consult_channel=consult))

    def _on_new_channel(self, e: ev.ChannelCreated, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or not call.on_hold or call.consult_channel or e.channel.endswith(";2"):
            return
        if self._leg_role(call, e.channel) == EndedBy.REMOTE:
            self._put(replace(call, consult_channel=e.channel))

    def _transferred(self, call: Call, kind: TransferKind, target: str) -> None:
        if call.state in _TERMINAL or call.transfer_kind is not None:
            return
        asked = self._asked.get(call.call_id)
        target = (asked.target if asked is not None else "") or target
        self._first_hangup.pop(call.call_id, None)
        call = replace(call, transfer_kind=kind, transfer_target=target, on_hold=False)
        call = replace(call, consult_channel="", bridged=False)
        self._put(self._advance(call, CallState.TRANSFERRED))
        self._release_agent(call.call_id)

    def _on_blind(self, e: ev.BlindTransfer, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or not e.success:
            return
        if self.survey_context and e.context == self.survey_context:
            self._to_survey(call, at)
        else:
            self._transferred(call, TransferKind.BLIND, e.extension)

    def _on_survey(self, e: ev.SurveyStarted, at: float) -> None:
        call = self._call(e.linkedid)
        if call is not None:
            self._to_survey(call, at)

    def _to_survey(self, call: Call, at: float) -> None:
        """The caller went on to the survey: the call ends here, by the agent's choice."""
        if call.state not in {CallState.CONNECTED, CallState.TRANSFERRED}:
            return
        call = replace(call, survey=True, on_hold=False, consult_channel="")
        self._first_hangup.pop(call.call_id, None)
        self._end(call, at, EndedBy.AGENT)

    def _on_attended(self, e: ev.AttendedTransfer, at: float) -> None:
        call = self._call(e.linkedid)
        if call is not None and e.success:
            self._transferred(call, TransferKind.ATTENDED, e.target_extension)

    def _on_department(self, e: ev.DepartmentReached, at: float) -> None:
        call = self._call(e.linkedid)
        connected = call is not None and call.state == CallState.CONNECTED
        if connected and call is not None and e.channel == call.caller_channel:
            self._transferred(call, TransferKind.REDIRECT, e.exten)

    def _on_dial_begin(self, e: ev.DialBegin, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or not e.channel or e.channel != call.caller_channel:
            return
        if call.state == CallState.CONNECTED and e.dest_channel != call.agent_channel:
            self._transferred(call, TransferKind.REDIRECT, e.exten)

    def _on_dial_end(self, e: ev.DialEnd, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or not e.channel or e.channel != call.caller_channel:
            return
        if call.transfer_kind is not None:
            self._put(replace(call, transfer_status=e.status))

    def _on_hangup_request(self, e: ev.HangupRequested, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None or call.state in _TERMINAL or call.transfer_kind is not None:
            return  # after a transfer the legs hang up in dialplan order: no reliable culprit
        self._first_hangup.setdefault(call.call_id, e.channel)

    def _on_hangup(self, e: ev.ChannelHungUp, at: float) -> None:
        call = self._call(e.linkedid)
        if call is None:
            return
        self._bridge_of.pop(e.channel, None)
        if e.channel == call.caller_channel:
            first = self._first_hangup.pop(call.call_id, e.channel)
            by = None if call.transfer_kind else self._leg_role(call, first)
            self._end(call, at, by)
        elif e.channel == call.agent_channel and call.outbound:
            self._end(call, at, EndedBy.CALLER)  # the citizen's side ended, unless Lotse hung up
        elif e.channel == call.agent_channel and call.state not in _TERMINAL:
            self._release_agent(call.call_id)
            if call.state == CallState.RINGING:
                self._put(replace(call, agent_interface="", agent_channel=""))
            else:
                self._put(self._with_bridge(call))
        elif e.channel == call.consult_channel:
            self._put(replace(call, consult_channel=""))

    def _on_originate(self, e: ev.OriginateResult, at: float) -> None:
        asked = self._callbacks.pop(e.action_id, None)
        if asked is None or not e.success or not e.uniqueid:
            return
        call = Call(
            e.uniqueid,  # an originated channel starts its own Linkedid
            caller_number=asked.number,
            caller_name=asked.name,
            state=CallState.CONNECTED,
            joined_at=at,
            agent_interface=asked.interface,
            agent_channel=e.channel,
            answered_at=at,
            queue_wait=0,
            outbound=True,
        )
        self._put(call)
        self._prune()
        self._talking[asked.interface] = call.call_id
        self._refresh_agent(self._agent(asked.interface))

    def _on_member(self, e: ev.MemberStatus, at: float) -> None:
        agent = replace(
            self._agent(e.interface),
            name=e.member_name or self._agent(e.interface).name,
            queue=e.queue,
            paused=e.paused,
            pause_reason=e.paused_reason if e.paused else "",
            device_status=e.status,
            calls_taken=e.calls_taken,
        )
        self._refresh_agent(agent)

    def _on_removed(self, e: ev.MemberRemoved, at: float) -> None:
        # Logged out of the queue: no longer paused either (the event repeats the last pause).
        agent = replace(self._agent(e.interface), device_status=5, paused=False, pause_reason="")
        self._refresh_agent(agent)


_HANDLERS: dict[type, Callable[[CallTracker, Any, float], None]] = {
    ev.QueueCallerJoin: CallTracker._on_join,
    ev.QueueEntry: CallTracker._on_entry,
    ev.QueueCallerAbandon: CallTracker._on_abandon,
    ev.AgentCalled: CallTracker._on_called,
    ev.AgentRingNoAnswer: CallTracker._on_no_answer,
    ev.AgentConnect: CallTracker._on_connect,
    ev.AgentComplete: CallTracker._on_complete,
    ev.BridgeEnter: CallTracker._on_bridge,
    ev.BridgeLeave: CallTracker._on_bridge,
    ev.HoldChanged: CallTracker._on_hold,
    ev.ChannelCreated: CallTracker._on_new_channel,
    ev.BlindTransfer: CallTracker._on_blind,
    ev.AttendedTransfer: CallTracker._on_attended,
    ev.DepartmentReached: CallTracker._on_department,
    ev.SurveyStarted: CallTracker._on_survey,
    ev.DialBegin: CallTracker._on_dial_begin,
    ev.DialEnd: CallTracker._on_dial_end,
    ev.HangupRequested: CallTracker._on_hangup_request,
    ev.ChannelHungUp: CallTracker._on_hangup,
    ev.OriginateResult: CallTracker._on_originate,
    ev.MemberStatus: CallTracker._on_member,
    ev.MemberRemoved: CallTracker._on_removed,
}
