"""The real Searcher: plans the query, runs it on the Whoosh index, fuses and decorates hits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz import fuzz, process
from whoosh.query import Term

from kb.hours import OpenState, open_state
from kb.loader import KnowledgeBase
from search.analysis import fold, query_words, stem, tokens
from search.confidence import Masks, judge, specific_positions
from search.generic import GenericWords
from search.indexer import (
    TEXT_FIELDS,
    IndexFiles,
    IndexStatus,
    ensure_index,
    read_word_lists,
    update_documents,
    version_key,
    versions_of,
)
from search.postings import PostingsReader
from search.protocol import Hit
from search.query import Position, QueryPlan, plan_query, suggestion
from search.rank import Candidate, rank
from search.scoring import FieldPostings, Impacts, accumulate, term_impacts
from search.spelling import Lexicon
from search.synonyms import SynonymTable

Clock = Callable[[], datetime]

#: Query-time field boosts (tuned on the labelled set; see bench/README.md, "Search").
FIELD_BOOSTS: dict[str, float] = {
    "title": 4.0,
    "synonyms": 4.0,
    "short_answer": 1.5,
    "documents": 0.4,
    "procedure": 0.5,
    "body": 1.0,
    "office": 0.8,
    "category": 1.0,
}
#: One bit per text field, for the matched-fields mask of a document.
FIELD_BITS: dict[str, int] = {name: 1 << n for n, name in enumerate(TEXT_FIELDS)}
#: Fields in which a query word counts as covered by an article (see `search.confidence`).
COVERING_FIELDS: tuple[str, ...] = ("title", "synonyms", "short_answer", "body", "category")
#: Fields that name the article: one of them must cover a specific word of a high hit.
NAME_FIELDS: tuple[str, ...] = ("title", "synonyms")
CONFIDENCE_MASKS = Masks(
    cover=sum(FIELD_BITS[name] for name in COVERING_FIELDS),
    name=sum(FIELD_BITS[name] for name in NAME_FIELDS),
)
#: Terms whose impacts are kept in memory between keystrokes.
IMPACT_CACHE = 20_000
#: How many full-text candidates are re-ranked.
CANDIDATES = 30
#: How many of each query word's own best documents join the candidates (see `accumulate`).
PER_POSITION = 10
#: Lowest rapidfuzz score (0..100) for the name-scan fallback when full text finds nothing.
FALLBACK_CUTOFF = 75
#: Shorter input never goes to the name scan (it is slow on large KBs and says little).
FALLBACK_MIN_LENGTH = 5
#: Name scans kept for repeated input (see `IndexSearcher._fallback`).
FALLBACK_SCANS = 256


def _utc_now() -> datetime:
    return datetime.now(UTC)


class IndexSearcher:
    """Search-as-you-type over a Whoosh index of the knowledge base (implements `Searcher`)."""

    def __init__(
        self,
        files: IndexFiles,
        kb: KnowledgeBase,
        synonyms: SynonymTable | None = None,
        clock: Clock = _utc_now,
        generic: GenericWords | None = None,
    ) -> None:
        """Use `IndexSearcher.open` unless you already hold opened index files."""
        self._files = files
        self._kb = kb
        self._synonyms = synonyms or {}
        self._generic = generic or GenericWords.of()
        self._clock = clock
        self._lock = threading.Lock()
        self._searcher = files.index.searcher()
        self._lexicon = _read_lexicon(self._searcher)
        self._versions: frozenset[int] | None = None
        self._postings = PostingsReader(self._searcher.reader(), TEXT_FIELDS,
                                        unaveraged=self._overlay_docs())  # fmt: skip
        self._impact_cache: dict[str, Impacts] = {}
        self._docs: dict[int, tuple[str, tuple[str, ...], str | None]] = {}
        self._hidden: dict[str | None, frozenset[int]] = {}
        self._surface: dict[str, str] | None = None
        self._names: list[tuple[str, list[tuple[str, str | None]]]] | None = None
        """Each distinct folded name with the (article, owner) pairs that have it."""
        self._name_choices: list[str] = []
        self._scans: dict[str, dict[tuple[str, str | None], float]] = {}

    @classmethod
    def open(
        cls,
        kb: KnowledgeBase,
        index_dir: Path,
        synonyms_file: Path | None = None,
        clock: Clock = _utc_now,
    ) -> IndexSearcher:
        """Open (building, repairing or updating as needed) the index of `kb` in `index_dir`.

        `synonyms_file` is the central word file: synonym groups and generic words.

        Raises:
            IndexUnavailable: the index directory cannot be written.
            SynonymError: the synonym file is malformed.
        """
        synonyms, generic = read_word_lists(synonyms_file)
        return cls(ensure_index(kb, index_dir), kb, synonyms, clock, generic)

    @property
    def status(self) -> IndexStatus:
        """What opening the index did; `status.notice` is set when it had to be repaired."""
        return self._files.status

    def plan(self, text: str) -> QueryPlan:
        """The analysed query (exposed for the CLI's explanations and tests)."""
        return plan_query(text, self._lexicon, self._files.vocab, self._synonyms)

    def search(self, text: str, limit: int = 10, municipality: str | None = None) -> list[Hit]:
        """Hits for `text`, best first; an empty list for empty or meaningless input.

        With a municipality (an id of `KnowledgeBase.municipalities`), each hit is that
        municipality's version (its text, office and open-now), and its services rank before
        other municipalities' own services. Without one (or with an unknown id), the base.
        """
        limit = max(0, min(limit, 200))
        place = municipality if municipality in self._kb.municipalities else None
        with self._lock:  # an in-place update swaps the reader and grows the lexicon
            plan = self.plan(text)
            candidates = self._candidates(plan, text, max(limit, CANDIDATES), place)
            if not candidates and plan.positions and len(fold(text).strip()) >= FALLBACK_MIN_LENGTH:
                candidates = self._fallback(text, place)
            specific = specific_positions(plan, self._generic, self._files.vocab)
        ranked = rank(candidates, plan, text)[:limit]
        now = self._clock()
        states: dict[str, OpenState | None] = {}
        return [self._hit(cand, score, now, states, specific, place) for cand, score in ranked]

    def warm_up(self) -> None:
        """Run one search through every path so the first keystroke pays no import costs."""
        self.search("ausweis", 3)
        self.suggest("ausweis")
        self._fallback("ausweis")  # builds the name list of the fallback scan

    def suggest(self, text: str) -> str | None:
        """The "Meinten Sie …?" text: the query with misspelt words corrected, or None."""
        if self._surface is None:
            self._surface = _surface_forms(self._kb)
        with self._lock:
            plan = self.plan(text)
        return suggestion(text, plan, self._surface)

    def update(self, kb: KnowledgeBase, article_id: str) -> None:
        """Re-index one changed (or removed) article in place, with its municipalities'
        versions, and search the new state."""
        with self._lock:
            places = self._kb.municipalities.keys() | kb.municipalities.keys()
            self._kb = kb
            keys = {article_id} | {v.key for v in versions_of(kb, article_id)}
            indexed = (version_key(article_id, place) for place in places)
            keys |= {key for key in indexed if key in self._files.hashes}
            for terms in update_documents(self._files, kb, sorted(keys)):
                self._lexicon.add(terms)
            self._searcher.close()
            self._searcher = self._files.index.searcher()  # refresh() misses deletions
            self._postings = PostingsReader(self._searcher.reader(), TEXT_FIELDS, self._postings)
            self._impact_cache.clear()
            self._docs.clear()
            self._hidden.clear()
            self._versions = None
            self._names = None

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()
        self._files.index.close()

    def _candidates(
        self, plan: QueryPlan, text: str, limit: int, place: str | None
    ) -> list[Candidate]:
        by_position = [
            [(self._impacts(alt.term), alt.weight) for alt in position.alternatives]
            for position in plan.positions
        ]
        weighted = [pair for alternatives in by_position for pair in alternatives]
        top = accumulate(by_position, limit, PER_POSITION, self._hidden_for(place))
        out = []
        for doc, score in top:
            article_id, names, owner = self._document(doc)
            terms = [
                t
                for (impacts, _), t in zip(weighted, self._terms(plan), strict=True)
                if doc in impacts.scores
            ]
            term_fields: dict[str, int] = {}
            for (impacts, _), term in zip(weighted, self._terms(plan), strict=True):
                if doc in impacts.fields:
                    term_fields[term] = term_fields.get(term, 0) | impacts.fields[doc]
            bits = 0
            for mask in term_fields.values():
                bits |= mask
            fields = frozenset(name for name, bit in FIELD_BITS.items() if bits & bit)
            foreign = owner not in (None, place)
            cand = Candidate(article_id, score, frozenset(terms), names, fields, term_fields)
            out.append(replace(cand, municipality=owner, foreign=foreign) if owner else cand)
        return self._with_leika(out, text)

    def _document(self, doc: int) -> tuple[str, tuple[str, ...], str | None]:
        """Article id, names (title, synonyms) and municipality (None: the base's) of a
        document number, cached."""
        cached = self._docs.get(doc)
        if cached is None:
            stored = self._postings.stored(doc)
            display = stored["display"]
            article_id = display.get("article", stored["id"])
            names = (display["title"], *display["synonyms"])
            cached = (article_id, names, display.get("municipality"))
            self._docs[doc] = cached
        return cached

    def _hidden_for(self, place: str | None) -> frozenset[int]:
        """Documents a search for `place` skips: other municipalities' versions of base
        articles, and the base documents `place` has versions of its own for."""
        hidden = self._hidden.get(place)
        if hidden is None:
            searcher = self._searcher
            overlays = self._overlay_docs()
            own = set(searcher.docs_for_query(Term("municipality", place))) if place else set()
            replaced = set()
            for doc in overlays & own:
                base = searcher.document_number(id=self._document(doc)[0])
                if base is not None:
                    replaced.add(base)
            hidden = frozenset((overlays - own) | replaced)
            self._hidden[place] = hidden
        return hidden

    def _overlay_docs(self) -> frozenset[int]:
        """The documents of towns' versions of base articles (not their own services)."""
        found = self._versions
        if found is None:
            found = frozenset(self._searcher.docs_for_query(Term("kind", "overlay")))
            self._versions = found
        return found

    @staticmethod
    def _terms(plan: QueryPlan) -> list[str]:
        return [alt.term for position in plan.positions for alt in position.alternatives]

    def _impacts(self, term: str) -> Impacts:
        cached = self._impact_cache.get(term)
        if cached is None:
            if len(self._impact_cache) > IMPACT_CACHE:
                self._impact_cache.clear()
            # A town's version of an article repeats most of its text: it takes no part in the
            # term statistics, or a word of an article many towns overlay would look common.
            versions = self._overlay_docs()
            fields = [
                FieldPostings(
                    name,
                    boost,
                    self._postings.frequencies(name, term),
                    self._postings.norms[name],
                )
                for name, boost in FIELD_BOOSTS.items()
            ]
            doc_count = max(1, self._postings.doc_count - len(versions))
            cached = term_impacts(fields, doc_count, FIELD_BITS, versions)
            self._impact_cache[term] = cached
        return cached

    def _with_leika(self, candidates: list[Candidate], text: str) -> list[Candidate]:
        """A 14-digit LeiKa key in the query puts its article first."""
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) != 14:
            return candidates
        matches = [a for a in self._kb.articles.values() if a.leika == digits]
        top = max((c.text_score for c in candidates), default=1.0) * 2
        found = [
            Candidate(a.id, top, frozenset({digits}), (a.title, *a.synonyms), frozenset({"leika"}))
            for a in matches
        ]
        return found + [c for c in candidates if c.id not in {a.id for a in matches}]

    def _fallback(self, text: str, place: str | None = None) -> list[Candidate]:
        """A rapidfuzz scan over titles and synonyms (the base's and every municipality's own
        services'), for input full text cannot place.

        The scan grows with the KB (~250 ms over 100,000 documents' names), so each distinct
        name is scanned once, with the query's words (stopwords left out), and a scan's result
        is kept for the same words: a caller's long question typed key by key repeats them.
        """
        if self._names is None:
            services = [(a, None) for a in self._kb.articles.values()] + [
                (a, m) for m in sorted(self._kb.municipalities)
                for a in self._kb.local_articles(m).values()
            ]  # fmt: skip
            owners: dict[str, list[tuple[str, str | None]]] = {}
            for service, owner in services:
                for name in (service.title, *service.synonyms):
                    owners.setdefault(fold(name), []).append((service.id, owner))
            self._names = list(owners.items())
            self._name_choices = [name for name, _ in self._names]
            self._scans.clear()
        scanned = " ".join(word.word for word in query_words(text)) or fold(text)
        best = self._scans.get(scanned)
        if best is None:
            found = process.extract(
                scanned,
                self._name_choices,
                scorer=fuzz.WRatio,
                score_cutoff=FALLBACK_CUTOFF,
                limit=CANDIDATES,
            )
            best = {}
            for _, score, index in found:
                for key in self._names[index][1]:
                    best[key] = max(best.get(key, 0.0), score / 100)
            if len(self._scans) >= FALLBACK_SCANS:
                self._scans.clear()
            self._scans[scanned] = best
        out = []
        for (aid, owner), score in best.items():
            article = self._kb.article_for(aid, owner)
            if article is not None:
                names = (article.title, *article.synonyms)
                out.append(Candidate(aid, score, frozenset(), names, municipality=owner,
                                     foreign=owner not in (None, place)))  # fmt: skip
        return out

    def _hit(
        self,
        cand: Candidate,
        score: float,
        now: datetime,
        states: dict[str, OpenState | None],
        specific: tuple[Position, ...],
        place: str | None = None,
    ) -> Hit:
        version = cand.municipality or place
        article = self._kb.article_for(cand.id, version)
        office = self._kb.office_for(article) if article else None
        if office is not None and office.id not in states:
            states[office.id] = open_state(office, now)
        fields = tuple(name for name in TEXT_FIELDS if name in cand.matched_fields)
        return Hit(
            id=cand.id,
            title=cand.names[0],
            score=score,
            matched_fields=fields,
            matched_terms=tuple(sorted(cand.matched_terms)),
            office_id=article.office if article else None,
            office_name=office.name if office else None,
            open_state=states.get(office.id) if office else None,
            confidence=judge(
                specific, cand.term_fields, CONFIDENCE_MASKS, by_key="leika" in cand.matched_fields
            ),
            municipality=version,
            local_fields=self._kb.local_fields(cand.id, version),
        )


def _read_lexicon(searcher: object) -> Lexicon:
    """Every term of the text fields with its summed document frequency."""
    reader = searcher.reader()  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for name in TEXT_FIELDS:
        for term, info in reader.iter_field(name):
            text = term.decode() if isinstance(term, bytes) else term
            counts[text] = counts.get(text, 0) + info.doc_frequency()
    return Lexicon.from_counts(counts)


def _surface_forms(kb: KnowledgeBase) -> dict[str, str]:
    """stem -> the most frequent spelling (lower case, umlauts kept) in titles and synonyms."""
    seen: dict[str, dict[str, int]] = {}
    for article in kb.articles.values():
        for text in (article.title, *article.synonyms, article.short_answer):
            for raw in text.lower().replace("-", " ").split():
                word = raw.strip(".,;:!?()\"'„“")
                folded = tokens(word)
                if len(folded) != 1:
                    continue
                counts = seen.setdefault(stem(folded[0]), {})
                counts[word] = counts.get(word, 0) + 1
    return {term: max(counts, key=lambda w: (counts[w], w)) for term, counts in seen.items()}
