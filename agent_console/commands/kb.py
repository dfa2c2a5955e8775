"""`lotse kb ...`: editors' tools (lint, new, show, schema, import-dldb, feedback; the workflow in
kb_workflow, the usage figures in kb_stats)."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent_console.cli import CommandError
from agent_console.commands import day_arg, kb_stats, kb_workflow, moment_arg, settings_for
from agent_console.commands.calllog import store_from_args
from agent_console.config import cache_dir
from kb import lifecycle, schemas
from kb.checks import run_checks
from kb.loader import KnowledgeBase, Problem, load, locate
from kb.models import ID_PATTERN
from kb.scaffold import draft_text, overlay_text
from kb.text import article_text, short_answers


def register(subparsers: Any) -> None:
    """Add `kb` and its subcommands."""
    kb = subparsers.add_parser("kb", help="Wissensdatenbank prüfen, anlegen, anzeigen, importieren")
    sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)

    lint = sub.add_parser("lint", help="check every article and office (exit 1 on errors)")
    lint.add_argument("root", nargs="?", type=Path, help="KB folder (default: configured KB)")
    lint.add_argument("--strict", action="store_true", help="warnings fail too")
    lint.add_argument("--today", type=day_arg, help=argparse.SUPPRESS)
    lint.set_defaults(handler=_lint)

    new = sub.add_parser("new", help="scaffold a draft article kb/articles/ID.yaml")
    new.add_argument("id")
    new.add_argument("--title", default="")
    new.add_argument("--office", help="responsible office id")
    new.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    new.add_argument("--municipality", metavar="M", help="that town's overlay of a base article,"
                     " or (a new id) a service only it offers")  # fmt: skip
    new.set_defaults(handler=_new)

    show = sub.add_parser("show", help="print an article as an agent reads it")
    show.add_argument("id")
    show.add_argument("--root", type=Path, help="KB folder (default: configured KB)")
    show.add_argument("--at", type=moment_arg, help="moment for open-now (ISO)")
    show.add_argument("--as-agent", action="store_true", help="the version agents see")
    show.add_argument(
        "--municipality", metavar="ID", help="that municipality's version (◆: its own fields)"
    )
    show.add_argument(
        "--language", metavar="LANG", default="de", help="short answer in: leicht or tr, uk, ..."
    )
    show.set_defaults(handler=_show)

    schema = sub.add_parser("schema", help="write the JSON Schemas to kb/schema/ (or --check)")
    schema.add_argument("--check", action="store_true", help="exit 1 when they are stale")
    schema.set_defaults(handler=_schema)

    dldb = sub.add_parser("import-dldb", help="convert a DLDB export (Berlin/München)")
    dldb.add_argument("services", type=Path, help="services JSON")
    dldb.add_argument("locations", type=Path, help="locations JSON")
    dldb.add_argument("--out", type=Path, required=True, help="target KB folder")
    dldb.set_defaults(handler=_import_dldb)

    feedback = sub.add_parser("feedback", help="agents' flags on articles (open ones by default)")
    feedback.add_argument("--article", metavar="ID", help="only flags on this article")
    feedback.add_argument("--all", action="store_true", help="done flags too")
    feedback.add_argument("--done", metavar="FEEDBACK_ID", help="mark this flag done")
    feedback.add_argument("--db", metavar="URL", help="sqlite:///path or postgresql://user@host/db")
    feedback.add_argument("--root", type=Path, help="KB folder for titles (default: configured)")
    feedback.set_defaults(handler=_feedback)
    kb_workflow.register(sub, _root)
    kb_stats.register(sub, _root)


def _root(args: argparse.Namespace, given: Path | None) -> Path:
    if given is not None:
        if not given.is_dir():
            raise CommandError(f"{given}: no such knowledge-base folder")
        return given
    return settings_for(args).kb.root


def kb_cache_file(root: Path) -> Path:
    """The parse cache of one KB folder, in the user's cache directory."""
    digest = hashlib.sha1(str(root.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir() / f"kb-parse-{digest}.marshal"


def load_kb(root: Path) -> KnowledgeBase:
    """Load a KB folder with its parse cache (every status: the editors' view)."""
    return load(root, kb_cache_file(root))


def preview_index(index_dir: Path) -> Path:
    """The editors' preview has its own index (drafts must never reach the agents' index)."""
    return index_dir.with_name(f"{index_dir.name}-preview")


class KbReader:
    """Loads a KB folder again and again (a console's reloads) for agents or an editor's preview.

    The previous load is handed to the next, so a file that breaks keeps its last good version
    in memory; the parse cache keeps it across restarts.
    """

    def __init__(
        self, view: Callable[[KnowledgeBase], KnowledgeBase] = lifecycle.agent_view
    ) -> None:
        self.view = view
        self.full: KnowledgeBase | None = None
        """The last load with every status (what lint sees)."""

    def __call__(self, root: Path) -> KnowledgeBase:
        """Load `root` and return the view."""
        self.full = load(root, kb_cache_file(root), self.full)
        return self.view(self.full)


def lint_problems(kb: KnowledgeBase, today: date) -> list[Problem]:
    """Load problems, editorial findings placed on lines, and what agents see instead."""
    problems = list(kb.problems) + lifecycle.notes(kb)
    for finding in run_checks(kb, today):
        path = kb.paths[(finding.kind, finding.obj_id)]
        line, column = locate(path, finding.loc)
        field = ".".join(str(p) for p in finding.loc)
        problems.append(Problem(path, line, column, finding.message, finding.severity, field))
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.column))


