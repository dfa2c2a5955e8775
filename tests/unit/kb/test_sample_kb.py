"""The bundled sample KB of Musterstadt: every required service, complete, lint-clean, varied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from kb.checks import run_checks
from kb.lifecycle import notes
from kb.loader import KnowledgeBase, load
from kb.models import WEEKDAYS
from tests.conftest import SHARED, skip_unless_ci

ROOT = Path(__file__).resolve().parents[3] / "kb"


@pytest.fixture(scope="module")
def sample() -> KnowledgeBase:
    return load(ROOT)


def test_sample_kb_loads_without_problems_and_lints_clean(sample: KnowledgeBase) -> None:
    assert [str(p) for p in sample.problems] == []
    assert run_checks(sample, date(2026, 11, 21)) == []


def test_every_published_sample_article_has_its_approved_copy(sample: KnowledgeBase) -> None:
    """Edits to the sample KB go through review: agents keep the approved copy meanwhile."""
    published = {a.id for a in sample.articles.values() if a.status == "published"}
    assert published and published == set(sample.approved)
    assert notes(sample) == []


def test_every_covered_service_is_there_published_and_complete(sample: KnowledgeBase) -> None:
    coverage_file = SHARED / "kb-coverage.yaml"
    if not coverage_file.exists():
        skip_unless_ci(f"{coverage_file} is absent")
    coverage = yaml.safe_load(coverage_file.read_text(encoding="utf-8"))
    assert len(coverage) >= 60
    for article_id, expected in coverage.items():
        article = sample.articles.get(article_id)
        assert article is not None, article_id
        assert article.title == expected["title"]
        assert article.status == "published"
        assert article.documents and article.fees and article.procedure, article_id
        assert article.agent_notes and len(article.synonyms) >= 5, article_id
        assert sample.office_for(article) is not None, article_id


def test_offices_are_many_and_varied(sample: KnowledgeBase) -> None:
    offices = list(sample.offices.values())
    assert len(offices) >= 14
    weekly = [o.opening_hours for o in offices]
    assert any(o.appointment.required for o in offices), "an appointment-only unit"
    assert any(len(h.for_weekday(d)) > 1 for h in weekly for d in range(5)), "a split shift"
    assert any(r.endswith("-18:00") for h in weekly for r in h.do), "a long Thursday"
    assert any(h.fr and all(r < "12:31" for r in (x[-5:] for x in h.fr)) for h in weekly)
    assert any(o.exceptions for o in offices), "a dated closure"
    assert sum(o.external for o in offices) >= 3, "Familienkasse, Beitragsservice, BZSt"
    assert all(o.extension or o.phone for o in offices)
    assert all(any(o.opening_hours.for_weekday(d) for d in range(len(WEEKDAYS))) for o in offices)
