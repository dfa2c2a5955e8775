"""Quality figures from a labelled set, and validation of the set."""

from __future__ import annotations

import pytest

from search.evaluate import LabelledQuery, evaluate, parse_queries
from search.exceptions import QuerySetError


def test_figures_from_ranks() -> None:
    answers = {"a": ["x", "y"], "b": ["y", "x"], "c": ["z", "w", "u", "x"], "d": []}
    queries = [LabelledQuery(q, "x") for q in "abcd"]
    report = evaluate(lambda text, limit: answers[text][:limit], queries)
    assert (report.top1, report.top3) == (0.25, 0.5)
    assert report.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 4)
    assert [(m.query.q, m.rank) for m in report.misses] == [("b", 2), ("c", 4), ("d", None)]
    assert "top-1  25.0%" in report.summary()


@pytest.mark.parametrize("data", [None, {"q": "x"}, [{"q": "x"}], [{"q": 1, "id": "a"}], ["x"]])
def test_malformed_query_sets_are_refused(data: object) -> None:
    with pytest.raises(QuerySetError):
        parse_queries(data)
