"""`SqlStore`: the shared SQL of both backends, assembled from the query modules."""

from __future__ import annotations

from calllog.store.bulk import BulkLoading
from calllog.store.call_reads import CallReads
from calllog.store.feedback import FeedbackQueries
from calllog.store.migrate import Migrations
from calllog.store.purge import Purging
from calllog.store.usage import UsageQueries


class SqlStore(Migrations, BulkLoading, CallReads, FeedbackQueries, Purging, UsageQueries):
    """The store over a DB-API connection; the subclasses supply connection and types.

    Each part lives in its own module: migrations (migrate), call writes (calls), call
    reads with the public `read()` session (call_reads), tickets, bulk loading, feedback,
    the purge, article usage and staffed time; the connection hooks are in `StoreBase`.
    """
