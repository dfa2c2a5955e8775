"""`lotse kb stats`: per article, what the call log says it was used for (text or CSV)."""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import day_arg, settings_for
from agent_console.commands.calllog import store_from_args
from calllog.reports import Period
from calllog.store.usage import ArticleUsage
from kb.loader import KnowledgeBase, load
from search.candidates import SynonymCandidate, synonym_candidates

#: Days `kb stats` covers without --from.
DEFAULT_DAYS = 30
#: Outcome columns, in the order shown; the rest is summed as "other".
OUTCOMES = ("resolved", "transferred", "callback")
CSV_COLUMNS = ("article_id", "title", "calls", "resolved", "transferred", "callback", "other",
               "feedback_open", "feedback_done", "synonym_candidates")  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One article's figures."""

    article_id: str
    title: str
    outcomes: dict[str, int]
    feedback_open: int
    feedback_done: int
    candidates: tuple[SynonymCandidate, ...]

    @property
    def calls(self) -> int:
        """Calls with the article as a topic."""
        return sum(self.outcomes.values())

    @property
    def other(self) -> int:
        """Calls that ended otherwise (written answer, referral, dropped, still going on)."""
        return self.calls - sum(self.outcomes.get(o, 0) for o in OUTCOMES)


def register(sub: Any, root_of: Any) -> None:
    """Add `lotse kb stats`."""
    stats = sub.add_parser("stats", help="Nutzung je Artikel aus dem Anrufprotokoll")
    stats.add_argument("--from", dest="start", type=day_arg, metavar="DATE", help="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=day_arg, metavar="DATE", help="YYYY-MM-DD")
    stats.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    stats.add_argument("--csv", action="store_true", help="CSV, one row per article")
    stats.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    stats.set_defaults(handler=_stats, root_of=root_of)


def rows(kb: KnowledgeBase, usage: ArticleUsage) -> list[Row]:
    """Every article of the KB or the call log, most used first."""
    candidates = synonym_candidates(kb, usage.unanswered)
    ids = kb.articles.keys() | usage.outcomes.keys() | usage.feedback.keys() | candidates.keys()
    out = []
    for article_id in ids:
        article = kb.articles.get(article_id)
        feedback = usage.feedback.get(article_id, {})
        out.append(Row(
            article_id, article.title if article else "(nicht mehr in der Wissensdatenbank)",
            usage.outcomes.get(article_id, {}), feedback.get("open", 0), feedback.get("done", 0),
            tuple(candidates.get(article_id, ())),
        ))  # fmt: skip
    return sorted(out, key=lambda r: (-r.calls, r.article_id))


def _stats(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    zone = ZoneInfo(settings.calllog.timezone)
    end = args.end or date.today()
    start = args.start or end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise CommandError(f"--to {end} is before --from {start}")
    since, until = Period(start, end).utc_bounds(zone)
    kb = load(args.root_of(args, args.root))
    with store_from_args(args, settings) as store:
        usage = store.article_usage(since, until)
    table = rows(kb, usage)
    if args.csv:
        _write_csv(table)
    else:
        _write_text(table, start, end, usage)
    return 0


def _write_csv(table: list[Row]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in table:
        texts = "; ".join(f"{c.text} ({c.count})" for c in r.candidates)
        writer.writerow([r.article_id, r.title, r.calls, *(r.outcomes.get(o, 0) for o in OUTCOMES),
                         r.other, r.feedback_open, r.feedback_done, texts])  # fmt: skip


def _write_text(table: list[Row], start: date, end: date, usage: ArticleUsage) -> None:
    print(f"Nutzung {start.isoformat()} bis {end.isoformat()}: "
          f"{sum(r.calls for r in table)} Anrufe mit Thema, "
          f"{sum(n for _, n in usage.unanswered)} Suchen ohne Treffer")  # fmt: skip
    print(f"{'Artikel':<34} {'Anrufe':>6} {'gelöst':>6} {'verb.':>6} {'Rückr.':>6} "
          f"{'sonst':>6} {'Meld. offen/erl.':>16}")  # fmt: skip
    for r in table:
        if not (r.calls or r.feedback_open or r.feedback_done or r.candidates):
            continue
        counts = [r.calls, *(r.outcomes.get(o, 0) for o in OUTCOMES), r.other]
        print(f"{r.article_id[:34]:<34} " + " ".join(f"{n:>6}" for n in counts)
              + f" {f'{r.feedback_open}/{r.feedback_done}':>16}")  # fmt: skip
        if r.candidates:
            texts = ", ".join(f"„{c.text}“ ({c.count}×)" for c in r.candidates)
            print(f"    Synonym-Kandidaten: {texts}")
    unused = sum(1 for r in table if not r.calls)
    print(f"{unused} Artikel ohne Anruf im Zeitraum.")
