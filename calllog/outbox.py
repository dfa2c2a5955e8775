"""Nothing is lost: writes wait in a local outbox while the shared store is unreachable."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calllog.codec import (
    PERSONAL_CALL_FIELDS,
    PERSONAL_TICKET_FIELDS,
    call_from_dict,
    call_to_dict,
    feedback_from_dict,
    feedback_to_dict,
    ticket_from_dict,
    ticket_to_dict,
)
from calllog.exceptions import SchemaOutdated, StoreUnavailable
from calllog.models import (
    ArticleFeedback,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Outcome,
    OutcomeChange,
    PurgeResult,
)
from calllog.store import (
    DEFAULT_ZONE,
    CallStore,
    OutboxEntry,
    PostgresStore,
    SqliteOutbox,
    SqliteStore,
    SqlStore,
    open_store,
)

log = logging.getLogger(__name__)

#: Errors after which a write waits in the outbox: the server is down or not yet upgraded.
_NOT_NOW = (StoreUnavailable, SchemaOutdated)


class BufferedStore:
    """A store whose writes survive outages of the shared database.

    Every write is tried on the store first. When the store is unreachable the write
    goes to the outbox, and from then on every write queues behind it until `flush`
    (called on each write, or by the console on a timer) has delivered the queue in
    order. Upserts are idempotent, so a write that reached the server although the
    connection broke before the reply is simply applied once more, without effect.
    Reads go straight to the store and raise StoreUnavailable while it is down.
    """

    def __init__(self, store: SqlStore, outbox: SqliteOutbox, retry_interval: float = 2.0) -> None:
        self.store = store
        self.outbox = outbox
        self.retry_interval = retry_interval
        """Seconds writes only queue after the store was found unreachable."""
        self._retry_at = 0.0
        self._lock = threading.RLock()
        self.queued_total = 0
        """How many writes had to wait in the outbox since start (for status and tests)."""

    @property
    def pending(self) -> int:
        """Writes waiting in the outbox (the console shows this)."""
        return len(self.outbox)

    # -- writes ----------------------------------------------------------------------------
    def upsert_call(self, record: CallRecord) -> bool:
        """Write a call now or queue it; True once it is delivered or safely queued."""
        if record.updated_at is None:  # pin the version so a later replay is not newer
            record = replace(record, updated_at=datetime.now(UTC))
        self._write("call", record.call_id, call_to_dict(record))
        return True

    def upsert_callback(self, ticket: CallbackTicket) -> None:
        """Write a call-back ticket now or queue it."""
        if ticket.updated_at is None:
            ticket = replace(ticket, updated_at=datetime.now(UTC))
        self._write("callback", ticket.ticket_id, ticket_to_dict(ticket))

    def set_outcome(
        self,
        call_id: str,
        outcome: Outcome,
        *,
        changed_by: str,
        at: datetime,
        target: str | None = None,
    ) -> None:
        """Edit an outcome now or queue the edit."""
        payload = {
            "call_id": call_id,
            "outcome": outcome.value,
            "changed_by": changed_by,
            "at": at.isoformat(),
            "target": target,
        }
        self._write("outcome", call_id, payload)

    def add_feedback(self, item: ArticleFeedback) -> None:
        """Store an agent's flag on an article now, or queue it until the store is back."""
        self._write("feedback", item.feedback_id, feedback_to_dict(item))

    def _write(self, kind: str, key: str, payload: dict[str, Any]) -> None:
        with self._lock:
            if not self.pending:
                try:
                    self._deliver(kind, payload)
                    return
                except _NOT_NOW as exc:
                    log.warning("call log store unavailable, queueing writes: %s", exc)
                    self._retry_at = time.monotonic() + self.retry_interval
                    self.outbox.append(kind, key, payload)
                    self.queued_total += 1
                    return
            self.outbox.append(kind, key, payload)
            self.queued_total += 1
            if time.monotonic() >= self._retry_at:
                self.flush()

    def _deliver(self, kind: str, payload: dict[str, Any]) -> None:
        if kind == "call":
            self.store.upsert_call(call_from_dict(payload))
        elif kind == "callback":
            self.store.upsert_callback(ticket_from_dict(payload))
        elif kind == "outcome":
            self.store.set_outcome(
                payload["call_id"],
                Outcome(payload["outcome"]),
                changed_by=payload["changed_by"],
                at=datetime.fromisoformat(payload["at"]),
                target=payload["target"],
            )
        elif kind == "feedback":
            self.store.add_feedback(feedback_from_dict(payload))
        else:
            raise ValueError(f"unknown outbox entry kind {kind!r}")

    def flush(self) -> int:
        """Deliver queued writes in order until the queue is empty or the store is down.

        Returns how many were delivered. A write the store rejects for another reason
        (e.g. an outcome edit of an unknown call) moves to the outbox's dead letters.
        """
        delivered = 0
        with self._lock:
            while batch := self.outbox.peek(100):
                for entry in batch:
                    if not self._deliver_entry(entry):
                        self._retry_at = time.monotonic() + self.retry_interval
                        return delivered
                    delivered += 1
        return delivered

    def _deliver_entry(self, entry: OutboxEntry) -> bool:
        try:
            self._deliver(entry.kind, entry.payload)
        except _NOT_NOW:
            return False
        except Exception as exc:
            log.error("call log rejected queued %s %s: %s", entry.kind, entry.key, exc)
            self.outbox.reject(entry.seq, str(exc))
            return True
        self.outbox.remove(entry.seq)
        return True

    # -- reads and the rest go to the store ---------------------------------------------------
    def get_call(self, call_id: str) -> CallRecord:
        """One call (from the store)."""
        return self.store.get_call(call_id)

    def list_calls(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        agent_id: str | None = None,
        outcome: Outcome | None = None,
        caller_number: str | None = None,
        limit: int = 100,
    ) -> list[CallRecord]:
        """Calls from the store, newest first; see `SqlStore.list_calls`."""
        return self.store.list_calls(
            since=since,
            until=until,
            agent_id=agent_id,
            outcome=outcome,
            caller_number=caller_number,
            limit=limit,
        )

    def count_calls(self) -> int:
        """How many calls the store holds."""
        return self.store.count_calls()

    def outcome_history(self, call_id: str) -> list[OutcomeChange]:
        """Every outcome edit of a call, oldest first."""
        return self.store.outcome_history(call_id)

    def get_callback(self, ticket_id: str) -> CallbackTicket:
        """One ticket (from the store)."""
        return self.store.get_callback(ticket_id)

    def list_callbacks(
        self,
        *,
        statuses: Iterable[CallbackStatus] | None = None,
        due_before: datetime | None = None,
        created_by: str | None = None,
        limit: int = 500,
    ) -> list[CallbackTicket]:
        """Tickets from the store, earliest due first; see `SqlStore.list_callbacks`."""
        return self.store.list_callbacks(
            statuses=statuses, due_before=due_before, created_by=created_by, limit=limit
        )

    def list_feedback(
        self, *, article_id: str | None = None, status: str | None = "open", limit: int = 200
    ) -> list[ArticleFeedback]:
        """Flags from the store, newest first; see `SqlStore.list_feedback`."""
        return self.store.list_feedback(article_id=article_id, status=status, limit=limit)

    def resolve_feedback(self, feedback_id: str, *, by: str, at: datetime) -> ArticleFeedback:
        """Mark a flag done in the store, once the queued writes (maybe that flag) are in.

        Raises StoreUnavailable while the store is down or writes still wait in the outbox.
        """
        with self._lock:
            if self.pending:
                self.flush()
            if self.pending:
                raise StoreUnavailable("call log writes are still queued; try again later")
            return self.store.resolve_feedback(feedback_id, by=by, at=at)

    def migrate(self) -> list[int]:
        """Apply pending migrations to the store."""
        return self.store.migrate()

    def purge(self, cutoff: datetime, *, now: datetime, by: str) -> PurgeResult:
        """Remove personal data before `cutoff` from the queued writes and from the store."""
        scrubbed = purge_outbox(self.outbox, cutoff)
        return self.store.purge(cutoff, now=now, by=by, outbox=scrubbed)

    def close(self) -> None:
        """Close the store and the outbox."""
        self.store.close()
        self.outbox.close()


