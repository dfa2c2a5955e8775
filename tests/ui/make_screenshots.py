"""Export the README's screenshots (SVG) from the real console: demo PBX, sample KB, SQLite.

Run: .venv/bin/python -m tests.ui.make_screenshots [--out docs/screenshots]
The console runs headless at 120x40 on the built-in simulator, the real searcher over the
sample KB and a temporary SQLite call log seeded like `lotse demo`; the clock is set to a
Tuesday 10:00 so that offices show their usual open state.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from agent_console.app import AgentConsoleApp
from agent_console.commands.console import (
    DEMO_CALLER,
    DEMO_NUMBERS,
    DemoPbx,
    free_port,
    seed_demo,
)
from agent_console.commands.kb import load_kb
from agent_console.config import BUNDLED_KB
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from agent_console.widgets.article_view import ArticleView
from agent_console.widgets.caller_history import CallerHistory
from calllog.store import SqliteStore
from search.searcher import IndexSearcher
from telephony.origin import Routing
from telephony.sim import PbxSimulator

from .conftest import AGENT, FAST, bridge_for, buffered, calendar, frozen, wait_until

ROOT = Path(__file__).resolve().parents[2]


async def shoot(out: Path, tmp: Path) -> None:
    """Drive one demo call through the states worth showing, saving an SVG at each."""
    kb = load_kb(BUNDLED_KB)
    searcher = IndexSearcher.open(kb, tmp / "index", BUNDLED_KB / "synonyms.yaml", frozen)
    store = SqliteStore(tmp / "calls.db")
    sim = PbxSimulator(port=free_port(), agents=1, timing=FAST)
    services = Services(
        knowledge=KnowledgeSource(kb), searcher=searcher, telephony=bridge_for(sim),
        calllog=buffered(store, tmp), calendar=calendar(), clock=frozen,
        background=[DemoPbx(sim, 0.3)],
    )  # fmt: skip
    seed_demo(services, "agent1", 24)
    routing = Routing(by_number=dict(zip(DEMO_NUMBERS, ("beispielheim", "ortsdorf"), strict=True)))
    app = AgentConsoleApp(services, ConsoleOptions(interfaces=(AGENT,), routing=routing))

    def save(name: str) -> None:
        app.save_screenshot(str(out / f"{name}.svg"))
        print(out / f"{name}.svg")

    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.console_screen
        await wait_until(pilot, lambda: screen.session is not None and screen.session.answered_at)
        assert screen.session is not None and screen.session.caller_number == DEMO_CALLER[0]
        await wait_until(pilot, lambda: app.query_one(CallerHistory).has_class("-repeat"))
        await pilot.press(*"perso abgelaufen")
        await wait_until(pilot, lambda: screen.results_for == "perso abgelaufen")
        await pilot.pause()
        save("console-search")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one(ArticleView).article_id is not None)
        await pilot.pause()
        save("console-article")
        await pilot.press("f3")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "TransferDialog")
        await pilot.pause()
        save("console-transfer")
        await pilot.press("escape", "f4")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "WrapUpScreen")
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        app.screen.query_one("#callback-clarify").focus()
        await pilot.press(*"Reicht der abgelaufene Ausweis als Nachweis?")
        await pilot.pause()
        save("console-wrapup")
        await pilot.press("f10")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConsoleScreen")
        await pilot.press("f7")
        await wait_until(pilot, lambda: bool(getattr(app.screen, "tickets", None)))
        await pilot.pause()
        save("console-callbacks")
        await pilot.press("escape")
        first = screen.session
        sim.offer_call("015112345678", "Ayşe Yılmaz", exten=DEMO_NUMBERS[0], key="2")  # Türkçe
        await wait_until(pilot, lambda: screen.session is not None and screen.session is not first
                         and screen.session.answered_at is not None)  # fmt: skip
        await pilot.press("f2", *"hundesteuer")
        await wait_until(pilot, lambda: screen.results_for == "hundesteuer")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one(ArticleView).article_id == "hund-anmelden")
        await pilot.pause()
        save("console-municipality")
    searcher.close()
    store.close()


def main() -> None:
    """Write the SVGs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(shoot(args.out, Path(tmp)))


if __name__ == "__main__":
    main()
