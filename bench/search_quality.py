"""Benchmark: search quality of the parts (ablations) and of Whoosh alternatives, same queries.

Run: .venv/bin/python bench/search_quality.py
Prints top-1, top-3 and MRR over tests/fixtures/search/queries.yaml against the sample KB for:
the full search; without compound splitting; with splitting at index time only; without
typo correction; without the rapidfuzz fusion; without the central synonym list; Whoosh's
LanguageAnalyzer("de") over every field (OR of the words); and the two baselines of the
quality test. Also the full search on the even and odd halves of the set (the half used to
tune weights and the held-out half), and on the queries that are not literally a title or
synonym of their article (editors add synonyms; those queries are easy for every method).

Then the confidence (`search.confidence`): the share of answerable queries whose top hit is
high and of unanswerable ones without any high hit, per labelled set and part (queries.yaml's
halves; unanswerable.yaml's tuning and held-out parts; fresh.yaml, written after the rule was
tuned), and the same for ablations of the rule: no generic words, no name anchor, every field
covering, no allowance for long questions.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import yaml
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from kb.loader import KnowledgeBase, load
from search import confidence, indexer, query, rank
from search import searcher as searcher_module
from search.baselines import Bm25Baseline, FuzzyBaseline, ram_index
from search.confidence import Masks
from search.confidence_eval import judge_queries
from search.evaluate import LabelledQuery, evaluate, parse_queries, parts
from search.generic import GenericWords
from search.searcher import FIELD_BITS, IndexSearcher
from search.spelling import Lexicon

ROOT = Path(__file__).resolve().parent.parent
KB_ROOT = ROOT / "kb"
FIXTURES = ROOT / "tests" / "fixtures" / "search"
QUERIES = FIXTURES / "queries.yaml"
SearchIds = Callable[[str, int], list[str]]
Judged = Callable[[str, int], list[tuple[str, bool]]]


class GermanWhoosh:
    """Whoosh's own German option: LanguageAnalyzer('de') on every field, words OR-ed."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index the raw text of every field with the stemming German analyzer."""
        analyzer = LanguageAnalyzer("de")
        fields = {name: TEXT(analyzer=analyzer) for name in indexer.TEXT_FIELDS}
        ix = ram_index(Schema(id=ID(stored=True), **fields))
        writer = ix.writer()
        for article in kb.articles.values():
            writer.add_document(
                id=article.id, **indexer.field_texts(article, kb.office_for(article))
            )
        writer.commit()
        self._parser = MultifieldParser(list(indexer.TEXT_FIELDS), ix.schema, group=OrGroup)
        self._searcher = ix.searcher()

    def search_ids(self, text: str, limit: int = 10) -> list[str]:
        """Ids best first; parser errors count as misses."""
        try:
            return [h["id"] for h in self._searcher.search(self._parser.parse(text), limit=limit)]
        except Exception:
            return []


@contextmanager
def ours(
    kb: KnowledgeBase, synonyms: Path | None = KB_ROOT / "synonyms.yaml"
) -> Iterator[SearchIds]:
    """A freshly built index of `kb` (inside whatever patches are active)."""
    folder = Path(tempfile.mkdtemp(prefix="lotse-quality-"))
    searcher = IndexSearcher.open(kb, folder / "index", synonyms)
    try:
        yield lambda text, n: [h.id for h in searcher.search(text, n)]
    finally:
        searcher.close()
        shutil.rmtree(folder, ignore_errors=True)


def row(name: str, search: SearchIds, queries: list[LabelledQuery]) -> None:
    """Print one figure line."""
    print(evaluate(search, queries).summary(f"{name:48}"))


def verbatim(kb: KnowledgeBase, labelled: LabelledQuery) -> bool:
    """True when the query is, letter for letter, its article's title or one of its synonyms."""
    article = kb.articles[labelled.id]
    names = {name.lower().strip() for name in (article.title, *article.synonyms)}
    return labelled.q.lower().strip() in names


