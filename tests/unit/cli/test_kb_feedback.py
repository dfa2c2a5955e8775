"""`lotse kb feedback`: editors list agents' flags and mark them done (SQLite in tmp_path)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_console.cli import main
from calllog.models import ArticleFeedback, FeedbackKind
from calllog.store import open_store
from tests.unit.kb.conftest import ARTICLE, OFFICE

T0 = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)  # 09:15 in Berlin


def flag(n: int, article: str, kind: FeedbackKind, comment: str) -> ArticleFeedback:
    """Flag `n` by agent`n`, created `n` hours after T0."""
    return ArticleFeedback(
        article, kind, comment, f"agent{n}", T0.replace(hour=8 + n),
        feedback_id=f"00000000-0000-4000-8000-{n:012d}",
    )  # fmt: skip


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A KB with one article, `aa` ("Testleistung aa")."""
    (tmp_path / "kb" / "articles").mkdir(parents=True)
    (tmp_path / "kb" / "offices").mkdir()
    (tmp_path / "kb" / "offices" / "amt.yaml").write_text(OFFICE, encoding="utf-8")
    (tmp_path / "kb" / "articles" / "aa.yaml").write_text(ARTICLE.format(id="aa"), "utf-8")
    return tmp_path / "kb"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite call log with three open flags; the editor is `editor7`."""
    monkeypatch.setenv("LOTSE_AGENT_ID", "editor7")
    monkeypatch.setenv("LOTSE_CALLLOG__TIMEZONE", "Europe/Berlin")
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    store = open_store(url)
    store.add_feedback(flag(1, "aa", FeedbackKind.OUTDATED, "Gebühr ist\njetzt 12 €."))
    store.add_feedback(flag(2, "zz", FeedbackKind.MISSING, "Express fehlt."))
    store.add_feedback(flag(3, "aa", FeedbackKind.WRONG, "Falsches Amt."))
    store.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `lotse kb feedback ...` in-process; returns status, stdout, stderr."""
    status = main(["kb", "feedback", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_open_flags_newest_first_with_titles(
    db: str, kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--db", db, "--root", str(kb_dir))
    assert status == 0
    assert out.splitlines() == [
        "2026-11-20 12:15  aa (Testleistung aa)  wrong  agent3"
        "  [00000000-0000-4000-8000-000000000003]",
        "    Falsches Amt.",
        "2026-11-20 11:15  zz  missing  agent2  [00000000-0000-4000-8000-000000000002]",
        "    Express fehlt.",
        "2026-11-20 10:15  aa (Testleistung aa)  outdated  agent1"
        "  [00000000-0000-4000-8000-000000000001]",
        "    Gebühr ist jetzt 12 €.",
    ]


def test_article_filter_and_a_missing_kb_folder(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--db", db, "--article", "zz", "--root", str(tmp_path / "no"))
    assert status == 0
    assert out.splitlines()[0].startswith("2026-11-20 11:15  zz  missing  agent2")
    assert len(out.splitlines()) == 2


def test_done_marks_once_and_all_shows_it(
    db: str, kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ident = "00000000-0000-4000-8000-000000000003"
    status, out, _ = run(capsys, "--db", db, "--done", ident)
    assert status == 0
    assert out.startswith(f"Meldung {ident} erledigt (editor7, ")
    status, out, _ = run(capsys, "--db", db, "--done", ident)
    assert status == 0 and "war bereits erledigt (editor7, " in out

    status, out, _ = run(capsys, "--db", db, "--root", str(kb_dir))
    assert ident not in out and out.count("[") == 2
    status, out, _ = run(capsys, "--db", db, "--root", str(kb_dir), "--all")
    assert f"wrong  agent3  done  [{ident}]" in out
    assert "outdated  agent1  open  [" in out

    stored = open_store(db).list_feedback(status="done")
    assert [(f.feedback_id, f.resolved_by) for f in stored] == [(ident, "editor7")]


def test_nothing_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    assert run(capsys, "--db", db) == (0, "Keine offenen Meldungen.\n", "")
    assert run(capsys, "--db", db, "--all") == (0, "Keine Meldungen.\n", "")


def test_bad_input_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", db, "--done", "nope") == (2, "", "lotse: no feedback 'nope'\n")
    status, _, err = run(capsys, "--db", db, "--done", "x", "--all")
    assert status == 2 and err == "lotse: --done takes no --article or --all\n"
    status, _, err = run(capsys, "--db", "mysql://x")
    assert status == 2 and err.startswith("lotse: unsupported store URL")
