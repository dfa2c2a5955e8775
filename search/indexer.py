"""The only index writer (and the package's I/O module): build, check, update the Whoosh index."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, STORED, Schema
from whoosh.index import Index

from kb.loader import KnowledgeBase, UnreadableFile, read_yaml
from kb.models import Article, Office
from search.analysis import ANALYZER_VERSION, TermCache, vocabulary
from search.exceptions import IndexUnavailable, SynonymError
from search.generic import GenericWords, parse_generic
from search.segment import PreAnalyzedText, term_count, use_compact_pool, use_known_lengths
from search.synonyms import SynonymTable, build_table, parse_groups

log = logging.getLogger(__name__)

#: The analysed text fields, in the order documents are built.
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "synonyms",
    "short_answer",
    "documents",
    "procedure",
    "body",
    "office",
    "category",
)
#: Article fields an indexed field is made of: an overlay setting one of them reads differently
#: and gets a document of its own (an office-only overlay shares the base's document).
SOURCE_FIELDS = frozenset(
    {"title", "synonyms", "short_answer", "documents", "procedure", "description",
     "prerequisites", "deadlines", "category", "tags"}
)  # fmt: skip
#: Kinds of documents: a base article, a municipality's version of one, a municipality's own
#: service.
Kind = Literal["base", "overlay", "local"]
#: Bumped when the index's fields change: an index of another format is rebuilt.
SCHEMA_VERSION = 2
MANIFEST = "lotse-manifest.json"
VOCABULARY = "lotse-vocabulary.txt"
#: In-place updates append their documents' hashes and new words here, one JSON line per
#: update, instead of rewriting manifest and vocabulary (~90 ms at 100,000 documents).
JOURNAL = "lotse-manifest.journal"
#: Past this many journal lines, an update rewrites manifest and vocabulary whole.
MAX_JOURNAL = 500
#: More changed articles than this (or than a tenth of the KB) trigger a full rebuild.
MAX_IN_PLACE = 20


def schema() -> Schema:
    """Pre-analysed text fields (see `search.analysis.analyze`) plus stored display data."""
    text = {
        name: PreAnalyzedText(analyzer=SpaceSeparatedTokenizer(), phrase=False)
        for name in TEXT_FIELDS
    }
    return Schema(
        id=ID(stored=True, unique=True), leika=ID, kind=ID, municipality=ID, display=STORED, **text
    )


@dataclass(frozen=True)
class Version:
    """One indexed document: an article as it holds in the base or in one municipality."""

    key: str
    """The document's unique key: the article id, or `<article>@<municipality>`."""
    article: Article
    municipality: str | None
    kind: Kind


def version_key(article_id: str, municipality: str | None) -> str:
    """The index key of an article's base document (None) or of a municipality's version."""
    return article_id if municipality is None else f"{article_id}@{municipality}"


def versions(kb: KnowledgeBase) -> Iterator[Version]:
    """Every indexed document: the base articles, then each municipality's versions that read
    differently from the base and its own services."""
    for article in kb.articles.values():
        yield Version(article.id, article, None, "base")
    for place in sorted(kb.overlays.keys() & kb.municipalities.keys()):
        for article_id in sorted(kb.overlays[place]):
            version = _local_version(kb, place, article_id)
            if version is not None:
                yield version


def versions_of(kb: KnowledgeBase, article_id: str) -> list[Version]:
    """The documents of one article id: its base document and its municipalities' versions."""
    base = kb.articles.get(article_id)
    found = [Version(article_id, base, None, "base")] if base is not None else []
    for place in sorted(kb.overlays.keys() & kb.municipalities.keys()):
        version = _local_version(kb, place, article_id)
        if version is not None:
            found.append(version)
    return found


def find_version(kb: KnowledgeBase, key: str) -> Version | None:
    """The document `key` stands for in this KB, or None when it is not indexed (any more)."""
    article_id, _, place = key.partition("@")
    if not place:
        article = kb.articles.get(article_id)
        return Version(key, article, None, "base") if article is not None else None
    return _local_version(kb, place, article_id) if place in kb.municipalities else None


