"""Call log, call-back tickets and the shared store (SQLite or PostgreSQL).

The console writes through `open_call_log(url, outbox)`: the store behind a local outbox
(`BufferedStore`, writes only; it reads from `.store`). `open_store("sqlite:///:memory:")`
is the in-memory store for tests and UI snapshots.
"""

from calllog.exceptions import CallLogError, NotFound, StoreError, StoreUnavailable
from calllog.models import (
    ArticleFeedback,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    SearchQuery,
    Topic,
)
from calllog.outbox import BufferedStore, open_call_log
from calllog.store import CallStore, open_store

__all__ = [
    "ArticleFeedback",
    "BufferedStore",
    "CallLogError",
    "CallRecord",
    "CallStore",
    "CallbackStatus",
    "CallbackTicket",
    "FeedbackKind",
    "FeedbackStatus",
    "NotFound",
    "Outcome",
    "SearchQuery",
    "StoreError",
    "StoreUnavailable",
    "Topic",
    "open_call_log",
    "open_store",
]
