"""The parse cache serves unchanged files, re-reads changed ones and survives a corrupt file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb import reading
from kb.loader import load
from tests.unit.kb.conftest import ARTICLE, Write


def test_unchanged_files_skip_the_parser(
    valid_kb: Write, kb_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache" / "kb.marshal"
    first = load(kb_root, cache)
    assert cache.exists()
    parsed: list[Path] = []
    real = reading.read_yaml

    def counting(path: Path) -> object:
        parsed.append(path)
        return real(path)

    monkeypatch.setattr(reading, "read_yaml", counting)
    second = load(kb_root, cache)
    assert parsed == []
    assert second.articles == first.articles


def test_changed_file_is_parsed_again(valid_kb: Write, kb_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "kb.marshal"
    load(kb_root, cache)
    path = valid_kb("articles", "aa.yaml", ARTICLE.format(id="aa").replace("Testleistung", "Neu"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load(kb_root, cache).articles["aa"].title == "Neu aa"


def test_broken_file_is_reported_on_every_load(
    valid_kb: Write, kb_root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "kb.marshal"
    valid_kb("articles", "bb.yaml", "id: bb\ntitle: [\n")
    assert len(load(kb_root, cache).errors) == 1
    assert len(load(kb_root, cache).errors) == 1


def test_corrupt_cache_is_ignored(valid_kb: Write, kb_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "kb.marshal"
    cache.write_bytes(b"\x00garbage")
    kb = load(kb_root, cache)
    assert list(kb.articles) == ["aa"]
    assert load(kb_root, cache).articles == kb.articles