def _local_version(kb: KnowledgeBase, place: str, article_id: str) -> Version | None:
    """A municipality's own document of an article: its local service, or an overlay that
    changes indexed text; None when the base document serves it."""
    overlay = kb.overlays.get(place, {}).get(article_id)
    if overlay is None or not (overlay.local_only or overlay.fields & SOURCE_FIELDS):
        return None
    article = kb.article_for(article_id, place)
    if article is None:
        return None
    kind: Kind = "local" if overlay.local_only else "overlay"
    return Version(version_key(article_id, place), article, place, kind)


def field_texts(article: Article, office: Office | None) -> dict[str, str]:
    """The raw text of each indexed field of an article."""
    return {
        "title": article.title,
        "synonyms": "\n".join(article.synonyms),
        "short_answer": article.short_answer,
        "documents": "\n".join(f"{d.name} {d.condition or ''}" for d in article.documents),
        "procedure": "\n".join(article.procedure),
        "body": "\n".join(
            [article.description, *article.prerequisites]
            + [d.description for d in article.deadlines]
        ),
        "office": office.name if office else "",
        "category": " ".join([article.category, *article.tags]),
    }


def article_hash(article: Article, office: Office | None) -> str:
    """Content hash of what the index holds for one article (its office's name included)."""
    payload = article.model_dump_json() + "\0" + (office.name if office else "")
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def fingerprint(kb: KnowledgeBase) -> dict[str, str]:
    """Document key -> content hash, over the whole KB (base and municipalities' versions)."""
    return {
        v.key: article_hash(v.article, kb.office_for(v.article))
        for v in sorted(versions(kb), key=lambda v: v.key)
    }


@dataclass(frozen=True)
class IndexStatus:
    """What `ensure_index` did, for logs and the console's notice."""

    action: str
    """`opened`, `built`, `rebuilt` or `updated`."""
    reason: str = ""
    """Why (e.g. `index corrupt: ...`, `knowledge base changed`)."""
    changed: tuple[str, ...] = ()
    """Document keys updated in place (article ids; `<article>@<municipality>` for versions)."""
    warning: bool = False
    """True when the index was missing or corrupt and had to be rebuilt: show a notice."""

    @property
    def notice(self) -> str | None:
        """German notice for the agent when the index had to be repaired, else None."""
        if not self.warning:
            return None
        return "Der Suchindex war beschädigt oder fehlte und wurde neu aufgebaut."


@dataclass
class IndexFiles:
    """An opened index with its sidecar data."""

    index: Index
    vocab: frozenset[str]
    hashes: dict[str, str] = field(default_factory=dict)
    status: IndexStatus = field(default_factory=lambda: IndexStatus("opened"))
    journal: int = 0
    """Lines in the journal (see `JOURNAL`)."""


