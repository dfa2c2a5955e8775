"""What the articles were used for in a period (public read API for the editors' `kb stats`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from calllog.store.base import StoreBase
from calllog.store.schema import UNANSWERED_SEARCH

#: Most distinct unanswered search texts read for one period.
MAX_UNANSWERED = 5000


@dataclass(frozen=True)
class ArticleUsage:
    """Per article: calls with it as topic by outcome, and agents' flags; plus searches without
    a hit (the call log's raw figures; `kb stats` combines them with the KB)."""

    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    """article id -> outcome (`resolved`, ..., `open` while the call is going on) -> calls."""
    feedback: dict[str, dict[str, int]] = field(default_factory=dict)
    """article id -> feedback status (`open`, `done`) -> flags created in the period."""
    unanswered: tuple[tuple[str, int], ...] = ()
    """(search text, times) of searches that found nothing, most frequent first."""


class UsageQueries(StoreBase):
    """The SQL behind `article_usage`."""

    def article_usage(self, since: datetime, until: datetime) -> ArticleUsage:
        """Topics, flags and searches without a hit of calls offered in [since, until)."""
        params: dict[str, Any] = {
            "since": self._time_out(since),
            "until": self._time_out(until),
            "limit": MAX_UNANSWERED,
        }
        period = "offered_at >= :since AND offered_at < :until"
        collate = ' COLLATE "C"' if self.dialect.name == "postgresql" else ""  # code-point ties
        outcomes: dict[str, dict[str, int]] = defaultdict(dict)
        feedback: dict[str, dict[str, int]] = defaultdict(dict)
        with self._transaction(write=False) as cur:
            for article, outcome, n in self._exec(
                cur,
                "SELECT article_id, coalesce(outcome, 'open'), count(*) FROM call_topics"
                f" WHERE {period} GROUP BY article_id, outcome",
                params,
            ).fetchall():
                outcomes[str(article)][str(outcome)] = int(n)
            for article, status, n in self._exec(
                cur,
                "SELECT article_id, status, count(*) FROM article_feedback"
                " WHERE created_at >= :since AND created_at < :until GROUP BY article_id, status",
                params,
            ).fetchall():
                feedback[str(article)][str(status)] = int(n)
            searches = self._exec(
                cur,
                f"SELECT query, count(*) AS n FROM call_searches WHERE {period}"
                f" AND {UNANSWERED_SEARCH} GROUP BY query ORDER BY n DESC, query{collate}"
                " LIMIT :limit",
                params,
            ).fetchall()
        unanswered = tuple((str(q), int(n)) for q, n in searches)
        return ArticleUsage(dict(outcomes), dict(feedback), unanswered)
