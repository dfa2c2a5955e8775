"""Agents' search sees published articles only; `--drafts` shows editors the rest, marked, from an
index of its own (a draft never enters the agents' index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_console.cli import main
from tests.unit.kb.conftest import ARTICLE, OFFICE

DRAFT = ARTICLE.format(id="hund-ummelden").replace("Testleistung hund-ummelden", "Hund ummelden")


@pytest.fixture
def kb_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "kb"
    for sub in ("articles", "offices"):
        (root / sub).mkdir(parents=True)
    (root / "offices" / "amt.yaml").write_text(OFFICE, encoding="utf-8")
    (root / "articles" / "aa.yaml").write_text(ARTICLE.format(id="aa"), encoding="utf-8")
    path = root / "articles" / "hund-ummelden.yaml"
    path.write_text(DRAFT.replace("published", "draft"), encoding="utf-8")
    monkeypatch.setenv("LOTSE_SEARCH__INDEX_DIR", str(tmp_path / "index"))
    return root


def test_agents_do_not_find_a_draft_editors_do_marked(
    kb_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["search", "hund", "ummelden", "--root", str(kb_root), "--json"])
    assert [h["id"] for h in json.loads(capsys.readouterr().out)] == []
    main(["search", "hund", "ummelden", "--root", str(kb_root), "--json", "--drafts"])
    [hit] = json.loads(capsys.readouterr().out)
    assert (hit["id"], hit["title"], hit["state"]) == (
        "hund-ummelden",
        "[Entwurf] Hund ummelden",
        "draft",
    )
    assert (kb_root.parent / "index-preview").is_dir()
    main(["search", "hund", "ummelden", "--root", str(kb_root), "--json"])  # after the preview
    assert json.loads(capsys.readouterr().out) == []


def test_published_it_reaches_the_agents(kb_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["search", "hund", "ummelden", "--root", str(kb_root), "--json"])
    capsys.readouterr()
    path = kb_root / "articles" / "hund-ummelden.yaml"
    path.write_text(DRAFT, encoding="utf-8")  # published (before the workflow: no approval)
    main(["search", "hund", "ummelden", "--root", str(kb_root)])
    out = capsys.readouterr().out
    assert out.startswith(" 1. Hund ummelden  [hund-ummelden]")
