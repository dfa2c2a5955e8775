"""The PostgreSQL backend (psycopg 3): reconnects, schema check, COPY for bulk loads."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from calllog.exceptions import RecordRefused, SchemaOutdated, StoreError, StoreUnavailable
from calllog.models import CallRecord
from calllog.store.access import Access, LoginAdmin
from calllog.store.failures import Failure, postgres_failure
from calllog.store.schema import DEFAULT_ZONE, _Dialect
from calllog.store.sql import SqlStore
from calllog.store.urls import scrub

if TYPE_CHECKING:
    import psycopg

#: How long the purge waits for transactions older than it before it rewrites the tables.
WIPE_WAIT = 120.0
#: The older transactions the wipe waits for: any holding a transaction id from before it
#: (anywhere on the server), or one in this database whose snapshot began before it.
_OLDER_TRANSACTIONS = (
    "SELECT pg_snapshot_xmin(pg_current_snapshot()) < %(xid)s OR EXISTS ("
    " SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND xact_start < %(began)s)"
)

_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: Any) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return str(value)


def _store_error(exc: psycopg.Error) -> StoreError:
    """The call-log error for a psycopg error, classified by SQLSTATE (see `failures`).

    A server's message is reduced to its primary text: the DETAIL of a constraint
    violation may quote the row, with a caller's number.
    """
    state = exc.sqlstate
    if not state:
        return StoreUnavailable(f"lost the call log database: {exc}".strip())
    text = exc.diag.message_primary or type(exc).__name__
    failure = postgres_failure(state)
    if failure is Failure.RECORD:
        return RecordRefused(f"the call log database refused it ({state}): {text}")
    if failure is Failure.UNAVAILABLE:
        return StoreUnavailable(f"the call log database cannot take it now ({state}): {text}")
    return StoreError(f"call log database ({state}): {text}")


class PostgresStore(LoginAdmin, SqlStore):
    """A call log shared by a centre's workstations in PostgreSQL (psycopg 3).

    The connection is opened on first use and re-opened after it was lost; while the
    server cannot be reached every operation raises StoreUnavailable.
    """

    dialect = _Dialect("postgresql")

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = False,
        check_schema: bool = True,
        zone: str = DEFAULT_ZONE,
        connect_timeout: int = 5,
    ) -> None:
        super().__init__(zone)
        self.url = url
        self._auto_migrate = migrate
        self._check_schema = check_schema
        self._fresh = False  # bulk loading: the current batch holds only new calls
        self._connect_timeout = connect_timeout
        self._conn: psycopg.Connection[Any] | None = None
        self._access: Access | None = None

    @property
    def login(self) -> str:
        """The login the URL names, as libpq picks it (the URL, PGUSER, the OS user)."""
        import getpass
        import os

        from psycopg.conninfo import conninfo_to_dict

        try:
            user = conninfo_to_dict(self.url).get("user")
        except Exception:  # a broken URL fails on connect, with its own message
            user = None
        return str(user or os.environ.get("PGUSER") or getpass.getuser())

    def access(self) -> Access:
        """The login and what the database lets it do (asked once per connection)."""
        with self._lock:
            self._connection()
            if self._access is None:
                raise SchemaOutdated("the call log has no roles yet; run `lotse db upgrade`")
            return self._access

    def _connection(self) -> psycopg.Connection[Any]:
        import psycopg

        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self._connect_timeout)
            conn.execute("SET TIME ZONE 'UTC'")
        except psycopg.Error as exc:  # libpq quotes pieces of a mistyped URL: never the password
            text = scrub(str(exc), self.url)
            reason = "; ".join(line.strip() for line in text.splitlines() if line.strip())
            raise StoreUnavailable(f"cannot reach the call log database: {reason}") from None
        self._conn = conn
        try:
            if self._auto_migrate:
                self.migrate()
            elif self._check_schema and self.pending_versions():
                raise SchemaOutdated("the call log schema is outdated; run `lotse db upgrade`")
            self._learn_access(conn)
        except BaseException:
            self._conn = None  # check again on the next connection
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[psycopg.Cursor[Any]]:
        import psycopg

        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            except psycopg.Error as exc:
                error = _store_error(exc)
                if conn.broken or not isinstance(error, RecordRefused):
                    # Never reuse a connection after anything but a refused record: it
                    # may be half-dead, or read-only after a fail-over; the next
                    # operation connects afresh.
                    self._conn = None
                    with contextlib.suppress(psycopg.Error):
                        conn.close()
                raise error from exc

    def _learn_access(self, conn: psycopg.Connection[Any]) -> None:
        """Ask who this login is here; an agent reads through the masking views."""
        found = conn.execute("SELECT to_regprocedure('calllog_access_role()') IS NOT NULL")
        if not (row := found.fetchone()) or not row[0]:
            self._access = None  # no roles yet (being upgraded)
            return
        login, role = conn.execute("SELECT current_user, calllog_access_role()").fetchone() or (
            "",
            "",
        )
        self._access = Access(str(login), str(role))
        agent = role == "agent"
        self._calls_from = "my_calls" if agent else "calls"
        self._callbacks_from = "my_callbacks" if agent else "callbacks"

    def _reads_personal(self) -> bool:
        return self._calls_from != "my_calls"

    def _caller_clause(self) -> str:
        if self._calls_from == "my_calls":  # an agent may not read numbers, only match them
            return "call_id IN (SELECT calllog_my_calls_from(:number))"
        return super()._caller_clause()

    def _after_migrations(self, cur: Any) -> None:
        """Grants, policies and views anew, so columns added by a migration are covered."""
        cur.execute("SELECT to_regprocedure('calllog_apply_access()') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT calllog_apply_access()")

    def _has_table(self, cur: Any, name: str) -> bool:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return bool(cur.fetchone()[0])

    def analyze(self) -> None:
        """VACUUM ANALYZE the tables (statistics and visibility map; after bulk loads)."""
        with self._lock:
            conn = self._connection()  # autocommit: VACUUM cannot run in a transaction
            for table in ("calls", "call_topics", "call_searches", "callbacks", "staffed_time"):
                conn.execute(f"VACUUM ANALYZE {table}")

    def _lock_schema(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(115005)")

    def _run_script(self, cur: Any, script: str) -> None:
        cur.execute(script.encode())

    def _for_update(self) -> str:
        return " FOR UPDATE"

    def _time_out(self, value: datetime | None) -> datetime | None:
        return value

    def _time_in(self, value: Any) -> datetime | None:
        return value if isinstance(value, datetime) else None

    def _day_out(self, value: date) -> date:
        return value

    def _bulk_batch(self, batch: list[CallRecord], now: datetime) -> int:
        with self._lock:
            self._fresh = not self._any_stored([r.call_id for r in batch])
            return super()._bulk_batch(batch, now)

    def _any_stored(self, call_ids: list[str]) -> bool:
        with self._transaction() as cur:
            cur.execute("SELECT 1 FROM calls WHERE call_id = ANY(%s) LIMIT 1", (call_ids,))
            return cur.fetchone() is not None

    def _bulk_rows(
        self, cur: Any, table: str, columns: Sequence[str], rows: list[dict[str, Any]], key: str
    ) -> None:
        """COPY straight in when the batch is all new, else via a temporary table."""
        if not rows:
            return
        names = ", ".join(columns)
        if self._fresh and table not in ("callbacks", "staffed_time"):
            target = table
        else:
            target = f"stage_{table}"
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table}) ON COMMIT DELETE ROWS"
            )
        with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for start in range(0, len(rows), 1000):
                copy.write(
                    "".join(
                        "\t".join([_copy_field(row[c]) for c in columns]) + "\n"
                        for row in rows[start : start + 1000]
                    )
                )
        if target != table:
            cur.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {target}"
                f" ON CONFLICT ({key}) DO NOTHING"
            )

    def _wipe(self, tables: tuple[str, ...]) -> bool:
        """Rewrite the changed tables (VACUUM FULL): a plain VACUUM frees dead rows for
        reuse but leaves their bytes in the pages. Needs the tables' owner; False if not."""
        import psycopg

        if not tables:
            return True
        with self._lock:
            conn = self._connection()
            try:
                owner = conn.execute(
                    "SELECT bool_and(pg_has_role(current_user, relowner, 'USAGE'))"
                    " FROM pg_class WHERE oid = ANY(%s::regclass[])",
                    (list(tables),),
                ).fetchone()
                if not (owner and owner[0]) or not self._older_transactions_ended(conn):
                    return False
                for table in tables:  # names from the purge, not from input
                    conn.execute(f"VACUUM (FULL, ANALYZE) {table}")
            except psycopg.Error as exc:
                self._conn = None
                with contextlib.suppress(psycopg.Error):
                    conn.close()
                raise _store_error(exc) from exc
        return True

    def _older_transactions_ended(self, conn: Any, wait: float = WIPE_WAIT) -> bool:
        """Wait until no transaction older than the purge can see the rows it changed.

        VACUUM FULL keeps a deleted row version while any transaction may still see it: one in
        this database with an older snapshot, or one anywhere on the server holding an older
        transaction id (every later snapshot's horizon stays behind it, VACUUM's own too). The
        old values would stay in the rewritten files. False if they do not end within `wait`.
        """
        row = conn.execute(
            "SELECT pg_current_xact_id(), clock_timestamp()"  # an id newer than all running
        ).fetchone()
        since = {"xid": row[0], "began": row[1]}
        deadline = time.monotonic() + wait
        while (busy := conn.execute(_OLDER_TRANSACTIONS, since).fetchone()) and busy[0]:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
