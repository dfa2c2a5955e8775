"""Store failures are classified by SQLSTATE and SQLite result code, never by message."""

from __future__ import annotations

import pytest

from calllog.store.failures import Failure, postgres_failure, sqlite_failure


@pytest.mark.parametrize(
    ("sqlstate", "failure"),
    [
        ("23505", Failure.RECORD),  # unique violation
        ("23514", Failure.RECORD),  # check violation
        ("22001", Failure.RECORD),  # string data right truncation
        ("22P02", Failure.RECORD),  # invalid text representation
        ("44000", Failure.RECORD),  # WITH CHECK OPTION
        ("42501", Failure.RECORD),  # row-level security: another agent's row
        ("54000", Failure.RECORD),  # row too large for an index
        ("25006", Failure.UNAVAILABLE),  # read-only transaction (fail-over)
        ("57P01", Failure.UNAVAILABLE),  # admin shutdown / terminated backend
        ("57P03", Failure.UNAVAILABLE),  # cannot connect now (starting up)
        ("08006", Failure.UNAVAILABLE),  # connection failure
        ("53100", Failure.UNAVAILABLE),  # disk full
        ("53300", Failure.UNAVAILABLE),  # too many connections
        ("40001", Failure.UNAVAILABLE),  # serialisation failure
        ("40P01", Failure.UNAVAILABLE),  # deadlock
        ("55P03", Failure.UNAVAILABLE),  # lock not available
        ("58030", Failure.UNAVAILABLE),  # I/O error
        ("XX000", Failure.UNAVAILABLE),  # internal error
        ("28P01", Failure.UNAVAILABLE),  # password failed (a login being fixed)
        ("42P01", Failure.OTHER),  # undefined table: schema not upgraded yet
        ("42703", Failure.OTHER),  # undefined column
        ("0A000", Failure.OTHER),  # feature not supported
        (None, Failure.UNAVAILABLE),  # no answer from the server at all
        ("", Failure.UNAVAILABLE),
    ],
)
def test_postgres_failures_by_sqlstate(sqlstate: str | None, failure: Failure) -> None:
    assert postgres_failure(sqlstate) is failure


@pytest.mark.parametrize(
    ("code", "failure"),
    [
        (19, Failure.RECORD),  # SQLITE_CONSTRAINT
        (2067, Failure.RECORD),  # SQLITE_CONSTRAINT_UNIQUE (extended)
        (275, Failure.RECORD),  # SQLITE_CONSTRAINT_CHECK
        (18, Failure.RECORD),  # SQLITE_TOOBIG
        (13, Failure.UNAVAILABLE),  # SQLITE_FULL
        (5, Failure.UNAVAILABLE),  # SQLITE_BUSY
        (517, Failure.UNAVAILABLE),  # SQLITE_BUSY_SNAPSHOT
        (10, Failure.UNAVAILABLE),  # SQLITE_IOERR
        (3850, Failure.UNAVAILABLE),  # SQLITE_IOERR_... (extended)
        (8, Failure.UNAVAILABLE),  # SQLITE_READONLY
        (1, Failure.OTHER),  # SQLITE_ERROR (e.g. no such table)
        (None, Failure.OTHER),
    ],
)
def test_sqlite_failures_by_result_code(code: int | None, failure: Failure) -> None:
    assert sqlite_failure(code) is failure
