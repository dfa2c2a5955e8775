"""`article_usage` on both backends and `lotse kb stats` over it: topics by outcome, flags open and
done, searches without a hit as synonym candidates (text and CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.models import (
    ArticleFeedback,
    CallRecord,
    FeedbackKind,
    FeedbackStatus,
    Outcome,
    SearchQuery,
    Topic,
)
from calllog.store import SqlStore, open_store
from kb.loader import load
from search.candidates import synonym_candidates
from tests.unit.kb.conftest import ARTICLE, OFFICE

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def call(n: int, topics: tuple[str, ...], outcome: Outcome | None, *searches: str) -> CallRecord:
    at = T0 + timedelta(hours=n)
    return CallRecord(
        call_id=f"c{n}", queue="service115", offered_at=at, agent_id="agent1",
        answered_at=at + timedelta(seconds=5), ended_at=at + timedelta(minutes=3),
        outcome=outcome, topics=tuple(Topic(t) for t in topics),
        searches=tuple(SearchQuery(s, 0) for s in searches),
        updated_at=at,
    )  # fmt: skip


def flag(n: int, article: str, done: bool) -> ArticleFeedback:
    return ArticleFeedback(
        article_id=article, kind=FeedbackKind.OUTDATED, comment="Gebühr veraltet",
        agent_id="agent1", created_at=T0 + timedelta(hours=n),
        status=FeedbackStatus.DONE if done else FeedbackStatus.OPEN,
        resolved_by="redaktion" if done else None,
        resolved_at=T0 + timedelta(hours=n + 1) if done else None,
    )  # fmt: skip


def seed(store: SqlStore) -> None:
    store.upsert_call(call(1, ("aa",), Outcome.RESOLVED, "testleistung aaa", "hundesteuer"))
    store.upsert_call(call(2, ("aa", "bb"), Outcome.TRANSFERRED, "testleistung aaa"))
    store.upsert_call(call(3, ("aa",), Outcome.CALLBACK))
    store.upsert_call(call(4, ("bb",), None))  # still going on
    store.upsert_call(call(400, ("aa",), Outcome.RESOLVED))  # outside the period
    store.add_feedback(flag(1, "aa", done=False))
    store.add_feedback(flag(2, "aa", done=True))
    store.add_feedback(flag(3, "gone", done=False))


def test_article_usage_on_both_backends(store: SqlStore) -> None:
    seed(store)
    usage = store.article_usage(T0, T0 + timedelta(days=7))
    assert usage.outcomes == {
        "aa": {"resolved": 1, "transferred": 1, "callback": 1},
        "bb": {"transferred": 1, "open": 1},
    }
    assert usage.feedback == {"aa": {"open": 1, "done": 1}, "gone": {"open": 1}}
    assert usage.unanswered == (("testleistung aaa", 2), ("hundesteuer", 1))


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    for sub in ("articles", "offices"):
        (tmp_path / sub).mkdir()
    (tmp_path / "offices" / "amt.yaml").write_text(OFFICE, encoding="utf-8")
    for article_id in ("aa", "bb", "cc"):
        text = ARTICLE.format(id=article_id)
        (tmp_path / "articles" / f"{article_id}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_searches_without_a_hit_go_to_the_article_they_resemble(kb_root: Path) -> None:
    kb = load(kb_root)
    found = synonym_candidates(
        kb, [("testleistung aaa", 2), ("Testleistung bb", 9), ("hundesteuer", 1), ("", 3)]
    )
    assert list(found) == ["aa"]  # an existing title is no candidate; unrelated text neither
    [candidate] = found["aa"]
    assert (candidate.text, candidate.count) == ("testleistung aaa", 2)
    assert candidate.score >= 75


def test_kb_stats_text_and_csv(
    kb_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    store = open_store(url)
    seed(store)
    store.close()
    args = ["kb", "stats", "--root", str(kb_root), "--db", url, "--from", "2026-11-10",
            "--to", "2026-11-16"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Nutzung 2026-11-10 bis 2026-11-16: 5 Anrufe mit Thema, 3 Suchen ohne Treffer"
    assert out[2].split() == ["aa", "3", "1", "1", "1", "0", "1/1"]
    assert out[3] == "    Synonym-Kandidaten: „testleistung aaa“ (2×)"
    assert out[4].split() == ["bb", "2", "0", "1", "0", "1", "0/0"]
    assert out[5].split() == ["gone", "0", "0", "0", "0", "0", "1/0"]
    assert out[-1] == "2 Artikel ohne Anruf im Zeitraum."
    assert main([*args, "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["article_id"] for r in rows] == ["aa", "bb", "cc", "gone"]
    assert rows[0] == {
        "article_id": "aa", "title": "Testleistung aa", "calls": "3", "resolved": "1",
        "transferred": "1", "callback": "1", "other": "0", "feedback_open": "1",
        "feedback_done": "1", "synonym_candidates": "testleistung aaa (2)",
    }  # fmt: skip
    assert rows[3]["title"] == "(nicht mehr in der Wissensdatenbank)"


def test_kb_stats_refuses_a_reversed_period(
    kb_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    args = ["kb", "stats", "--root", str(kb_root), "--db", url, "--from", "2026-11-10",
            "--to", "2026-11-01"]  # fmt: skip
    assert main(args) == 2
    assert capsys.readouterr().err == "lotse: --to 2026-11-01 is before --from 2026-11-10\n"
