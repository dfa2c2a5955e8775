"""`lotse kb history`: versions from git with the fields that changed, and without git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from agent_console.cli import main
from kb.changes import FIELD_LABELS, changed_fields, describe
from kb.history import HistoryUnavailable, versions
from kb.models import Article, Office
from tests.unit.kb.conftest import ARTICLE, Write


def git(root: Path, *args: str, date: str = "2026-11-02T09:00:00+01:00", who: str = "Anna") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), "-c", f"user.name={who}", "-c", "user.email=r@x",
                    *args], check=True, capture_output=True, env=env)  # fmt: skip


@pytest.fixture
def repo(valid_kb: Write, kb_root: Path) -> Path:
    git(kb_root, "init", "-q")
    git(kb_root, "add", ".")
    git(kb_root, "commit", "-qm", "Artikel angelegt")
    text = ARTICLE.format(id="aa").replace("Eine kurze Antwort.", "Eine neue Antwort.")
    valid_kb("articles", "aa.yaml", text.replace('"10.00"', '"12.00"'))
    git(kb_root, "commit", "-qam", "Gebühr 2027", date="2026-11-20T14:30:00+01:00", who="Bernd")
    return kb_root


def test_every_field_has_a_german_name() -> None:
    assert set(Article.model_fields) | set(Office.model_fields) <= set(FIELD_LABELS)


def test_changed_fields_in_file_order() -> None:
    old = {"title": "A", "fees": [1], "tags": ["x"]}
    new = {"title": "A", "fees": [2], "owner": "R"}
    assert changed_fields(old, new) == ["fees", "owner", "tags"]
    assert describe(old, new) == "geändert: Gebühren, Verantwortlich, Schlagwörter"
    assert describe(None, new) == "angelegt"
    assert describe(new, dict(new)) == "Inhalt unverändert"


def test_versions_newest_first_with_the_working_copy(repo: Path, valid_kb: Write) -> None:
    path = repo / "articles" / "aa.yaml"
    found = versions(path)
    assert [(v.author, v.message) for v in found] == [("Bernd", "Gebühr 2027"),
                                                      ("Anna", "Artikel angelegt")]  # fmt: skip
    assert describe(found[1].data, found[0].data) == "geändert: Kurzantwort, Gebühren"
    valid_kb("articles", "aa.yaml", path.read_text(encoding="utf-8") + "tags: [neu]\n")
    working = versions(path)[0]
    assert working.commit is None and working.message == "Arbeitskopie (nicht eingecheckt)"


def test_history_follows_a_rename(repo: Path) -> None:
    git(repo, "mv", "articles/aa.yaml", "articles/aa.yml")
    git(repo, "commit", "-qm", "umbenannt", date="2026-11-21T08:00:00+01:00")
    found = versions(repo / "articles" / "aa.yml")
    assert [v.message for v in found] == ["umbenannt", "Gebühr 2027", "Artikel angelegt"]
    assert found[0].data == found[1].data


def test_cli_prints_dates_authors_and_german_field_names(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "history", "aa", "--root", str(repo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Verlauf von aa ({repo / 'articles' / 'aa.yaml'}):"
    assert out[1:5] == [
        "  2026-11-20 14:30  Bernd  Gebühr 2027",
        "      geändert: Kurzantwort, Gebühren",
        "  2026-11-02 09:00  Anna  Artikel angelegt",
        "      angelegt",
    ]
    assert out[5:] == ["Stand: Veröffentlicht", "Keine freigegebene Fassung gespeichert."]


def test_without_a_repository_it_says_so(
    valid_kb: Write, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(HistoryUnavailable, match="liegt in keinem Git-Repository"):
        versions(kb_root / "articles" / "aa.yaml")
    assert main(["kb", "history", "aa", "--root", str(kb_root)]) == 0
    assert "Kein Git-Verlauf: " in capsys.readouterr().out


def test_without_git_installed_it_says_so(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["kb", "history", "aa", "--root", str(repo)]) == 0
    assert "Kein Git-Verlauf: git ist nicht installiert." in capsys.readouterr().out


def test_a_file_never_committed(repo: Path, valid_kb: Write) -> None:
    valid_kb("articles", "bb.yaml", ARTICLE.format(id="bb"))
    with pytest.raises(HistoryUnavailable, match="noch nicht in Git eingecheckt"):
        versions(repo / "articles" / "bb.yaml")


def test_without_git_the_approved_copy_is_compared(
    valid_kb: Write, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    approval = "approved_by: bernd\napproved_at: 2026-11-03T10:00:00+01:00\n"
    approved = ARTICLE.format(id="aa") + approval
    (kb_root / "approved").mkdir()
    (kb_root / "approved" / "aa.yaml").write_text(approved, encoding="utf-8")
    valid_kb("articles", "aa.yaml", approved.replace("Eine kurze", "Eine neue"))
    assert main(["kb", "history", "aa", "--root", str(kb_root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == [
        "Stand: Geändert, nicht freigegeben",
        "Freigegeben am 2026-11-03 10:00 von bernd; Agenten sehen diese Fassung.",
        "Seit der Freigabe: geändert: Kurzantwort",
    ]
