"""The SQLite backend: one file in WAL mode."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from calllog.exceptions import RecordRefused, StoreError, StoreUnavailable
from calllog.store.access import Access
from calllog.store.failures import Failure, sqlite_failure
from calllog.store.schema import DEFAULT_ZONE, _Dialect
from calllog.store.sql import SqlStore
from calllog.store.sqlite_file import connect_private, wipe


def sqlite_error(exc: sqlite3.Error, path: str) -> StoreError:
    """The call-log error for an SQLite error, classified by its result code."""
    failure = sqlite_failure(getattr(exc, "sqlite_errorcode", None))
    if failure is Failure.RECORD or isinstance(exc, sqlite3.IntegrityError):
        return RecordRefused(f"{path}: refused the record: {exc}")
    if failure is Failure.UNAVAILABLE:
        return StoreUnavailable(f"{path}: cannot take it now: {exc}")
    return StoreError(f"{path}: {exc}")


class SqliteStore(SqlStore):
    """A call log in one SQLite file (WAL mode); the default for a single workstation."""

    dialect = _Dialect("sqlite")

    def __init__(self, path: str | Path, *, migrate: bool = True, zone: str = DEFAULT_ZONE) -> None:
        super().__init__(zone)
        self.path = str(path)
        try:
            self._conn = connect_private(self.path)
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the call log: {exc}") from exc
        if migrate:
            self.migrate()

    @contextlib.contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise sqlite_error(exc, self.path) from exc
                raise
            finally:
                cur.close()

    def _run_script(self, cur: Any, script: str) -> None:
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                cur.execute(statement)
                statement = ""

    def access(self) -> Access:
        """No logins: the file's owner is its only user, and the settings decide the role."""
        return Access(None, None)

    def _has_table(self, cur: Any, name: str) -> bool:
        found = cur.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return found.fetchone() is not None

    def _time_out(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")  # fixed width, so text order is time order

    def _time_in(self, value: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)

    def _day_out(self, value: date) -> str:
        return value.isoformat()

    def _wipe(self, tables: tuple[str, ...]) -> bool:
        """Removed rows out of the file and the WAL (secure delete did the pages)."""
        with self._lock:
            try:
                return wipe(self._conn)
            except sqlite3.Error as exc:
                raise sqlite_error(exc, self.path) from exc

    def close(self) -> None:
        """Close the database file."""
        self._conn.close()
