"""Fixtures: a fresh, migrated call-log store per test on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator

import pytest

from calllog.models import CallRecord
from calllog.store import SqlStore, _rows, open_store
from tests.conftest import skip_unless_ci

#: The maintenance database of the test server (trust auth, user postgres).
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_available() -> bool:
    """True when the PostgreSQL test server answers."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def drop_roles_of(database: str) -> None:
    """Drop the roles named after a test database: its group roles (migration 0008,
    `<database>_agent`, ...) and the test logins, which tests name `<database>_...`.
    Roles are cluster-wide, so they would outlive the database otherwise."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)"
            " ORDER BY rolcanlogin DESC",  # logins first, then the groups they are in
            (database[:40] + "_",),
        ).fetchall()
        for (role,) in rows:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')  # type: ignore[arg-type]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped afterwards."""
    if not pg_available():
        skip_unless_ci("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"lotse_test_{uuid.uuid4().hex[:12]}"
    _admin(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        drop_roles_of(name)


#: The advisory lock of tests that need the server's connections to themselves (in the
#: maintenance database: advisory locks are per database, and every suite connects there).
ALONE_LOCK = 115_010


@contextlib.contextmanager
def server_alone() -> Iterator[None]:
    """Hold the PostgreSQL server for a test that opens many connections at once.

    A second test suite on the same machine (another checkout, CI) waits here instead of
    pushing the server past max_connections at the same moment.
    """
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (ALONE_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (ALONE_LOCK,))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a fresh database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('calllog') / 'calls.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def make_store(store_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Open (migrated) stores on the test database; all are closed afterwards."""
    opened: list[SqlStore] = []

    def make() -> SqlStore:
        store = open_store(store_url, migrate=True)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[[], SqlStore]) -> SqlStore:
    """A fresh, migrated store."""
    return make_store()


#: The columns of `calls` in schema version 1, for tests that fill an old schema.
V1_CALL_COLUMNS = (
    "call_id", "queue", "agent_id", "caller_number", "caller_name", "language",
    "offered_at", "answered_at", "ended_at", "wrapup_end_at",
    "offered_day", "offered_dow", "offered_hour", "wait_ms", "talk_ms", "wrapup_ms",
    "outcome", "outcome_target", "transfer_mode", "notes", "updated_at", "updated_by",
    "purged_at",
)  # fmt: skip


def insert_v1_call(store: SqlStore, record: CallRecord, topic_outcomes: bool = True) -> None:
    """Write a call and its topics as schema version 1 (or 2, with `topic_outcomes`) held it."""
    params = store._call_params(record, record.updated_at or record.offered_at)
    row = {c: params[c] for c in V1_CALL_COLUMNS}
    topics, _ = store._child_rows(record, params["offered_at"])
    with store._transaction() as cur:
        store._exec(cur, _rows(V1_CALL_COLUMNS, "calls"), row)
        for topic in topics:
            if not topic_outcomes:
                del topic["outcome"]
            store._exec(cur, _rows(list(topic), "call_topics"), topic)
