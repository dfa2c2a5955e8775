"""The call-log store: one interface, SQLite and PostgreSQL backends; the only SQL in calllog.

`open_store(url)` opens a backend; `SqlStore` holds the SQL both share (split by job
over the modules of this package); `SqliteOutbox` is the local queue of writes for the
shared database. Writes merge by owner (`calllog.merge`); reports read through the
public `SqlStore.read()` session (`ReadSession`).
"""

from calllog.store.access import ROLES, Access, check_login_name
from calllog.store.call_reads import ReadSession
from calllog.store.calls import WriteResult
from calllog.store.migrate import (
    RETIRED,
    _migration_scripts,
    gaps_explained,
    known_versions,
    latest_version,
)
from calllog.store.opener import _sqlite_path, open_store
from calllog.store.outbox_db import OutboxEntry, SqliteOutbox
from calllog.store.postgres import PostgresStore, _copy_field
from calllog.store.protocol import CallStore
from calllog.store.schema import (
    _PERSONAL,
    _TIME_COLUMNS,
    _UPSERT_FEEDBACK,
    _UPSERT_TICKET,
    CALL_COLUMNS,
    DEFAULT_ZONE,
    FEEDBACK_COLUMNS,
    SEARCH_COLUMNS,
    TICKET_COLUMNS,
    TOPIC_COLUMNS,
    UNANSWERED_SEARCH,
    _Dialect,
    _rows,
)
from calllog.store.sql import SqlStore
from calllog.store.sqlite import SqliteStore

__all__ = [
    "CALL_COLUMNS",
    "DEFAULT_ZONE",
    "FEEDBACK_COLUMNS",
    "RETIRED",
    "ROLES",
    "SEARCH_COLUMNS",
    "TICKET_COLUMNS",
    "TOPIC_COLUMNS",
    "UNANSWERED_SEARCH",
    "_PERSONAL",
    "_TIME_COLUMNS",
    "_UPSERT_FEEDBACK",
    "_UPSERT_TICKET",
    "Access",
    "CallStore",
    "OutboxEntry",
    "PostgresStore",
    "ReadSession",
    "SqlStore",
    "SqliteOutbox",
    "SqliteStore",
    "WriteResult",
    "_Dialect",
    "_copy_field",
    "_migration_scripts",
    "_rows",
    "_sqlite_path",
    "check_login_name",
    "gaps_explained",
    "known_versions",
    "latest_version",
    "open_store",
]
