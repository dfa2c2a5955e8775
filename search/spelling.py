"""The index lexicon: prefix completion and typo correction with rapidfuzz (pure)."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: Most completions one unfinished word expands to (most frequent terms first).
MAX_COMPLETIONS = 12


def max_edits(length: int) -> int:
    """Edits allowed for a word of `length` letters: 0 below 5, 1 from 5, 2 from 9 (Meilisearch)."""
    if length >= 9:
        return 2
    return 1 if length >= 5 else 0


@dataclass
class Lexicon:
    """Indexed terms with their document frequency, sorted for prefix search."""

    freq: dict[str, int] = field(default_factory=dict)
    _sorted: list[str] = field(default_factory=list, repr=False)
    _by_length: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _heads: dict[int, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Lexicon:
        """A lexicon from term -> document frequency."""
        lexicon = cls(dict(counts))
        lexicon._sorted = sorted(lexicon.freq)
        for term in lexicon._sorted:
            lexicon._by_length.setdefault(len(term), []).append(term)
        return lexicon

    def __contains__(self, term: object) -> bool:
        return term in self.freq

    def __len__(self) -> int:
        return len(self.freq)

    def add(self, terms: Iterable[str]) -> None:
        """Count one more document for each term (single-article updates)."""
        for term in set(terms):
            if term not in self.freq:
                bisect.insort(self._sorted, term)
                self._by_length.setdefault(len(term), []).append(term)
                self._heads.clear()
            self.freq[term] = self.freq.get(term, 0) + 1

    def complete(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
        """Terms starting with `prefix`, most frequent first; none for prefixes under 2 letters."""
        if len(prefix) < 2:
            return []
        lo = bisect.bisect_left(self._sorted, prefix)
        hi = bisect.bisect_left(self._sorted, prefix + "\uffff", lo)
        if hi - lo <= limit:
            return sorted(self._sorted[lo:hi], key=lambda t: (-self.freq[t], t))
        return heapq.nsmallest(limit, self._sorted[lo:hi], key=lambda t: (-self.freq[t], t))

    def correct(
        self, word: str, budget: int | None = None, limit: int = 3
    ) -> list[tuple[str, int]]:
        """Nearest terms within `budget` edits (default: by `word`'s length), best first.

        Returns (term, edits) pairs; a transposition counts as one edit (OSA distance).
        """
        budget = max_edits(len(word)) if budget is None else budget
        if budget == 0:
            return []
        choices: list[str] = []
        for length in range(len(word) - budget, len(word) + budget + 1):
            choices.extend(self._by_length.get(length, ()))
        found = process.extract(
            word, choices, scorer=OSA.distance, score_cutoff=budget, limit=limit * 4
        )
        ranked = sorted(((t, int(d)) for t, d, _ in found), key=lambda x: (x[1], -self.freq[x[0]]))
        return ranked[:limit]

    def correct_prefix(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
        """Completions of the nearest known prefixes of a misspelt unfinished word.

        Known prefixes one letter shorter or longer count too: a dropped or doubled letter
        shifts the rest of the word ("reispa" is one edit from "reisepa").
        """
        budget = max_edits(len(prefix))
        if budget == 0:
            return []
        found: list[tuple[int | float, list[str]]] = []
        for length in (len(prefix) - 1, len(prefix), len(prefix) + 1):
            heads = self._heads_of(length)
            matches = process.extract(
                prefix, list(heads), scorer=OSA.distance, score_cutoff=budget, limit=4
            )
            found.extend((distance, heads[head]) for head, distance, _ in matches)
        terms: list[str] = []
        for _, group in sorted(found, key=lambda x: x[0])[:4]:
            terms.extend(group)
        return sorted(set(terms), key=lambda t: (-self.freq[t], t))[:limit]

    def _heads_of(self, length: int) -> dict[str, list[str]]:
        heads = self._heads.get(length)
        if heads is None:
            heads = {}
            for term in self._sorted:
                if len(term) >= length:
                    heads.setdefault(term[:length], []).append(term)
            self._heads[length] = heads
        return heads
