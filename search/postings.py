"""Reads postings and field lengths from a Whoosh index: the one place that knows its internals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from search.scoring import length_norms


class PostingsReader:
    """Term frequencies per document, field by field, from an open Whoosh searcher's reader."""

    def __init__(
        self,
        reader: Any,
        fields: Sequence[str],
        previous: PostingsReader | None = None,
        unaveraged: AbstractSet[int] = frozenset(),
    ) -> None:
        """Read the field lengths of `fields` as BM25 norms (a few ms per 1,000 articles).

        With `previous` (the reader before an in-place update), known documents keep their
        norms and the averages stay as they were; only appended documents are read. Documents
        in `unaveraged` (towns' versions of base articles) get norms but do not count in the
        average length.
        """
        self._reader = reader
        count = reader.doc_count_all()
        self.doc_count = max(1, count)
        self.norms: dict[str, list[float]] = {}
        self._average: dict[str, float] = {}
        for name in fields:
            start = len(previous.norms[name]) if previous else 0
            lengths = [reader.doc_field_length(d, name, 0) or 0 for d in range(start, count)]
            if previous is not None:
                average = previous._average[name]
                self.norms[name] = previous.norms[name] + length_norms(lengths, average)
            else:
                counted = [n for d, n in enumerate(lengths) if d not in unaveraged]
                average = (sum(counted) / len(counted) if counted else 0.0) or 1.0
                self.norms[name] = length_norms(lengths, average)
            self._average[name] = average

    def frequencies(self, field: str, term: str) -> list[tuple[int, float]]:
        """(docnum, term frequency) of every live document holding `term` in `field`."""
        out: list[tuple[int, float]] = []
        for leaf, offset in self._reader.leaf_readers():
            try:
                matcher = leaf.postings(field, term)
            except TermNotFound:
                continue
            deleted: frozenset[int] | set[int] = frozenset()
            if isinstance(matcher, FilterMatcher) and matcher._exclude:
                deleted, matcher = matcher._ids, matcher.child
            out.extend((doc + offset, tf) for doc, tf in _read(matcher) if doc not in deleted)
        return out

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
    while matcher.is_active():  # any other matcher: the generic, slower path
        yield matcher.id(), matcher.weight()
        matcher.next()
