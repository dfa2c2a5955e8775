"""`lotse db upgrade`, `lotse calllog seed|list|purge`, `lotse callbacks` on both backends."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_console.cli import main
from agent_console.commands.calllog import kb_topics
from calllog.callbacks import add_attempt
from calllog.codec import call_to_dict
from calllog.models import (
    AttemptResult,
    CallbackAttempt,
    CallbackStatus,
    CallbackTicket,
    CallRecord,
    Topic,
)
from calllog.store import SqliteOutbox, latest_version, open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `lotse` in-process; returns status, stdout, stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_upgrade_seed_list_purge_and_callbacks(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "db", "upgrade", "--db", store_url)
    latest = latest_version("sqlite" if store_url.startswith("sqlite") else "postgresql")
    assert status == 0 and f"0 → {latest}" in out
    assert "angewendet: 1, 2, 3, 5, 6," in out and "\n  0004: stillgelegt (" in out
    status, out, _ = run(capsys, "db", "upgrade", "--db", store_url)
    assert status == 0 and f"{latest} → {latest} (angewendet: keine)" in out

    status, out, _ = run(capsys, "calllog", "seed", "--calls", "3000", "--db", store_url)
    assert status == 0 and "3000 Anrufe" in out
    store = open_store(store_url)
    assert store.count_calls() == 3000
    tickets = store.list_callbacks(limit=10_000)
    assert tickets and all(t.call_id for t in tickets)

    status, out, _ = run(capsys, "calllog", "list", "--db", store_url, "--limit", "5")
    assert status == 0
    assert len(out.splitlines()) == 6
    newest = store.list_calls(limit=1)[0]
    assert newest.caller_number and newest.caller_number not in out
    assert newest.caller_number[-2:] in out and "•" in out

    status, out, _ = run(capsys, "callbacks", "list", "--overdue", "--db", store_url)
    assert status == 0
    assert "überfällig" in out.splitlines()[1]

    status, out, _ = run(capsys, "calllog", "purge", "--db", store_url, "--older-than", "30")
    assert status == 0
    purged = int(re.search(r"(\d+) Anrufe", out)[1])  # type: ignore[index]
    assert purged > 0
    month_ago = datetime.now(UTC) - timedelta(days=31)
    assert all(c.caller_number is None for c in store.list_calls(until=month_ago, limit=50))
    assert store.list_calls(limit=1)[0].caller_number == newest.caller_number
    assert store.purge_log()[-1].calls == purged
    store.close()


def test_bad_urls_and_outdated_schemas_are_one_line_errors(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "calllog", "list", "--db", "mysql://host/db")
    assert status == 2 and err.startswith("lotse: unsupported store URL") and out == ""
    if store_url.startswith("postgresql"):
        status, _, err = run(capsys, "callbacks", "list", "--db", store_url)
        assert status == 2 and "lotse db upgrade" in err
        assert len(err.strip().splitlines()) == 1


def test_purge_scrubs_the_local_outbox_of_a_postgresql_store(
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outbox_path = tmp_path / "outbox.db"
    monkeypatch.setenv("LOTSE_CALLLOG__OUTBOX", str(outbox_path))
    old = datetime.now(UTC) - timedelta(days=200)
    record = CallRecord(
        "queued-1", "service115", old, caller_number="+49 234 5556677", updated_at=old
    )
    outbox = SqliteOutbox(outbox_path)
    outbox.append("call", record.call_id, call_to_dict(record))
    outbox.close()
    assert run(capsys, "db", "upgrade", "--db", pg_url)[0] == 0

    status, out, _ = run(capsys, "calllog", "purge", "--db", pg_url)  # default: 90 days
    assert status == 0 and "1 wartende Einträge" in out
    outbox = SqliteOutbox(outbox_path)
    [entry] = outbox.entries()
    assert entry.payload["caller_number"] is None and entry.payload["call_id"] == "queued-1"
    outbox.close()


def test_callbacks_list_shows_full_numbers_only_when_asked(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(store_url, migrate=True)
    now = datetime.now(UTC)
    store.upsert_callback(
        CallbackTicket("t1", now, now + timedelta(days=1), "agent1", "Frist", number="0234 987654")
    )
    store.close()
    status, out, _ = run(capsys, "callbacks", "list", "--db", store_url)
    assert status == 0 and "0234 987654" not in out and "54" in out
    status, out, _ = run(capsys, "callbacks", "list", "--numbers", "--db", store_url)
    assert status == 0 and "0234 987654" in out


def test_seed_topics_come_from_the_kb_articles(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "reisepass-beantragen.yaml").write_text('leika: "99085001000000"\n')
    (articles / "hund-anmelden.yaml").write_text("title: Hund anmelden\n")
    (articles / "kaputt.yaml").write_text('leika: "12"\n')
    (articles / "liste.yaml").write_text("- a\n- b\n")
    assert kb_topics(tmp_path) == [
        Topic("hund-anmelden"),
        Topic("kaputt"),
        Topic("liste"),
        Topic("reisepass-beantragen", "99085001000000"),
    ]
    assert kb_topics(tmp_path / "missing") == []


def test_callbacks_list_by_status_show_history_and_close_from_the_shell(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(store_url, migrate=True)
    now = datetime.now(UTC)
    opened = CallbackTicket(
        "t-open", now, now + timedelta(days=1), "agent1", "Frist", number="0234"
    )
    tried = add_attempt(
        CallbackTicket("t-tried", now, now + timedelta(days=1), "agent2", "Gebühr", number="0235"),
        CallbackAttempt(now, "agent2", AttemptResult.NOT_REACHED, "9.1"),
    )
    for ticket in (opened, tried):
        store.upsert_callback(ticket)
    status, out, _ = run(capsys, "callbacks", "list", "--db", store_url)
    assert status == 0 and "t-open" in out and "t-tried" in out and "in Arbeit" in out
    status, out, _ = run(capsys, "callbacks", "list", "--status", "in_progress", "--db", store_url)
    assert status == 0 and "t-tried" in out and "t-open" not in out
    status, out, _ = run(capsys, "callbacks", "list", "--agent", "agent1", "--db", store_url)
    assert "t-open" in out and "t-tried" not in out
    status, out, _ = run(capsys, "callbacks", "show", "t-tried", "--db", store_url)
    assert status == 0 and "Versuche: 1" in out and "agent2: Nicht erreicht" in out
    status, out, _ = run(capsys, "callbacks", "close", "t-tried", "--as", "failed_to_reach",
                         "--db", store_url)  # fmt: skip
    assert status == 0 and "nicht erreicht (aufgegeben)" in out
    closed = store.get_callback("t-tried")
    assert closed.status == CallbackStatus.UNREACHABLE and closed.closed_at is not None
    assert closed.history == tried.history  # the attempts stay
    status, out, _ = run(capsys, "callbacks", "close", "t-open", "--db", store_url)
    assert status == 0 and store.get_callback("t-open").status == CallbackStatus.DONE
    status, out, _ = run(capsys, "callbacks", "list", "--db", store_url)
    assert "Keine Rückrufe." in out
    status, out, _ = run(capsys, "callbacks", "list", "--status", "all", "--db", store_url)
    assert "t-open" in out and "t-tried" in out
    status, _, err = run(capsys, "callbacks", "close", "t-open", "--db", store_url)
    assert status != 0 and "already closed" in err and err.count("\n") == 1
    status, _, err = run(capsys, "callbacks", "show", "nope", "--db", store_url)
    assert status != 0 and err.startswith("lotse: no call-back ticket 'nope'")
    store.close()
