"""Files and folders with personal data are the owner's only, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_console.commands.console import logs_to_file
from calllog.models import CallRecord
from calllog.outbox import open_call_log
from calllog.store import SqliteStore


def mode(path: Path) -> int:
    """The permission bits of `path`."""
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The widest umask: everything created would be world-readable unless set explicitly."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_call_log_outbox_and_their_companions_are_created_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "lotse"
    calllog = open_call_log(f"sqlite:///{folder / 'calls.db'}", folder / "outbox.db")
    at = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    calllog.upsert_call(CallRecord("c1", "service115", at, caller_number="+49 234 1"))
    calllog.outbox.append("call", "c2", {"call_id": "c2"})
    names = ["calls.db", "calls.db-wal", "calls.db-shm", "outbox.db", "outbox.db-wal",
             "outbox.db-shm"]  # fmt: skip
    assert {n: mode(folder / n) for n in names} == dict.fromkeys(names, 0o600)
    assert mode(folder) == 0o700
    calllog.close()


@pytest.mark.usefixtures("open_umask")
def test_a_wider_file_from_an_older_version_is_narrowed_on_open(tmp_path: Path) -> None:
    path = tmp_path / "calls.db"
    SqliteStore(path).close()
    os.chmod(path, 0o644)
    SqliteStore(path).close()
    assert mode(path) == 0o600


@pytest.mark.usefixtures("open_umask")
def test_the_console_log_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "lotse" / "console.log"
    with logs_to_file(path):
        logging.getLogger("test").warning("call log refused call X")
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)
