"""Benchmark: the search at scale, against the sample KB and Whoosh's own build path.

Run: nice -n 10 .venv/bin/python bench/search_scale.py [--sizes 61,20000,100000]
         [--baseline-build-up-to 20000] [--sample-large 80]
For each size (the sample KB, then the sample plus bench/kbgen.py's generated articles):
- quality: top-1, top-3 and MRR of the labelled set tests/fixtures/search/queries.yaml (with
  the central word file, as the console searches), in points against the sample KB's figures
  of the same run; also its tuning and held-out halves;
- per-keystroke latency: the labelled queries typed one character at a time (a random sample
  of them above 5,000 articles), each prefix one search of 10 hits, impact cache cold at the
  start: p50, p95, max, and p95 against the sample KB's of the same run;
- full build (analysis, Whoosh segment, sidecars) and, up to --baseline-build-up-to
  articles, the same KB built through Whoosh's generic path (its tokenizer, lengths read back
  from disk, no word cache), as the build was before issue 16;
- single-article update in place (`IndexSearcher.update`): median and max of 5.
The console's memory at scale is measured by bench/console_startup.py (--articles N).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import yaml
from kbgen import generate
from search_latency import keystrokes, pct, time_updates, timed
from whoosh.fields import TEXT

from kb.loader import KnowledgeBase, load
from search import indexer
from search.analysis import analyze
from search.evaluate import EvalReport, LabelledQuery, evaluate, parse_queries
from search.indexer import build_index, read_word_lists
from search.searcher import IndexSearcher

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.yaml"
SYNONYMS = ROOT / "kb" / "synonyms.yaml"


@dataclass
class Case:
    """The figures of one KB size."""

    articles: int
    build_s: float
    whoosh_build_s: float | None
    quality: EvalReport
    halves: tuple[EvalReport, EvalReport]
    keys: list[float]
    updates: list[float]


class _PlainTerms:
    """Analysis without the build's word cache (the build before issue 16)."""

    def __init__(self, vocab: frozenset[str]) -> None:
        self.vocab = vocab

    def analyze(self, text: str) -> str:
        return analyze(text, self.vocab)


@contextmanager
def whoosh_path() -> Iterator[None]:
    """Build through Whoosh's generic path: its tokenizer, its length reads, no word cache."""
    with (
        mock.patch.object(indexer, "TermCache", _PlainTerms),
        mock.patch.object(indexer, "use_known_lengths", lambda writer, lengths: None),
        mock.patch.object(indexer, "PreAnalyzedText", TEXT),
    ):
        yield


def timed_build(kb: KnowledgeBase, index_dir: Path) -> float:
    """Seconds for a full build (the index is closed again)."""
    start = time.perf_counter()
    build_index(kb, index_dir).index.close()
    return time.perf_counter() - start


def run_case(
    kb: KnowledgeBase,
    queries: list[LabelledQuery],
    typed_queries: list[str],
    workdir: Path,
    baseline_build: bool,
) -> Case:
    """Build (both ways if asked), then measure quality, keystrokes and updates."""
    whoosh_s = None
    if baseline_build:
        with whoosh_path():
            whoosh_s = timed_build(kb, workdir / "whoosh")
        shutil.rmtree(workdir / "whoosh", ignore_errors=True)
    build_s = timed_build(kb, workdir / "index")
    synonyms, generic = read_word_lists(SYNONYMS)
    searcher = IndexSearcher(
        indexer.ensure_index(kb, workdir / "index"), kb, synonyms, generic=generic
    )
    keys = timed(lambda text: searcher.search(text, 10), keystrokes(typed_queries))

    def ids(text: str, limit: int) -> list[str]:
        return [hit.id for hit in searcher.search(text, limit)]

    quality = evaluate(ids, queries)
    halves = (evaluate(ids, queries[0::2]), evaluate(ids, queries[1::2]))
    updates = time_updates(searcher, kb)
    searcher.close()
    shutil.rmtree(workdir / "index", ignore_errors=True)
    return Case(len(kb.articles), build_s, whoosh_s, quality, halves, keys, updates)


def report(case: Case, base: Case) -> None:
    """One block of figures, against the sample KB's case."""
    q, b = case.quality, base.quality
    print(f"\n{case.articles:,} articles")
    print(
        f"  quality: top-1 {q.top1:.1%} ({(q.top1 - b.top1) * 100:+.1f} points), "
        f"top-3 {q.top3:.1%} ({(q.top3 - b.top3) * 100:+.1f}), MRR {q.mrr:.3f} "
        f"({q.mrr - b.mrr:+.3f}); halves top-1 {case.halves[0].top1:.1%} / "
        f"{case.halves[1].top1:.1%}"
    )
    p95, base_p95 = pct(case.keys, 0.95), pct(base.keys, 0.95)
    print(
        f"  keystrokes: {len(case.keys)}, p50 {statistics.median(case.keys):.2f} ms, "
        f"p95 {p95:.2f} ms ({p95 / base_p95:.1f}x the sample's), max {max(case.keys):.1f} ms"
    )
    build = f"  full build {case.build_s:.1f} s"
    if case.whoosh_build_s is not None:
        build += (
            f"; through Whoosh's generic path {case.whoosh_build_s:.1f} s "
            f"(ours {case.build_s / case.whoosh_build_s:.2f}x)"
        )
    print(build)
    print(
        f"  single-article update: median {statistics.median(case.updates):.1f} ms, "
        f"max {max(case.updates):.1f} ms"
    )
    if case is not base:
        misses = [m.query.q for m in case.quality.misses if m.query not in _missed(base)]
        print(f"  missed here, not on the sample KB: {misses}")


def _missed(case: Case) -> set[LabelledQuery]:
    return {m.query for m in case.quality.misses}


def main() -> None:
    """Every size in turn; the sample KB first (it is every ratio's baseline)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="61,20000,100000")
    parser.add_argument("--baseline-build-up-to", type=int, default=20000)
    parser.add_argument(
        "--sample-large", type=int, default=80, help="labelled queries typed above 5,000 articles"
    )
    args = parser.parse_args()
    queries = parse_queries(yaml.safe_load(QUERIES.read_text(encoding="utf-8")))
    sizes = sorted({61, *(int(s) for s in args.sizes.split(","))})
    workdir = Path(tempfile.mkdtemp(prefix="lotse-scale-"))
    base: Case | None = None
    try:
        for size in sizes:
            start = time.perf_counter()
            kb = load(ROOT / "kb") if size <= 61 else generate(size)
            print(f"\n[{size:,}: KB ready in {time.perf_counter() - start:.1f} s]", flush=True)
            typed = [q.q for q in queries]
            if size > 5000:
                typed = random.Random(3).sample(typed, min(args.sample_large, len(typed)))
            case = run_case(kb, queries, typed, workdir, size <= args.baseline_build_up_to)
            base = base or case
            report(case, base)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
