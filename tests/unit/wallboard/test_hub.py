"""The hub pushes a change on the PBX at once, ticks otherwise, keeps only the newest payload
per browser, and says when the call log cannot be read (and when it can again)."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from calllog.due import DueCallbacks
from calllog.exceptions import StoreUnavailable
from calllog.reports import Counts, Period, Report, Targets
from recorder.live import LiveBoard, LiveSnapshot
from telephony.calls import Call, CallState
from telephony.protocol import ConnectionState
from wallboard.hub import MAX_SUBSCRIBERS, HubTiming, TooManySubscribers, WallboardHub
from wallboard.today import Today

AGENTS = {"Local/agent1@agents/n": "agent1"}
#: No ticks and no timed refreshes: whatever arrives was caused by a change.
QUIET = HubTiming(sample_seconds=0.01, tick_seconds=3600, refresh_seconds=3600,
                  min_refresh_seconds=0)  # fmt: skip


class FakeLive:
    def __init__(self) -> None:
        self.board = LiveBoard(AGENTS, ["service115"])
        self.board.connection_changed(ConnectionState.CONNECTED)
        self.broken = False

    def live(self) -> LiveSnapshot:
        if self.broken:
            raise RuntimeError("a bug in the live source")
        return self.board.snapshot(time.time())

    def caller(self, call_id: str, state: CallState) -> None:
        call = Call(call_id, queue="service115", state=state, joined_at=time.time())
        self.board.apply([call], time.time())


class FakeFigures:
    def __init__(self) -> None:
        self.down = False
        self.reads = 0

    def read(self, now: datetime) -> Today:
        self.reads += 1
        if self.down:
            raise StoreUnavailable("cannot reach the call log database")
        day = date(2026, 11, 2)
        counts = Counts(offered=self.reads)
        return Today(Report(Period(day, day), now, Targets(), counts), DueCallbacks(), now)


def hub(live: FakeLive, figures: FakeFigures, timing: HubTiming = QUIET) -> WallboardHub:
    return WallboardHub(live, figures, ZoneInfo("Europe/Berlin"), timing=timing)


async def next_payload(queue: asyncio.Queue[str | None]) -> dict[str, Any]:
    text = await asyncio.wait_for(queue.get(), 10)
    assert text is not None
    data: dict[str, Any] = json.loads(text)
    return data


async def sampled(wall: WallboardHub) -> None:
    """Until the hub has looked at the board once (changes count from then on)."""
    while not wall.published:
        await asyncio.sleep(0.01)


async def test_a_caller_joining_is_pushed_at_once() -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    await wall.start()
    try:
        await sampled(wall)
        queue = wall.subscribe()
        assert (await next_payload(queue))["waiting"]["callers"] == 0
        live.caller("c1", CallState.QUEUED)
        assert (await next_payload(queue))["waiting"]["callers"] == 1
        live.caller("c1", CallState.CONNECTED)
        assert (await next_payload(queue))["waiting"]["callers"] == 0
    finally:
        await wall.stop()


async def test_without_changes_it_ticks_so_clocks_run_on() -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures, HubTiming(sample_seconds=0.01, tick_seconds=0.05))
    await wall.start()
    try:
        queue = wall.subscribe()
        await next_payload(queue)
        start = wall.published
        await next_payload(queue)
        await next_payload(queue)
        assert wall.published >= start + 2
    finally:
        await wall.stop()


async def test_a_pbx_change_refreshes_todays_figures_soon() -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    await wall.start()
    try:
        assert figures.reads == 1
        await sampled(wall)
        live.caller("c1", CallState.QUEUED)
        queue = wall.subscribe()
        while (await next_payload(queue))["today"]["offered"] < 2:
            pass
        assert figures.reads >= 2
    finally:
        await wall.stop()


async def test_a_database_outage_is_shown_and_its_end_too() -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    await wall.start()
    try:
        queue = wall.subscribe()
        assert (await next_payload(queue))["database"]["ok"] is True
        await sampled(wall)
        figures.down = True
        live.caller("c1", CallState.QUEUED)  # a change makes the hub read again
        data = await next_payload(queue)
        while data["database"]["ok"]:
            data = await next_payload(queue)
        assert data["today"]["stale"] is True and data["today"]["offered"] == 1
        assert data["alerts"] == [
            f"Datenbank nicht erreichbar – Tageswerte von {data['today']['as_of_local']}"
        ]
        figures.down = False
        live.caller("c1", CallState.CONNECTED)
        while not data["database"]["ok"]:
            data = await next_payload(queue)
        assert data["today"]["stale"] is False and data["alerts"] == []
    finally:
        await wall.stop()


async def test_a_slow_browser_only_ever_holds_the_newest_payload() -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    queue = wall.subscribe()
    for n in range(5):
        live.caller(f"c{n}", CallState.QUEUED)
        wall.publish()
    assert queue.qsize() == 1
    assert (await next_payload(queue))["waiting"]["callers"] == 5


async def test_subscribers_are_bounded_and_released() -> None:
    wall = hub(FakeLive(), FakeFigures())
    queues = [wall.subscribe() for _ in range(MAX_SUBSCRIBERS)]
    with pytest.raises(TooManySubscribers):
        wall.subscribe()
    wall.unsubscribe(queues.pop())
    queues.append(wall.subscribe())


async def test_stopping_ends_every_stream() -> None:
    wall = hub(FakeLive(), FakeFigures())
    await wall.start()
    queue = wall.subscribe()
    await wall.stop()
    seen = [queue.get_nowait()]
    assert seen == [None]


async def test_a_fault_in_the_live_source_does_not_stop_the_wall(
    caplog: pytest.LogCaptureFixture,
) -> None:
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    live.broken = True
    await wall.start()
    try:
        while "could not read the live board" not in caplog.text:
            await asyncio.sleep(0.01)
        live.broken = False
        queue = wall.subscribe()
        live.caller("c1", CallState.QUEUED)
        data = await next_payload(queue)
        while data["waiting"]["callers"] != 1:
            data = await next_payload(queue)
    finally:
        await wall.stop()
    assert datetime.fromisoformat(data["generated_at"]).tzinfo == UTC


async def test_stopping_ends_the_refresh_loop_even_as_a_refresh_is_asked_for() -> None:
    """A PBX change and the stop in the same moment: Python 3.11's wait_for returned the
    finished wait and swallowed the cancel, the loop went on, and stop() never returned
    (`lotse demo`'s shutdown hung once on a busy machine)."""
    live, figures = FakeLive(), FakeFigures()
    wall = hub(live, figures)
    await wall.start()
    await sampled(wall)  # both loops have started: the refresh loop waits for a change
    wall._refresh_soon.set()  # a change was seen ...
    stopping = asyncio.create_task(wall.stop())  # ... as the wall stops
    done, _ = await asyncio.wait({stopping}, timeout=30)  # the limit only ends a hang
    assert done, "stop() never returned"
