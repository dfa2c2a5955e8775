"""The wallboard's heart: samples the live board, re-reads today's figures, pushes changes.

One hub serves every browser: it looks at the live board every `sample_seconds` (an
in-memory read) and publishes the wall's data at once when something changed (a caller
joined or left, an agent's state, the connection), otherwise every `tick_seconds` so the
clocks run on. Today's figures are read in a worker thread every `refresh_seconds`, and
sooner (at most every `min_refresh_seconds`) after a change on the PBX, since the recorder
has probably written a call. Each subscriber holds only the newest payload: a slow
browser skips states, it never makes the hub wait or memory grow.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from calllog.exceptions import CallLogError
from recorder.live import LiveSnapshot
from wallboard.today import Today
from wallboard.view import DatabaseHealth, board

log = logging.getLogger(__name__)

#: At most this many browsers follow the wall at once; more get "503".
MAX_SUBSCRIBERS = 64


class LiveSource(Protocol):
    """Where the live board comes from: a `LiveFollower` or a running `Recorder`."""

    def live(self) -> LiveSnapshot:
        """The board right now."""
        ...


class FiguresSource(Protocol):
    """Where today's figures come from (blocking; raises on a database it cannot read)."""

    def read(self, now: datetime) -> Today:
        """Today's figures at `now`."""
        ...


class TooManySubscribers(Exception):
    """MAX_SUBSCRIBERS are already following."""


@dataclass(frozen=True)
class HubTiming:
    """How often the hub looks and publishes (seconds)."""

    sample_seconds: float = 0.25
    tick_seconds: float = 1.0
    refresh_seconds: float = 5.0
    min_refresh_seconds: float = 1.0
    stale_after: float = 30.0
    """Today's figures older than this count as stale (see `wallboard.view.board`)."""


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


def _signature(live: LiveSnapshot) -> tuple[Any, ...]:
    """What makes the wall change at once (times in state and waits just run on)."""
    return (
        live.connection,
        tuple((q.queue, q.waiting) for q in live.queues),
        tuple((a.agent_id, a.queue, a.state, a.pause_reason) for a in live.agents),
    )


class WallboardHub:
    """Holds the wall's current data and hands every change to the subscribers."""

    def __init__(
        self,
        live: LiveSource,
        figures: FiguresSource,
        zone: ZoneInfo,
        *,
        timing: HubTiming | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.live = live
        self.figures = figures
        self.zone = zone
        self.timing = timing or HubTiming()
        self.clock = clock
        self.today: Today | None = None
        self.database = DatabaseHealth()
        self._subscribers: set[asyncio.Queue[str | None]] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._refresh_soon = asyncio.Event()
        self._signature: tuple[Any, ...] | None = None
        self.published = 0
        """Payloads published so far (for tests and logs)."""

    # -- lifecycle ----------------------------------------------------------------------
    async def start(self) -> None:
        """Read today's figures once, then sample and refresh in the background."""
        if self._tasks:
            return
        await self._read_figures()
        self._tasks = [
            asyncio.create_task(self._sample_loop(), name="wallboard-sample"),
            asyncio.create_task(self._refresh_loop(), name="wallboard-refresh"),
        ]

    async def stop(self) -> None:
        """Stop sampling; every subscriber's stream ends."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for queue in self._subscribers:
            _offer(queue, None)

    # -- what browsers get --------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        """The wall's data right now."""
        return board(
            now=self.clock(),
            zone=self.zone,
            live=self.live.live(),
            today=self.today,
            database=self.database,
            stale_after=self.timing.stale_after,
        )

    def subscribe(self) -> asyncio.Queue[str | None]:
        """A queue holding the newest payload as JSON (None: the hub stopped); give it back
        with `unsubscribe`. TooManySubscribers beyond MAX_SUBSCRIBERS."""
        if len(self._subscribers) >= MAX_SUBSCRIBERS:
            raise TooManySubscribers(f"{MAX_SUBSCRIBERS} browsers follow the wallboard already")
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=1)
        queue.put_nowait(self.encode())
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str | None]) -> None:
        """A subscriber left."""
        self._subscribers.discard(queue)

    def encode(self) -> str:
        """The current payload as compact JSON."""
        return json.dumps(self.payload(), ensure_ascii=False, separators=(",", ":"))

    def publish(self) -> None:
        """Hand the current payload to every subscriber now."""
        self.published += 1
        if not self._subscribers:
            return
        text = self.encode()
        for queue in self._subscribers:
            _offer(queue, text)

    # -- loops --------------------------------------------------------------------------
    async def _sample_loop(self) -> None:
        last = time.monotonic()
        while True:
            try:
                signature = _signature(self.live.live())
            except Exception:  # a fault in one sample must never stop the wall
                log.exception("wallboard could not read the live board")
                signature = None
            changed = signature != self._signature
            if changed and self._signature is not None:
                self._refresh_soon.set()
            self._signature = signature
            now = time.monotonic()
            if changed or now - last >= self.timing.tick_seconds:
                last = now
                self.publish()
            await asyncio.sleep(self.timing.sample_seconds)

    async def _refresh_loop(self) -> None:
        t = self.timing
        while True:
            with contextlib.suppress(TimeoutError):  # not wait_for (3.11: a cancel can be lost)
                async with asyncio.timeout(t.refresh_seconds):
                    await self._refresh_soon.wait()
            self._refresh_soon.clear()
            await self._read_figures()
            self.publish()
            await asyncio.sleep(t.min_refresh_seconds)

    async def _read_figures(self) -> None:
        try:
            self.today = await asyncio.to_thread(self.figures.read, self.clock())
        except Exception as exc:
            if self.database.ok:
                log.warning("wallboard cannot read the call log: %s", exc,
                            exc_info=None if _expected(exc) else exc)  # fmt: skip
                self.database = DatabaseHealth(False, self.clock())
            return
        if not self.database.ok:
            log.info("wallboard reads the call log again")
        self.database = DatabaseHealth()


def _expected(exc: BaseException) -> bool:
    return isinstance(exc, CallLogError)


def _offer(queue: asyncio.Queue[str | None], item: str | None) -> None:
    """Replace whatever the queue holds with `item` (it keeps only the newest)."""
    with contextlib.suppress(asyncio.QueueEmpty):
        queue.get_nowait()
    queue.put_nowait(item)
