"""What the console depends on: the `Searcher` protocol and the `Hit` it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from kb.hours import OpenState

Confidence = Literal["high", "low"]
"""`high`: the article covers the query's specific words; `low`: it shares only generic words
or part of them ("vielleicht"). See `search.confidence`."""


@dataclass(frozen=True)
class Hit:
    """One search result, best first in a list."""

    id: str
    """Article id."""
    title: str
    score: float
    """Fused relevance; comparable within one result list only."""
    matched_fields: tuple[str, ...] = ()
    """Index fields that matched (`title`, `synonyms`, `short_answer`, ...), for highlighting."""
    matched_terms: tuple[str, ...] = ()
    """Analysed terms that matched; `search.analysis.highlight_spans` maps them onto text."""
    office_id: str | None = None
    office_name: str | None = None
    open_state: OpenState | None = field(default=None, compare=False)
    """Is the responsible office open now (computed at query time)? None without an office."""
    confidence: Confidence = "high"
    """Whether the article covers what the query names; no hit `high`: the KB has no answer."""
    municipality: str | None = None
    """Whose version this is (`KnowledgeBase.article_for(id, municipality)`); None: the base."""
    local_fields: frozenset[str] = frozenset()
    """Fields that version sets itself (`KnowledgeBase.local_fields`); empty for the base."""

    @property
    def high(self) -> bool:
        """True for a hit the search is confident of."""
        return self.confidence == "high"


class Searcher(Protocol):
    """Search-as-you-type over the knowledge base."""

    def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
        """Hits for what was typed so far, best first; never raises for odd input.

        With a municipality, hits are its versions and its services rank before other
        municipalities' own services.
        """
        ...

    def suggest(self, text: str) -> str | None:
        """A corrected query ("Meinten Sie …?") when words were misspelt, else None."""
        ...
