"""The two baselines the search must beat: plain Whoosh BM25 and a rapidfuzz name scan."""

from __future__ import annotations

import uuid
from typing import Any

from rapidfuzz import fuzz, process, utils
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser

from kb.loader import KnowledgeBase


def ram_index(schema: Schema) -> Any:
    """A Whoosh index in memory whose writer spools to a folder of its own.

    Whoosh's writer spools to `<tempdir>/<index name>.tmp` and deletes that folder on commit;
    with the default name ("MAIN") two processes building one at the same time share it and
    one commit removes the other's spool. A unique name per index keeps them apart.
    """
    return RamStorage().create_index(schema, indexname=f"lotse-{uuid.uuid4().hex}")


class Bm25Baseline:
    """Whoosh defaults: StandardAnalyzer, BM25F, MultifieldParser over title and body (AND)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index every article's title and body text in memory."""
        self._index = ram_index(Schema(id=ID(stored=True), title=TEXT, body=TEXT))
        writer = self._index.writer()
        for article in kb.articles.values():
            body = " ".join([article.short_answer, article.description, *article.procedure])
            writer.add_document(id=article.id, title=article.title, body=body)
        writer.commit()
        self._parser = MultifieldParser(["title", "body"], self._index.schema)
        self._searcher = self._index.searcher()

    def search_ids(self, text: str, limit: int = 10) -> list[str]:
        """Article ids for `text`, best first; unparsable input finds nothing."""
        try:
            query = self._parser.parse(text)
            return [hit["id"] for hit in self._searcher.search(query, limit=limit)]
        except Exception:  # the baseline is measured as-is; its parser errors count as misses
            return []


class FuzzyBaseline:
    """rapidfuzz WRatio scan over every title and synonym; an article scores its best name."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Collect (name, id) pairs."""
        self._names: list[str] = []
        self._ids: list[str] = []
        for article in kb.articles.values():
            for name in (article.title, *article.synonyms):
                self._names.append(name)
                self._ids.append(article.id)

    def search_ids(self, text: str, limit: int = 10) -> list[str]:
        """Article ids whose best name is most similar to `text`, best first."""
        found = process.extract(
            text,
            self._names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 8,
        )
        out: list[str] = []
        for _, _, index in found:
            if self._ids[index] not in out:
                out.append(self._ids[index])
        return out[:limit]