def ensure_index(kb: KnowledgeBase, index_dir: Path) -> IndexFiles:
    """Open the index for `kb`, building, repairing or updating it as needed.

    Raises:
        IndexUnavailable: the directory cannot be written.
    """
    wanted = fingerprint(kb)
    try:
        opened = _open(index_dir)
    except _Broken as exc:
        existed = index_dir.exists() and any(index_dir.iterdir())
        if existed:
            log.warning("search index at %s unusable (%s); rebuilding", index_dir, exc)
        damaged = existed and not isinstance(exc, _Outdated)
        status = IndexStatus("rebuilt" if existed else "built", str(exc), warning=damaged)
        return build_index(kb, index_dir, status)
    if opened.hashes == wanted:
        return opened
    changed = sorted(
        k for k in wanted.keys() | opened.hashes.keys() if wanted.get(k) != opened.hashes.get(k)
    )
    if len(changed) > max(MAX_IN_PLACE, len(wanted) // 10):
        opened.index.close()
        return build_index(kb, index_dir, IndexStatus("rebuilt", "knowledge base changed"))
    update_documents(opened, kb, changed)
    opened.status = IndexStatus("updated", "knowledge base changed", tuple(changed))
    return opened


class _Broken(Exception):
    """The index directory does not hold a complete, readable index of this analyzer version."""


class _Outdated(_Broken):
    """A sound index of an older analyzer or schema: rebuilt without a notice to the agent."""


def _open(index_dir: Path) -> IndexFiles:
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("analyzer") != ANALYZER_VERSION:
            raise _Outdated("analyzer version changed")
        if manifest.get("schema", 1) != SCHEMA_VERSION:
            raise _Outdated("index schema changed")
        vocab = frozenset((index_dir / VOCABULARY).read_text(encoding="utf-8").split())
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.searcher() as searcher:
            searcher.doc_count()
        hashes = manifest["articles"]
        if not isinstance(hashes, dict):
            raise _Broken("manifest has no article hashes")
        hashes, words, lines = _replay(index_dir / JOURNAL, dict(hashes))
    except _Broken:
        raise
    except FileNotFoundError as exc:
        raise _Broken(f"missing {Path(exc.filename or '?').name}") from exc
    except Exception as exc:  # whoosh raises many kinds on damaged files
        raise _Broken(f"{type(exc).__name__}: {exc}") from exc
    return IndexFiles(ix, vocab | words, hashes, journal=lines)


def _replay(path: Path, hashes: dict[str, str]) -> tuple[dict[str, str], frozenset[str], int]:
    """The manifest's hashes with the journal's updates applied, its new words, its lines.

    A line cut short by a crash ends the replay: its documents keep their old hash, so this
    open finds them changed and indexes them again, and (counted as a full journal) that update
    rewrites the sidecars whole, leaving no broken line to append to.
    """
    if not path.exists():
        return hashes, frozenset(), 0
    words: set[str] = set()
    lines = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            changed, new_words = dict(entry["hashes"]), list(entry["words"])
        except (ValueError, KeyError, TypeError):
            return hashes, frozenset(words), MAX_JOURNAL
        for key, value in changed.items():
            if value is None:
                hashes.pop(key, None)
            else:
                hashes[key] = value
        words.update(new_words)
        lines += 1
    return hashes, frozenset(words), lines


def build_index(
    kb: KnowledgeBase, index_dir: Path, status: IndexStatus | None = None
) -> IndexFiles:
    """Build a fresh index in a sibling folder and swap it in; returns it opened."""
    vocab = frozenset(vocabulary(dict.fromkeys(_all_texts(kb))))  # many texts repeat
    staging = index_dir.with_name(f"{index_dir.name}.building-{os.getpid()}")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        ix = whoosh_index.create_in(str(staging), schema())
        writer = ix.writer()
        use_compact_pool(writer)
        terms = TermCache(vocab)
        lengths: dict[str, list[int]] = {name: [] for name in TEXT_FIELDS}
        for version in versions(kb):
            doc = _document(version, kb.office_for(version.article), terms)
            writer.add_document(**doc)
            for name in TEXT_FIELDS:
                lengths[name].append(term_count(str(doc[name])))
        use_known_lengths(writer, lengths)
        writer.commit()
        ix.close()
        hashes = fingerprint(kb)
        _write_sidecars(staging, vocab, hashes)
        shutil.rmtree(index_dir, ignore_errors=True)
        staging.rename(index_dir)
        ix = whoosh_index.open_dir(str(index_dir))
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise IndexUnavailable(f"cannot build the search index in {index_dir}: {exc}") from exc
    log.info("built search index of %d documents in %s", len(hashes), index_dir)
    return IndexFiles(ix, vocab, hashes, status or IndexStatus("built"))


def update_documents(files: IndexFiles, kb: KnowledgeBase, keys: Sequence[str]) -> list[set[str]]:
    """Re-index documents in place (deleting those gone) in one commit; the indexed terms of
    each, in order.

    One commit and one write of the sidecars for an article and all its towns' versions: per
    document, they cost ~60 ms each at 20,000 documents (the manifest holds every hash).
    """
    old_vocab = files.vocab
    found = [(key, find_version(kb, key)) for key in keys]
    offices = {key: kb.office_for(v.article) for key, v in found if v is not None}
    texts = [  # as in _all_texts: towns' versions of base articles add no words
        text
        for key, version in found
        if version is not None and version.kind != "overlay"
        for text in field_texts(version.article, offices[key]).values()
    ]
    files.vocab = files.vocab | (vocabulary(texts) - files.vocab)
    analyse = TermCache(files.vocab)
    writer = files.index.writer()
    out: list[set[str]] = []
    for key, version in found:
        if version is None:
            writer.delete_by_term("id", key)
            files.hashes.pop(key, None)
            out.append(set())
            continue
        doc = _document(version, offices[key], analyse)
        writer.update_document(**doc)
        out.append({t for name in TEXT_FIELDS for t in str(doc[name]).split()})
        files.hashes[key] = article_hash(version.article, offices[key])
    writer.commit(merge=False)
    changed = {key: files.hashes.get(key) for key in keys}
    _journal(files, changed, files.vocab - old_vocab)
    return out


def _journal(files: IndexFiles, changed: dict[str, str | None], words: frozenset[str]) -> None:
    """Record an in-place update (or, past `MAX_JOURNAL` lines, rewrite the sidecars whole)."""
    folder = Path(files.index.storage.folder)
    if files.journal >= MAX_JOURNAL:
        _write_sidecars(folder, files.vocab, files.hashes)
        files.journal = 0
        return
    line = json.dumps({"hashes": changed, "words": sorted(words)}, ensure_ascii=False)
    with (folder / JOURNAL).open("a", encoding="utf-8") as journal:
        journal.write(line + "\n")
    files.journal += 1


def _document(version: Version, office: Office | None, terms: TermCache) -> dict[str, object]:
    article = version.article
    texts = field_texts(article, office)
    doc: dict[str, object] = {name: terms.analyze(texts[name]) for name in TEXT_FIELDS}
    display = {"title": article.title, "synonyms": article.synonyms, "office": article.office,
               "article": article.id, "municipality": version.municipality}  # fmt: skip
    doc.update(
        id=version.key,
        leika=article.leika or "",
        kind=version.kind,
        municipality=version.municipality or "",
        display=display,
    )
    return doc


def _all_texts(kb: KnowledgeBase) -> Iterator[str]:
    """The texts the vocabulary (compound splitting) is built from: the base's and the towns'
    own services, not the towns' versions of base articles (a word in one town's text would
    otherwise change how every article is analysed)."""
    for version in versions(kb):
        if version.kind != "overlay":
            yield from field_texts(version.article, kb.office_for(version.article)).values()


def _write_sidecars(folder: Path, vocab: frozenset[str], hashes: dict[str, str]) -> None:
    (folder / JOURNAL).unlink(missing_ok=True)  # without it, the old manifest is merely stale
    (folder / VOCABULARY).write_text("\n".join(sorted(vocab)), encoding="utf-8")
    manifest = {"analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION, "articles": hashes}
    tmp = folder / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / MANIFEST)


def read_word_lists(path: Path | None) -> tuple[SynonymTable, GenericWords]:
    """The central word file: its synonym table and the generic words (built-in ones plus its
    `generic:` list); no synonyms and the built-in generic words without a file.

    Read like every KB file (kb.loader: bounded, strict YAML), so a broken file is one line.
    """
    if path is None or not path.is_file():
        return {}, GenericWords.of()
    try:
        data = read_yaml(path)
    except UnreadableFile as exc:
        raise SynonymError(f"{path}:{exc.line}:{exc.column}: {exc}") from exc
    return build_table(parse_groups(data)), GenericWords.of(parse_generic(data))
