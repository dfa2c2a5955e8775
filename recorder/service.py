"""The recorder's I/O shell: a read-only AMI bridge in, ordered writes to the call log out.

The bridge hands every event and every changed call to the pure `RecorderCore`
synchronously, on the event loop; the records it returns go, in order, to one writer task
that calls the (blocking) store in a thread, so the AMI connection never waits for the
database. A PostgreSQL call log is a `BufferedStore`: while it is down, writes wait in the
local outbox and the writer delivers them when it is back. The bridge reconnects and
resynchronises by itself after a PBX restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol

from calllog.exceptions import CallLogError, StoreError
from calllog.models import CallRecord
from calllog.staffed import StaffedSpan
from recorder.core import RecorderCore
from recorder.live import LiveBoard, LiveSnapshot
from recorder.staffed import StaffedClock
from telephony.bridge import AmiBridge, BridgeConfig
from telephony.calls import Agent, Call
from telephony.events import AmiEvent
from telephony.origin import Routing
from telephony.protocol import ConnectionState

log = logging.getLogger(__name__)


class CallSink(Protocol):
    """Where the records go: a call-log store or a BufferedStore (PostgreSQL with outbox)."""

    def upsert_call(self, record: CallRecord) -> object:
        """Write a record (merged with the stored one by owner); the result is not used."""
        ...

    def upsert_staffed(self, spans: Sequence[StaffedSpan]) -> object:
        """Write spans of staffed time (a span only ever grows); the result is not used."""
        ...


#: What the writer writes: a call record, or spans of staffed time.
Write = CallRecord | tuple[StaffedSpan, ...]


@dataclass(frozen=True)
class RecorderConfig:
    """Plain settings of a recorder (the CLI maps Settings onto it)."""

    bridge: BridgeConfig
    """The PBX connection; the recorder makes it read-only and resyncs every queue."""
    agent_ids: Mapping[str, str]
    """Queue member interface -> agent id."""
    queues: tuple[str, ...] = ()
    """Record only these queues (empty: every queue)."""
    flush_seconds: float = 5.0
    """How often writes waiting in an outbox are retried while nothing new comes."""
    retry_seconds: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30, 30, 30, 30, 30)
    """Waits between attempts of a write the store refused; after the last it is dropped."""
    drain_seconds: float = 10.0
    """How long `stop` waits for records still to be written."""
    state_path: Path | None = None
    """Where a stopping recorder leaves the calls it has in flight for the next one."""
    state_max_age: float = 12 * 3600
    """A state file older than this (seconds) is ignored."""
    staffed_refresh_seconds: float = 60.0
    """How often staffed time still going on is written with its end moved on."""
    routing: Routing = field(default_factory=Routing)
    """The municipality and the language of a call from the number dialled, the queue and
    the channel language (the settings' [municipalities] and [languages])."""


class Recorder:
    """`lotse recorder`: follows the PBX and writes every queue call to the call log."""

    def __init__(self, config: RecorderConfig, calllog: CallSink) -> None:
        self.config = config
        self.calllog = calllog
        self.core = RecorderCore(
            config.agent_ids, config.queues, config.bridge.survey_context, config.routing
        )
        self.board = LiveBoard(config.agent_ids, config.queues)
        self.clock = StaffedClock(config.agent_ids, config.queues, config.staffed_refresh_seconds)
        bridge_config = replace(config.bridge, read_only=True, queue="")
        self.bridge = AmiBridge(
            bridge_config,
            on_event=self._on_event,
            on_changes=self._on_changes,
            on_connection=self._on_connection,
        )
        self._queue: asyncio.Queue[Write] = asyncio.Queue()
        self._ticked = 0.0
        self._writer: asyncio.Task[None] | None = None
        self._unwritten = 0
        """Writes produced and not yet written (queued, or being written)."""
        self.written = 0
        """Records handed to the call log (delivered or safely queued in its outbox)."""
        self.dropped = 0
        """Writes the call log refused for good (logged with their call id or agent)."""

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> None:
        """Start writing and connect to the PBX (returns at once; reconnects by itself)."""
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_loop(), name="recorder-writer")
        self._load_state()
        await self.bridge.start()
        log.info("recorder started: PBX %s:%s", self.config.bridge.host, self.config.bridge.port)

    async def stop(self) -> None:
        """Disconnect, write what is still waiting (up to `drain_seconds`), stop the writer."""
        await self.bridge.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wait_idle(), self.config.drain_seconds)
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        lost = self._unwritten
        if lost:
            log.error("recorder stopped with %d writes not done", lost)
        self._save_state()
        log.info("recorder stopped: %d records written, %d dropped", self.written, self.dropped)

    async def wait_idle(self) -> None:
        """Until every record produced so far is written (or queued in the outbox)."""
        while self._unwritten:  # counted, so an item taken off the queue is never missed
            await asyncio.sleep(0.01)

    def _load_state(self) -> None:
        path = self.config.state_path
        try:
            if path is None or time.time() - path.stat().st_mtime > self.config.state_max_age:
                return
            in_flight = json.loads(path.read_text(encoding="utf-8"))
            self.core.remember({str(k): str(v) for k, v in dict(in_flight).items()})
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError) as exc:
            log.warning("recorder state %s not read: %s", path, exc)
            return
        log.info("recorder took over %d calls in progress", len(in_flight))

    def _save_state(self) -> None:
        path = self.config.state_path
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            part.write_text(json.dumps(self.core.in_flight()), encoding="utf-8")
            part.replace(path)
        except OSError as exc:
            log.warning("recorder state %s not written: %s", path, exc)

    def live(self) -> LiveSnapshot:
        """The centre right now: callers waiting, agents' states."""
        self.board.connection_changed(self.bridge.state)
        return self.board.snapshot(time.time())

    # -- from the bridge (on the event loop, synchronously) -----------------------------
    def _on_event(self, event: AmiEvent, arrived: float) -> None:
        self._enqueue(lambda: self.core.on_event(event, time.time()))

    def _on_changes(self, changes: Sequence[Call | Agent], at: float) -> None:
        self.board.apply(changes, at)
        self._enqueue(lambda: self.core.on_changes(changes, at))
        self._enqueue_spans(lambda: self.clock.apply(changes, at))

    def _on_connection(self, state: ConnectionState, at: float) -> None:
        if state == ConnectionState.CONNECTED:  # after the resync: every member's state now
            self._enqueue_spans(lambda: self.clock.connected(self.bridge.agents(), at))
        elif self.clock.watching:
            self._enqueue_spans(lambda: self.clock.lost(at))

    def _enqueue(self, produce: Callable[[], list[CallRecord]]) -> None:
        try:
            records = produce()
        except Exception:  # a fault in one call's facts must never stop the recording
            log.exception("recorder could not turn a PBX update into a record")
            return
        for record in records:
            self._put(record)

    def _enqueue_spans(self, produce: Callable[[], list[StaffedSpan]]) -> None:
        try:
            spans = produce()
        except Exception:  # nor a fault in the staffed time
            log.exception("recorder could not turn agent states into staffed time")
            return
        if spans:
            self._put(tuple(spans))

    def _put(self, item: Write) -> None:
        self._unwritten += 1
        self._queue.put_nowait(item)

    def _tick(self) -> None:
        """Staffed time still going on, written again now and then."""
        now = time.monotonic()
        if now - self._ticked >= self.config.flush_seconds:
            self._ticked = now
            self._enqueue_spans(lambda: self.clock.tick(time.time()))

    # -- writer -------------------------------------------------------------------------
    async def _write_loop(self) -> None:
        while True:
            self._tick()
            try:  # not wait_for: Python 3.11's swallows a cancel that meets a finished get
                async with asyncio.timeout(self.config.flush_seconds):
                    item = await self._queue.get()
            except TimeoutError:
                await self._flush()
                continue
            try:
                await self._write(item)
            finally:
                self._unwritten -= 1

    async def _write(self, item: Write) -> None:
        if isinstance(item, CallRecord):
            name, write = f"call {item.call_id}", partial(self.calllog.upsert_call, item)
        else:
            name, write = (
                f"staffed time of {item[0].agent_id}",
                partial(self.calllog.upsert_staffed, item),
            )
        for wait in (*self.config.retry_seconds, None):
            try:
                await asyncio.to_thread(write)
                if isinstance(item, CallRecord):
                    self.written += 1
                    log.debug("recorded %s (%s)", item.call_id, _summary(item))
                return
            except StoreError as exc:
                if wait is None:
                    break
                log.warning("call log refused %s, retry in %s s: %s", name, wait, exc)
                await asyncio.sleep(wait)
            except CallLogError as exc:
                log.error("call log rejected %s: %s", name, exc)
                break
        self.dropped += 1
        log.error("%s dropped after repeated failures", name)

    async def _flush(self) -> None:
        flush = getattr(self.calllog, "flush", None)
        pending = int(getattr(self.calllog, "pending", 0) or 0)
        if callable(flush) and pending:
            delivered = await asyncio.to_thread(flush)
            if delivered:
                log.info("delivered %d queued call-log writes", delivered)


def _summary(record: CallRecord) -> str:
    if record.queue_exit is not None:
        return f"{record.queue_exit}, wait {record.wait_ms} ms"
    if record.answered_at is None:
        return "waiting"
    if record.ended_at is None:
        return f"answered by {record.agent_id}"
    return f"ended, talk {record.talk_ms} ms"
