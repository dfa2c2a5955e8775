"""`lotse demo`: the newcomer's first command (until the console lands: KB check and an article)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_console.commands.kb import lint_problems, load_kb
from agent_console.config import load_settings
from kb.text import article_text


def register(subparsers: Any) -> None:
    """Add `demo`."""
    demo = subparsers.add_parser("demo", help="Demo: Wissensdatenbank prüfen und Artikel zeigen")
    demo.add_argument("--article", default="personalausweis-beantragen", help="article id")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    settings = load_settings(Path(args.config) if args.config else None)
    kb = load_kb(settings.kb.root)
    now = datetime.now(UTC)
    problems = lint_problems(kb, now.date())
    errors = [p for p in problems if p.severity == "error"]
    print(
        f"Wissensdatenbank {settings.kb.root}: {len(kb.articles)} Artikel, "
        f"{len(kb.offices)} Stellen, {len(errors)} Fehler, {len(problems) - len(errors)} Hinweise"
    )
    for problem in problems:
        print(f"  {problem}")
    article = kb.articles.get(args.article)
    if article is not None:
        print()
        print(article_text(article, kb.office_for(article), now), end="")
    return 1 if errors else 0
