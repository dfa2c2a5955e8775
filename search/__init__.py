"""German full-text and typo-tolerant search over the knowledge base."""

from search.exceptions import IndexUnavailable, QuerySetError, SearchError, SynonymError
from search.fake import FakeSearcher
from search.indexer import IndexStatus
from search.protocol import Hit, Searcher
from search.searcher import IndexSearcher

__all__ = [
    "FakeSearcher",
    "Hit",
    "IndexSearcher",
    "IndexStatus",
    "IndexUnavailable",
    "QuerySetError",
    "SearchError",
    "Searcher",
    "SynonymError",
]
