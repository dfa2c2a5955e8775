"""An SQLite file with personal data: owner-only, secure delete, WAL; wiped after a purge."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from calllog.private_files import narrow_existing, private_file

#: SQLite's `auto_vacuum` value for INCREMENTAL (free pages can be cut off the file).
_INCREMENTAL = 2


def connect_private(path: str) -> sqlite3.Connection:
    """Open (or create 0600) an SQLite file with secure delete and incremental vacuum.

    `secure_delete` overwrites removed content with zeros; `auto_vacuum = INCREMENTAL`
    takes effect in a new file at once and in an older one at its first `wipe`.
    """
    if path != ":memory:":
        private_file(Path(path))
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA auto_vacuum = {_INCREMENTAL}")
    conn.execute("PRAGMA journal_mode = WAL")
    if path != ":memory:":
        narrow_existing(Path(path + "-wal"), Path(path + "-shm"))
    return conn


def secure_delete_on(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build zeroes removed content (it may be compiled out)."""
    row = conn.execute("PRAGMA secure_delete").fetchone()
    return bool(row and row[0])


def wipe(conn: sqlite3.Connection) -> bool:
    """Make removed rows physically gone from the file and its WAL; must run outside a transaction.

    Free pages are cut off the file (incremental vacuum; an older file without it, or a
    build without secure delete, is rewritten once with VACUUM), then the WAL is copied
    into the file and truncated to zero bytes. Returns False when a reader of another
    connection kept the WAL from being truncated (it holds old pages until the next wipe).
    """
    mode = conn.execute("PRAGMA auto_vacuum").fetchone()[0]
    if mode != _INCREMENTAL or not secure_delete_on(conn):
        conn.execute(f"PRAGMA auto_vacuum = {_INCREMENTAL}")
        conn.execute("VACUUM")
    else:
        conn.execute("PRAGMA incremental_vacuum").fetchall()
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy
