"""Benchmark: start-up time of the console to a usable screen, with a prebuilt search index.

Run: .venv/bin/python bench/console_startup.py [--articles 1000] [--runs 5] [--towns 0]
A KB of N articles (the sample plus bench/kbgen.py's generated ones; with --towns, a layered
KB of about N index documents, see kbgen.write_layered) is written to a temp
folder, its index and parse cache are built once, then the console is started N times in
a fresh Python process each (`lotse console`'s own service construction from settings,
headless 120x40): the time runs from spawning the process until the console screen is
mounted with the search box focused (interpreter start and imports included). The PBX is
unreachable on purpose (the bridge connects in the background and must not delay start-up).
Baseline in the same run: a bare Textual app with one focused Input, started the same way.

Memory: after start-up each child types the labelled queries of tests/fixtures/search/
queries.yaml into the search box's searcher (every prefix, as search-as-you-type does, so the
term caches fill as in a shift), then reports its resident set (VmRSS) and peak (VmHWM) from
/proc; printed as medians for the console and the bare app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def child_console() -> None:
    """Build the services as `lotse console` does, mount the console, report, exit."""
    from agent_console.app import AgentConsoleApp
    from agent_console.commands.console import build_services
    from agent_console.config import load_settings

    settings = load_settings(None)
    services = build_services(settings)
    app = AgentConsoleApp(services, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.console_screen.query_one("#search").has_focus:
            await pilot.pause(0.001)
        print("ready", flush=True)
        for text in typed_prefixes():
            services.searcher.search(text, 10)
        print(memory(), flush=True)
    services.close()


async def child_bare() -> None:
    """A minimal Textual app with one focused Input."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="search")

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.query_one("#search").has_focus:
            await pilot.pause(0.001)
        print("ready", flush=True)
        print(memory(), flush=True)


def typed_prefixes() -> list[str]:
    """Every prefix of every labelled query, as typed."""
    import yaml

    queries = yaml.safe_load((ROOT / "tests/fixtures/search/queries.yaml").read_text("utf-8"))
    return [q["q"][:end] for q in queries for end in range(1, len(q["q"]) + 1)]


def memory() -> str:
    """`rss_kib hwm_kib` of this process, from /proc (Linux)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return " ".join(fields[name].split()[0] for name in ("VmRSS", "VmHWM"))


def spawn(mode: str, env: dict[str, str], sizes: list[tuple[int, int]]) -> float:
    """Seconds from spawn until the child printed `ready`; its memory goes into `sizes`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode], stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    took = time.perf_counter() - start
    rss, hwm = (int(kib) for kib in proc.stdout.readline().split())
    proc.wait(timeout=300)
    if line.strip() != "ready":
        raise SystemExit(f"{mode} child failed (exit {proc.returncode})")
    sizes.append((rss, hwm))
    return took


def prepare(articles: int, tmp: Path, towns: int = 0) -> dict[str, str]:
    """Write the KB, build index and parse cache; the environment the children use."""
    sys.path.insert(0, str(ROOT / "bench"))
    from kbgen import generate, write, write_layered

    from agent_console.commands.kb import load_kb
    from search.searcher import IndexSearcher

    kb_dir = tmp / "kb"
    if towns:
        print(write_layered(articles, kb_dir, towns), flush=True)
    else:
        write(generate(articles), kb_dir)
    env = dict(os.environ)
    env.update(
        XDG_CACHE_HOME=str(tmp / "cache"),
        XDG_DATA_HOME=str(tmp / "data"),
        LOTSE_KB__ROOT=str(kb_dir),
        LOTSE_SEARCH__INDEX_DIR=str(tmp / "index"),
        LOTSE_SEARCH__SYNONYMS_FILE=str(ROOT / "kb" / "synonyms.yaml"),
        LOTSE_CALLLOG__URL=f"sqlite:///{tmp / 'calls.db'}",
        LOTSE_PBX__PORT="9",  # nothing listens: the bridge keeps retrying in the background
    )
    os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
    kb = load_kb(kb_dir)  # fills the parse cache in the temp cache dir
    IndexSearcher.open(kb, tmp / "index", ROOT / "kb" / "synonyms.yaml").close()
    return env


def main() -> None:
    """Prepare once, then time both children alternately."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--towns", type=int, default=0, help="layered KB: generated towns (kbgen.write_layered)"
    )
    parser.add_argument("--child", choices=["console", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(child_console() if args.child == "console" else child_bare())
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(args.articles, Path(tmp), args.towns)
        spawn("console", env, [])  # warm the OS file cache once
        console, bare = [], []
        console_mem: list[tuple[int, int]] = []
        bare_mem: list[tuple[int, int]] = []
        for _ in range(args.runs):
            bare.append(spawn("bare", env, bare_mem))
            console.append(spawn("console", env, console_mem))
    med_c, med_b = statistics.median(console), statistics.median(bare)
    print(f"{args.articles} articles, prebuilt index, {args.runs} runs each")
    print(f"bare Textual app with an Input: median {med_b:.2f} s (max {max(bare):.2f} s)")
    print(f"lotse console to focused search box: median {med_c:.2f} s (max {max(console):.2f} s)")
    print(f"console/bare {med_c / med_b:.2f}x; target <= 1.5 s: "
          f"{'met' if med_c <= 1.5 else 'NOT met'}")  # fmt: skip
    for name, sizes in (("bare Textual app", bare_mem), ("lotse console", console_mem)):
        rss = statistics.median(r for r, _ in sizes) / 1024
        hwm = statistics.median(h for _, h in sizes) / 1024
        print(f"{name}: resident {rss:.0f} MiB, peak {hwm:.0f} MiB (median)")


if __name__ == "__main__":
    main()
