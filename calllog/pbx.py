"""What the PBX says about a call, and who said it: the vocabulary of a record's PBX facts."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Who wrote a record's PBX facts (queue, times, agent, caller, how it left the queue).

    A record has two parts with separate owners: the PBX facts and the agent's part
    (outcome, topics, notes, searches, wrap-up end). The console writes the agent's part;
    its view of the PBX facts is provisional and stands only until the PBX's own facts
    arrive from the recorder or from Asterisk's queue_log.
    """

    AGENT = "agent"
    """The console: the agent's part; its PBX facts are provisional."""
    QUEUE_LOG = "queue_log"
    """Imported from Asterisk's queue_log (`lotse recorder --import-queue-log`)."""
    RECORDER = "recorder"
    """`lotse recorder`, following the PBX over AMI."""


#: Whose PBX facts win: a higher rank replaces a lower one, field by field.
SOURCE_RANK: dict[Source, int] = {Source.AGENT: 0, Source.QUEUE_LOG: 1, Source.RECORDER: 2}


class QueueExit(StrEnum):
    """How a call that was never answered left the queue."""

    ABANDONED = "abandoned"
    """The caller hung up while waiting (queue_log ABANDON)."""
    EXITED = "exited"
    """Left unanswered otherwise: time-out, empty queue or a key (EXITWITH*, EXITEMPTY)."""


class EndedBy(StrEnum):
    """Who ended a call, as the queue itself reports it (never guessed from event order)."""

    CALLER = "caller"
    """The caller hung up (queue_log COMPLETECALLER, ABANDON; AMI AgentComplete caller)."""
    AGENT = "agent"
    """The agent hung up (queue_log COMPLETEAGENT; AMI AgentComplete agent)."""
