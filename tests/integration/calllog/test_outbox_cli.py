"""`lotse calllog outbox`: waiting and refused writes are listed, exported and retried."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.codec import call_to_dict
from calllog.models import CallRecord
from calllog.store import SqliteOutbox, open_store

NOW = datetime.now(UTC).replace(microsecond=0)


def record(n: int) -> CallRecord:
    """A recent call with a caller number."""
    at = NOW - timedelta(hours=n)
    return CallRecord(f"q{n}", "service115", at, caller_number=f"+49 234 55500{n}", updated_at=at)


@pytest.fixture
def outbox_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An outbox with two waiting calls and one refused, configured for `lotse`."""
    path = tmp_path / "outbox.db"
    monkeypatch.setenv("LOTSE_CALLLOG__OUTBOX", str(path))
    monkeypatch.setenv("LOTSE_CALLLOG__URL", f"sqlite:///{tmp_path / 'calls.db'}")
    outbox = SqliteOutbox(path)
    for n in (1, 2):
        outbox.append("call", f"q{n}", call_to_dict(record(n)))
    outbox.reject_new("call", "q3", call_to_dict(record(3)), "refused (23514): check violated")
    outbox.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `lotse` in-process; returns status, stdout, stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_lists_waiting_and_refused_entries_without_their_data(
    outbox_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "calllog", "outbox")
    assert status == 0
    lines = out.splitlines()
    assert [line.split()[1] for line in lines[1:4]] == ["wartet", "wartet", "abgelehnt"]
    assert "23514" in lines[3] and "q3" in lines[3]
    assert "2 warten, 1 abgelehnt" in lines[-1]
    assert "555" not in out  # no caller number in the listing


def test_export_writes_every_entry_to_an_owner_only_file(
    outbox_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "export.jsonl"
    status, out, _ = run(capsys, "calllog", "outbox", "--export", str(target))
    assert status == 0 and "3 Einträge" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(r["key"], r["status"]) for r in rows] == [
        ("q1", "queued"), ("q2", "queued"), ("q3", "rejected"),
    ]  # fmt: skip
    assert rows[2]["payload"]["caller_number"] == "+49 234 555003"


def test_retry_queues_refused_entries_again_and_delivers_everything(
    outbox_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "calllog", "outbox", "--retry", "99")
    assert status == 2 and "no refused entry numbered 99" in err
    status, out, _ = run(capsys, "calllog", "outbox", "--retry")
    assert status == 0
    assert "1 erneut eingereiht; 3 übertragen, 0 wieder abgelehnt, 0 warten noch" in out
    store = open_store(f"sqlite:///{tmp_path / 'calls.db'}")
    assert store.get_call("q3") == record(3)
    store.close()
    status, out, _ = run(capsys, "calllog", "outbox")
    assert status == 0 and "Zwischenspeicher leer" in out
