"""The outbox file (SQLite): writes waiting for the shared database, in order."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued write: `kind` is `call`, `callback`, `outcome` or `feedback`; JSON payload."""

    seq: int
    kind: str
    key: str
    payload: dict[str, Any]


class SqliteOutbox:
    """A local, durable FIFO of writes for the shared store (a SQLite file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,"
            " queued_at TEXT NOT NULL)"
        )
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS outbox_rejected (seq INTEGER PRIMARY KEY,"
            " kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,"
            " queued_at TEXT NOT NULL, error TEXT NOT NULL)"
        )

    def append(self, kind: str, key: str, payload: dict[str, Any]) -> int:
        """Queue a write; returns its sequence number."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO outbox (kind, key, payload, queued_at) VALUES (?, ?, ?, ?)",
                (kind, key, json.dumps(payload), datetime.now(UTC).isoformat()),
            )
            return int(cur.lastrowid or 0)

    def peek(self, limit: int = 100) -> list[OutboxEntry]:
        """The oldest queued writes, in order."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, kind, key, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [OutboxEntry(s, k, key, json.loads(p)) for s, k, key, p in rows]

    def entries(self) -> list[OutboxEntry]:
        """Every queued write, in order."""
        return self.peek(limit=-1)

    def reject(self, seq: int, error: str) -> None:
        """Move a write the store refused to the dead letters, with the reason."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT INTO outbox_rejected (seq, kind, key, payload, queued_at, error)"
                " SELECT seq, kind, key, payload, queued_at, ? FROM outbox WHERE seq = ?",
                (error, seq),
            )
            self._conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            self._conn.execute("COMMIT")

    def rejected(self) -> int:
        """How many writes were refused by the store."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox_rejected").fetchone()[0])

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

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        """Close the outbox file."""
        self._conn.close()
