"""`open_store(url)`: the backend a URL names."""

from __future__ import annotations

from calllog.exceptions import UnsupportedUrl
from calllog.store.postgres import PostgresStore
from calllog.store.schema import DEFAULT_ZONE
from calllog.store.sql import SqlStore
from calllog.store.sqlite import SqliteStore
from calllog.store.urls import redact_url


def _sqlite_path(url: str) -> str:
    rest = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
    if not rest:
        raise UnsupportedUrl(f"not a SQLite URL with a path: {redact_url(url)!r}")
    return rest


def open_store(url: str, *, migrate: bool | None = None, zone: str = DEFAULT_ZONE) -> SqlStore:
    """Open the store a URL names: `sqlite:///path/calls.db` or `postgresql://user@host/db`.

    `migrate=None` (the default): a SQLite store is migrated on open; a PostgreSQL store
    is contacted on first use and raises SchemaOutdated if it needs `lotse db upgrade`.
    `migrate=True` migrates either now; `migrate=False` leaves the schema alone.
    """
    if url.startswith("sqlite:"):
        return SqliteStore(_sqlite_path(url), migrate=migrate is not False, zone=zone)
    if url.startswith(("postgresql://", "postgres://")) and migrate is False:
        return PostgresStore(url, check_schema=False, zone=zone)
    if url.startswith(("postgresql://", "postgres://")):
        store = PostgresStore(url, migrate=bool(migrate), zone=zone)
        if migrate:
            store.migrate()
        return store
    raise UnsupportedUrl(
        f"unsupported store URL (use sqlite:/// or postgresql://): {redact_url(url)!r}"
    )
