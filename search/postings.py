"""Reads postings and field lengths from a Whoosh index: the one place that knows its internals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from itertools import accumulate
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
            for ids, weights in _blocks(matcher):
                pairs = zip(ids, weights, strict=True)
                if deleted:
                    out += [(doc + offset, tf) for doc, tf in pairs if doc not in deleted]
                elif offset:
                    out += [(doc + offset, tf) for doc, tf in pairs]
                else:
                    out += pairs  # the common case, at C speed: the first segment, no deletions
        return out

    def doc_frequency(self, field: str, term: str) -> int:
        """How many documents hold `term` in `field` (deleted ones included until a merge)."""
        return int(self._reader.doc_frequency(field, term))

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a document."""
        fields: dict[str, Any] = self._reader.stored_fields(docnum)
        return fields


def _blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(docnums, weights) of a matcher's postings, a block at a time where Whoosh allows."""
    if type(matcher) is W3LeafMatcher:
        # Fast path: whole blocks at a time (Whoosh's own per-posting calls cost ~2 µs each),
        # decoded here: Whoosh undoes the delta coding of the ids with a Python generator and
        # expands constant weights likewise (1.3 µs a posting at 100,000 documents).
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            ids, weights = matcher._data[0], matcher._data[1]
            if not matcher._byteids:
                ids = list(accumulate(ids))
            if weights is None or isinstance(weights, float):
                weights = [1.0 if weights is None else weights] * len(ids)
            yield ids, weights
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():  # any other matcher: the generic, slower path
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights
