"""Agent state derivation: a live call wins over pause, pause over an idle device."""

from __future__ import annotations

import pytest

from telephony.agents import Agent, AgentState, agent_state

IDLE = Agent("PJSIP/agent1")


@pytest.mark.parametrize(
    ("agent", "ringing", "talking", "expected"),
    [
        (IDLE, False, False, AgentState.AVAILABLE),
        (IDLE, True, False, AgentState.RINGING),
        (IDLE, True, True, AgentState.ON_CALL),
        (Agent("x", paused=True, pause_reason="Nachbearbeitung"), False, False, AgentState.WRAP_UP),
        (Agent("x", paused=True, pause_reason="Pause"), False, False, AgentState.PAUSED),
        (Agent("x", paused=True, pause_reason="Pause"), False, True, AgentState.ON_CALL),
        (Agent("x", device_status=2), False, False, AgentState.ON_CALL),  # e.g. a call-back
        (Agent("x", device_status=5), False, False, AgentState.UNAVAILABLE),
        (Agent("x", device_status=6), False, False, AgentState.RINGING),
    ],
)
def test_agent_state(agent: Agent, ringing: bool, talking: bool, expected: AgentState) -> None:
    assert agent_state(agent, ringing, talking, "Nachbearbeitung") == expected
