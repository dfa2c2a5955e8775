"""Agent (queue member) states as the console shows them, derived purely."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AgentState(StrEnum):
    """What an agent is doing, as the console shows it."""

    AVAILABLE = "available"
    RINGING = "ringing"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    PAUSED = "paused"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Agent:
    """One queue member as the console sees it."""

    interface: str
    name: str = ""
    queue: str = ""
    state: AgentState = AgentState.AVAILABLE
    paused: bool = False
    pause_reason: str = ""
    device_status: int = 1
    call_id: str = ""
    """The call ringing or connected at this agent."""
    calls_taken: int = 0


#: Asterisk device states meaning the member cannot take calls.
_UNAVAILABLE = {0, 4, 5}
_RINGING_DEVICE = {6, 7}
#: Device states meaning the member's phone is in use (also calls outside the queue).
_BUSY_DEVICE = {2, 3, 8}


def agent_state(agent: Agent, ringing: bool, talking: bool, wrapup_reason: str) -> AgentState:
    """Derive an agent's state: a live call wins over pause, pause over an idle device."""
    if talking:
        return AgentState.ON_CALL
    if ringing:
        return AgentState.RINGING
    if agent.device_status in _BUSY_DEVICE:
        return AgentState.ON_CALL
    if agent.paused:
        return AgentState.WRAP_UP if agent.pause_reason == wrapup_reason else AgentState.PAUSED
    if agent.device_status in _UNAVAILABLE:
        return AgentState.UNAVAILABLE
    if agent.device_status in _RINGING_DEVICE:
        return AgentState.RINGING
    return AgentState.AVAILABLE
