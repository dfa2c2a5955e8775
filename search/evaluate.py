"""Search quality as figures: top-1, top-3 and MRR over a labelled query set (pure).

Entries labelled `id: null` are questions the KB cannot answer; they count only in the
confidence figures (`search.confidence_eval`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from search.exceptions import QuerySetError

#: How deep the reciprocal rank looks.
DEPTH = 10

SearchIds = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class LabelledQuery:
    """A query as an agent types it and the article id that must come first."""

    q: str
    id: str | None
    """None: no article of the KB answers the query."""
    part: str = ""
    """`tuning` or `held-out` where the set is split; empty otherwise."""


@dataclass(frozen=True)
class Miss:
    """A query whose article was not first: where it came (None: not in the top 10) and what did."""

    query: LabelledQuery
    rank: int | None
    got: tuple[str, ...]


@dataclass(frozen=True)
class EvalReport:
    """Figures over a query set; shares are 0..1."""

    total: int
    top1: float
    top3: float
    mrr: float
    misses: tuple[Miss, ...]

    def summary(self, name: str = "search") -> str:
        """One line: `name: top-1 93.4 %  top-3 98.9 %  MRR 0.957  (n=364)`."""
        return (
            f"{name}: top-1 {self.top1:6.1%}  top-3 {self.top3:6.1%}  "
            f"MRR {self.mrr:.3f}  (n={self.total})"
        )


def parse_queries(data: object) -> list[LabelledQuery]:
    """Validate a loaded YAML document: a list of `{q: str, id: str | null, part?: str}`."""
    if not isinstance(data, list):
        raise QuerySetError("expected a YAML list of {q, id} mappings")
    out = []
    for index, item in enumerate(data, start=1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("q"), str)
            and "id" in item
            and (item["id"] is None or isinstance(item["id"], str))
            and isinstance(item.get("part", ""), str)
        ):
            raise QuerySetError(
                f"entry {index}: expected a mapping with a string q, an id (string or null)"
                " and an optional string part"
            )
        out.append(LabelledQuery(item["q"], item["id"], item.get("part", "")))
    return out


def parts(queries: Sequence[LabelledQuery]) -> dict[str, list[LabelledQuery]]:
    """The named parts of a set (`tuning`, `held-out`, ...), in order of first appearance."""
    out: dict[str, list[LabelledQuery]] = {}
    for query in queries:
        if query.part:
            out.setdefault(query.part, []).append(query)
    return out


def evaluate(search: SearchIds, queries: Sequence[LabelledQuery]) -> EvalReport:
    """Run every answerable query and measure where its article ranks."""
    queries = [q for q in queries if q.id is not None]
    top1 = top3 = 0
    reciprocal = 0.0
    misses = []
    for query in queries:
        got = tuple(search(query.q, DEPTH))
        rank = got.index(query.id) + 1 if query.id in got else None
        if rank == 1:
            top1 += 1
        else:
            misses.append(Miss(query, rank, got[:3]))
        if rank is not None:
            top3 += rank <= 3
            reciprocal += 1 / rank
    n = len(queries) or 1
    return EvalReport(len(queries), top1 / n, top3 / n, reciprocal / n, tuple(misses))
