"""Whoosh internals on the write path, wrapped once: pre-analysed fields, known field lengths.

`search.indexer` (the only index writer) uses these to build an index faster than Whoosh's
generic path allows; the postings and lengths written are the same.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from whoosh.fields import TEXT
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter


class PreAnalyzedText(TEXT):
    """A text field of terms already analysed and joined by spaces (`TermCache.analyze`).

    Whoosh's own path sends such a string through a tokenizer that makes an object per word;
    counting the words directly gives the same postings (term, frequency, weight) at a
    fraction of the cost.
    """

    def index(self, value: str, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded frequency) per distinct term, as Whoosh expects."""
        for term, freq in Counter(value.split()).items():
            yield term.encode("utf-8"), freq, float(freq), pack_uint(freq)


def term_count(analysed: str) -> int:
    """How many terms a pre-analysed field holds: the length Whoosh records for it."""
    return analysed.count(" ") + 1 if analysed else 0


class KnownLengths:
    """The field lengths of a new segment's documents, from memory.

    On commit Whoosh asks the length of every posting's document from the segment's files,
    one read per posting (a fifth of a full build); the build counted them already. Lengths
    are rounded through Whoosh's one-byte encoding, as a read from the files would give them.
    """

    def __init__(self, reader: Any, lengths: Mapping[str, Sequence[int]]) -> None:
        """Answer for `lengths` (field -> length per docnum); anything else goes to `reader`."""
        self._reader = reader
        self._lengths = {
            name: [byte_to_length(length_to_byte(n)) if n else 0 for n in values]
            for name, values in lengths.items()
        }

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """The length of a field of a document (`default` when it has none)."""
        values = self._lengths.get(fieldname)
        if values is None or docnum >= len(values):
            return int(self._reader.doc_field_length(docnum, fieldname, default))
        return values[docnum] or default

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def use_known_lengths(writer: Any, lengths: Mapping[str, Sequence[int]]) -> None:
    """Make a fresh index's segment writer take its field lengths from `lengths` on commit."""
    if type(writer) is not SegmentWriter:
        return  # any other writer: Whoosh's own (slower) path

    def per_document_reader() -> KnownLengths:
        return KnownLengths(SegmentWriter.per_document_reader(writer), lengths)

    writer.per_document_reader = per_document_reader


class CompactPool:
    """A fresh build's postings in memory, two 4-byte numbers each, in place of Whoosh's pool.

    Whoosh's pool keeps each posting as a tuple and, past its memory limit, pickles sorted runs
    to disk and merges them back (a third of a build at 20,000 documents). A build adds its
    documents in order, so each term's postings arrive sorted; only the terms need sorting.
    """

    def __init__(self, replaced: Any) -> None:
        """Stand in for `replaced` (cleaned up with this pool)."""
        self._replaced = replaced
        self.fieldnames: set[str] = set()
        self._postings: dict[tuple[str, bytes], tuple[array[int], array[int]]] = {}
        self._values: list[tuple[float, bytes]] = []
        self._value_ids: dict[tuple[float, bytes], int] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        """One posting: (field, term, docnum, weight, encoded value)."""
        fieldname, term, docnum, weight, encoded = item
        postings = self._postings.get((fieldname, term))
        if postings is None:
            postings = self._postings[(fieldname, term)] = (array("i"), array("i"))
            self.fieldnames.add(fieldname)
        value = (weight, encoded)
        value_id = self._value_ids.get(value)
        if value_id is None:
            value_id = self._value_ids[value] = len(self._values)
            self._values.append(value)
        postings[0].append(docnum)
        postings[1].append(value_id)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Every posting, sorted by field, term and docnum, as Whoosh's pool yields them."""
        values = self._values
        for key in sorted(self._postings):
            fieldname, term = key
            docnums, value_ids = self._postings[key]
            for docnum, value_id in zip(docnums, value_ids, strict=True):
                weight, encoded = values[value_id]
                yield fieldname, term, docnum, weight, encoded

    def cleanup(self) -> None:
        """Drop the postings (and whatever the replaced pool left)."""
        self._postings.clear()
        self._replaced.cleanup()


def use_compact_pool(writer: Any) -> None:
    """Make a fresh index's segment writer keep its postings in a `CompactPool`."""
    if type(writer) is SegmentWriter:
        writer.pool = CompactPool(writer.pool)
