"""Search errors; the hierarchy is here at the top.

SearchError
├── IndexUnavailable   the index cannot be opened, built or written
├── QuerySetError      a labelled query file is malformed
└── SynonymError       the central synonym file is malformed
"""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search package raises."""


class IndexUnavailable(SearchError):
    """The index directory cannot be read or written (permissions, disk full)."""


class QuerySetError(SearchError):
    """A labelled query set is not a list of `{q, id}` mappings."""


class SynonymError(SearchError):
    """The central synonym file is not `{groups: [[word, ...], ...]}`."""
