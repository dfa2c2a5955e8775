"""The outbox file (SQLite): writes waiting for the call log, in order, and those it refused."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from calllog.store.sqlite_file import connect_private, wipe

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL, queued_at TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)",
    "CREATE TABLE IF NOT EXISTS outbox_rejected (seq INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,"
    " queued_at TEXT NOT NULL, error TEXT NOT NULL, rejected_at TEXT)",
)
#: Columns added since the first outbox files (table, column, definition).
_ADDED = (
    ("outbox", "attempts", "INTEGER NOT NULL DEFAULT 0"),
    ("outbox", "last_error", "TEXT"),
    ("outbox_rejected", "rejected_at", "TEXT"),
)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One write: `kind` is `call`, `callback`, `outcome` or `feedback`; JSON payload.

    A queued entry carries its failed `attempts` and the last error; a rejected one the
    reason the call log refused it in `error`.
    """

    seq: int
    kind: str
    key: str
    payload: dict[str, Any]
    queued_at: str = ""
    attempts: int = 0
    error: str | None = None


class SqliteOutbox:
    """A local, durable FIFO of writes for the call log, with a list of refused ones."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn = connect_private(self.path)
        for statement in _SCHEMA:
            self._conn.execute(statement)
        for table, column, definition in _ADDED:
            names = {row[1] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in names:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    # -- the queue -------------------------------------------------------------------------
    def append(self, kind: str, key: str, payload: dict[str, Any]) -> int:
        """Queue a write; returns its sequence number."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO outbox (kind, key, payload, queued_at) VALUES (?, ?, ?, ?)",
                (kind, key, json.dumps(payload), _now()),
            )
            return int(cur.lastrowid or 0)

    def peek(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest queued writes, in order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, kind, key, payload, queued_at, attempts, last_error FROM outbox"
                " ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [OutboxEntry(s, k, key, json.loads(p), q, a, e) for s, k, key, p, q, a, e in rows]

    def entries(self) -> list[OutboxEntry]:
        """Every queued write, in order."""
        return self.peek(limit=-1)

    def note_failure(self, seq: int, error: str) -> None:
        """Count a failed delivery of a queued write; it stays queued."""
        with self._lock:
            self._conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                (error, seq),
            )

    def remove(self, seq: int) -> None:
        """Drop a delivered write."""
        with self._lock:
            self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def replace(self, seq: int, payload: dict[str, Any]) -> None:
        """Rewrite a queued payload (used by the purge)."""
        with self._lock:
            self._conn.execute(
                "UPDATE outbox SET payload = ? WHERE seq = ?", (json.dumps(payload), seq)
            )

    def state(self, seq: int) -> str | None:
        """`queued`, `rejected`, or None once delivered."""
        with self._lock:
            for table, name in (("outbox", "queued"), ("outbox_rejected", "rejected")):
                found = self._conn.execute(f"SELECT 1 FROM {table} WHERE seq = ?", (seq,))
                if found.fetchone() is not None:
                    return name
        return None

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    # -- refused writes --------------------------------------------------------------------
    def reject(self, seq: int, error: str) -> None:
        """Move a write the call log refused to the rejected list, with the reason."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO outbox_rejected (seq, kind, key, payload, queued_at, error,"
                    " rejected_at) SELECT seq, kind, key, payload, queued_at, ?, ? FROM outbox"
                    " WHERE seq = ?",
                    (error, _now(), seq),
                )
                self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def reject_new(self, kind: str, key: str, payload: dict[str, Any], error: str) -> int:
        """Keep a write the call log refused at once (it was never queued); returns its number."""
        with self._lock:
            seq = self.append(kind, key, payload)
            self.reject(seq, error)
            return seq

    def rejected(self) -> int:
        """How many writes the call log refused (kept until retried or purged)."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox_rejected").fetchone()[0])

    def rejected_entries(self) -> list[OutboxEntry]:
        """Every refused write with its reason, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, kind, key, payload, queued_at, error FROM outbox_rejected ORDER BY seq"
            ).fetchall()
        return [OutboxEntry(s, k, key, json.loads(p), q, 0, e) for s, k, key, p, q, e in rows]

    def requeue(self, seqs: list[int] | None = None) -> int:
        """Put refused writes (all, or those numbered) back at the end of the queue."""
        with self._lock:
            chosen = [e for e in self.rejected_entries() if seqs is None or e.seq in set(seqs)]
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for entry in chosen:
                    self._conn.execute(
                        "INSERT INTO outbox (kind, key, payload, queued_at) VALUES (?, ?, ?, ?)",
                        (entry.kind, entry.key, json.dumps(entry.payload), entry.queued_at),
                    )
                    self._conn.execute("DELETE FROM outbox_rejected WHERE seq = ?", (entry.seq,))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            return len(chosen)

    def replace_rejected(self, seq: int, payload: dict[str, Any], error: str) -> None:
        """Rewrite a refused payload and its reason (used by the purge)."""
        with self._lock:
            self._conn.execute(
                "UPDATE outbox_rejected SET payload = ?, error = ? WHERE seq = ?",
                (json.dumps(payload), error, seq),
            )

    # -- the file --------------------------------------------------------------------------
    def wipe(self) -> bool:
        """Removed entries physically out of the file and its WAL (see `sqlite_file.wipe`)."""
        with self._lock:
            return wipe(self._conn) if self.path != ":memory:" else True

    def close(self) -> None:
        """Close the outbox file."""
        self._conn.close()


def _now() -> str:
    return datetime.now(UTC).isoformat()
