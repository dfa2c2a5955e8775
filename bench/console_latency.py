"""Benchmark: keystroke-to-results-rendered latency in the console at 1,000 articles (Pilot).

Run: .venv/bin/python bench/console_latency.py [--articles 1000] [--queries 40]
The console runs headless (`App.run_test`, 120x40) on the real searcher over the sample KB
plus bench/kbgen.py's generated articles, a fake PBX and an in-memory call log. Each of the
first N labelled queries of tests/fixtures/search/queries.yaml is typed one key at a time;
a keystroke's latency runs from the key event entering the app (the headless driver, as
Pilot sends it) until the results of exactly that text are in the result list and the
next frame was composed (`post_display_hook`). Pilot.press itself waits >= 40 ms for the
process to go idle per key, so the same figure through Pilot.press is printed separately
for the first 5 queries. Baseline in the same run: the
bare `search()` + `suggest()` calls the console makes per keystroke, without the UI.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import yaml
from kbgen import generate
from textual import events
from textual.pilot import Pilot

from agent_console.app import AgentConsoleApp
from agent_console.services import ConsoleOptions, KnowledgeSource, Services
from calllog.outbox import BufferedStore
from calllog.service_hours import ServiceCalendar
from calllog.store import SqliteOutbox, SqliteStore
from search.searcher import IndexSearcher
from telephony.fake import FakeTelephony

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.yaml"


def pct(values: list[float], share: float) -> float:
    """The share-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(name: str, values: list[float]) -> str:
    """p50/p95/max in milliseconds."""
    return (
        f"{name}: n={len(values)} p50 {statistics.median(values):.1f} ms, "
        f"p95 {pct(values, 0.95):.1f} ms, max {max(values):.1f} ms"
    )


async def typed(app: AgentConsoleApp, pilot: Pilot[None], text: str, samples: list[float]) -> None:
    """Type `text` key by key; per key, ms from the key event to the results' first paint."""
    loop = asyncio.get_running_loop()
    screen = app.console_screen
    painted: list[float] = []
    app.post_display_hook = lambda: painted.append(loop.time())  # type: ignore[method-assign]
    driver = app._driver
    assert driver is not None
    typed_so_far = ""
    for char in text:
        typed_so_far += char
        start = loop.time()
        driver.send_message(events.Key("space" if char == " " else char, char))
        while screen.results_for != typed_so_far:
            await asyncio.sleep(0.0005)
        shown = loop.time()
        while not painted or painted[-1] < shown:
            await asyncio.sleep(0.0005)
        samples.append((painted[-1] - start) * 1000)


async def through_pilot(
    services: Services, queries: list[str], harness: int
) -> tuple[list[float], list[float]]:
    """Key events into the headless app; also the first `harness` queries via Pilot.press."""
    app = AgentConsoleApp(services, ConsoleOptions())
    direct: list[float] = []
    pressed: list[float] = []
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.console_screen
        for query in queries:
            await pilot.press("escape")
            await pilot.pause()
            await typed(app, pilot, query, direct)
            await pilot.pause()
        for query in queries[:harness]:  # Pilot.press waits >= 40 ms for idle per key
            await pilot.press("escape")
            await pilot.pause()
            for end in range(1, len(query) + 1):
                start = loop.time()
                await pilot.press(query[end - 1] if query[end - 1] != " " else "space")
                while screen.results_for != query[:end]:
                    await asyncio.sleep(0.0005)
                await pilot.pause()
                pressed.append((loop.time() - start) * 1000)
    return direct, pressed


def bare(searcher: IndexSearcher, queries: list[str]) -> list[float]:
    """The same keystrokes straight on the searcher (search + suggest, limit 10)."""
    out = []
    for query in queries:
        for end in range(1, len(query) + 1):
            start = time.perf_counter()
            searcher.search(query[:end], 10)
            searcher.suggest(query[:end])
            out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    """Build the KB and index, then time the baseline and the console."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    labelled = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    queries = [item["q"] for item in labelled][: args.queries]
    kb = generate(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        searcher = IndexSearcher.open(kb, Path(tmp) / "index", ROOT / "kb" / "synonyms.yaml")
        bare(searcher, queries[:3])  # warm-up: imports, first reads
        baseline = bare(searcher, queries)
        store = BufferedStore(SqliteStore(":memory:"), SqliteOutbox(":memory:"))
        services = Services(
            knowledge=KnowledgeSource(kb),
            searcher=searcher,
            telephony=FakeTelephony(),
            calllog=store,
            calendar=ServiceCalendar(),
        )
        console, pressed = asyncio.run(through_pilot(services, queries, 5))
        searcher.close()
        store.close()
    print(f"{len(kb.articles)} articles, {len(queries)} queries, {len(console)} keystrokes")
    print(summary("baseline search()+suggest()", baseline))
    print(summary("console key event -> results painted", console))
    print(summary("same through Pilot.press + Pilot.pause (harness idle waits included)", pressed))
    ratio = statistics.median(console) / statistics.median(baseline)
    print(f"console/baseline p50 ratio {ratio:.1f}x; target p95 <= 50 ms: "
          f"{'met' if pct(console, 0.95) <= 50 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
