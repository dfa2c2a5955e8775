"""Benchmark: what municipality layers cost: load, article_for, index build and search.

Run: .venv/bin/python bench/kb_layers.py [--articles 2000] [--towns 10] [--share 0.1]

Builds a KB of N base articles (the sample articles cycled under new ids, as kb_load.py does)
and T towns, each with an office map, two offices of its own and overlays for a share of the
articles: every overlay replaces the fees and the online link, every second one also the short
answer and every fifth the synonyms (those read differently and get an index document of their
own; the others share the base's); plus one local service per town. Measured
in one run against baselines of the same run:

- load: the layered KB vs the same base without municipalities/ (baseline);
- article_for over every (article, town): first call (merge) and again (cached), vs a plain
  dict look-up of the base article (baseline);
- index build: the layered KB (base + versions) vs the flat one (baseline), and documents;
- search per query: p50/p95 with municipality= vs without on the layered index (baseline),
  over the labelled queries' texts.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from kb import loader
from kb.loader import KnowledgeBase
from search.searcher import IndexSearcher

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "kb"
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.yaml"


def make_base(target: Path, count: int) -> list[str]:
    """The sample offices and `count` articles cycled under new ids; returns the ids."""
    shutil.copytree(SAMPLE / "offices", target / "offices")
    (target / "articles").mkdir()
    sources = sorted((SAMPLE / "articles").glob("*.yaml"))
    ids = []
    for n in range(count):
        source = sources[n % len(sources)]
        new_id = f"{source.stem}-{n:05d}"
        text = source.read_text(encoding="utf-8").replace(
            f"id: {source.stem}\n", f"id: {new_id}\n", 1
        )
        (target / "articles" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(new_id)
    return ids


def make_towns(target: Path, ids: list[str], towns: int, share: float) -> int:
    """`towns` municipalities with offices, an office map and overlays; returns overlay count."""
    office = (SAMPLE / "municipalities/ortsdorf/offices/ortsdorf-buergerbuero.yaml").read_text(
        encoding="utf-8"
    )
    local = (SAMPLE / "municipalities/ortsdorf/articles/brennholz-gemeindewald.yaml").read_text(
        encoding="utf-8"
    )
    step = max(1, round(1 / share)) if share > 0 else 0
    written = 0
    for t in range(towns):
        place = f"gemeinde-{t:03d}"
        folder = target / "municipalities" / place
        (folder / "offices").mkdir(parents=True)
        (folder / "articles").mkdir()
        for kind in ("buergerbuero", "ordnungsamt"):
            oid = f"{place}-{kind}"
            text = office.replace("id: ortsdorf-buergerbuero", f"id: {oid}")
            (folder / "offices" / f"{oid}.yaml").write_text(text, encoding="utf-8")
        mapping = {"buergerbuero": f"{place}-buergerbuero", "standesamt": f"{place}-buergerbuero"}
        mapping |= {o: f"{place}-ordnungsamt" for o in ("steueramt", "gewerbeamt", "fundbuero",
                                                        "wahlamt", "abfallwirtschaft")}  # fmt: skip
        municipality = {"id": place, "name": f"Gemeinde {t}", "state": "NW", "offices": mapping}
        (folder / "municipality.yaml").write_text(yaml.safe_dump(municipality), encoding="utf-8")
        lid = f"eigene-leistung-{t:03d}"
        text = local.replace("id: brennholz-gemeindewald", f"id: {lid}")
        text = text.replace("office: ortsdorf-ordnungsamt", f"office: {place}-ordnungsamt")
        (folder / "articles" / f"{lid}.yaml").write_text(text, encoding="utf-8")
        for n, aid in enumerate(ids[t % step :: step] if step else []):
            overlay: dict[str, object] = {
                "id": aid,
                "fees": [{"amount": f"{20 + n % 30}.00", "condition": "in dieser Gemeinde"}],
                "online_service": f"https://gemeinde-{t}.example/{aid}",
            }
            if n % 2 == 0:
                overlay["short_answer"] = f"In der Gemeinde {t} kostet das {20 + n % 30} Euro."
            if n % 5 == 0:
                overlay["synonyms"] = [f"Ortswort{t}x{n}", "Gemeindeservice"]
            (folder / "articles" / f"{aid}.yaml").write_text(
                yaml.safe_dump(overlay, allow_unicode=True), encoding="utf-8"
            )
            written += 1
    return written


def timed_load(root: Path, repeat: int) -> tuple[list[float], KnowledgeBase]:
    times, kb = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        kb = loader.load(root)
        times.append(time.perf_counter() - start)
        assert not kb.errors, kb.errors[:3]
    assert kb is not None
    return times, kb


def per_call_us(fn: Callable[[str, str], object], pairs: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    for aid, place in pairs:
        fn(aid, place)
    return (time.perf_counter() - start) / len(pairs) * 1e6


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--towns", type=int, default=10)
    parser.add_argument(
        "--share", type=float, default=0.1, help="share of articles overlaid per town"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        flat, layered = Path(tmp) / "flat", Path(tmp) / "layered"
        ids = make_base(flat, args.articles)
        shutil.copytree(flat, layered)
        overlays = make_towns(layered, ids, args.towns, args.share)
        flat_times, flat_kb = timed_load(flat, args.repeat)
        layer_times, kb = timed_load(layered, args.repeat)
        places = sorted(kb.municipalities)
        pairs = [(aid, place) for place in places for aid in ids]
        lookup = per_call_us(lambda aid, _: kb.articles.get(aid), pairs)
        first = per_call_us(kb.article_for, pairs)
        again = per_call_us(kb.article_for, pairs)
        start = time.perf_counter()
        flat_search = IndexSearcher.open(flat_kb, Path(tmp) / "flat-index")
        flat_build = time.perf_counter() - start
        flat_docs = len(flat_search._files.hashes)
        flat_search.close()
        start = time.perf_counter()
        searcher = IndexSearcher.open(kb, Path(tmp) / "layered-index", SAMPLE / "synonyms.yaml")
        layer_build = time.perf_counter() - start
        docs = len(searcher._files.hashes)
        texts = [q["q"] for q in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]
        texts = texts[: args.queries]
        searcher.warm_up()
        timings: dict[str, list[float]] = {"none": [], "town": []}
        for n, text in enumerate(texts):
            # The second search of a text finds its terms' impacts cached: alternate the order.
            order = [("none", None), ("town", places[n % len(places)])]
            for key, place in order if n % 2 else order[::-1]:
                start = time.perf_counter()
                searcher.search(text, 10, municipality=place)
                timings[key].append((time.perf_counter() - start) * 1000)
        searcher.close()
    flat_median, layer_median = statistics.median(flat_times), statistics.median(layer_times)
    print(f"base articles: {args.articles}, towns: {args.towns}, overlays: {overlays}")
    print(f"load flat (baseline): median {flat_median:.2f} s")
    print(f"load layered:         median {layer_median:.2f} s ({layer_median / flat_median:.2f}x)")
    print(f"dict look-up (baseline): {lookup:.2f} us per call")
    print(f"article_for first call:  {first:.2f} us per call ({len(pairs)} pairs)")
    print(f"article_for cached:      {again:.2f} us per call")
    print(f"index build flat (baseline): {flat_build:.1f} s, {flat_docs} documents")
    print(f"index build layered:         {layer_build:.1f} s, {docs} documents"
          f" ({layer_build / flat_build:.2f}x)")  # fmt: skip
    for key, label in (("none", "search without municipality (baseline)"),
                       ("town", "search with municipality")):  # fmt: skip
        values = timings[key]
        print(f"{label}: p50 {statistics.median(values):.1f} ms,"
              f" p95 {percentile(values, 0.95):.1f} ms over {len(values)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
