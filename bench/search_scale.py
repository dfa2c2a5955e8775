"""Benchmark: the search at scale with municipality layers, against the sample KB and Whoosh's
own build path.

Run: nice -n 10 .venv/bin/python bench/search_scale.py [--sizes 20000,100000]
         [--baseline-build-up-to 25000] [--sample-large 80] [--flat]
Each size is a KB written by bench/kbgen.py's `write_layered`: the sample KB (with Kreis
Musterland) plus generated base articles and one generated town per 2,000 documents, each town
with its own offices, versions of a tenth of the base (three in five with their own text, so an
index document of their own) and 40 local services; sized so that the index holds about that
many documents. `--flat` generates base articles only, as before issue 16. The sample KB
(`kb/`) is measured first in the same run: it is every ratio's baseline.
Per KB:
- load: `kb.loader.load` of the written folder (no parse cache);
- full build (analysis, Whoosh segment, sidecars) and, up to --baseline-build-up-to documents,
  the same KB built through Whoosh's generic path (its tokenizer and pool, lengths read back
  from disk, no word cache), as the build was before issue 16;
- quality: top-1, top-3 and MRR of the labelled set tests/fixtures/search/queries.yaml (with
  the central word file, as the console searches) without a municipality (the base), for the
  home town, for Beispielheim and for a generated town, in points against the sample KB;
- per-keystroke latency: the labelled queries typed one character at a time (a random sample
  above 5,000 documents), each prefix one search of 10 hits for a generated town (the
  sample KB: Beispielheim), impact cache cold at the start: p50, p95, max, and p95 against
  the sample KB's;
- single-article update in place (`IndexSearcher.update`: the base document and its towns'
  versions): median and max of 5.
The console's memory at scale: bench/console_startup.py --articles N.
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
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import yaml
from kbgen import generate, write, write_layered
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
#: A generated town (bench/kbgen.py) and a town of the sample district.
TOWN, SAMPLE_TOWN = "gen-town-000", "beispielheim"


@dataclass
class Case:
    """The figures of one KB."""

    name: str
    documents: int
    load_s: float
    build_s: float
    whoosh_build_s: float | None
    quality: dict[str, EvalReport] = field(default_factory=dict)
    keys: list[float] = field(default_factory=list)
    updates: list[float] = field(default_factory=list)


class _PlainTerms:
    """Analysis without the build's word cache (the build before issue 16)."""

    def __init__(self, vocab: frozenset[str]) -> None:
        self.vocab = vocab

    def analyze(self, text: str) -> str:
        return analyze(text, self.vocab)


@contextmanager
def whoosh_path() -> Iterator[None]:
    """Build through Whoosh's generic path: tokenizer, pool and length reads, no word cache."""
    with (
        mock.patch.object(indexer, "TermCache", _PlainTerms),
        mock.patch.object(indexer, "use_known_lengths", lambda writer, lengths: None),
        mock.patch.object(indexer, "use_compact_pool", lambda writer: None),
        mock.patch.object(indexer, "PreAnalyzedText", TEXT),
    ):
        yield


def timed_build(kb: KnowledgeBase, index_dir: Path) -> float:
    """Seconds for a full build (the index is closed again)."""
    start = time.perf_counter()
    build_index(kb, index_dir).index.close()
    return time.perf_counter() - start


def run_case(name: str, kb_dir: Path, args: argparse.Namespace, workdir: Path) -> Case:
    """Load, build (both ways if asked), then quality, keystrokes and updates."""
    start = time.perf_counter()
    kb = load(kb_dir)
    load_s = time.perf_counter() - start
    documents = sum(1 for _ in indexer.versions(kb))
    whoosh_s = None
    if documents <= args.baseline_build_up_to:
        with whoosh_path():
            whoosh_s = timed_build(kb, workdir / "whoosh")
        shutil.rmtree(workdir / "whoosh", ignore_errors=True)
    build_s = timed_build(kb, workdir / "index")
    case = Case(name, documents, load_s, build_s, whoosh_s)
    synonyms, generic = read_word_lists(SYNONYMS)
    files = indexer.ensure_index(kb, workdir / "index")
    searcher = IndexSearcher(files, kb, synonyms, generic=generic)
    queries = parse_queries(yaml.safe_load(QUERIES.read_text(encoding="utf-8")))
    typed = [q.q for q in queries]
    if documents > 5000:
        typed = random.Random(3).sample(typed, min(args.sample_large, len(typed)))
    town = TOWN if TOWN in kb.municipalities else SAMPLE_TOWN
    case.keys = timed(lambda text: searcher.search(text, 10, town), keystrokes(typed))
    for place in (None, kb.home_municipality, SAMPLE_TOWN, TOWN):
        if place is None or place in kb.municipalities:
            case.quality[place or "base"] = quality(searcher, queries, place)
    case.updates = time_updates(searcher, kb)
    searcher.close()
    shutil.rmtree(workdir / "index", ignore_errors=True)
    return case


def quality(searcher: IndexSearcher, queries: list[LabelledQuery], place: str | None) -> EvalReport:
    """The labelled set searched for one municipality (None: the base)."""
    return evaluate(lambda text, n: [hit.id for hit in searcher.search(text, n, place)], queries)


def report(case: Case, base: Case) -> None:
    """One block of figures, against the sample KB's case."""
    print(f"\n{case.name}: {case.documents:,} index documents, loaded in {case.load_s:.1f} s")
    reference = base.quality["base"]
    for place, q in case.quality.items():
        print(
            f"  quality {place:>14}: top-1 {q.top1:.1%} ({(q.top1 - reference.top1) * 100:+.1f} "
            f"points), top-3 {q.top3:.1%} ({(q.top3 - reference.top3) * 100:+.1f}), "
            f"MRR {q.mrr:.3f} ({q.mrr - reference.mrr:+.3f})"
        )
    missed = {m.query for m in reference.misses}
    new = [m.query.q for m in case.quality["base"].misses if m.query not in missed]
    print(f"  missed here, not on the sample KB: {new}")
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


def main() -> None:
    """The sample KB, then every size in turn."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--baseline-build-up-to", type=int, default=25000)
    parser.add_argument(
        "--sample-large", type=int, default=80, help="labelled queries typed above 5,000 articles"
    )
    parser.add_argument("--flat", action="store_true", help="no generated towns")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lotse-scale-"))
    try:
        base = run_case("sample KB", ROOT / "kb", args, workdir)
        report(base, base)
        for size in (int(s) for s in args.sizes.split(",")):
            start = time.perf_counter()
            kb_dir = workdir / f"kb-{size}"
            if args.flat:
                write(generate(size), kb_dir)
                made = f"{size:,} articles, flat"
            else:
                made = str(write_layered(size, kb_dir, towns=max(1, size // 2000)))
            print(f"\n[{made}: written in {time.perf_counter() - start:.1f} s]", flush=True)
            report(run_case(f"generated {size:,}", kb_dir, args, workdir), base)
            shutil.rmtree(kb_dir, ignore_errors=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