def main() -> None:
    """Measure every variant on the same queries."""
    kb = load(KB_ROOT)
    queries = parse_queries(yaml.safe_load(QUERIES.read_text(encoding="utf-8")))
    print(f"{len(kb.articles)} articles, {len(queries)} labelled queries")
    unseen = [q for q in queries if not verbatim(kb, q)]
    fuzzy = FuzzyBaseline(kb)
    with ours(kb) as search:
        row("lotse (full)", search, queries)
        row("lotse, tuning half (even entries)", search, queries[0::2])
        row("lotse, held-out half (odd entries)", search, queries[1::2])
        row("lotse, queries not verbatim in KB names", search, unseen)
    row("rapidfuzz scan, queries not verbatim in KB names", fuzzy.search_ids, unseen)
    no_split = mock.patch.object(query, "_compound_terms", return_value=[])
    with mock.patch.object(indexer, "vocabulary", return_value=set()), no_split, ours(kb) as s:
        row("no compound splitting", s, queries)
    with no_split, ours(kb) as search:
        row("compound splitting at index time only", search, queries)
    with (
        mock.patch.object(Lexicon, "correct", return_value=[]),
        mock.patch.object(Lexicon, "correct_prefix", return_value=[]),
        ours(kb) as search,
    ):
        row("no typo correction", search, queries)
    with mock.patch.object(rank, "W_FUZZ", 0.0), ours(kb) as search:
        row("no rapidfuzz fusion (full text only)", search, queries)
    with ours(kb, synonyms=None) as search:
        row("no central synonym list", search, queries)
    row("whoosh LanguageAnalyzer('de'), all fields, OR", GermanWhoosh(kb).search_ids, queries)
    row("baseline: whoosh BM25 defaults, title+body", Bm25Baseline(kb).search_ids, queries)
    row("baseline: rapidfuzz scan, titles+synonyms", fuzzy.search_ids, queries)
    confidence_rows(kb, queries)


def labelled(name: str) -> list[LabelledQuery]:
    """A labelled set of the fixtures folder."""
    return parse_queries(yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")))


@contextmanager
def judged(kb: KnowledgeBase) -> Iterator[Judged]:
    """A freshly built index of `kb` whose hits say whether they are high."""
    folder = Path(tempfile.mkdtemp(prefix="lotse-quality-"))
    searcher = IndexSearcher.open(kb, folder / "index", KB_ROOT / "synonyms.yaml")
    try:
        yield lambda text, n: [(h.id, h.high) for h in searcher.search(text, n)]
    finally:
        searcher.close()
        shutil.rmtree(folder, ignore_errors=True)


def confidence_rows(kb: KnowledgeBase, queries: list[LabelledQuery]) -> None:
    """The confidence figures per set and part, then for ablations of the rule."""
    unanswerable, fresh = labelled("unanswerable.yaml"), labelled("fresh.yaml")
    sets = {
        "answerable, tuning half (even)": queries[0::2],
        "answerable, held-out half (odd)": queries[1::2],
        **{f"unanswerable, {name}": part for name, part in parts(unanswerable).items()},
        "fresh (answerable and not)": fresh,
    }
    print("\nconfidence")
    with judged(kb) as search:
        for name, part in sets.items():
            print(judge_queries(search, part).summary(f"{name:48}"))
    every = sum(FIELD_BITS.values())
    masks = searcher_module.CONFIDENCE_MASKS
    ablations = {
        "no generic words": mock.patch.object(GenericWords, "is_generic", return_value=False),
        "no name anchor": mock.patch.object(
            searcher_module, "CONFIDENCE_MASKS", Masks(masks.cover, masks.cover)
        ),
        "every field covers a word": mock.patch.object(
            searcher_module, "CONFIDENCE_MASKS", Masks(every, masks.name)
        ),
        "no allowance for long questions": mock.patch.object(confidence, "LONG_QUESTION", 99),
    }
    everything = queries + unanswerable + fresh
    for name, patch in ablations.items():
        with patch, judged(kb) as search:
            print(judge_queries(search, everything).summary(f"{'all sets, ' + name:48}"))


if __name__ == "__main__":
    main()
