"""One index of the sample KB per test session, searched at a fixed moment."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kb.loader import KnowledgeBase, load
from search.searcher import IndexSearcher
from tests.conftest import ROOT

KB_ROOT = ROOT / "kb"
QUERIES = ROOT / "tests" / "fixtures" / "search" / "queries.yaml"
#: Monday 23 November 2026, 10:00 in Musterstadt: the Bürgerbüro is open.
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture(scope="session")
def sample_kb() -> KnowledgeBase:
    return load(KB_ROOT)


@pytest.fixture(scope="session")
def searcher(
    sample_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndexSearcher]:
    index_dir = tmp_path_factory.mktemp("search") / "index"
    opened = IndexSearcher.open(
        sample_kb, index_dir, KB_ROOT / "synonyms.yaml", clock=lambda: MONDAY_MORNING
    )
    yield opened
    opened.close()


@pytest.fixture
def small_kb(tmp_path: Path) -> Callable[..., Path]:
    """Copy the offices and some articles of the sample KB into a fresh folder."""

    def make(*article_ids: str) -> Path:
        root = tmp_path / "kb"
        shutil.copytree(KB_ROOT / "offices", root / "offices")
        (root / "articles").mkdir()
        for article_id in article_ids:
            shutil.copy(KB_ROOT / "articles" / f"{article_id}.yaml", root / "articles")
        return root

    return make
