"""Confidence as figures: does the search say "no answer" exactly when the KB has none? (pure)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from search.evaluate import DEPTH, LabelledQuery

#: (article id, hit is high) pairs, best first.
SearchJudged = Callable[[str, int], Sequence[tuple[str, bool]]]


@dataclass(frozen=True)
class Wrong:
    """A query the confidence got wrong, with the top hit (None: no hit) and its confidence."""

    query: LabelledQuery
    top: str | None
    high: bool


@dataclass(frozen=True)
class ConfidenceReport:
    """Shares (0..1) over the answerable and the unanswerable queries of a set."""

    answerable: int
    top_high: float
    """Answerable queries whose top hit is high."""
    right_and_high: float
    """Answerable queries whose top hit is their article and high."""
    unanswerable: int
    no_high: float
    """Unanswerable queries without any high hit."""
    wrong: tuple[Wrong, ...]
    """Answerable queries with a low (or no) top hit; unanswerable ones with a high hit."""

    def summary(self, name: str = "confidence") -> str:
        """One line with both sides; a side without queries is left out."""
        sides = []
        if self.answerable:
            sides.append(
                f"answerable: top hit high {self.top_high:6.1%}, right and high"
                f" {self.right_and_high:6.1%} (n={self.answerable})"
            )
        if self.unanswerable:
            sides.append(f"unanswerable: no high hit {self.no_high:6.1%} (n={self.unanswerable})")
        return f"{name}: " + "; ".join(sides or ["no queries"])


def judge_queries(search: SearchJudged, queries: Sequence[LabelledQuery]) -> ConfidenceReport:
    """Run every query and check the confidence of its hits against its label."""
    top_high = right_high = no_high = 0
    wrong = []
    answerable = [q for q in queries if q.id is not None]
    unanswerable = [q for q in queries if q.id is None]
    for query in answerable:
        hits = search(query.q, DEPTH)
        top, high = hits[0] if hits else (None, False)
        top_high += high
        right_high += high and top == query.id
        if not high:
            wrong.append(Wrong(query, top, high))
    for query in unanswerable:
        hits = search(query.q, DEPTH)
        confident = [aid for aid, high in hits if high]
        if confident:
            wrong.append(Wrong(query, confident[0], True))
        else:
            no_high += 1
    return ConfidenceReport(
        len(answerable),
        top_high / (len(answerable) or 1),
        right_high / (len(answerable) or 1),
        len(unanswerable),
        no_high / (len(unanswerable) or 1),
        tuple(wrong),
    )
