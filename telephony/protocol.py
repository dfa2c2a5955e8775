"""The `Telephony` protocol the console depends on, and the updates it streams.

Usage (any asyncio code, no Textual needed)::

    telephony: Telephony = AmiBridge(config)      # or FakeTelephony() in UI tests
    await telephony.start()                        # connects in the background, reconnects
    async for update in telephony.updates():       # on the event loop
        match update:
            case ConnectionChanged(state=state): ...  # connected, reconnecting, ...
            case CallChanged(call=call): ...  # queued, ringing, connected, transferred, ended
            case AgentChanged(agent=agent): ...  # available, ringing, on call, wrap-up, paused
    await telephony.blind_transfer(call.call_id, "2002")
    await telephony.stop()

Every action is awaitable, bounded by a timeout, and fails fast with
NotConnectedError while the PBX is unreachable (nothing is queued or replayed).
Errors are subclasses of telephony.exceptions.TelephonyError.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from telephony.calls import Agent, Call, TransferKind
from telephony.events import MemberStatus, QueueEntry


class ConnectionState(StrEnum):
    """The PBX connection as the console shows it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    """Lost; retrying with backoff ("Telefonanlage nicht erreichbar")."""
    DISCONNECTED = "disconnected"
    """Stopped, or the login was refused."""


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    """The connection state changed."""

    state: ConnectionState
    detail: str = ""
    """Why, in English, for logs (never contains the secret)."""


@dataclass(frozen=True, slots=True)
class CallChanged:
    """A call's state changed."""

    call: Call


@dataclass(frozen=True, slots=True)
class AgentChanged:
    """An agent's state changed."""

    agent: Agent


Update = ConnectionChanged | CallChanged | AgentChanged


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The answer to QueueStatus."""

    queue: str
    members: tuple[MemberStatus, ...]
    entries: tuple[QueueEntry, ...]
    """Callers waiting, in queue order."""


class Telephony(Protocol):
    """What the agent console needs from the telephone system."""

    @property
    def state(self) -> ConnectionState:
        """The current connection state."""
        ...

    async def start(self) -> None:
        """Begin connecting (returns at once; progress arrives as ConnectionChanged)."""
        ...

    async def stop(self) -> None:
        """Log off and stop reconnecting."""
        ...

    def updates(self) -> AsyncIterator[Update]:
        """A new stream of updates, delivered on the event loop."""
        ...

    def calls(self) -> list[Call]:
        """Calls not yet over, oldest first."""
        ...

    def agents(self) -> list[Agent]:
        """Every known queue member."""
        ...

    async def blind_transfer(self, call_id: str, exten: str) -> TransferKind:
        """Transfer without consultation; returns BLIND, or REDIRECT when the fallback was used."""
        ...

    async def send_to_survey(self, call_id: str) -> TransferKind:
        """End the call "mit Umfrage": the caller goes on to the survey, the agent's leg ends
        (BLIND, or REDIRECT when the fallback was used); the call then ends with `survey`."""
        ...

    async def attended_transfer(self, call_id: str, exten: str) -> None:
        """Start a consultation with `exten` while the caller waits."""
        ...

    async def complete_transfer(self, call_id: str) -> None:
        """Connect the caller with the consulted party (the agent leaves)."""
        ...

    async def cancel_transfer(self, call_id: str) -> None:
        """End the consultation; the agent is back with the caller."""
        ...

    async def hangup(self, call_id: str) -> None:
        """End the call (the agent's leg, or the caller's while still queued)."""
        ...

    async def pause(self, agent_id: str, reason: str) -> None:
        """Pause the agent in all their queues with a reason (e.g. wrap-up, break)."""
        ...

    async def unpause(self, agent_id: str) -> None:
        """Make the agent available again."""
        ...

    async def originate_callback(self, agent_id: str, number: str, label: str = "") -> str:
        """Call the agent's phone first, then the citizen's number; returns the call's id
        once the agent answered (the call then streams like any other, `outbound`)."""
        ...

    async def queue_status(self) -> QueueSnapshot:
        """The queue's members and waiting callers right now."""
        ...
