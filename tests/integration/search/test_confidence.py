"""The search knows when the KB has no answer: confidence on labelled sets, both KBs."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from kb.importers.dldb import import_dldb
from kb.loader import KnowledgeBase, load
from search.confidence_eval import ConfidenceReport, judge_queries
from search.evaluate import LabelledQuery, evaluate, parse_queries, parts
from search.generic import GenericWords
from search.searcher import IndexSearcher
from tests.conftest import SHARED, skip_unless_ci

from .conftest import KB_ROOT, QUERIES

FIXTURES = QUERIES.parent
#: Targets of issue 18: no high hit for unanswerable questions, a high top hit for answerable.
NO_HIGH = 0.80
TOP_HIGH = 0.95
#: The fresh held-out set measured 92.6 % top hit high when first run (see README, "Search").
FRESH_TOP_HIGH = 0.90


def labelled(name: str) -> list[LabelledQuery]:
    return parse_queries(yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")))


def judged(searcher: IndexSearcher, queries: list[LabelledQuery]) -> ConfidenceReport:
    report = judge_queries(lambda t, n: [(h.id, h.high) for h in searcher.search(t, n)], queries)
    print(report.summary())
    for wrong in report.wrong:
        print(f"  {wrong.query.q!r} (want {wrong.query.id}): {wrong.top} high={wrong.high}")
    return report


def test_every_hit_says_how_sure_it_is(searcher: IndexSearcher) -> None:
    hits = searcher.search("hund anmelden", 10)
    assert hits[0].id == "hund-anmelden" and hits[0].confidence == "high"
    assert {h.confidence for h in hits} == {"high", "low"}  # "anmelden" alone is not enough


@pytest.mark.parametrize(
    "question",
    ["rente beantragen", "straßenlaterne kaputt", "falschparker anzeigen", "bafög antrag"],
)
def test_questions_from_the_issue_get_no_high_hit(searcher: IndexSearcher, question: str) -> None:
    hits = searcher.search(question, 10)
    assert hits, "low hits are still listed (vielleicht)"
    assert not any(h.high and h.id != "sterbeurkunde" for h in hits)  # its synonym: "... Rente"


def test_confidence_never_changes_the_ranking(
    searcher: IndexSearcher, sample_kb: KnowledgeBase
) -> None:
    everything = GenericWords.of(["hund", "pass", "ausweis", "verloren", "kind", "auto"])
    other = IndexSearcher(searcher._files, sample_kb, searcher._synonyms, generic=everything)
    for query in labelled("queries.yaml")[::7]:
        assert [h.id for h in other.search(query.q, 10)] == [
            h.id for h in searcher.search(query.q, 10)
        ]


def test_answerable_questions_get_a_high_top_hit(searcher: IndexSearcher) -> None:
    report = judged(searcher, labelled("queries.yaml"))
    assert report.top_high >= TOP_HIGH, report.summary()


@pytest.mark.parametrize("part", ["tuning", "held-out"])
def test_unanswerable_questions_get_no_high_hit(searcher: IndexSearcher, part: str) -> None:
    report = judged(searcher, parts(labelled("unanswerable.yaml"))[part])
    assert report.unanswerable > 50 and report.no_high >= NO_HIGH, report.summary()


def test_the_fresh_held_out_set(searcher: IndexSearcher) -> None:
    report = judged(searcher, labelled("fresh.yaml"))
    assert report.no_high >= NO_HIGH and report.top_high >= FRESH_TOP_HIGH, report.summary()


@pytest.fixture(scope="module")
def munich(tmp_path_factory: pytest.TempPathFactory) -> IndexSearcher:
    services = SHARED / "data" / "muenchen_dldb_services_de.json"
    locations = SHARED / "data" / "muenchen_dldb_locations_de.json"
    if not (services.is_file() and locations.is_file()):
        skip_unless_ci(f"Munich DLDB export not found in {services.parent}")
    out = tmp_path_factory.mktemp("munich")
    import_dldb(services, locations, out / "kb", today=date(2026, 11, 1))
    return IndexSearcher.open(load(out / "kb"), out / "index", KB_ROOT / "synonyms.yaml")


@pytest.mark.dldb
@pytest.mark.parametrize("part", ["tuning", "held-out"])
def test_munich_unanswerable_questions_get_no_high_hit(munich: IndexSearcher, part: str) -> None:
    report = judged(munich, parts(labelled("munich.yaml"))[part])
    assert report.unanswerable >= 16 and report.no_high >= NO_HIGH, report.summary()


@pytest.mark.dldb
def test_munich_right_answers_are_high(munich: IndexSearcher) -> None:
    queries = [q for q in labelled("munich.yaml") if q.id is not None]
    ranked = evaluate(lambda t, n: [h.id for h in munich.search(t, n)], queries)
    report = judged(munich, queries)
    # The ranking finds the right service first for 72 % of these on Munich (a common verb
    # outweighs a rare word there); confidence must not hide the ones it finds.
    assert report.right_and_high >= 0.9 * ranked.top1, (report.summary(), ranked.summary())
