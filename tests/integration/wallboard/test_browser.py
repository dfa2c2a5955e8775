"""The wall's page in a real browser: Debian's chromium (`make browser`), driven by Playwright.

What a person at the wall would see: a caller arriving in the queue and leaving it within
2 s of the PBX event, "Telefonanlage nicht erreichbar" instead of stale numbers (and the
live figures back once the PBX is), the database gone (today's figures greyed, with their
time), the page reconnecting by itself to a restarted server, and text from the PBX shown
as text. Every wait is for a condition in the page, never a fixed time.

How "within 2 s" is measured, robustly on a busy 2-core machine: the start is the moment
the test's own AMI connection sees the event (so the PBX's own delay is not counted); the
end is stamped inside the page by a MutationObserver the moment the number changes (so
the test's polling is not counted either); both are wall-clock times of this machine. The
requirement (2 s) is asserted on that figure, the figure is printed in the test summary,
and the condition itself is waited for far longer, so a slow run fails with its latency
rather than with a timeout. The server side adds at most one sampling interval (0.25 s).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from calllog.store import SqlStore, open_store
from telephony.bridge import AmiBridge
from telephony.calls import CallState
from tests.conftest import skip_unless_ci
from tests.integration.calllog.conftest import PG_ADMIN_URL
from tests.integration.telephony.conftest import Driver, call_from, until
from tests.integration.wallboard.conftest import (
    AGENT_IDS,
    LATENCIES,
    Target,
    make_wall,
)
from wallboard import web
from wallboard.follower import LiveFollower
from wallboard.view import PBX_GONE
from wallboard.web import WallboardServer

if TYPE_CHECKING:
    from playwright.async_api import Page

CHROMIUM = Path(os.environ.get("LOTSE_TEST_CHROMIUM", "/usr/bin/chromium"))
#: As the machine notes say: no sandbox as root, no GPU, no calls home (the network is closed).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
#: The requirement: the page shows a change on the PBX within this many seconds.
WITHIN_S = 2.0
#: How long a condition is waited for at most (a late page fails on its measured latency).
PATIENCE_MS = 20_000
AGENTS = ("agent1", "agent2")

WATCH_WAITING = """() => {
    window.__waiting = [];
    const target = document.getElementById("waiting-callers");
    new MutationObserver(() => window.__waiting.push([Date.now(), target.textContent]))
        .observe(target, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    """A fresh headless chromium (its own empty profile) with one page."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        skip_unless_ci("playwright is not installed (make install)")
    if not CHROMIUM.exists():
        skip_unless_ci(f"{CHROMIUM} is missing (make browser installs Debian's chromium)")
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1920, "height": 1080}, locale="de-DE",
        )  # fmt: skip
        try:
            yield await context.new_page()
        finally:
            await context.close()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path / 'calls.db'}", migrate=True)
    yield store
    store.close()


@pytest.fixture
async def follower(pbx: Target) -> AsyncIterator[LiveFollower]:
    """The wallboard's own read-only connection, as `lotse wallboard` runs it."""
    live = LiveFollower(pbx.config(ping_interval=1.0), AGENT_IDS, ["service115"])
    await live.start()
    await live.bridge.wait_connected(10)
    yield live
    await live.stop()


async def open_wall(page: Page, wall: WallboardServer, query: str = "") -> None:
    """Load the page and wait until it shows live data."""
    from playwright.async_api import expect

    await page.goto(wall.url + query)
    await expect(page.locator("body")).to_have_attribute("data-link", "live", timeout=PATIENCE_MS)


async def until_page(page: Page, condition: str) -> None:
    """Until a JavaScript expression holds in the page (polled from outside: the page's own
    policy forbids evaluating strings, which Playwright's wait_for_function would need)."""
    from playwright.async_api import Error

    deadline = time.monotonic() + PATIENCE_MS / 1000
    while True:
        try:
            if await page.evaluate(condition):
                return
        except Error:  # the page is being (re)loaded
            pass
        assert time.monotonic() < deadline, f"never true in the page: {condition}"
        await asyncio.sleep(0.05)


async def shown_after(page: Page, text: str, since: float) -> float:
    """Seconds from `since` (epoch) until #waiting-callers first showed `text` in the page."""
    from playwright.async_api import expect

    await expect(page.locator("#waiting-callers")).to_have_text(text, timeout=PATIENCE_MS)
    changes: list[list[Any]] = await page.evaluate("window.__waiting")
    stamp = next(ms for ms, shown in changes if shown == text)
    return float(stamp) / 1000 - since


async def test_a_call_arriving_and_leaving_the_queue_is_on_the_wall_within_2_s(
    page: Page, follower: LiveFollower, sqlite: SqlStore, bridge: AmiBridge, driver: Driver
) -> None:
    from playwright.async_api import expect

    wall = make_wall(follower, sqlite)
    await wall.start()
    try:
        for agent in AGENTS:  # nobody answers: the caller waits
            await bridge.pause(agent, "Besprechung")
        await open_wall(page, wall, "?theme=dark")
        await expect(page.locator("#waiting-callers")).to_have_text("0", timeout=PATIENCE_MS)
        await expect(page.locator("#agents .agent")).to_have_count(2, timeout=PATIENCE_MS)
        await expect(page.locator("#agents")).to_contain_text("Pause · Besprechung")
        await page.evaluate(WATCH_WAITING)

        await driver.place_call("02345550003", "Wand Test")
        call = await until(bridge, call_from(bridge, "02345550003", CallState.QUEUED))
        arrived = await shown_after(page, "1", time.time())
        await expect(page.locator("#waiting-unit")).to_have_text("Anrufer wartet")

        await driver.hangup(call.caller_channel)
        await until(bridge, call_from(bridge, "02345550003", CallState.ABANDONED))
        left = await shown_after(page, "0", time.time())
    finally:
        for agent in AGENTS:
            await bridge.unpause(agent)
        await wall.stop()
    LATENCIES.append(("a caller arriving", arrived))
    LATENCIES.append(("a caller leaving", left))
    assert arrived <= WITHIN_S, f"the caller appeared {arrived:.2f} s after the PBX event"
    assert left <= WITHIN_S, f"the caller left the wall {left:.2f} s after the PBX event"
    assert "02345550003" not in await page.content()


async def test_the_pbx_gone_is_shown_instead_of_stale_numbers_and_comes_back(
    page: Page, pbx: Target, follower: LiveFollower, sqlite: SqlStore
) -> None:
    from playwright.async_api import expect

    sim = pbx.require_sim()
    wall = make_wall(follower, sqlite)
    await wall.start()
    try:
        await open_wall(page, wall)
        await expect(page.locator("#agents .agent")).to_have_count(2, timeout=PATIENCE_MS)
        await sim.close_listener()
        sim.drop_connections()
        await expect(page.locator("#alerts")).to_have_text(PBX_GONE, timeout=PATIENCE_MS)
        await expect(page.locator("body")).to_have_attribute("data-pbx", "gone")
        await expect(page.locator("#waiting-callers")).to_have_text("–")
        await expect(page.locator("#waiting-longest")).to_have_text("–")
        await expect(page.locator("#agents .agent")).to_have_count(0)
        await expect(page.locator("#tiles .tile")).to_have_count(7)  # the call log is fine
        await expect(page.locator("#today")).to_have_attribute("data-stale", "no")

        await sim.start()  # the same port: the wallboard reconnects by itself
        await expect(page.locator("body")).to_have_attribute("data-pbx", "ok",
                                                             timeout=PATIENCE_MS)  # fmt: skip
        await expect(page.locator("#alerts li")).to_have_count(0)
        await expect(page.locator("#agents .agent")).to_have_count(2)
    finally:
        await wall.stop()


async def test_the_page_reconnects_to_a_restarted_wallboard_by_itself(
    page: Page, follower: LiveFollower, sqlite: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.async_api import expect

    wall = make_wall(follower, sqlite)
    await wall.start()
    port = wall.port
    await open_wall(page, wall)
    await page.evaluate("window.__same_page = true")
    await wall.stop()
    await expect(page.locator("body")).to_have_attribute("data-link", "lost",
                                                         timeout=PATIENCE_MS)  # fmt: skip
    await expect(page.locator("#link")).to_contain_text("Keine Verbindung zum Wallboard")
    again = make_wall(follower, sqlite, port=port)
    await again.start()
    try:
        await expect(page.locator("body")).to_have_attribute("data-link", "live",
                                                             timeout=PATIENCE_MS)  # fmt: skip
        await expect(page.locator("#link")).to_have_text("live")
        assert await page.evaluate("window.__same_page === true")  # no reload: same files
    finally:
        await again.stop()

    monkeypatch.setattr(web, "ASSET_VERSION", "after-an-upgrade")
    upgraded = make_wall(follower, sqlite, port=port)
    await upgraded.start()
    try:  # other files now: the page loads them by itself
        await until_page(page, "window.__same_page === undefined")
        await expect(page.locator("body")).to_have_attribute("data-link", "live",
                                                             timeout=PATIENCE_MS)  # fmt: skip
    finally:
        await upgraded.stop()


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


async def test_the_database_gone_greys_todays_figures_with_their_time(
    page: Page, follower: LiveFollower, pg_url: str
) -> None:
    from playwright.async_api import expect

    store = open_store(pg_url, migrate=True)
    store.close()
    name = pg_url.rsplit("/", 1)[1]
    store = open_store(pg_url)
    wall = make_wall(follower, store)
    await wall.start()
    try:
        await open_wall(page, wall)
        await expect(page.locator("body")).to_have_attribute("data-db", "ok")
        _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        try:
            await expect(page.locator("#alerts")).to_contain_text(
                "Datenbank nicht erreichbar – Tageswerte von", timeout=PATIENCE_MS
            )
            await expect(page.locator("#today")).to_have_attribute("data-stale", "yes")
            await expect(page.locator("#today-asof")).to_contain_text("Stand ")
            await expect(page.locator("body")).to_have_attribute("data-db", "gone")
        finally:
            _admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
        await expect(page.locator("body")).to_have_attribute("data-db", "ok",
                                                             timeout=PATIENCE_MS)  # fmt: skip
        await expect(page.locator("#today-asof")).to_have_text("")
    finally:
        await wall.stop()
        store.close()


async def test_text_from_the_pbx_is_shown_as_text(
    page: Page, follower: LiveFollower, sqlite: SqlStore, bridge: AmiBridge, driver: Driver
) -> None:
    from playwright.async_api import expect

    hostile = "<img src=x onerror=window.__pwned=1>"  # Lotse never sends that; the PBX may
    wall = make_wall(follower, sqlite)
    await wall.start()
    try:
        await driver.session.action(
            "QueuePause",
            {"Interface": "Local/agent1@agents/n", "Paused": "true", "Reason": hostile},
            5, check=True,
        )  # fmt: skip
        await open_wall(page, wall)
        await expect(page.locator("#agents")).to_contain_text(f"Pause · {hostile}",
                                                              timeout=PATIENCE_MS)  # fmt: skip
        assert await page.locator("#agents img").count() == 0
        assert await page.evaluate("window.__pwned === undefined")
    finally:
        await bridge.unpause("agent1")
        await wall.stop()
