"""App-wide messages: PBX updates, call life cycle, knowledge-base reloads, search results."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from calllog.models import CallRecord
from search.protocol import Hit
from telephony.calls import Agent, Call
from telephony.protocol import ConnectionState


class ConnectionUpdated(Message):
    """The PBX connection changed state."""

    def __init__(self, state: ConnectionState, detail: str = "") -> None:
        super().__init__()
        self.state = state
        self.detail = detail


class CallUpdated(Message):
    """A call's state changed on the PBX."""

    def __init__(self, call: Call) -> None:
        super().__init__()
        self.call = call


class AgentUpdated(Message):
    """A queue member's state changed; a flood for one member merges into the latest."""

    def __init__(self, agent: Agent) -> None:
        super().__init__()
        self.agent = agent

    def can_replace(self, message: Message) -> bool:
        """A newer state of the same member replaces a pending older one."""
        return isinstance(message, AgentUpdated) and message.agent.interface == self.agent.interface


class CallOffered(Message):
    """A call rings or was answered at this agent: the console popped the caller."""

    def __init__(self, call_id: str, number: str) -> None:
        super().__init__()
        self.call_id = call_id
        self.number = number


class CallEnded(Message):
    """The caller is gone (hung up, abandoned or transferred); wrap-up follows."""

    def __init__(self, call_id: str) -> None:
        super().__init__()
        self.call_id = call_id


class WrapUpSaved(Message):
    """The wrap-up was written (or queued in the outbox)."""

    def __init__(self, record: CallRecord, queued: bool) -> None:
        super().__init__()
        self.record = record
        self.queued = queued


class KbReloaded(Message):
    """Files of the knowledge base changed on disk and were reloaded."""

    def __init__(self, changed: list[str]) -> None:
        super().__init__()
        self.changed = changed


@dataclass(frozen=True)
class SearchOutcome:
    """What one search returned."""

    seq: int
    text: str
    hits: list[Hit]
    suggestion: str | None
    error: str | None = None


class SearchFinished(Message):
    """A search worker finished; stale results (older seq) are dropped by the receiver."""

    def __init__(self, outcome: SearchOutcome) -> None:
        super().__init__()
        self.outcome = outcome