def purge_outbox(outbox: SqliteOutbox, cutoff: datetime) -> int:
    """Blank personal fields of queued calls offered, or tickets created, before cutoff.

    Queued article feedback is left as it is, like the stored flags (see `SqlStore.purge`).
    """
    scrubbed = 0
    for entry in outbox.entries():
        fields, stamp = {
            "call": (PERSONAL_CALL_FIELDS, "offered_at"),
            "callback": (PERSONAL_TICKET_FIELDS, "created_at"),
        }.get(entry.kind, ((), ""))
        if not fields or datetime.fromisoformat(entry.payload[stamp]) >= cutoff:
            continue
        if all(entry.payload.get(name) in (None, "") for name in fields):
            continue
        blank = "" if entry.kind == "callback" else None
        outbox.replace(entry.seq, {**entry.payload, **dict.fromkeys(fields, blank)})
        scrubbed += 1
    return scrubbed


def open_call_log(
    url: str, outbox: str | Path, zone: str = DEFAULT_ZONE
) -> SqlStore | BufferedStore:
    """The call log a workstation writes to: SQLite directly, PostgreSQL through the outbox.

    A SQLite store is migrated on open; a PostgreSQL store is contacted on first use and
    must have been upgraded with `lotse db upgrade`.
    """
    store = open_store(url, zone=zone)
    if isinstance(store, PostgresStore):
        return BufferedStore(store, SqliteOutbox(outbox))
    return store


if TYPE_CHECKING:

    def _implements_call_store(
        buffered: BufferedStore, sqlite: SqliteStore, postgres: PostgresStore
    ) -> list[CallStore]:
        """For mypy: every store the console may get satisfies the CallStore protocol."""
        return [buffered, sqlite, postgres]
