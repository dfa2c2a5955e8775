"""Search quality as a figure: the labelled query set against the sample KB and two baselines."""

from __future__ import annotations

import yaml

from kb.loader import KnowledgeBase
from search.baselines import Bm25Baseline, FuzzyBaseline
from search.evaluate import LabelledQuery, evaluate, parse_queries
from search.searcher import IndexSearcher
from tests.conftest import SHARED, skip_unless_ci

from .conftest import QUERIES

TOP1 = 0.92
TOP3 = 0.98


def labelled() -> list[LabelledQuery]:
    return parse_queries(yaml.safe_load(QUERIES.read_text(encoding="utf-8")))


def test_query_set_covers_every_service_of_the_kb(sample_kb: KnowledgeBase) -> None:
    queries = labelled()
    assert len(queries) >= 250
    assert {q.id for q in queries} == set(sample_kb.articles)
    coverage = SHARED / "kb-coverage.yaml"
    if not coverage.is_file():
        skip_unless_ci(f"{coverage} not available")
    services = yaml.safe_load(coverage.read_text(encoding="utf-8"))
    assert {q.id for q in queries} == set(services)


def test_search_beats_targets_and_both_baselines(
    searcher: IndexSearcher, sample_kb: KnowledgeBase
) -> None:
    queries = labelled()
    ours = evaluate(lambda text, n: [h.id for h in searcher.search(text, n)], queries)
    bm25 = evaluate(Bm25Baseline(sample_kb).search_ids, queries)
    fuzzy = evaluate(FuzzyBaseline(sample_kb).search_ids, queries)
    print(
        "\n"
        + "\n".join(
            r.summary(n) for n, r in [("lotse", ours), ("bm25", bm25), ("rapidfuzz", fuzzy)]
        )
    )
    for miss in ours.misses:
        print(f"  miss: {miss.query.q!r} -> {miss.query.id} at {miss.rank}, got {miss.got}")
    assert ours.top1 >= TOP1, ours.summary()
    assert ours.top3 >= TOP3, ours.summary()
    assert ours.top1 > fuzzy.top1 and ours.top1 > bm25.top1
    assert ours.mrr > fuzzy.mrr and ours.mrr > bm25.mrr
