"""`lotse search QUERY` and `lotse search --eval FILE`: search the KB, or measure search quality."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from agent_console.cli import CommandError
from agent_console.commands import moment_arg, settings_for
from agent_console.commands.kb import load_kb, preview_index
from agent_console.config import Settings
from agent_console.safe_output import safe_json
from kb import lifecycle
from kb.changes import label
from kb.hours import describe
from kb.loader import KnowledgeBase
from kb.safe_text import terminal_safe
from search.baselines import Bm25Baseline, FuzzyBaseline
from search.confidence_eval import ConfidenceReport, judge_queries
from search.evaluate import EvalReport, LabelledQuery, evaluate, parse_queries, parts
from search.exceptions import SearchError
from search.protocol import Hit
from search.searcher import IndexSearcher


def register(subparsers: Any) -> None:
    """Add `search`."""
    parser = subparsers.add_parser(
        "search",
        help="Wissensdatenbank durchsuchen (oder --eval: Suchqualität messen)",
        description="Search the knowledge base as the console does (typos, prefixes, synonyms).",
    )
    parser.add_argument("query", nargs="*", help="what the agent typed")
    parser.add_argument("--limit", type=int, help="number of hits (default: settings)")
    parser.add_argument("--json", action="store_true", help="print a JSON list, best first")
    parser.add_argument(
        "--eval",
        metavar="FILE",
        type=Path,
        nargs="+",
        help="labelled queries (YAML {q, id, part}; id null: the KB has no answer)",
    )
    parser.add_argument(
        "--baselines", action="store_true", help="with --eval: also measure both baselines"
    )
    parser.add_argument("--misses", action="store_true", help="with --eval: list failing queries")
    parser.add_argument(
        "--drafts", action="store_true", help="editors: drafts and edits in review too, marked"
    )
    parser.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    parser.add_argument("--at", type=moment_arg, help="moment for open-now (ISO)")
    parser.add_argument(
        "--municipality",
        metavar="ID",
        help="search that municipality's versions (kb/municipalities/ID)",
    )
    parser.set_defaults(handler=_search)


def _search(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if args.limit is not None and not 1 <= args.limit <= 200:
        raise CommandError("--limit must be between 1 and 200")
    if args.eval is None and not args.query:
        raise CommandError("give a query, or --eval FILE")
    full = _load_kb(args.root or settings.kb.root)
    kb = lifecycle.preview_view(full) if args.drafts else lifecycle.agent_view(full)
    check_municipality(kb, args.municipality)
    at = args.at or datetime.now(UTC)
    searcher = _open(kb, settings, at, args.drafts)
    try:
        if args.eval is not None:
            return _evaluate(searcher, kb, args)
        states = {aid: lifecycle.state(full, aid) for aid in kb.articles} if args.drafts else {}
        return _query(
            searcher,
            " ".join(args.query),
            args.limit or settings.search.result_limit,
            at,
            args.json,
            states,
            args.municipality,
            frozenset(kb.articles),
        )
    finally:
        searcher.close()


def check_municipality(kb: KnowledgeBase, municipality: str | None) -> None:
    """A --municipality the KB does not know is a one-line error naming the known ones."""
    if municipality is not None and municipality not in kb.municipalities:
        known = ", ".join(sorted(kb.municipalities)) or "none (a KB without municipalities/)"
        raise CommandError(f"unknown municipality {municipality!r}; known: {known}")


def _load_kb(root: Path) -> KnowledgeBase:
    if not (root / "articles").is_dir():
        raise CommandError(f"{root}: no knowledge base (articles/ missing)")
    return load_kb(root)


def _open(kb: KnowledgeBase, settings: Settings, at: datetime, drafts: bool) -> IndexSearcher:
    synonyms = settings.search.synonyms_file or settings.kb.root / "synonyms.yaml"
    index_dir = settings.search.index_dir
    try:
        index_dir = preview_index(index_dir) if drafts else index_dir
        searcher = IndexSearcher.open(kb, index_dir, synonyms, clock=lambda: at)
    except SearchError as exc:
        raise CommandError(str(exc)) from exc
    if searcher.status.notice:
        print(f"Hinweis: {searcher.status.notice} ({searcher.status.reason})", file=sys.stderr)
    return searcher


def _query(
    searcher: IndexSearcher,
    text: str,
    limit: int,
    at: datetime,
    as_json: bool,
    states: dict[str, str],
    municipality: str | None = None,
    base_ids: frozenset[str] = frozenset(),
) -> int:
    """Print the hits; `states` (with --drafts) adds each hit's editorial state to the JSON;
    `base_ids` tells the base's services from a municipality's own."""
    hits = searcher.search(text, limit, municipality)
    suggestion = searcher.suggest(text)
    if as_json:
        found = [_as_json(hit) | ({"state": states[hit.id]} if hit.id in states else {})
                 for hit in hits]  # fmt: skip
        print(safe_json(found, indent=2))
        return 0
    if suggestion:
        print(f"Meinten Sie: {suggestion}?")
    if not hits:
        print("Keine Treffer.")
        return 1
    if not any(hit.high for hit in hits):
        print("Keine passende Leistung gefunden.")
    for rank, hit in enumerate(hits, start=1):
        state = describe(hit.open_state, at) if hit.open_state else "keine Zuständigkeit"
        maybe = "" if hit.high else "vielleicht: "
        title, office = terminal_safe(hit.title), terminal_safe(hit.office_name or "?")
        other = hit.municipality not in (None, municipality)
        where = f" (nur {terminal_safe(hit.municipality or '')})" if other else ""
        print(f"{rank:2}. {maybe}{title}{where}  [{hit.id}]  {hit.score:.3f}")
        print(f"    {office}: {state}; Treffer in: {', '.join(hit.matched_fields)}")
        if hit.id not in base_ids and hit.municipality:
            print(f"    eigene Leistung von {terminal_safe(hit.municipality)}")
        elif hit.local_fields and municipality:
            print(f"    eigene Angaben: {', '.join(label(f) for f in sorted(hit.local_fields))}")
    return 0


def _as_json(hit: Hit) -> dict[str, object]:
    state = hit.open_state
    return {
        "id": hit.id,
        "title": hit.title,
        "score": hit.score,
        "confidence": hit.confidence,
        "matched_fields": list(hit.matched_fields),
        "office": hit.office_id,
        "open_now": state.is_open if state else None,
        "municipality": hit.municipality,
        "local_fields": sorted(hit.local_fields),
    }


def _evaluate(searcher: IndexSearcher, kb: KnowledgeBase, args: argparse.Namespace) -> int:
    queries = [query for path in args.eval for query in _read_queries(path)]
    place = args.municipality
    known = kb.articles.keys() | (kb.local_articles(place).keys() if place else set())
    unknown = sorted({q.id for q in queries if q.id is not None} - known)
    if unknown:
        print(f"warning: {len(unknown)} labelled ids not in the KB: {', '.join(unknown)}")
    report = evaluate(lambda text, n: [h.id for h in searcher.search(text, n, place)], queries)
    print(report.summary("lotse"))
    if args.baselines:
        print(evaluate(Bm25Baseline(kb).search_ids, queries).summary("bm25 (whoosh defaults)"))
        print(evaluate(FuzzyBaseline(kb).search_ids, queries).summary("rapidfuzz scan"))

    def judged(text: str, limit: int) -> list[tuple[str, bool]]:
        return [(hit.id, hit.high) for hit in searcher.search(text, limit, place)]

    confidence = judge_queries(judged, queries)
    print(confidence.summary("confidence"))
    for name, part in parts(queries).items():
        print(judge_queries(judged, part).summary(f"  part {name}"))
    if args.misses:
        _print_misses(report, confidence)
    return 0


def _read_queries(path: Path) -> list[LabelledQuery]:
    try:
        return parse_queries(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise CommandError(f"{path}: invalid YAML: {exc}") from exc
    except SearchError as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _print_misses(report: EvalReport, confidence: ConfidenceReport) -> None:
    for miss in report.misses:
        where = f"rank {miss.rank}" if miss.rank else "not in top 10"
        print(f"  {miss.query.q!r}: want {miss.query.id}, {where}; got {', '.join(miss.got)}")
    for wrong in confidence.wrong:
        if wrong.query.id is None:
            print(f"  {wrong.query.q!r}: no answer in the KB, but {wrong.top} is high")
        else:
            print(f"  {wrong.query.q!r}: top hit {wrong.top or '-'} is low (want {wrong.query.id})")
