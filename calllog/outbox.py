"""Nothing is lost: writes wait in a local outbox until the call log takes them."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from calllog.codec import call_to_dict, feedback_to_dict, staffed_to_dict, ticket_to_dict
from calllog.exceptions import InvalidRecord, NotFound, RecordRefused, StoreUnavailable
from calllog.models import (
    ArticleFeedback,
    CallbackTicket,
    CallRecord,
    Outcome,
    PurgeResult,
)
from calllog.outbox_purge import purge_outbox
from calllog.outbox_replay import Delivery, replay
from calllog.privacy import retention_cutoff
from calllog.staffed import StaffedSpan
from calllog.store import DEFAULT_ZONE, OutboxEntry, SqliteOutbox, SqlStore, open_store

log = logging.getLogger(__name__)

#: Failures about the record itself: retrying the same write cannot help, so it is kept
#: in the outbox's rejected list (`lotse calllog outbox`) instead of blocking the queue.
_REFUSED = (RecordRefused, InvalidRecord, NotFound)
#: What the outbox file raises when it cannot be written (disk full, I/O error).
_OUTBOX_FAULTS = (sqlite3.Error, OSError)

__all__ = ["BufferedStore", "Delivery", "open_call_log", "purge_outbox"]


@dataclass(eq=False)
class _Held:
    """A write the outbox file could not take yet."""

    kind: str
    key: str
    payload: dict[str, Any]
    seq: int | None = None
    """Its number once it reached the outbox file."""
    delivery: Delivery = Delivery.HELD


class BufferedStore:
    """Writes to a call log that never lose a record; reads go to `store` directly.

    Every write is tried on the store first. When the store cannot take it (unreachable,
    read-only during a fail-over, restarting, full, ...) the write goes to the outbox, and
    from then on every write queues behind it until `flush` (called on each write, or by
    the console on a timer) has delivered the queue in order. A write the store refuses
    for the record itself (a constraint, bad data, a row this login may not write) moves
    to the outbox's rejected list, where `lotse calllog outbox` shows, retries or exports
    it. If the outbox file itself cannot be written, writes are held in memory and moved
    there (or delivered) as soon as possible. Upserts are idempotent, so a write that
    reached the server although the connection broke before the reply is simply applied
    once more, without effect.
    """

    def __init__(self, store: SqlStore, outbox: SqliteOutbox, retry_interval: float = 2.0) -> None:
        self.store = store
        """The call log itself: read from it directly (reads raise while it is down)."""
        self.outbox = outbox
        self.retry_interval = retry_interval
        """Seconds writes only queue after the store was found unable to take them."""
        self._retry_at = 0.0
        self._lock = threading.RLock()
        self._held: list[_Held] = []
        self.queued_total = 0
        """How many writes had to wait since start (for status and tests)."""

    @property
    def pending(self) -> int:
        """Writes waiting for the store, in the outbox file or in memory (the console shows it)."""
        with self._lock:
            return len(self.outbox) + len(self._held)

    @property
    def held(self) -> int:
        """Writes only in memory because the outbox file could not be written."""
        return len(self._held)

    # -- writes ----------------------------------------------------------------------------
    def upsert_call(self, record: CallRecord) -> Delivery:
        """Write a call now or queue it."""
        if record.updated_at is None:  # pin the version so a later replay is not newer
            record = replace(record, updated_at=datetime.now(UTC))
        return self._write("call", record.call_id, call_to_dict(record))

    def upsert_callback(self, ticket: CallbackTicket) -> Delivery:
        """Write a call-back ticket now or queue it."""
        if ticket.updated_at is None:
            ticket = replace(ticket, updated_at=datetime.now(UTC))
        return self._write("callback", ticket.ticket_id, ticket_to_dict(ticket))

    def set_outcome(
        self,
        call_id: str,
        outcome: Outcome,
        *,
        changed_by: str,
        at: datetime,
        target: str | None = None,
    ) -> Delivery:
        """Edit an outcome now or queue the edit."""
        payload = {
            "call_id": call_id,
            "outcome": outcome.value,
            "changed_by": changed_by,
            "at": at.isoformat(),
            "target": target,
        }
        return self._write("outcome", call_id, payload)

    def add_feedback(self, item: ArticleFeedback) -> Delivery:
        """Store an agent's flag on an article now, or queue it until the store takes it."""
        return self._write("feedback", item.feedback_id, feedback_to_dict(item))

    def upsert_staffed(self, spans: Sequence[StaffedSpan]) -> Delivery:
        """Write spans of staffed time now or queue them (the recorder)."""
        key = f"{spans[0].agent_id}@{spans[0].started_at.isoformat()}" if spans else "-"
        return self._write("staffed", key, staffed_to_dict(spans))

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

    def _write(self, kind: str, key: str, payload: dict[str, Any]) -> Delivery:
        with self._lock:
            if not self.pending:
                failure = self._attempt(kind, payload)
                if failure is None:
                    return Delivery.STORED
                if isinstance(failure, _REFUSED):
                    return self._reject_new(kind, key, payload, failure)
                log.warning("call log cannot take writes now, queueing: %s", failure)
                self._back_off()
                return self._where(self._enqueue(kind, key, payload))
            ref = self._enqueue(kind, key, payload)
            if time.monotonic() >= self._retry_at:
                self.flush()
            return self._where(ref)

    def _attempt(self, kind: str, payload: dict[str, Any]) -> Exception | None:
        """Deliver one write; returns the failure (None when the store has it)."""
        try:
            replay(self.store, kind, payload)
        except Exception as exc:  # every failure is kept: refused or queued, never dropped
            return exc
        return None

    def _enqueue(self, kind: str, key: str, payload: dict[str, Any]) -> int | _Held:
        """Queue behind what waits: in the outbox file, or in memory when it cannot be written."""
        self.queued_total += 1
        if not self._held:
            try:
                return self.outbox.append(kind, key, payload)
            except _OUTBOX_FAULTS as exc:
                log.error("outbox file cannot be written, holding writes in memory: %s", exc)
        held = _Held(kind, key, payload)
        self._held.append(held)
        return held

    def _where(self, ref: int | _Held) -> Delivery:
        seq = ref.seq if isinstance(ref, _Held) else ref
        if seq is None:
            assert isinstance(ref, _Held)
            return ref.delivery
        try:
            state = self.outbox.state(seq)
        except _OUTBOX_FAULTS:
            return Delivery.QUEUED
        return {"queued": Delivery.QUEUED, "rejected": Delivery.REJECTED}.get(
            state or "", Delivery.STORED
        )

    def _reject_new(self, kind: str, key: str, payload: dict[str, Any], exc: Exception) -> Delivery:
        log.error("call log refused %s %s: %s", kind, key, exc)
        try:
            self.outbox.reject_new(kind, key, payload, str(exc))
        except _OUTBOX_FAULTS:
            self._held.append(_Held(kind, key, payload))  # tried again with the held writes
            return Delivery.HELD
        return Delivery.REJECTED

    def _back_off(self) -> None:
        self._retry_at = time.monotonic() + self.retry_interval

    # -- delivering the queue ----------------------------------------------------------------
    def flush(self) -> int:
        """Deliver waiting writes in order until none is left or the store cannot take one.

        Returns how many the store took; a write it refused for the record itself moves
        to the rejected list and is not counted. Any other failure stops the flush: that
        write and all behind it stay queued, with the attempt counted.
        """
        delivered = 0
        with self._lock:
            self._move_held()
            try:
                while batch := self.outbox.peek(100):
                    for entry in batch:
                        went = self._deliver_entry(entry)
                        if went is None:
                            self._back_off()
                            return delivered
                        delivered += went is Delivery.STORED
                if not self.outbox and delivered:
                    self.outbox.wipe()  # delivered records leave no trace in the outbox file
            except _OUTBOX_FAULTS as exc:
                log.error("outbox file: %s", exc)
                self._back_off()
                return delivered
            delivered += self._deliver_held()
        return delivered

    def _deliver_entry(self, entry: OutboxEntry) -> Delivery | None:
        """Deliver, or reject, one queued write; None when the store cannot take it now."""
        failure = self._attempt(entry.kind, entry.payload)
        if failure is None:
            self.outbox.remove(entry.seq)
            return Delivery.STORED
        if isinstance(failure, _REFUSED):
            log.error("call log refused queued %s %s: %s", entry.kind, entry.key, failure)
            self.outbox.reject(entry.seq, str(failure))
            return Delivery.REJECTED
        self.outbox.note_failure(entry.seq, str(failure))
        return None

    def _move_held(self) -> None:
        """Move writes held in memory into the outbox file, in order, while it takes them."""
        while self._held:
            held = self._held[0]
            try:
                held.seq = self.outbox.append(held.kind, held.key, held.payload)
            except _OUTBOX_FAULTS:
                return
            held.delivery = Delivery.QUEUED
            self._held.pop(0)

    def _deliver_held(self) -> int:
        """With the outbox file still unwritable and empty: deliver held writes directly."""
        delivered = 0
        while self._held and not len(self.outbox):
            held = self._held[0]
            failure = self._attempt(held.kind, held.payload)
            if failure is None:
                held.delivery = Delivery.STORED
                delivered += 1
            elif isinstance(failure, _REFUSED):
                try:
                    self.outbox.reject_new(held.kind, held.key, held.payload, str(failure))
                except _OUTBOX_FAULTS:
                    return delivered  # kept in memory until the refusal can be recorded
                held.delivery = Delivery.REJECTED
            else:
                self._back_off()
                return delivered
            self._held.pop(0)
        return delivered

    # -- the rest ----------------------------------------------------------------------------
    def purge(self, cutoff: datetime, *, now: datetime, by: str) -> PurgeResult:
        """Remove personal data before `cutoff` from the waiting writes and from the store."""
        with self._lock:
            scrubbed = purge_outbox(
                self.outbox, cutoff, held=[(h.kind, h.payload) for h in self._held]
            )
        return self.store.purge(cutoff, now=now, by=by, outbox=scrubbed)

    def close(self) -> None:
        """Close the store and the outbox (writes that reach neither are logged as lost)."""
        with self._lock:
            self._move_held()
        if self._held:
            log.error("%d call-log writes could not be saved anywhere", len(self._held))
        self.store.close()
        self.outbox.close()


def open_call_log(
    url: str,
    outbox: str | Path,
    zone: str = DEFAULT_ZONE,
    *,
    retention_days: int | None = None,
) -> BufferedStore:
    """The call log a workstation writes to: the store named by `url` behind a local outbox.

    A SQLite store is migrated on open; a PostgreSQL store is contacted on first use and
    must have been upgraded with `lotse db upgrade`. With `retention_days`, personal data
    older than that is scrubbed from the outbox at once (also from refused writes).
    """
    store = open_store(url, zone=zone)
    buffered = BufferedStore(store, SqliteOutbox(outbox))
    if retention_days is not None:
        purge_outbox(buffered.outbox, retention_cutoff(datetime.now(UTC), retention_days))
    return buffered
