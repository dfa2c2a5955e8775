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


def test_the_district_has_three_towns_sharing_the_base(sample: KnowledgeBase) -> None:
    places = sample.municipalities
    assert sorted(places) == ["beispielheim", "musterstadt", "ortsdorf"]
    assert sample.home_municipality == "musterstadt"
    assert {p.district for p in places.values()} == {"Kreis Musterland"}
    for place in ("beispielheim", "ortsdorf"):
        own = [o for o in sample.offices_for(place) if sample.office_owners.get(o.id) == place]
        assert len(own) >= 2, place
        assert sample.local_articles(place), f"{place} offers a service of its own"
        changed = [a for a in sample.articles if sample.article_for(a, place) != sample.articles[a]]
        assert len(changed) >= 20, place
        fees = [a for a in sample.overlays[place] if "fees" in sample.local_fields(a, place)]
        assert len(fees) >= 3, place
    # Ortsdorf's births and marriages go to the Standesamt in Beispielheim (a joint district).
    birth = sample.article_for("geburtsurkunde", "ortsdorf")
    assert birth is not None and birth.office == "beispielheim-standesamt"
    assert "beispielheim-standesamt" in [o.id for o in sample.offices_for("ortsdorf")]
    # The district's offices serve every town.
    car = sample.article_for("kfz-zulassung", "ortsdorf")
    assert car is not None and sample.office_for(car) is sample.offices["kfz-zulassungsstelle"]


def test_the_most_asked_services_speak_plainly_and_in_other_languages(
    sample: KnowledgeBase,
) -> None:
    easy = [a for a in sample.articles.values() if a.short_answer_easy]
    assert len(easy) >= 6
    assert all(len(line) < 90 for a in easy for line in (a.short_answer_easy or "").splitlines())
    for article_id in ("personalausweis-beantragen", "wohnsitz-anmelden"):
        languages = set(sample.articles[article_id].short_answer_translations)
        assert languages >= {"tr", "uk", "en", "ar"}, article_id
    local = sample.article_for("meldebescheinigung", "beispielheim")
    assert local is not None and "7 Euro" in (local.short_answer_easy or "")
