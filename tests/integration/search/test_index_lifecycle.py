"""The index in its cache folder: built, reopened, updated in place, repaired with a notice."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from kb.loader import load
from search.indexer import MANIFEST, ensure_index
from search.searcher import IndexSearcher

ARTICLES = ("hund-anmelden", "hund-abmelden", "reisepass-beantragen", "wohngeld")


def open_searcher(root: Path, index_dir: Path) -> IndexSearcher:
    return IndexSearcher.open(load(root), index_dir)


def add_synonym(root: Path, article_id: str, word: str) -> None:
    path = root / "articles" / f"{article_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["synonyms"] = [*data.get("synonyms", []), word]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_built_then_reopened_without_work(small_kb: Callable[..., Path], tmp_path: Path) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "cache" / "index"
    first = open_searcher(root, index_dir)
    assert first.status.action == "built" and first.status.notice is None
    first.close()
    second = open_searcher(root, index_dir)
    assert second.status.action == "opened"
    assert second.search("hundesteuer", 1)[0].id == "hund-anmelden"
    second.close()


def test_changed_article_is_updated_in_place(small_kb: Callable[..., Path], tmp_path: Path) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "index"
    open_searcher(root, index_dir).close()
    add_synonym(root, "wohngeld", "Quastenflosser")
    searcher = open_searcher(root, index_dir)
    assert searcher.status.action == "updated"
    assert searcher.status.changed == ("wohngeld",)
    assert searcher.search("quastenflosser", 1)[0].id == "wohngeld"
    assert searcher.search("quastenflosr", 1)[0].id == "wohngeld"  # new term in the lexicon
    searcher.close()


def test_live_update_and_removal(small_kb: Callable[..., Path], tmp_path: Path) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "index"
    searcher = open_searcher(root, index_dir)
    add_synonym(root, "reisepass-beantragen", "Weltenbummler")
    searcher.update(load(root), "reisepass-beantragen")
    assert searcher.search("weltenbummler", 1)[0].id == "reisepass-beantragen"
    assert searcher.search("reisepass beantragen", 1)[0].id == "reisepass-beantragen"
    assert searcher.search("hund abmelden", 1)[0].id == "hund-abmelden"  # other docs intact
    (root / "articles" / "wohngeld.yaml").unlink()
    searcher.update(load(root), "wohngeld")
    assert "wohngeld" not in {h.id for h in searcher.search("wohngeld", 10)}
    searcher.close()
    assert open_searcher(root, index_dir).status.action == "opened"  # manifest kept in step


def test_many_changes_rebuild(small_kb: Callable[..., Path], tmp_path: Path) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "index"
    open_searcher(root, index_dir).close()
    template = (root / "articles" / "wohngeld.yaml").read_text(encoding="utf-8")
    for n in range(25):
        (root / "articles" / f"extra-{n}.yaml").write_text(
            template.replace("id: wohngeld", f"id: extra-{n}"), encoding="utf-8"
        )
    searcher = open_searcher(root, index_dir)
    assert searcher.status.action == "rebuilt" and searcher.status.notice is None
    assert len(searcher.search("wohngeld", 50)) == 26
    searcher.close()


@pytest.mark.parametrize("damage", ["garbage_toc", "empty_segments", "no_manifest", "bad_manifest"])
def test_corrupt_index_is_rebuilt_with_a_notice(
    small_kb: Callable[..., Path], tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "index"
    open_searcher(root, index_dir).close()
    if damage == "garbage_toc":
        for toc in index_dir.glob("_MAIN_*.toc"):
            toc.write_bytes(b"\x00garbage")
    elif damage == "empty_segments":
        for seg in index_dir.glob("*.seg"):
            seg.write_bytes(b"")
    elif damage == "no_manifest":
        (index_dir / MANIFEST).unlink()
    else:
        (index_dir / MANIFEST).write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="search.indexer"):
        searcher = open_searcher(root, index_dir)
    assert searcher.status.action == "rebuilt" and searcher.status.warning
    assert searcher.status.notice is not None and "neu aufgebaut" in searcher.status.notice
    assert "rebuilding" in caplog.text
    assert searcher.search("hund abmelden", 1)[0].id == "hund-abmelden"
    searcher.close()


def test_missing_index_is_built_quietly(small_kb: Callable[..., Path], tmp_path: Path) -> None:
    files = ensure_index(load(small_kb(*ARTICLES)), tmp_path / "nowhere" / "index")
    assert files.status.action == "built" and not files.status.warning
    files.index.close()


def test_an_index_of_an_older_format_is_rebuilt_without_a_notice(
    small_kb: Callable[..., Path], tmp_path: Path
) -> None:
    root, index_dir = small_kb(*ARTICLES), tmp_path / "index"
    open_searcher(root, index_dir).close()
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    del manifest["schema"]  # as written before the municipalities' documents
    (index_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    searcher = open_searcher(root, index_dir)
    assert (searcher.status.action, searcher.status.reason) == ("rebuilt", "index schema changed")
    assert searcher.status.notice is None
    assert searcher.search("hund abmelden", 1)[0].id == "hund-abmelden"
    searcher.close()
    assert json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))["schema"] == 2
