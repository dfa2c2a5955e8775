"""A mistyped database URL never shows its password: not in errors, not in logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.exceptions import StoreUnavailable
from calllog.models import CallRecord
from calllog.outbox import open_call_log
from calllog.store import PostgresStore

SECRET = "Geheim-4711"
#: Mistyped URLs: wrong scheme, bad port, bad escape, space, broken IPv6, unknown parameter,
#: password as a parameter, closed port.
MISTYPED = [
    f"postgresq://lotse:{SECRET}@127.0.0.1/lotse",
    f"postgresql://lotse:{SECRET}@127.0.0.1:54x/lotse",
    f"postgresql://lotse:{SECRET}%zz@127.0.0.1/lotse",
    f"postgresql://lotse:{SECRET}  x@127.0.0.1/lotse",
    f"postgresql://lotse:{SECRET}@[::1/lotse",
    f"postgresql://lotse:{SECRET}@127.0.0.1/lotse?foo=bar",
    f"postgresql://lotse@127.0.0.1/lotse?password={SECRET}&sslmode=nope",
    f"postgresql://lotse:{SECRET}@127.0.0.1:1/lotse",
    f"sqlite://lotse:{SECRET}@127.0.0.1/lotse",
]


@pytest.mark.parametrize("url", MISTYPED)
def test_cli_error_is_one_line_without_the_password(
    url: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert main(["calllog", "list", "--db", url]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("lotse: ") and captured.err.count("\n") == 1
    assert SECRET not in captured.out + captured.err + caplog.text


@pytest.mark.parametrize("url", [u for u in MISTYPED if u.startswith("postgresql:")])
def test_queued_writes_log_no_password(
    url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The console's call log: the first write fails and is queued; the log line is clean."""
    calllog = open_call_log(url, tmp_path / "outbox.db")
    try:
        calllog.upsert_call(CallRecord("c1", "service115", datetime(2026, 11, 24, tzinfo=UTC)))
        assert calllog.pending == 1  # type: ignore[union-attr]
    finally:
        calllog.close()
    assert "queueing" in caplog.text and SECRET not in caplog.text


def test_error_chain_holds_no_password() -> None:
    """Nothing chained to the error (a crash report would show it) quotes the URL."""
    store = PostgresStore(f"postgresql://lotse:{SECRET} x@127.0.0.1/lotse")
    with pytest.raises(StoreUnavailable) as caught:
        store.schema_version()
    assert SECRET not in str(caught.value) and caught.value.__cause__ is None
    assert caught.value.__suppress_context__
