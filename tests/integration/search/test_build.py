"""A full build's fast path writes what Whoosh's own path writes: the same postings and lengths."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT
from whoosh.query import Term

from kb.loader import KnowledgeBase
from search import indexer, segment
from search.analysis import analyze
from search.indexer import TEXT_FIELDS, build_index


class _PlainTerms:
    """Analysis without the build's word cache."""

    def __init__(self, vocab: frozenset[str]) -> None:
        self.vocab = vocab

    def analyze(self, text: str) -> str:
        return analyze(text, self.vocab)


def _contents(index_dir: Path) -> dict[str, Any]:
    index = whoosh_index.open_dir(str(index_dir))
    with index.searcher() as searcher:
        reader = searcher.reader()
        out: dict[str, Any] = {"docs": reader.doc_count_all()}
        for name in TEXT_FIELDS:
            out[name] = {
                term: sorted(reader.postings(name, term).items_as("weight"))
                for term, _ in reader.iter_field(name)
            }
            out[f"{name} lengths"] = [
                reader.doc_field_length(doc, name, 0) for doc in range(out["docs"])
            ]
    index.close()
    return out


def test_fast_build_writes_what_whoosh_writes(
    sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(sample_kb, tmp_path / "fast").index.close()
    with monkeypatch.context() as patched:
        patched.setattr(indexer, "TermCache", _PlainTerms)
        patched.setattr(indexer, "use_known_lengths", lambda writer, lengths: None)
        patched.setattr(indexer, "use_compact_pool", lambda writer: None)
        patched.setattr(indexer, "PreAnalyzedText", TEXT)
        build_index(sample_kb, tmp_path / "whoosh").index.close()
    fast, plain = _contents(tmp_path / "fast"), _contents(tmp_path / "whoosh")
    assert fast["docs"] == len(list(indexer.versions(sample_kb))) > len(sample_kb.articles)
    assert any(fast["body lengths"]) and fast["title"]
    assert fast == plain


def test_known_lengths_fall_back_to_the_segment_for_other_fields() -> None:
    class Reader:
        def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
            return 42

    lengths = segment.KnownLengths(Reader(), {"title": [3, 0, 300]})
    assert lengths.doc_field_length(0, "title") == 3
    assert lengths.doc_field_length(1, "title", 7) == 7  # no length: the default
    assert lengths.doc_field_length(2, "title") == 302  # Whoosh's one-byte rounding of 300
    assert lengths.doc_field_length(0, "body") == 42


def test_an_article_and_its_towns_versions_are_updated_in_one_commit(
    sample_kb: KnowledgeBase, tmp_path: Path
) -> None:
    files = build_index(sample_kb, tmp_path / "index")
    keys = [v.key for v in indexer.versions_of(sample_kb, "hund-anmelden")]
    assert len(keys) > 1  # the base and Beispielheim's and Ortsdorf's versions
    base = sample_kb.articles["hund-anmelden"]
    changed = base.model_copy(update={"synonyms": [*base.synonyms, "Vierbeiner"]})
    kb = dataclasses.replace(sample_kb, articles={**sample_kb.articles, base.id: changed})
    generation = files.index.latest_generation()
    terms = indexer.update_documents(files, kb, [*keys, "gone-article"])
    assert files.index.latest_generation() == generation + 1
    assert all("vierbein" in found for found in terms[:-1]) and terms[-1] == set()
    with files.index.searcher() as searcher:
        holding = {searcher.stored_fields(d)["id"] for d in searcher.document_numbers()}
        found = {
            searcher.stored_fields(doc)["id"]
            for doc in searcher.docs_for_query(Term("synonyms", "vierbein"))
        }
    assert found == set(keys) and "gone-article" not in holding
    files.index.close()
