"""Benchmark: loading N articles (default 5,000) with the libyaml loader vs the pure-Python one.

Run: .venv/bin/python bench/kb_load.py [--articles 5000] [--repeat 5]
Also measured: the same loads with the parse cache (kb/parse_cache.py), cold and warm.
The sample articles are copied under new ids into a temporary KB; each round loads the
whole KB (YAML parse + validation + reference checks). The baseline in the same run is the
same loader forced onto PyYAML's pure-Python parser.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from kb import loader, yaml_strict

SAMPLE = Path(__file__).resolve().parent.parent / "kb"


def make_kb(target: Path, count: int) -> None:
    """Copy the sample offices, and the sample articles cycled under new ids, into target."""
    shutil.copytree(SAMPLE / "offices", target / "offices")
    (target / "articles").mkdir()
    sources = sorted((SAMPLE / "articles").glob("*.yaml"))
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        new_id = f"{source.stem}-{n:05d}"
        text = text.replace(f"id: {source.stem}\n", f"id: {new_id}\n", 1)
        (target / "articles" / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def timed_loads(root: Path, repeat: int, cache: Path | None = None) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        kb = loader.load(root, cache)
        times.append(time.perf_counter() - start)
        assert not kb.errors, kb.errors[:3]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_kb(root, args.articles)
        fast = timed_loads(root, args.repeat)
        cache = root / "parse-cache.marshal"
        cold = timed_loads(root, 1, cache)  # fills the cache
        warm = timed_loads(root, args.repeat, cache)
        fast_composer = yaml_strict.COMPOSER
        yaml_strict.COMPOSER = yaml_strict.composer(yaml.SafeLoader)  # pure-Python baseline
        try:
            slow = timed_loads(root, max(1, args.repeat // 2))
        finally:
            yaml_strict.COMPOSER = fast_composer
    fast_median, slow_median = statistics.median(fast), statistics.median(slow)
    print(f"articles: {args.articles}")
    print(f"libyaml loader:     median {fast_median:.3f} s  (min {min(fast):.3f} s)")
    print(f"  with parse cache: cold {cold[0]:.3f} s, warm median {statistics.median(warm):.3f} s")
    print(f"pure-Python loader: median {slow_median:.3f} s  (min {min(slow):.3f} s)")
    print(f"speed-up: {slow_median / fast_median:.1f}x")


if __name__ == "__main__":
    main()
