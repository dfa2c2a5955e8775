"""Which store failures are about the record and which are passing (pure).

PostgreSQL errors are classified by their SQLSTATE (class = its first two characters),
SQLite errors by their primary result code, never by message text. Only a failure that
the same write would meet again (a constraint, bad data, a row this login may not write)
refuses the record; every other failure is passing and the write is retried later.
"""

from __future__ import annotations

from enum import StrEnum


class Failure(StrEnum):
    """What a failed store operation means for a write."""

    RECORD = "record"
    """The server refuses this record; retrying the same write cannot help."""
    UNAVAILABLE = "unavailable"
    """The server cannot take work now (connection, read-only, full, restarting)."""
    OTHER = "other"
    """Anything else (e.g. an outdated schema): not the record's fault, retried."""


#: SQLSTATE classes about the record: 22 data exception, 23 integrity constraint
#: violation, 44 WITH CHECK OPTION violation.
RECORD_CLASSES = frozenset({"22", "23", "44"})
#: Single SQLSTATEs about the record: 42501 insufficient privilege (row-level security
#: refuses a row of another agent), 54000 program limit exceeded (e.g. a row too large).
RECORD_STATES = frozenset({"42501", "54000"})
#: SQLSTATE classes of a server that cannot work now: 08 connection exception,
#: 25 invalid transaction state (25006: read-only during a fail-over), 28 invalid
#: authorization, 40 transaction rollback (serialisation, deadlock), 53 insufficient
#: resources (disk full, out of memory, too many connections), 55 object not in
#: prerequisite state (lock not available), 57 operator intervention (shutdown,
#: restart, terminated backend), 58 system error (I/O), F0 configuration file error,
#: XX internal error.
UNAVAILABLE_CLASSES = frozenset({"08", "25", "28", "40", "53", "55", "57", "58", "F0", "XX"})

#: SQLite primary result codes about the record: TOOBIG, CONSTRAINT, MISMATCH.
SQLITE_RECORD = frozenset({18, 19, 20})
#: SQLite primary result codes of a file that cannot work now: BUSY, LOCKED, NOMEM,
#: READONLY, INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL, SCHEMA.
SQLITE_UNAVAILABLE = frozenset({5, 6, 7, 8, 9, 10, 13, 14, 15, 17})


def postgres_failure(sqlstate: str | None) -> Failure:
    """What a PostgreSQL error with this SQLSTATE means (None: no answer from the server)."""
    if not sqlstate:
        return Failure.UNAVAILABLE  # the client lost or never had a connection
    if sqlstate in RECORD_STATES or sqlstate[:2] in RECORD_CLASSES:
        return Failure.RECORD
    if sqlstate[:2] in UNAVAILABLE_CLASSES:
        return Failure.UNAVAILABLE
    return Failure.OTHER


def sqlite_failure(code: int | None) -> Failure:
    """What an SQLite error with this (extended) result code means."""
    if code is None:
        return Failure.OTHER
    primary = code & 0xFF
    if primary in SQLITE_RECORD:
        return Failure.RECORD
    if primary in SQLITE_UNAVAILABLE:
        return Failure.UNAVAILABLE
    return Failure.OTHER
