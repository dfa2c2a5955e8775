"""Fixtures: a wallboard on the recorder's live board (as in the demo) or on its own PBX
connection (as `lotse wallboard`), over a fresh call log, and a client for its HTTP API.

The PBX, the recorder and the stores come from the recorder's tests (simulator, or a real
Asterisk when LOTSE_TEST_AMI_* are set; SQLite and PostgreSQL).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from calllog.reports import Targets
from calllog.store import SqlStore
from recorder.service import Recorder
from tests.integration.recorder.conftest import (  # noqa: F401 (fixtures)
    AGENT_IDS,
    Target,
    bridge,
    driver,
    eventually,
    pbx,
    pg_url,
    recorder,
    store,
    store_url,
)
from wallboard.access import Access
from wallboard.follower import LiveFollower
from wallboard.hub import HubTiming, LiveSource, WallboardHub
from wallboard.today import TodayReader
from wallboard.web import WallboardServer

BERLIN = ZoneInfo("Europe/Berlin")
#: Latencies the browser tests measured (what, seconds), printed in the test summary.
LATENCIES: list[tuple[str, float]] = []
#: Today's figures re-read often, so tests wait less (the live path is as in production).
TEST_TIMING = HubTiming(refresh_seconds=0.5, min_refresh_seconds=0.1)


def make_wall(
    live: LiveSource, calls: SqlStore, *, token: str | None = None, port: int = 0
) -> WallboardServer:
    """A wallboard on 127.0.0.1 (any free port unless given) over the call log `calls`."""
    hub = WallboardHub(live, TodayReader(calls, Targets()), BERLIN, timing=TEST_TIMING)
    return WallboardServer(hub, "127.0.0.1", port, Access.for_server("127.0.0.1", token))


@pytest.fixture(params=["recorder", "follower"])
async def live_source(
    request: pytest.FixtureRequest,
    pbx: Target,  # noqa: F811
    recorder: Recorder,  # noqa: F811
) -> AsyncIterator[LiveSource]:
    """The recorder's own board (the demo), or a follower with its own connection (CLI)."""
    if request.param == "recorder":
        yield recorder
        return
    follower = LiveFollower(pbx.config(ping_interval=1.0), AGENT_IDS, ["service115"])
    await follower.start()
    await follower.bridge.wait_connected(10)
    yield follower
    await follower.stop()


@pytest.fixture
async def wall(live_source: LiveSource, store: SqlStore) -> AsyncIterator[WallboardServer]:  # noqa: F811
    """A running wallboard."""
    server = make_wall(live_source, store)
    await server.start()
    yield server
    await server.stop()


async def get_json(url: str) -> dict[str, Any]:
    """GET a URL and parse its JSON."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200, await response.text()
        data: dict[str, Any] = json.loads(await response.text())
        return data


async def wall_json(
    wall: WallboardServer, check: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> dict[str, Any]:
    """The wall's JSON once `check` holds for it (polled; conditions, never fixed sleeps)."""
    found: list[dict[str, Any]] = []

    async def probe_async() -> bool:
        data = await get_json(wall.url + "api/wallboard")
        found[:] = [data]
        return check(data)

    deadline = time.monotonic() + timeout
    while not await probe_async():
        if time.monotonic() > deadline:
            raise AssertionError(f"the wall never showed it; last: {found[-1]}")
        await asyncio.sleep(0.05)
    return found[-1]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report what the browser tests measured (asserted only against the 2 s requirement)."""
    if LATENCIES:
        terminalreporter.section("wallboard latency (PBX event -> page)")
        for what, seconds in LATENCIES:
            terminalreporter.write_line(f"{what}: {seconds:.3f} s")
