"""`lotse kb submit|approve|review-due|history`: the editors' workflow (German output)."""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import day_arg
from kb.changes import describe
from kb.history import UNREADABLE, HistoryUnavailable, versions
from kb.lifecycle import STATE_LABELS, review_due, state
from kb.loader import KnowledgeBase, load
from kb.workflow import WorkflowError, adopt, approve, submit

#: The zone the workflow's time stamps are written in.
ZONE = ZoneInfo("Europe/Berlin")


def register(sub: Any, root_of: Any) -> None:
    """Add the workflow subcommands to `lotse kb`; `root_of(args, given)` resolves the KB folder."""
    for name, handler, text in (
        ("submit", _submit, "Entwurf zur Prüfung einreichen (draft -> review)"),
        ("approve", _approve, "geprüften Artikel freigeben (review -> published; Vier Augen)"),
    ):
        step = sub.add_parser(name, help=text)
        step.add_argument("id")
        step.add_argument("--by", required=True, metavar="NAME", help="who does this step")
        step.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
        step.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)
        step.set_defaults(handler=handler, root_of=root_of)
    take = sub.add_parser(
        "adopt", help="veröffentlichte Artikel ohne Freigabe-Kopie als freigegeben übernehmen"
    )
    take.add_argument("--by", required=True, metavar="NAME", help="who takes responsibility")
    take.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    take.add_argument("--now", type=datetime.fromisoformat, help=argparse.SUPPRESS)
    take.set_defaults(handler=_adopt, root_of=root_of)
    due = sub.add_parser("review-due", help="Artikel, deren Prüfung fällig oder überfällig ist")
    due.add_argument("--owner", help="only this owner's articles")
    due.add_argument("--within", type=int, default=30, metavar="DAYS", help="window (default 30)")
    due.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    due.add_argument("--today", type=day_arg, help=argparse.SUPPRESS)
    due.set_defaults(handler=_review_due, root_of=root_of)
    history = sub.add_parser("history", help="Versionen eines Artikels aus git, mit Änderungen")
    history.add_argument("id")
    history.add_argument("--limit", type=int, default=50, help="most versions shown")
    history.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    history.set_defaults(handler=_history, root_of=root_of)


def _now(args: argparse.Namespace) -> datetime:
    now: datetime = args.now or datetime.now(ZONE)
    return now if now.tzinfo else now.replace(tzinfo=ZONE)


def _submit(args: argparse.Namespace) -> int:
    root = args.root_of(args, args.root)
    try:
        article = submit(root, args.id, args.by, _now(args))
    except WorkflowError as exc:
        raise CommandError(str(exc), 1) from exc
    print(f"{article.id} eingereicht von {article.submitted_by}: wartet auf Freigabe durch eine"
          " zweite Person (lotse kb approve)")  # fmt: skip
    return 0


def _adopt(args: argparse.Namespace) -> int:
    root = args.root_of(args, args.root)
    try:
        adopted = adopt(root, args.by, _now(args))
    except WorkflowError as exc:
        raise CommandError(str(exc), 1) from exc
    print(f"{len(adopted)} veröffentlichte Artikel als freigegeben übernommen (approved/); "
          "Änderungen daran gehen ab jetzt durch die Prüfung")  # fmt: skip
    return 0


def _approve(args: argparse.Namespace) -> int:
    root = args.root_of(args, args.root)
    try:
        article = approve(root, args.id, args.by, _now(args))
    except WorkflowError as exc:
        raise CommandError(str(exc), 1) from exc
    print(f"{article.id} freigegeben von {article.approved_by} (eingereicht von "
          f"{article.submitted_by}): Agenten sehen jetzt diese Fassung")  # fmt: skip
    return 0


def _review_due(args: argparse.Namespace) -> int:
    if args.within < 0:
        raise CommandError("--within must not be negative")
    kb = load(args.root_of(args, args.root))
    today = args.today or date.today()
    due = [d for d in review_due(kb, today, args.within)
           if args.owner is None or d.article.owner == args.owner]  # fmt: skip
    if not due:
        print("Keine Prüfung fällig.")
        return 0
    by_owner = defaultdict(list)
    for item in due:
        by_owner[item.article.owner].append(item)
    for owner in sorted(by_owner):
        print(f"{owner}:")
        for item in by_owner[owner]:
            when = "überfällig seit" if item.overdue(today) else "fällig am"
            print(f"  {when} {item.due.isoformat()}  {item.article.id}  ({item.article.title})")
    overdue = sum(d.overdue(today) for d in due)
    print(f"{len(due)} Artikel: {overdue} überfällig, {len(due) - overdue} bald fällig")
    return 0


def _history(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    root = args.root_of(args, args.root)
    kb = load(root)
    path = kb.paths.get(("article", args.id)) or _article_file(root, args.id)
    print(f"Verlauf von {args.id} ({path}):")
    try:
        found = versions(path, args.limit)
    except HistoryUnavailable as exc:
        print(f"Kein Git-Verlauf: {exc}.")
    else:
        for newer, older in zip(found, [*found[1:], None], strict=True):
            when = f"{newer.date.astimezone(ZONE):%Y-%m-%d %H:%M}" if newer.date else "jetzt"
            head = f"{when}  {newer.author}  {newer.message}" if newer.author else (
                f"{when}  {newer.message}")  # fmt: skip
            print(f"  {head}")
            print(f"      {_change(older, newer)}")
    _print_approval(kb, args.id)
    return 0


def _change(older: Any, newer: Any) -> str:
    if newer.data is UNREADABLE:
        return "Datei nicht lesbar (YAML-Fehler)"
    if older is None:
        return "angelegt"
    old = None if older.data is UNREADABLE else older.data
    return describe(old if old is not None else {}, newer.data)


def _article_file(root: Path, article_id: str) -> Path:
    for suffix in (".yaml", ".yml"):
        candidate = root / "articles" / f"{article_id}{suffix}"
        if candidate.exists() or candidate.is_symlink():
            return candidate
    raise CommandError(f"kein Artikel {article_id!r} in {root / 'articles'}", 1)


def _print_approval(kb: KnowledgeBase, article_id: str) -> None:
    """The workflow state; works without git (the approved copy is the other version)."""
    approved = kb.approved.get(article_id)
    current = kb.articles.get(article_id)
    print(f"Stand: {STATE_LABELS[state(kb, article_id)]}")
    if approved is None:
        print("Keine freigegebene Fassung gespeichert.")
        return
    who = f" von {approved.approved_by}" if approved.approved_by else ""
    at = approved.approved_at
    when = f" am {at.astimezone(ZONE):%Y-%m-%d %H:%M}" if at else ""
    print(f"Freigegeben{when}{who}; Agenten sehen diese Fassung.")
    if current is not None:
        changes = describe(approved.model_dump(mode="json"), current.model_dump(mode="json"))
        print(f"Seit der Freigabe: {changes}")
