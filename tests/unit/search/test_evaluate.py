"""Quality figures from a labelled set, and validation of the set."""

from __future__ import annotations

import pytest

from search.confidence_eval import judge_queries
from search.evaluate import LabelledQuery, evaluate, parse_queries, parts
from search.exceptions import QuerySetError


def test_figures_from_ranks() -> None:
    answers = {"a": ["x", "y"], "b": ["y", "x"], "c": ["z", "w", "u", "x"], "d": []}
    queries = [LabelledQuery(q, "x") for q in "abcd"]
    report = evaluate(lambda text, limit: answers[text][:limit], queries)
    assert (report.top1, report.top3) == (0.25, 0.5)
    assert report.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 4)
    assert [(m.query.q, m.rank) for m in report.misses] == [("b", 2), ("c", 4), ("d", None)]
    assert "top-1  25.0%" in report.summary()


def test_unanswerable_entries_and_parts_are_read() -> None:
    queries = parse_queries(
        [{"q": "a", "id": "x", "part": "tuning"}, {"q": "b", "id": None, "part": "held-out"},
         {"q": "c", "id": "y"}]
    )  # fmt: skip
    assert [q.id for q in queries] == ["x", None, "y"]
    assert {name: [q.q for q in part] for name, part in parts(queries).items()} == {
        "tuning": ["a"], "held-out": ["b"]
    }  # fmt: skip
    report = evaluate(lambda text, limit: ["x", "y"], queries)
    assert report.total == 2 and report.top1 == 0.5  # the unanswerable entry is not ranked


def test_confidence_figures_from_labels() -> None:
    hits = {
        "a": [("x", True)],  # answerable, right and high
        "b": [("y", True), ("x", True)],  # answerable, wrong top but high
        "c": [("x", False)],  # answerable, right but low
        "n1": [("x", False), ("y", False)],  # no answer, nothing high: right
        "n2": [("x", False), ("y", True)],  # no answer, a high hit: wrong
        "n3": [],  # no answer, no hit: right
    }
    queries = [LabelledQuery(q, "x") for q in "abc"] + [
        LabelledQuery(q, None) for q in hits if q[0] == "n"
    ]
    report = judge_queries(lambda text, limit: hits[text], queries)
    assert (report.answerable, report.unanswerable) == (3, 3)
    assert report.top_high == pytest.approx(2 / 3)
    assert report.right_and_high == pytest.approx(1 / 3)
    assert report.no_high == pytest.approx(2 / 3)
    assert [(w.query.q, w.top, w.high) for w in report.wrong] == [
        ("c", "x", False),
        ("n2", "y", True),
    ]
    assert "no high hit  66.7% (n=3)" in report.summary()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "x"},
        [{"q": "x"}],
        [{"q": 1, "id": "a"}],
        ["x"],
        [{"q": "x", "id": "a", "part": 1}],
    ],
)
def test_malformed_query_sets_are_refused(data: object) -> None:
    with pytest.raises(QuerySetError):
        parse_queries(data)
