"""How a write meets the stored record: the PBX facts and the agent's part merge by owner (pure).

A call record has two parts, each with its own owner and version:

- the PBX facts (`PBX_FIELDS`): queue, times, agent, caller, how the call left the queue,
  who ended it, the transfer the PBX saw, the caller survey after the call and its rating,
  the municipality and the language the PBX's facts map to.
  `lotse recorder` and the queue_log import own them; the console's view of them is
  provisional and fills in only until theirs arrive.
  Facts of the PBX meet fact by fact: a value the recorder observed replaces one known
  only to the second (imported from queue_log, or estimated from the queue's HoldTime and
  TalkTime; the record remembers these `coarse_facts`), between two values of the same
  rank the smaller stands (the earlier time), and nothing replaces a fact with "unknown".
- the agent's part (`AGENT_FIELDS`): outcome, target, transfer mode, notes, topics,
  searches, wrap-up end, language, the handover note of a transfer, the municipality the
  agent chose. Only the console
  writes it, as a whole, versioned by `updated_at`: an older version never replaces a
  newer one.

So whichever arrives first, the merged record is the same, and replaying a write changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from calllog.models import CallRecord
from calllog.pbx import SOURCE_RANK, Source

#: The PBX facts of a record (besides `source` and `pbx_updated_at`).
PBX_FIELDS = (
    "queue", "offered_at", "agent_id", "caller_number", "caller_name", "answered_at",
    "ended_at", "queue_exit", "ended_by", "entry_position", "exit_position", "pbx_transfer",
    "pbx_transfer_target", "caller_uniqueid", "survey_at", "survey_rating",
    "pbx_municipality", "pbx_language",
)  # fmt: skip
#: The agent's part of a record (besides its version `updated_at` and `updated_by`).
AGENT_FIELDS = (
    "language", "wrapup_end_at", "outcome", "outcome_target", "transfer_mode", "notes",
    "topics", "searches", "handover", "handover_note", "municipality",
)  # fmt: skip
_EMPTY_AGENT: dict[str, Any] = {
    f.name: f.default for f in fields(CallRecord) if f.name in AGENT_FIELDS
} | {"updated_at": None, "updated_by": None}


@dataclass(frozen=True, slots=True)
class Merged:
    """The record to store and what the write changed."""

    record: CallRecord
    agent_taken: bool
    """The write's agent part is the one stored now (it was not older than the stored one)."""
    pbx_taken: bool
    """The write's PBX facts replaced the stored ones as a whole (or nothing was stored)."""
    changed: bool
    """The stored record differs from what was there before."""


def _pbx(record: CallRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in PBX_FIELDS}


def _agent(record: CallRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in AGENT_FIELDS}
    return values | {"updated_at": record.updated_at, "updated_by": record.updated_by}


def _newer(a: datetime | None, b: datetime | None) -> bool:
    """`a` is at least as new as `b` (an unversioned write counts as oldest)."""
    return b is None or (a is not None and a >= b)


def _rank(record: CallRecord, name: str) -> int:
    """The rank of one of a record's facts: its source's, or queue_log's when coarse."""
    if name in record.coarse_facts:
        return SOURCE_RANK[Source.QUEUE_LOG]
    return SOURCE_RANK[record.source]


def _join(
    stored: CallRecord, incoming: CallRecord
) -> tuple[dict[str, Any], Source, frozenset[str]]:
    """Fact by fact: the value of the higher-ranked source; between equals, the smaller value.

    Known beats unknown, so the order in which the facts arrive does not matter.
    """
    facts: dict[str, Any] = {}
    ranks: dict[str, int] = {}
    for name in PBX_FIELDS:
        known = [
            (-_rank(r, name), value)
            for r in (stored, incoming)
            if (value := getattr(r, name)) is not None
        ]
        best = min(known, default=(0, None))
        facts[name], ranks[name] = best[1], -best[0]
    source = max(stored.source, incoming.source, key=SOURCE_RANK.__getitem__)
    top = SOURCE_RANK[source]
    coarse = frozenset(n for n, r in ranks.items() if facts[n] is not None and r < top)
    return facts, source, coarse


def merge_pbx(
    stored: CallRecord, incoming: CallRecord
) -> tuple[dict[str, Any], Source, frozenset[str]]:
    """The PBX facts after `incoming` met `stored`, their source and the coarse ones."""
    rank_in, rank_st = SOURCE_RANK[incoming.source], SOURCE_RANK[stored.source]
    if rank_in == 0:  # the console's view: only over another provisional view, newest wins
        if rank_st == 0 and _newer(incoming.updated_at, stored.updated_at):
            return _pbx(incoming), incoming.source, frozenset()
        return _pbx(stored), stored.source, stored.coarse_facts
    if rank_st == 0:  # the PBX's own facts replace the console's view as a whole
        return _pbx(incoming), incoming.source, incoming.coarse_facts
    return _join(stored, incoming)


def _consistent(facts: dict[str, Any]) -> dict[str, Any]:
    """Times in order and no queue exit for an answered call (facts of two sources meet)."""
    offered, answered, ended = facts["offered_at"], facts["answered_at"], facts["ended_at"]
    if answered is not None and answered < offered:
        facts["answered_at"] = answered = offered
    if ended is not None and ended < (answered or offered):
        facts["ended_at"] = answered or offered
    if answered is not None:
        facts["queue_exit"] = facts["exit_position"] = None
    return facts


def merge(stored: CallRecord | None, incoming: CallRecord, now: datetime) -> Merged:
    """The record after writing `incoming` over `stored` (None: nothing stored yet).

    `now` versions an unversioned write: an agent's part without `updated_at`, PBX facts
    without `pbx_updated_at`.
    """
    carries_agent = incoming.source is Source.AGENT
    if carries_agent and incoming.updated_at is None:
        incoming = replace(incoming, updated_at=now)
    if incoming.pbx_updated_at is None:
        incoming = replace(incoming, pbx_updated_at=incoming.updated_at or now)
    if stored is None:
        record = incoming if carries_agent else replace(incoming, **_EMPTY_AGENT)
        return Merged(record, carries_agent, True, True)
    facts, source, coarse = merge_pbx(stored, incoming)
    pbx_taken = SOURCE_RANK[stored.source] == 0 and facts == _pbx(incoming)
    agent_taken = carries_agent and _newer(incoming.updated_at, stored.updated_at)
    agent = _agent(incoming if agent_taken else stored)
    pbx_changed = (source, coarse) != (stored.source, stored.coarse_facts)
    pbx_changed = pbx_changed or facts != _pbx(stored)
    stamp = stored.pbx_updated_at
    if pbx_changed:
        stamp = max(t for t in (stamp, incoming.pbx_updated_at) if t is not None)
    if stored.purged_at is not None:  # personal data of a purged call is not brought back
        facts.update(caller_number=stored.caller_number, caller_name=stored.caller_name)
        agent.update(notes=stored.notes, handover_note=stored.handover_note)
    record = replace(
        stored, **_consistent(facts), **agent, source=source, coarse_facts=coarse,
        pbx_updated_at=stamp,
    )  # fmt: skip
    return Merged(record, agent_taken, pbx_taken, record != stored)