def _lint(args: argparse.Namespace) -> int:
    root = _root(args, args.root)
    kb = load_kb(root)
    problems = lint_problems(kb, args.today or date.today())
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    layers = ""
    if kb.municipalities:
        overlays = sum(len(o) for o in kb.overlays.values())
        layers = f", {len(kb.municipalities)} municipalities ({overlays} overlays)"
    print(
        f"{len(kb.articles)} articles, {len(kb.offices)} offices{layers}: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
    return 1 if errors or (args.strict and warnings) else 0


def _new(args: argparse.Namespace) -> int:
    root = _root(args, args.root)
    if not re.fullmatch(ID_PATTERN, args.id):
        raise CommandError(f"invalid id {args.id!r}: use lower-case words joined by hyphens")
    if args.municipality is not None:
        return _new_local(root, args)
    path = root / "articles" / f"{args.id}.yaml"
    if path.exists():
        raise CommandError(f"{path} exists already")
    offices = sorted(p.stem for p in (root / "offices").glob("*.yaml"))
    office = args.office or (offices[0] if offices else None)
    if office is None or office not in offices:
        raise CommandError(f"unknown office {office!r}; choose one of: {', '.join(offices)}")
    title = " ".join(args.title.split()) or args.id.replace("-", " ").capitalize()
    text = draft_text(args.id, title, office, getpass.getuser(), date.today())
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0


def _new_local(root: Path, args: argparse.Namespace) -> int:
    """`kb new ID --municipality M`: M's overlay of base article ID, or M's own service ID."""
    kb = load_kb(root)
    place = kb.municipalities.get(args.municipality)
    if place is None:
        known = ", ".join(sorted(kb.municipalities)) or "none (a KB without municipalities/)"
        raise CommandError(f"unknown municipality {args.municipality!r}; known: {known}")
    path = kb.paths[("municipality", place.id)].parent / "articles" / f"{args.id}.yaml"
    if path.exists():
        raise CommandError(f"{path} exists already")
    base = kb.articles.get(args.id)
    if base is not None:
        text = overlay_text(args.id, base.title, place.name)
    else:
        offices = [o.id for o in kb.offices_for(place.id)]
        office = args.office or (offices[0] if offices else None)
        if office is None or office not in kb.offices:
            raise CommandError(f"unknown office {office!r}; choose one of: {', '.join(offices)}")
        title = " ".join(args.title.split()) or args.id.replace("-", " ").capitalize()
        text = draft_text(args.id, title, office, getpass.getuser(), date.today(), "../../..")
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0


def _show(args: argparse.Namespace) -> int:
    kb = load_kb(_root(args, args.root))
    agents = lifecycle.agent_view(kb)
    place = args.municipality
    if place is not None and place not in kb.municipalities:
        known = ", ".join(sorted(kb.municipalities)) or "none (a KB without municipalities/)"
        raise CommandError(f"unknown municipality {place!r}; known: {known}")
    article = (agents if args.as_agent else kb).article_for(args.id, place)
    if article is None and place is not None and args.id in kb.overlays.get(place, {}):
        raise CommandError(f"Agenten sehen {args.id!r} in {place} nicht", 1)
    if article is None:
        broken = [p for p in kb.problems if p.path.stem == args.id]
        if broken and not args.as_agent:
            raise CommandError(f"article {args.id!r} does not load: {broken[0]}", 1)
        if args.id in kb.articles:
            raise CommandError(f"Agenten sehen {args.id!r} nicht (Status "
                               f"{kb.articles[args.id].status})", 1)  # fmt: skip
        towns = sorted(m for m, overlays in kb.overlays.items() if args.id in overlays)
        if towns and place is None:
            raise CommandError(f"{args.id!r} is a service of {', '.join(towns)} only; "
                               f"add --municipality {towns[0]}", 1)  # fmt: skip
        raise CommandError(f"no article {args.id!r}", 1)
    at = args.at or datetime.now(UTC)
    own_service = place is not None and args.id in kb.local_articles(place)
    if own_service:  # a town's own service: no approved copy, its status says it all
        status = kb.local_articles(place)[args.id].status
        mark = "" if status == "published" else f"[{lifecycle.STATE_LABELS[status]}] "
    else:
        mark = lifecycle.marker(kb, args.id)
    if not args.as_agent and mark:
        seen = agents.article_for(args.id, place)
        what = "die freigegebene Fassung" if seen is not None else "diesen Artikel nicht"
        print(f"{mark.strip()} – Agenten sehen {what} (--as-agent zeigt sie)\n")
    answers = short_answers(article)
    if args.language not in answers:
        have = ", ".join(answers)
        raise CommandError(f"{args.id!r} has no short answer in {args.language!r}; it has: {have}")
    local = frozenset() if own_service else kb.local_fields(args.id, place)
    name = kb.municipalities[place].name if place else None
    print(article_text(article, kb.office_for(article), at, local, name, args.language), end="")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = schemas.stale()
        for name in stale:
            print(f"{schemas.SCHEMA_DIR / name}: stale; run `lotse kb schema`")
        return 1 if stale else 0
    for path in schemas.write_all():
        print(path)
    return 0


def _import_dldb(args: argparse.Namespace) -> int:
    from kb.importers.dldb import import_dldb

    for path in (args.services, args.locations):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
    try:
        report = import_dldb(args.services, args.locations, args.out)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    print(report)
    kb = load(args.out)
    for problem in kb.errors:
        print(problem)
    return 1 if kb.errors else 0


def _feedback(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if args.done is not None:
        if args.article or args.all:
            raise CommandError("--done takes no --article or --all")
        now = datetime.now(UTC)
        with store_from_args(args, settings) as store:
            item = store.resolve_feedback(args.done, by=settings.agent_id, at=now)
        when = item.resolved_at or now
        state = "erledigt" if when == now else "war bereits erledigt"
        local = when.astimezone(ZoneInfo(settings.calllog.timezone))
        print(f"Meldung {item.feedback_id} {state} ({item.resolved_by}, {local:%Y-%m-%d %H:%M})")
        return 0
    status = None if args.all else "open"
    with store_from_args(args, settings) as store:
        items = store.list_feedback(article_id=args.article, status=status, limit=1000)
    if not items:
        print("Keine offenen Meldungen." if status else "Keine Meldungen.")
        return 0
    titles = _article_titles(args.root or settings.kb.root)
    zone = ZoneInfo(settings.calllog.timezone)
    for item in items:
        title = titles.get(item.article_id)
        head = [
            f"{item.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
            f"{item.article_id} ({title})" if title else item.article_id,
            item.kind.value,
            item.agent_id,
        ]
        if args.all:
            head.append(item.status.value)
        print("  ".join(head) + f"  [{item.feedback_id}]")
        print(f"    {' '.join(item.comment.split())}")
    return 0


def _article_titles(root: Path) -> dict[str, str]:
    """Article titles by id, or none when the KB folder cannot be read."""
    if not root.is_dir():
        return {}
    return {article_id: a.title for article_id, a in load_kb(root).articles.items()}
