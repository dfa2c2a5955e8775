"""A fake Searcher for the console's UI tests: substring matching over given titles."""

from __future__ import annotations

from collections.abc import Iterable

from search.analysis import fold
from search.protocol import Hit


class FakeSearcher:
    """Deterministic in-memory searcher; records every query it was asked."""

    def __init__(
        self, articles: Iterable[tuple[str, str]], suggestions: dict[str, str] | None = None
    ) -> None:
        """Args: articles: (id, title) pairs; suggestions: query -> "Meinten Sie" text."""
        self.articles = list(articles)
        self.suggestions = dict(suggestions or {})
        self.queries: list[str] = []

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        """Articles whose folded id or title contains every folded word of `text`."""
        self.queries.append(text)
        words = fold(text).split()
        if not words:
            return []
        hits = [
            Hit(id=article_id, title=title, score=1.0, matched_fields=("title",))
            for article_id, title in self.articles
            if all(w in fold(f"{article_id} {title}") for w in words)
        ]
        return hits[:limit]

    def suggest(self, text: str) -> str | None:
        """The configured suggestion for `text`, if any."""
        return self.suggestions.get(text)
