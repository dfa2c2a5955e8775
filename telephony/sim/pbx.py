"""The simulated PBX: the reference dialplan's queue, agents, departments and transfers.

It emits the events Asterisk 22 emits for `../shared/asterisk/conf` (see the
recorded traces), in the same order, through an `emit(name, privilege, headers)`
callback. Timers run on the asyncio loop; nothing here touches a socket.
Layers: simmodel (data) -> simwire (events per channel operation) ->
simcalls (queue call flows) -> simsurvey (the caller survey) -> simlanguage (a
municipality's number and its language choice) -> simpbx (transfers, call-backs, AMI Hangup).
"""

from __future__ import annotations

import time

from telephony.sim.language import LanguageFlows
from telephony.sim.model import DEPARTMENTS, Chan, SimCall, SimError, Timing
from telephony.sim.wire import Emit

__all__ = ["DEPARTMENTS", "Pbx", "SimCall", "SimError", "Timing"]


class Pbx(LanguageFlows):
    """The reference dialplan in memory: queue `service115`, agents, departments 2001-2003,
    the caller survey of docs/survey.md and the municipalities' numbers with their language
    choice (docs/deployment-asterisk.md)."""

    def __init__(
        self,
        emit: Emit,
        agents: int = 2,
        queue: str = "service115",
        timing: Timing | None = None,
        wrapup_time: float = 0.0,
        seed: int | None = None,
    ) -> None:
        super().__init__(emit, agents, queue, timing, wrapup_time, seed)
        self.silent_departments: set[str] = set()
        """Scriptable: departments that ring but never answer."""
        self.unreachable: set[str] = set()
        """Scriptable: citizens' numbers that do not answer a call-back."""
        self.departments: dict[str, str] = dict(DEPARTMENTS)
        """Extension -> department name: the `departments` context of the dialplan."""

    def _dial_department(self, call: SimCall, exten: str, via: Chan) -> list[Chan]:
        """`via` dials department `exten` (Local/<exten>@backoffice); returns the new legs."""
        dept = self.departments[exten]
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

    def originate_agent_first(
        self, interface: str, number: str, cid: str, action_id: str, timeout: float = 30.0
    ) -> SimCall:
        """Originate with the agent's phone first, then the citizen is dialled.

        The citizen answers at once, unless the number is in `unreachable`: then the
        call ends after `Timing.citizen_timeout`, as the call-back context's Dial would.
        """
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
            if number in self.unreachable:
                self._later(call, self.timing.citizen_timeout, lambda: self.end_callback(call))

        def not_answered() -> None:
            self._originate_response(action_id, a1, "citizen-phone", number, reason=3)
            self.end_callback(call)

        if member is None or member.answers:
            self._later(call, self.timing.agent_answer, up)
        else:
            self._later(call, timeout, not_answered)
        return call

    def end_callback(self, call: SimCall) -> None:
        """Hang up a call-back."""
        self._cancel_timers(call)
        if call.member is not None and call.member.busy:
            self._free_agent(call)
        else:
            self._hangup_pair([call.agent, call.agent2])
        call.state = "ended"
        self.calls.pop(call.linkedid, None)
