"""Reads postings and field lengths from a Whoosh index: the one place that knows its internals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from search.scoring import length_norms


class PostingsReader:
    """Term frequencies per document, field by field, from an open Whoosh searcher's reader."""

    def __init__(self, reader: Any, fields: Sequence[str]) -> None:
        """Read the field lengths of `fields` once, as BM25 norms (a few ms per 1,000 articles)."""
        self._reader = reader
        self.doc_count = max(1, reader.doc_count_all())
        self.norms: dict[str, list[float]] = {}
        for name in fields:
            count = reader.doc_count_all()
            lengths = [reader.doc_field_length(d, name, 0) or 0 for d in range(count)]
            average = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
            self.norms[name] = length_norms(lengths, average)

    def frequencies(self, field: str, term: str) -> list[tuple[int, float]]:
        """(docnum, term frequency) of every live document holding `term` in `field`."""
        try:
            matcher = self._reader.postings(field, term)
        except TermNotFound:
            return []
        return list(_read(matcher))

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents hold `term` in `field` (deleted ones included until a merge)."""
        return int(self._reader.doc_frequency(field, term))

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a document."""
        fields: dict[str, Any] = self._reader.stored_fields(docnum)
        return fields


def _read(matcher: Any) -> Iterator[tuple[int, float]]:
    if type(matcher) is W3LeafMatcher:
        # Fast path: whole blocks at a time (Whoosh's own per-posting calls cost ~2 µs each).
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            yield from zip(matcher._ids, matcher._weights, strict=True)
            matcher._next_block()
        return
    while matcher.is_active():  # segments with deletions, several segments: the generic path
        yield matcher.id(), matcher.weight()
        matcher.next()
