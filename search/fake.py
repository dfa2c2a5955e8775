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
        self.municipalities: list[str | None] = []
        """The municipality each query was asked for, in order."""

    def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
        """Articles whose folded id or title contains every folded word of `text` (hits carry
        the municipality asked for)."""
        self.queries.append(text)
        self.municipalities.append(municipality)
        words = fold(text).split()
        if not words:
            return []
        hits = [
            Hit(article_id, title, 1.0, ("title",), municipality=municipality)
            for article_id, title in self.articles
            if all(w in fold(f"{article_id} {title}") for w in words)
        ]
        return hits[:limit]

    def suggest(self, text: str) -> str | None:
        """The configured suggestion for `text`, if any."""
        return self.suggestions.get(text)
