"""Staffed time: how long each agent was logged in, and in which state, from the PBX (pure).

`lotse recorder` follows the queue's member events (QueueMemberAdded/Removed/Pause/Status,
AgentCalled/Connect/Complete) and writes, per agent, one `StaffedSpan` per stretch of time in
one state. A span still going on is written again with a later end as time passes (the row is
keyed by agent and start), so a crash loses at most the last stretch. The store keeps one row
per local day (`split_days`), so the figures of a day never depend on its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from calllog.exceptions import InvalidRecord


class StaffedState(StrEnum):
    """What a logged-in agent was doing (logged out is not staffed time and not written)."""

    AVAILABLE = "available"
    """Ready for the next call."""
    RINGING = "ringing"
    """A queue call rang at the agent's phone."""
    TALKING = "talking"
    """On a call (a queue call, a call-back or any other call of the agent's phone)."""
    WRAP_UP = "wrap_up"
    """Paused with the wrap-up reason (`pbx.wrapup_reason`): after-call work."""
    PAUSED = "paused"
    """Paused for another reason (break, training, meeting, ...): kept with the reason."""


#: States in which the agent handles calls (occupancy's numerator).
HANDLING = frozenset({StaffedState.TALKING, StaffedState.WRAP_UP})
#: States in which the agent is there for calls (occupancy's denominator).
READY = frozenset({*HANDLING, StaffedState.AVAILABLE, StaffedState.RINGING})


@dataclass(frozen=True, slots=True)
class StaffedSpan:
    """One agent in one state from `started_at` to `ended_at` (aware times, kept in UTC)."""

    agent_id: str
    state: StaffedState
    started_at: datetime
    ended_at: datetime
    reason: str | None = None
    """The pause reason (paused only)."""

    def __post_init__(self) -> None:
        if not self.agent_id:
            raise InvalidRecord("staffed time needs an agent id")
        try:
            object.__setattr__(self, "state", StaffedState(self.state))
        except ValueError:
            raise InvalidRecord(f"not a staffed state: {self.state!r}") from None
        for name in ("started_at", "ended_at"):  # in UTC: wall-clock arithmetic breaks on DST
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise InvalidRecord("staffed time needs timezone-aware times")
            object.__setattr__(self, name, value.astimezone(UTC))
        if self.ended_at < self.started_at:
            raise InvalidRecord(f"staffed time of {self.agent_id} ends before it starts")
        if self.state is not StaffedState.PAUSED:
            object.__setattr__(self, "reason", None)

    @property
    def ms(self) -> int:
        """The span's length in milliseconds."""
        return round((self.ended_at - self.started_at).total_seconds() * 1000)


def split_days(span: StaffedSpan, zone: ZoneInfo) -> list[StaffedSpan]:
    """The span cut at local midnights: one piece per local day, in order."""
    pieces: list[StaffedSpan] = []
    start = span.started_at
    while True:
        local = start.astimezone(zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), zone)
        if span.ended_at <= midnight:
            pieces.append(replace(span, started_at=start))
            return pieces
        pieces.append(replace(span, started_at=start, ended_at=midnight.astimezone(UTC)))
        start = midnight.astimezone(UTC)
