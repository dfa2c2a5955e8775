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


def _with_synonym(kb: KnowledgeBase, article_id: str, word: str) -> KnowledgeBase:
    base = kb.articles[article_id]
    changed = base.model_copy(update={"synonyms": [*base.synonyms, word]})
    return dataclasses.replace(kb, articles={**kb.articles, article_id: changed})


def _keys(kb: KnowledgeBase, article_id: str) -> list[str]:
    """The article's base document and its towns' versions."""
    return [version.key for version in indexer.versions_of(kb, article_id)]


def test_updates_are_journalled_and_replayed_on_open(
    sample_kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    files = build_index(sample_kb, folder)
    manifest = (folder / indexer.MANIFEST).read_text(encoding="utf-8")
    kb = _with_synonym(sample_kb, "hund-anmelden", "Vierbeinerwort")
    indexer.update_documents(files, kb, _keys(kb, "hund-anmelden"))
    files.index.close()
    assert (folder / indexer.MANIFEST).read_text(encoding="utf-8") == manifest
    assert "vierbeinerwort" in (folder / indexer.JOURNAL).read_text(encoding="utf-8")
    reopened = indexer.ensure_index(kb, folder)
    assert reopened.status.action == "opened" and "vierbeinerwort" in reopened.vocab
    reopened.index.close()


def test_a_journal_line_cut_short_reindexes_its_documents(
    sample_kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    files = build_index(sample_kb, folder)
    kb = _with_synonym(sample_kb, "hund-anmelden", "Vierbeinerwort")
    indexer.update_documents(files, kb, _keys(kb, "hund-anmelden"))
    files.index.close()
    journal = folder / indexer.JOURNAL
    journal.write_text(journal.read_text(encoding="utf-8")[:-9], encoding="utf-8")  # a crash
    reopened = indexer.ensure_index(kb, folder)
    assert reopened.status.action == "updated" and "hund-anmelden" in reopened.status.changed
    reopened.index.close()
    assert indexer.ensure_index(kb, folder).status.action == "opened"


def test_a_long_journal_is_folded_into_the_manifest(
    sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer, "MAX_JOURNAL", 1)
    folder = tmp_path / "index"
    files = build_index(sample_kb, folder)
    first = _with_synonym(sample_kb, "hund-anmelden", "Vierbeinerwort")
    indexer.update_documents(files, first, _keys(first, "hund-anmelden"))
    assert (folder / indexer.JOURNAL).exists()
    second = _with_synonym(first, "sperrmuell", "Gerümpelwort")
    indexer.update_documents(files, second, _keys(second, "sperrmuell"))
    assert not (folder / indexer.JOURNAL).exists()
    assert "gerumpelwort" in (folder / indexer.VOCABULARY).read_text(encoding="utf-8")
    files.index.close()
    assert indexer.ensure_index(second, folder).status.action == "opened"
