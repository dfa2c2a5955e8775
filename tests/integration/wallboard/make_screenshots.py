"""Screenshots of the wall for the docs (docs/screenshots/wallboard-*.png).

Run `.venv/bin/python -m tests.integration.wallboard.make_screenshots`.

A fixed scene (callers waiting in two queues, agents in every state, a day's figures below
and above target) rendered by the real server in Debian's chromium at 1920x1080, light and
dark. `--agents N` shows N agents instead (to check how many fit).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from calllog.due import DueCallbacks
from calllog.reports import Counts, Period, Report, Targets
from recorder.live import LiveBoard, LiveSnapshot
from telephony.calls import Agent, AgentState, Call, CallState
from telephony.protocol import ConnectionState
from wallboard.access import Access
from wallboard.hub import WallboardHub
from wallboard.today import Today
from wallboard.web import WallboardServer

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
STATES = [
    AgentState.ON_CALL, AgentState.ON_CALL, AgentState.AVAILABLE, AgentState.WRAP_UP,
    AgentState.ON_CALL, AgentState.PAUSED, AgentState.RINGING, AgentState.ON_CALL,
]  # fmt: skip
NAMES = ["mueller", "schmidt", "yilmaz", "becker", "nowak", "fischer", "wagner", "kowalski",
         "hoffmann", "schulz", "keller", "richter"]  # fmt: skip


class Scene:
    """A board that looks like a busy Monday morning."""

    def __init__(self, agents: int) -> None:
        start = time.time()
        names = [f"{NAMES[n % len(NAMES)]}{n // len(NAMES) or ''}" for n in range(agents)]
        ids = {f"PJSIP/{name}": name for name in names}
        self.board = LiveBoard(ids, ["service115", "kfz"])
        self.board.connection_changed(ConnectionState.CONNECTED)
        for n, (iface, _) in enumerate(ids.items()):
            state = STATES[n % len(STATES)]
            reason = "Besprechung" if state == AgentState.PAUSED else ""
            agent = Agent(iface, name=iface, queue="service115", state=state, pause_reason=reason)
            self.board.apply([agent], start - 40 - 37 * n)
            self.board.apply([agent], start - 40 - 37 * n)
        waiting = [("service115", 48), ("service115", 21), ("service115", 3), ("kfz", 12)]
        for n, (queue, waited) in enumerate(waiting):
            call = Call(f"c{n}", queue=queue, state=CallState.QUEUED, joined_at=start - waited)
            self.board.apply([call], start - waited)

    def live(self) -> LiveSnapshot:
        return self.board.snapshot(time.time())


class Day:
    def read(self, now: datetime) -> Today:
        counts = Counts(offered=412, answered=371, abandoned=41, abandoned_short=9,
                        within_threshold=296, resolved=251)  # fmt: skip
        day = date.today()
        report = Report(Period(day, day), now, Targets(), counts)
        return Today(report, DueCallbacks(due_today=7, overdue=2), now)


async def shoot(agents: int, suffix: str) -> None:
    from playwright.async_api import async_playwright

    hub = WallboardHub(Scene(agents), Day(), ZoneInfo("Europe/Berlin"))
    server = WallboardServer(hub, "127.0.0.1", 0, Access.for_server("127.0.0.1", None))
    await server.start()
    try:
        async with async_playwright() as playwright:
            for theme in ("light", "dark"):
                with tempfile.TemporaryDirectory() as profile:
                    context = await playwright.chromium.launch_persistent_context(
                        profile, executable_path="/usr/bin/chromium", headless=True,
                        args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-sync",
                              "--disable-component-update"],
                        viewport={"width": 1920, "height": 1080},
                    )  # fmt: skip
                    page = await context.new_page()
                    await page.goto(f"{server.url}?theme={theme}")
                    await page.locator("body[data-link=live]").wait_for()
                    path = OUT / f"wallboard-{theme}{suffix}.png"
                    await page.screenshot(path=str(path))
                    print(path)
                    await context.close()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=12)
    parser.add_argument("--suffix", default="")
    args = parser.parse_args()
    asyncio.run(shoot(args.agents, args.suffix))


if __name__ == "__main__":
    main()
