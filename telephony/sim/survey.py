"""The caller survey of the simulated PBX: the `lotse-survey` context of docs/survey.md.

A call handed to the survey (BlindTransfer of the agent's leg, or Redirect of the caller's
channel) leaves the agent as it does on Asterisk 22 (see tests/fixtures/ami/survey.ami): the
queue reports AgentComplete (`transfer` at once after a BlindTransfer; after a Redirect only
once the caller has gone, without channels), and the caller's channel runs the survey:
UserEvent SurveyStarted, the citizen's key (DTMFBegin/DTMFEnd, from `PlayDTMF` on the
citizen's `;2` half, or by itself after `Timing.survey_answer`), UserEvent SurveyRated for
a key from 1 to 5, then the dialplan hangs up. Simulated citizens answer with a seeded
distribution (`SURVEY_WEIGHTS`) or give no answer (then the survey ends after
`Timing.survey_timeout`).
"""

from __future__ import annotations

import random

from telephony.sim.flows import CallFlows
from telephony.sim.model import SimCall, SimError, Timing
from telephony.sim.wire import Emit

#: The survey's dialplan context and extension (as in docs/survey.md).
SURVEY_CONTEXT = "lotse-survey"
SURVEY_EXTEN = "1"
#: How simulated citizens rate: weights of the keys 1 (sehr unzufrieden) to 5.
SURVEY_WEIGHTS = (0.04, 0.06, 0.15, 0.35, 0.40)
#: Share of simulated citizens who press a key at all.
SURVEY_RESPONSE = 0.7


class SurveyFlows(CallFlows):
    """Calls handed to the survey, and the simulated citizens' answers."""

    def __init__(
        self,
        emit: Emit,
        agents: int,
        queue: str,
        timing: Timing | None,
        wrapup_time: float = 0.0,
        seed: int | None = None,
    ) -> None:
        super().__init__(emit, agents, queue, timing, wrapup_time)
        self.survey_rng = random.Random(seed)
        """Seeded: the same seed gives the same answers in the same order."""
        self.survey_answers = True
        """Scriptable: False lets citizens wait for `PlayDTMF` (or the time-out)."""

    def survey_blind(self, call: SimCall) -> None:
        """BlindTransfer of the agent's leg into the survey."""
        if call.state != "bridged":
            raise SimError("Transfer invalid")
        assert call.caller is not None and call.agent is not None
        self._ev("Unhold", "call", call.agent.block())
        self._ev(
            "BlindTransfer", "call", {"Result": "Success"}, call.agent.block("Transferer"),
            call.caller.block("Transferee"), self._bridge_block(call.bridge, 2),
            IsExternal="Yes", Context=SURVEY_CONTEXT, Extension=SURVEY_EXTEN,
        )  # fmt: skip
        self._into_survey(call)
        self._agent_complete(call, "transfer")
        self._leave(call.bridge, call.caller, 1)
        self._leave(call.bridge, call.agent, 0)
        self._destroy(call.bridge)
        self._free_agent(call)
        self._start_survey(call)

    def survey_redirect(self, call: SimCall) -> None:
        """Redirect of the caller's channel into the survey (the bridge's fallback)."""
        if call.state not in {"connected", "bridged"}:
            raise SimError("Redirect failed")
        assert call.caller is not None and call.agent is not None
        self._into_survey(call)
        self._leave(call.bridge, call.caller, 1)
        self._leave(call.bridge, call.agent, 0)
        self._destroy(call.bridge)
        call.complete_pending = True  # AgentComplete only once the caller is gone
        self._free_agent(call)
        self._start_survey(call)

    def _into_survey(self, call: SimCall) -> None:
        assert call.caller is not None
        call.caller.context, call.caller.exten, call.caller.priority = (
            SURVEY_CONTEXT, SURVEY_EXTEN, 1,
        )  # fmt: skip

    def _start_survey(self, call: SimCall) -> None:
        assert call.caller is not None
        call.state = "survey"
        call.caller.priority = 2
        self._ev("UserEvent", "user", call.caller.block(), UserEvent="SurveyStarted",
                 Queue=self.queue)  # fmt: skip
        call.caller.priority = 3
        self._later(call, self.timing.survey_timeout, lambda: self.end_survey(call))
        # A citizen who says nothing: the survey times out.
        if self.survey_answers and self.survey_rng.random() < SURVEY_RESPONSE:
            digit = str(self.survey_rng.choices(range(1, 6), SURVEY_WEIGHTS)[0])
            self._later(call, self.timing.survey_answer, lambda: self.press(call, digit))

    def press(self, call: SimCall, digit: str) -> None:
        """The citizen presses a key in the survey (Read takes one digit, then it ends)."""
        if call.state != "survey" or call.caller is None:
            return
        self._cancel_timers(call)
        chan = call.caller
        self._ev("DTMFBegin", "dtmf", chan.block(), Digit=digit, Direction="Received")
        self._ev("DTMFEnd", "dtmf", chan.block(), Digit=digit, DurationMs="120",
                 Direction="Received")  # fmt: skip
        if digit in {"1", "2", "3", "4", "5"}:
            chan.priority = 5
            self._ev("UserEvent", "user", chan.block(), UserEvent="SurveyRated", Rating=digit)
        self.end_survey(call)

    def end_survey(self, call: SimCall) -> None:
        """The survey's dialplan hangs up the caller's channel (or the citizen did)."""
        if call.state != "survey":
            return
        self._finish(call)
        if call.complete_pending:
            self._complete_without_channels(call)

    def caller_hangs_up(self, call: SimCall) -> None:
        """The citizen hangs up, wherever the call is (also in the survey)."""
        if call.state == "survey":
            self.end_survey(call)
        else:
            super().caller_hangs_up(call)

    def _complete_without_channels(self, call: SimCall) -> None:
        """AgentComplete after a Redirect: both legs gone, so without their fields."""
        member = call.member
        if member is None:
            return
        call.complete_pending = False
        self._ev(
            "AgentComplete", "agent",
            {"Queue": self.queue, "Interface": member.interface, "MemberName": member.name},
            HoldTime=str(int(call.answered - call.joined)), TalkTime="0", Reason="caller",
        )  # fmt: skip
