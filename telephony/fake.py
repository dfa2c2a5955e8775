"""FakeTelephony: an in-memory `Telephony` for console tests and demos without a PBX."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING

from telephony.calls import Agent, AgentState, Call, CallState, EndedBy, TransferKind
from telephony.events import MemberStatus, QueueEntry
from telephony.exceptions import (
    CallStateError,
    NotConnectedError,
    TelephonyError,
    UnknownCallError,
)
from telephony.fanout import Fanout
from telephony.protocol import (
    AgentChanged,
    CallChanged,
    ConnectionChanged,
    ConnectionState,
    QueueSnapshot,
    Telephony,
    Update,
)
from telephony.safety import check_extension, check_number, check_text

_TERMINAL = {CallState.ENDED, CallState.ABANDONED}


class FakeTelephony:
    """Scriptable stand-in: tests push calls and states, actions are recorded and take effect."""

    def __init__(
        self,
        agents: dict[str, str] | None = None,
        queue: str = "service115",
        wrapup_reason: str = "Nachbearbeitung",
    ) -> None:
        agents = agents or {"agent1": "Local/agent1@agents/n", "agent2": "Local/agent2@agents/n"}
        self.interfaces = dict(agents)
        self.queue = queue
        self.wrapup_reason = wrapup_reason
        self._state = ConnectionState.DISCONNECTED
        self._calls: dict[str, Call] = {}
        self._agents = {
            iface: Agent(iface, name=agent_id, queue=queue) for agent_id, iface in agents.items()
        }
        self._fanout = Fanout()
        self._ids = itertools.count(1)
        self.actions: list[tuple[str, ...]] = []
        """Every action requested, e.g. ("blind_transfer", call_id, "2002")."""
        self.fail_next: TelephonyError | None = None
        """Raised (once) by the next action instead of performing it."""

    # -- scripting ----------------------------------------------------------------
    def set_state(self, state: ConnectionState, detail: str = "") -> None:
        """Change the connection state (e.g. RECONNECTING to test the banner)."""
        self._state = state
        self._publish(ConnectionChanged(state, detail))

    def offer_call(
        self, number: str, name: str, dialled: str = "115", language: str = "en"
    ) -> Call:
        """A citizen who dialled `dialled` (and chose `language`, "en": none) joins the queue."""
        call_id = f"{int(time.time())}.{next(self._ids)}"
        call = Call(
            call_id,
            caller_channel=f"Fake/{number}-{call_id};1",
            caller_number=number,
            caller_name=name,
            queue=self.queue,
            dialled=dialled,
            language=language,
            joined_at=time.time(),
        )
        return self._put(call)

    def ring_agent(self, call_id: str, agent_id: str) -> Call:
        """The agent's phone rings for the call (also while busy: a PBX with `ringinuse`)."""
        iface = self.interfaces[agent_id]
        call = replace(self._calls[call_id], state=CallState.RINGING, agent_interface=iface,
                       agent_channel=f"Fake/{agent_id}-{call_id};1")  # fmt: skip
        return self._put(call)

    def connect_agent(self, call_id: str, agent_id: str) -> Call:
        """The agent answers the call (already bridged)."""
        iface = self.interfaces[agent_id]
        call = replace(
            self._calls[call_id],
            state=CallState.CONNECTED,
            agent_interface=iface,
            agent_channel=f"Fake/{agent_id}-{call_id};1",
            answered_at=time.time(),
            queue_wait=0,
            bridged=True,
        )
        self._set_agent(iface, AgentState.ON_CALL, call_id=call_id)
        return self._put(call)

    def end_call(self, call_id: str, by: EndedBy = EndedBy.CALLER) -> Call:
        """The call ends (abandoned if nobody answered)."""
        call = self._calls[call_id]
        state = CallState.ENDED if call.answered_at else CallState.ABANDONED
        if call.agent_interface:
            self._set_agent(call.agent_interface, AgentState.AVAILABLE)
        return self._put(replace(call, state=state, ended_by=by, ended_at=time.time()))

    # -- Telephony ----------------------------------------------------------------
    @property
    def state(self) -> ConnectionState:
        """The scripted connection state."""
        return self._state

    async def start(self) -> None:
        """Connect at once."""
        self.set_state(ConnectionState.CONNECTED)

    async def stop(self) -> None:
        """Disconnect."""
        self.set_state(ConnectionState.DISCONNECTED, "stopped")

    def updates(self) -> AsyncIterator[Update]:
        """A new stream of updates."""
        return self._fanout.subscribe()

    def calls(self) -> list[Call]:
        """Calls not yet over."""
        return [c for c in self._calls.values() if c.state not in _TERMINAL]

    def agents(self) -> list[Agent]:
        """Every agent."""
        return list(self._agents.values())

    async def blind_transfer(self, call_id: str, exten: str) -> TransferKind:
        """Transferred at once."""
        self._act("blind_transfer", call_id, check_extension(exten))
        self._transfer(call_id, TransferKind.BLIND, exten)
        return TransferKind.BLIND

    async def send_to_survey(self, call_id: str) -> TransferKind:
        """The caller goes to the survey: for the agent the call ends at once."""
        self._act("send_to_survey", call_id)
        call = self._active(call_id)
        if call.state != CallState.CONNECTED or call.on_hold:
            raise CallStateError(f"call {call_id!r} is {call.state}; no survey now")
        if call.agent_interface:
            self._set_agent(call.agent_interface, AgentState.AVAILABLE)
        self._put(replace(call, state=CallState.ENDED, survey=True, ended_by=EndedBy.AGENT,
                          ended_at=time.time(), bridged=False))  # fmt: skip
        return TransferKind.BLIND

    async def attended_transfer(self, call_id: str, exten: str) -> None:
        """Consultation starts."""
        self._act("attended_transfer", call_id, check_extension(exten))
        call = self._active(call_id)
        self._put(replace(call, on_hold=True, consult_channel=f"Fake/{exten}-{call_id};1"))

    async def complete_transfer(self, call_id: str) -> None:
        """Caller joined with the consulted party."""
        self._act("complete_transfer", call_id)
        call = self._active(call_id)
        exten = call.consult_channel.split("/")[1].split("-")[0] if call.consult_channel else ""
        self._transfer(call_id, TransferKind.ATTENDED, exten)

    async def cancel_transfer(self, call_id: str) -> None:
        """Back with the caller."""
        self._act("cancel_transfer", call_id)
        self._put(replace(self._active(call_id), on_hold=False, consult_channel=""))

    async def hangup(self, call_id: str) -> None:
        """The agent ends the call."""
        self._act("hangup", call_id)
        call = self._active(call_id)
        if call.on_hold or call.state == CallState.TRANSFERRED:
            raise CallStateError(f"call {call_id!r} is {call.state}; cannot hang up")
        self.end_call(call_id, EndedBy.AGENT)

    async def pause(self, agent_id: str, reason: str) -> None:
        """Pause with a reason."""
        self._act("pause", agent_id, check_text("reason", reason))
        agent = self._agents[self._iface(agent_id)]
        busy = agent.state in {AgentState.ON_CALL, AgentState.RINGING}
        state = agent.state if busy else AgentState.AVAILABLE
        self._set_agent(agent.interface, state, agent.call_id, paused=True, reason=reason)

    async def unpause(self, agent_id: str) -> None:
        """Available again."""
        self._act("unpause", agent_id)
        agent = self._agents[self._iface(agent_id)]
        busy = agent.state in {AgentState.ON_CALL, AgentState.RINGING}
        state = agent.state if busy else AgentState.AVAILABLE
        self._set_agent(agent.interface, state, agent.call_id, paused=False)

    async def originate_callback(self, agent_id: str, number: str, label: str = "") -> str:
        """The agent answers at once: an outbound call, connected, like the bridge's."""
        iface = self._iface(agent_id)
        self._act("originate_callback", agent_id, check_number(number))
        call_id = f"{int(time.time())}.{next(self._ids)}"
        call = Call(call_id, caller_number=number, caller_name=label, state=CallState.CONNECTED,
                    joined_at=time.time(), agent_interface=iface,
                    agent_channel=f"Fake/{agent_id}-{call_id};1", answered_at=time.time(),
                    queue_wait=0, outbound=True)  # fmt: skip
        self._set_agent(iface, AgentState.ON_CALL, call_id=call_id)
        self._put(call)
        return call_id

    async def queue_status(self) -> QueueSnapshot:
        """Built from the fake's state."""
        self._act("queue_status")
        members = tuple(
            MemberStatus(self.queue, a.interface, a.name, a.device_status, a.paused,
                         a.pause_reason, a.state == AgentState.ON_CALL, a.calls_taken)
            for a in self._agents.values()
        )  # fmt: skip
        waiting = [c for c in self._calls.values() if c.state == CallState.QUEUED]
        entries = tuple(
            QueueEntry(self.queue, n, c.caller_channel, c.call_id, c.call_id, c.caller_number,
                       c.caller_name, int(time.time() - (c.joined_at or time.time())))
            for n, c in enumerate(waiting, 1)
        )  # fmt: skip
        return QueueSnapshot(self.queue, members, entries)

    # -- helpers ------------------------------------------------------------------
    def _publish(self, update: Update) -> None:
        self._fanout.publish(update)

    def _put(self, call: Call) -> Call:
        self._calls[call.call_id] = call
        self._publish(CallChanged(call))
        return call

    def _set_agent(
        self,
        iface: str,
        state: AgentState,
        call_id: str = "",
        paused: bool | None = None,
        reason: str | None = None,
    ) -> None:
        """Set a member's state; its pause (and reason) stays unless given, as on Asterisk."""
        agent = self._agents[iface]
        paused = agent.paused if paused is None else paused
        reason = (agent.pause_reason if reason is None else reason) if paused else ""
        if state == AgentState.AVAILABLE and paused:
            state = AgentState.WRAP_UP if reason == self.wrapup_reason else AgentState.PAUSED
        agent = replace(agent, state=state, call_id=call_id, paused=paused, pause_reason=reason)
        self._agents[iface] = agent
        self._publish(AgentChanged(agent))

    def _act(self, *action: str) -> None:
        if self._state != ConnectionState.CONNECTED:
            raise NotConnectedError("the PBX is not reachable; the action was not sent")
        self.actions.append(action)
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error

    def _active(self, call_id: str) -> Call:
        call = self._calls.get(call_id)
        if call is None or call.state in _TERMINAL:
            raise UnknownCallError(f"no active call {call_id!r}")
        return call

    def _iface(self, agent_id: str) -> str:
        if agent_id not in self.interfaces:
            raise UnknownCallError(f"no agent {agent_id!r} in the configuration")
        return self.interfaces[agent_id]

    def _transfer(self, call_id: str, kind: TransferKind, exten: str) -> None:
        call = self._active(call_id)
        if call.agent_interface:
            self._set_agent(call.agent_interface, AgentState.AVAILABLE)
        self._put(
            replace(call, state=CallState.TRANSFERRED, transfer_kind=kind, transfer_target=exten,
                    on_hold=False, consult_channel="", bridged=False)
        )  # fmt: skip


if TYPE_CHECKING:
    _conforms: Telephony = FakeTelephony()
