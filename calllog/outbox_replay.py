"""What became of a write, and how a queued write is replayed on the store."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from calllog.codec import call_from_dict, feedback_from_dict, staffed_from_dict, ticket_from_dict
from calllog.exceptions import InvalidRecord
from calllog.models import Outcome
from calllog.store import SqlStore


class Delivery(StrEnum):
    """Where a write went."""

    STORED = "stored"
    """The call log has it (or a newer version of the same record)."""
    QUEUED = "queued"
    """It waits in the outbox file and is delivered when the call log takes it."""
    HELD = "held"
    """The outbox file could not be written (e.g. a full disk): kept in memory until it can."""
    REJECTED = "rejected"
    """The call log refused the record itself; kept in the outbox's rejected list."""


def replay(store: SqlStore, kind: str, payload: dict[str, Any]) -> None:
    """Apply one queued write (`call`, `callback`, `feedback`, `outcome`, `staffed`).

    A payload that cannot be read back raises InvalidRecord: the record itself is bad.
    """
    try:
        if kind == "call":
            record: Any = call_from_dict(payload)
        elif kind == "callback":
            record = ticket_from_dict(payload)
        elif kind == "feedback":
            record = feedback_from_dict(payload)
        elif kind == "outcome":
            record = (Outcome(payload["outcome"]), datetime.fromisoformat(payload["at"]))
        elif kind == "staffed":
            record = staffed_from_dict(payload)
        else:
            raise ValueError(f"unknown outbox entry kind {kind!r}")
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRecord(f"unreadable {kind} in the outbox: {exc}") from exc
    if kind == "call":
        store.upsert_call(record)
    elif kind == "callback":
        store.upsert_callback(record)
    elif kind == "feedback":
        store.add_feedback(record)
    elif kind == "staffed":
        store.upsert_staffed(record)
    else:
        store.set_outcome(
            payload["call_id"], record[0], changed_by=payload["changed_by"], at=record[1],
            target=payload["target"],
        )  # fmt: skip
