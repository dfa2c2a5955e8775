"""Hostile KB files: one file (or folder entry) never takes down the others, and is never skipped
silently. Each test writes the hostile input itself."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from agent_console.cli import main
from kb import files, yaml_strict
from kb.loader import load
from search.exceptions import SynonymError
from search.indexer import read_word_lists
from tests.unit.kb.conftest import Write


def only_problem(kb_root: Path) -> str:
    kb = load(kb_root)
    assert list(kb.articles) == ["aa"], "the valid article must still load"
    [problem] = kb.problems
    return str(problem).replace(f"{kb_root}/", "")


def test_400_nested_brackets_are_refused_at_their_line(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "deep.yaml", "id: deep\ntitle: " + "[" * 400 + "]" * 400 + "\n")
    problem = only_problem(kb_root)
    assert problem.startswith("articles/deep.yaml:2:")
    assert f"zu tief verschachtelt (höchstens {yaml_strict.MAX_DEPTH} Ebenen)" in problem


def test_deep_block_nesting_is_refused_too(valid_kb: Write, kb_root: Path) -> None:
    lines = "".join(" " * n + "- x:\n" for n in range(0, 2 * 300, 2))
    valid_kb("articles", "deep.yaml", "id: deep\ntitle:\n" + lines)
    assert "zu tief verschachtelt" in only_problem(kb_root)


def test_a_5000_digit_integer_is_refused_with_its_line(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "big.yaml", "id: big\ntitle: x\nreview_interval_days: " + "9" * 5000)
    problem = only_problem(kb_root)
    assert problem.startswith("articles/big.yaml:3:23: error: ")
    assert f"Zahl zu lang (5.000 Zeichen; höchstens {yaml_strict.MAX_NUMBER_LENGTH})" in problem


def test_a_tagged_5000_digit_integer_is_refused(valid_kb: Write, kb_root: Path) -> None:
    valid_kb("articles", "big.yaml", 'id: big\nreview_interval_days: !!int "' + "9" * 5000 + '"')
    assert "Zahl zu lang" in only_problem(kb_root)


def test_symlink_loop_is_reported_and_the_rest_loads(valid_kb: Write, kb_root: Path) -> None:
    os.symlink("loop.yaml", kb_root / "articles" / "loop.yaml")
    problem = only_problem(kb_root)
    assert problem.startswith("articles/loop.yaml:1:1: error: nicht lesbar: Verweis-Schleife")


def test_dangling_link_is_reported(valid_kb: Write, kb_root: Path) -> None:
    os.symlink("gone.yaml", kb_root / "articles" / "dangling.yaml")
    problem = only_problem(kb_root)
    assert problem == "articles/dangling.yaml:1:1: error: nicht lesbar: Verweis ins Leere " + (
        "(das Ziel des Links fehlt)"
    )


def test_directory_named_like_an_article_is_reported(valid_kb: Write, kb_root: Path) -> None:
    (kb_root / "articles" / "x.yaml").mkdir()
    problem = only_problem(kb_root)
    assert (
        problem == "articles/x.yaml:1:1: error: keine Datei, sondern ein Ordner: wird nicht geladen"
    )


def test_fifo_is_reported_without_blocking(valid_kb: Write, kb_root: Path) -> None:
    os.mkfifo(kb_root / "articles" / "pipe.yaml")
    problem = only_problem(kb_root)
    assert problem.endswith("keine Datei, sondern eine Pipe (FIFO): wird nicht geladen")


def test_reading_a_fifo_directly_does_not_block(tmp_path: Path) -> None:
    # A regular file replaced by a FIFO between listing and reading must not hang the load.
    os.mkfifo(tmp_path / "race.yaml")
    with pytest.raises(files.FileRefused, match="Pipe"):
        files.read_bytes(tmp_path / "race.yaml")


def test_unreadable_offices_folder_is_one_problem(
    valid_kb: Write, kb_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offices = kb_root / "offices"
    offices.chmod(0)
    try:
        if os.access(offices, os.R_OK):  # root reads anything: refuse the way the kernel would
            real = os.scandir

            def scandir(path: object) -> object:
                if Path(str(path)) == offices:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real(path)  # type: ignore[call-overload]

            monkeypatch.setattr(os, "scandir", scandir)
        kb = load(kb_root)
    finally:
        offices.chmod(0o755)
    messages = [str(p).replace(f"{kb_root}/", "") for p in kb.problems]
    assert messages[0] == "offices:1:1: error: Ordner nicht lesbar: keine Leseberechtigung"
    assert list(kb.articles) == ["aa"]  # loads, with its office reference reported
    assert "unbekannte Stelle 'amt'" in messages[1]


def test_lint_exits_non_zero_for_entries_it_cannot_load(
    valid_kb: Write, kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb_root / "articles" / "x.yaml").mkdir()
    os.symlink("nowhere.yaml", kb_root / "offices" / "dangling.yaml")
    assert main(["kb", "lint", str(kb_root), "--today", "2026-11-21"]) == 1
    out = capsys.readouterr().out
    assert "x.yaml:1:1: error: keine Datei" in out
    assert "dangling.yaml:1:1: error: nicht lesbar" in out
    assert out.endswith("1 articles, 1 offices: 2 errors, 0 warnings\n")


def test_every_hostile_file_at_once_leaves_show_and_search_working(
    valid_kb: Write,
    kb_root: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    valid_kb("articles", "deep.yaml", "id: deep\ntitle: " + "[" * 400 + "]" * 400 + "\n")
    valid_kb("articles", "big.yaml", "id: big\nreview_interval_days: " + "9" * 5000)
    valid_kb("articles", "esc.yaml", 'id: esc\ntitle: "Reise\\x1bpass"\n')
    os.symlink("loop.yaml", kb_root / "articles" / "loop.yaml")
    os.mkfifo(kb_root / "articles" / "pipe.yaml")
    assert len(load(kb_root).errors) == 5
    assert main(["kb", "show", "aa", "--root", str(kb_root)]) == 0
    assert "Testleistung aa" in capsys.readouterr().out
    monkeypatch.setenv("LOTSE_SEARCH__INDEX_DIR", str(tmp_path / "index"))
    assert main(["search", "testleistung", "--root", str(kb_root), "--json"]) == 0
    assert '"id": "aa"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("groups:\n  - [a, b\n", ":3:1: ", "YAML-Syntaxfehler"),
        ("groups: " + "[" * 400 + "]" * 400 + "\n", ":1:", "zu tief verschachtelt"),
        ("groups: [[" + "9" * 5000 + "]]\n", ":1:11: ", "Zahl zu lang"),
    ],
)
def test_a_broken_synonym_file_is_one_line_with_its_position(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SynonymError) as info:
        read_word_lists(path)
    assert str(info.value).startswith(f"{path}{where}")
    assert message in str(info.value)
