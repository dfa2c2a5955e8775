"""The SQLite backend: one file in WAL mode."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from calllog.exceptions import StoreError
from calllog.store.schema import DEFAULT_ZONE, _Dialect
from calllog.store.sql import SqlStore


class SqliteStore(SqlStore):
    """A call log in one SQLite file (WAL mode); the default for a single workstation."""

    dialect = _Dialect("sqlite")

    def __init__(self, path: str | Path, *, migrate: bool = True, zone: str = DEFAULT_ZONE) -> None:
        super().__init__(zone)
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
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
                    raise StoreError(f"{self.path}: {exc}") from exc
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

    def close(self) -> None:
        """Close the database file."""
        self._conn.close()
