"""Builders for small knowledge bases on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

OFFICE = """\
id: amt
name: Testamt
extension: "2001"
opening_hours:
  mo: ["08:00-12:00", "14:00-16:00"]
  di: ["08:00-12:00"]
  mi: ["08:00-12:00"]
  do: ["08:00-18:00"]
  fr: ["08:00-12:00"]
"""

ARTICLE = """\
id: {id}
title: Testleistung {id}
short_answer: Eine kurze Antwort.
documents: [Personalausweis]
fees:
  - amount: "10.00"
office: amt
category: Test
status: published
owner: Redaktion
last_reviewed: 2026-10-01
"""

Write = Callable[[str, str, str], Path]


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    """An empty KB folder with articles/ and offices/."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "offices").mkdir()
    return tmp_path


@pytest.fixture
def write(kb_root: Path) -> Write:
    """write(kind, file name, text) -> path; kind is 'articles' or 'offices'."""

    def _write(kind: str, name: str, text: str) -> Path:
        path = kb_root / kind / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def valid_kb(write: Write) -> Write:
    """A KB with office `amt` and article `aa` already written; returns the writer."""
    write("offices", "amt.yaml", OFFICE)
    write("articles", "aa.yaml", ARTICLE.format(id="aa"))
    return write
