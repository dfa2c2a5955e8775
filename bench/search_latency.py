"""Benchmark: per-keystroke search latency, index build time and single-article update.

Run: .venv/bin/python bench/search_latency.py [--sizes 61,1000,20000] [--munich]
         [--sample-large 80] [--baseline-every 4]
Each labelled query of tests/fixtures/search/queries.yaml is typed one character at a time;
every prefix is one search (limit 10). The rapidfuzz scan over titles and synonyms (the
quality baseline) is timed on the same keystrokes in the same run. KBs of 1,000 and 20,000
articles are the sample KB plus bench/kbgen.py's generated articles; `--munich` adds the
imported Munich DLDB catalogue (skipped when the importer or the export is missing).
The searcher is warmed up once (imports); the impact cache starts empty, so the figures
include the first, cold reads of each term. A second, warm pass times every keystroke twice in
turn, with and without the per-hit confidence (`search.confidence`, switched off by replacing
its two functions), and reports both p95s: the cost of knowing when the KB has no answer.
Above 5,000 articles a random sample of the labelled queries is typed, and the baseline
(~0.3 s per keystroke there) is timed on every n-th keystroke only, to keep the run within a
few minutes.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from kbgen import generate

import search.searcher as searcher_module
from kb.loader import KnowledgeBase, load
from search.baselines import FuzzyBaseline
from search.indexer import build_index
from search.searcher import IndexSearcher

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"


def keystrokes(queries: list[str]) -> list[str]:
    """Every prefix of every query, as typed."""
    return [q[:end] for q in queries for end in range(1, len(q) + 1)]


def timed(func: Callable[[str], object], inputs: list[str]) -> list[float]:
    """Milliseconds per call."""
    out = []
    for text in inputs:
        start = time.perf_counter()
        func(text)
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], share: float) -> float:
    """The share-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_case(
    name: str, kb: KnowledgeBase, queries: list[str], workdir: Path, baseline_every: int = 1
) -> None:
    """Build, then time keystrokes for both searchers, then time single-article updates."""
    index_dir = workdir / name
    start = time.perf_counter()
    files = build_index(kb, index_dir)
    build_s = time.perf_counter() - start
    searcher = IndexSearcher(files, kb)
    searcher.warm_up()
    baseline = FuzzyBaseline(kb)
    typed = keystrokes(queries)
    ours = timed(lambda t: searcher.search(t, 10), typed)
    theirs = timed(lambda t: baseline.search_ids(t, 10), typed[::baseline_every])
    judged, plain = confidence_cost(searcher, typed)
    updates = time_updates(searcher, kb)
    searcher.close()
    print(
        f"{name:>14} | {len(kb.articles):6} | {build_s:7.1f} s | {len(typed):5} | "
        f"{statistics.median(ours):6.2f} | {pct(ours, 0.95):6.2f} | {max(ours):7.1f} | "
        f"{statistics.median(theirs):6.2f} | {pct(theirs, 0.95):6.2f} | "
        f"{pct(theirs, 0.95) / pct(ours, 0.95):5.1f}x | "
        f"{pct(judged, 0.95):6.2f} / {pct(plain, 0.95):6.2f} | "
        f"{statistics.median(updates):6.1f} / {max(updates):6.1f} ms",
        flush=True,
    )


def confidence_cost(searcher: IndexSearcher, typed: list[str]) -> tuple[list[float], list[float]]:
    """Warm milliseconds per keystroke with the confidence and without it, in turn."""
    judge, specific = searcher_module.judge, searcher_module.specific_positions
    with_it: list[float] = []
    without: list[float] = []
    for text in typed:
        with_it += timed(lambda t: searcher.search(t, 10), [text])
        searcher_module.judge = lambda *args, **kwargs: "high"
        searcher_module.specific_positions = lambda *args: ()
        try:
            without += timed(lambda t: searcher.search(t, 10), [text])
        finally:
            searcher_module.judge, searcher_module.specific_positions = judge, specific
    return with_it, without


def time_updates(searcher: IndexSearcher, kb: KnowledgeBase, rounds: int = 5) -> list[float]:
    """Milliseconds to re-index one changed article in place (a new synonym each round; the
    rounds build on each other, as an editor's saves do). Its towns' versions go with it."""
    ids = sorted(kb.articles)[:rounds]
    out = []
    for n, article_id in enumerate(ids):
        article = kb.articles[article_id]
        changed = article.model_copy(update={"synonyms": [*article.synonyms, f"Testwort{n}"]})
        new_kb = dataclasses.replace(kb, articles={**kb.articles, article_id: changed})
        start = time.perf_counter()
        searcher.update(new_kb, article_id)
        out.append((time.perf_counter() - start) * 1000)
        assert searcher.search(f"testwort{n}", 1)[0].id == article_id
        kb = new_kb
    return out


def munich_kb(workdir: Path) -> KnowledgeBase | None:
    """The Munich DLDB catalogue imported into a temporary KB, or None when unavailable."""
    services = SHARED_DATA / "muenchen_dldb_services_de.json"
    locations = SHARED_DATA / "muenchen_dldb_locations_de.json"
    try:
        from kb.importers.dldb import import_dldb
    except ImportError:
        return None
    if not (services.is_file() and locations.is_file()):
        return None
    out = workdir / "munich-kb"
    import_dldb(services, locations, out)
    return load(out)


def main() -> None:
    """Run every case and print one table row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="61,1000,20000")
    parser.add_argument("--munich", action="store_true", help="add the Munich DLDB catalogue")
    parser.add_argument(
        "--sample-large", type=int, default=80, help="labelled queries typed above 5,000 articles"
    )
    parser.add_argument(
        "--baseline-every",
        type=int,
        default=4,
        help="above 5,000 articles, time the (slow) baseline on every n-th keystroke only",
    )
    args = parser.parse_args()
    queries = [item["q"] for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]
    print(
        "          case | articles |   build | keys | p50 ms | p95 ms |  max ms | "
        "fuzz p50 | fuzz p95 | fuzz/ours p95 | warm p95 with / without confidence | "
        "update median / max"
    )
    workdir = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            kb = load(ROOT / "kb") if size <= 61 else generate(size)
            sample = queries
            if size > 5000:
                sample = random.Random(3).sample(queries, min(args.sample_large, len(queries)))
            every = args.baseline_every if size > 5000 else 1
            name = f"sample+gen {size}" if size > 61 else "sample 61"
            run_case(name, kb, sample, workdir, every)
        if args.munich:
            kb = munich_kb(workdir)
            if kb is None:
                print("         munich | skipped: importer or DLDB export not available")
            else:
                run_case("munich dldb", kb, queries, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
