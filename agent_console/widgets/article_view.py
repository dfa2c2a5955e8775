"""The article as an agent reads it: short answer first, then checklist, fees, office, notes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from agent_console.origin import short_answer, short_answer_views
from agent_console.widgets.plain import plain, safe_copy
from kb.hours import OpenState, describe, open_state
from kb.models import Article, Office
from kb.text import duration_text, fee_text
from telephony.origin import HOME_LANGUAGE

_PLACEHOLDER = (
    "Suchen Sie oben nach dem Anliegen des Anrufers (F2).\n"
    "Enter öffnet den markierten Treffer, ↑/↓ wählen."
)


#: The mark of a field the municipality sets itself (its overlay or its office map).
LOCAL_MARK = "◆"


@dataclass(frozen=True)
class Version:
    """Whose version of an article is shown and which of its fields are that municipality's."""

    where: str = ""
    """The municipality's name ("" for the base, e.g. a one-town KB)."""
    local: frozenset[str] = frozenset()
    """Article fields the municipality sets itself."""
    answer: str = HOME_LANGUAGE
    """Which short answer: "de", "leicht" (Leichte Sprache) or a language code."""

    def title(self, title: str, name: str) -> str:
        """A section title, marked when the field is local: "◆ Gebühren (Beispielheim)"."""
        if name in self.local and self.where:
            return f"{LOCAL_MARK} {title} ({self.where})"
        return title


def _section(title: str, lines: list[str], mark: str = "•") -> list[RenderableType]:
    if not lines:
        return []
    body = Text()
    body.append(f"\n{title}\n", style="bold underline")
    for n, line in enumerate(lines, start=1):
        prefix = f"{n}." if mark == "#" else mark
        body.append(f" {prefix} {line}\n")
    return [body]


def describe_next(moment: datetime, now: datetime) -> str:
    """The next opening as the closed-state text words it ("morgen 08:00", "Di 14:00")."""
    return describe(OpenState(False, None, moment), now).removeprefix("geschlossen · öffnet ")


def office_block(office: Office | None, now: datetime, title: str = "Zuständige Stelle") -> Text:
    """The responsible office: transfer target, open now, next opening, appointments."""
    text = Text()
    text.append(f"\n{title}\n", style="bold underline")
    if office is None:
        text.append(" Zuständige Stelle unbekannt (Verweis im Artikel prüfen)\n", style="red")
        return text
    target = f"Durchwahl {office.extension}" if office.extension else f"Tel. {office.phone}"
    text.append(f" {office.name}", style="bold")
    text.append(f"  ·  {target}\n")
    state = open_state(office, now)
    text.append(" ● jetzt geöffnet" if state.is_open else " ○ jetzt geschlossen",
                style="green bold" if state.is_open else "red bold")  # fmt: skip
    text.append(f"  ·  {describe(state, now)}")
    if state.is_open and state.next_open is not None:
        text.append(f"  ·  danach wieder {describe_next(state.next_open, now)}")
    text.append("\n")
    booking = office.appointment
    if booking.required:
        text.append(" Nur mit Termin", style="bold")
        text.append(f": {booking.booking_url}\n" if booking.booking_url else "\n")
    else:
        text.append(" Ohne Termin (Vorsprache möglich)\n")
    if booking.note:
        text.append(f" {booking.note}\n")
    if office.address is not None:
        room = f", {office.address.room}" if office.address.room else ""
        text.append(f" {office.address.street}, {office.address.postal_code} "
                    f"{office.address.city}{room}\n", style="dim")  # fmt: skip
    return text


def _headline(article: Article, version: Version) -> Text:
    """The title, with whose version it is ("Fassung Beispielheim") when it is a municipality's."""
    text = Text(article.title, style="bold")
    if version.where:
        text.append(f"  ·  Fassung {version.where}", style="italic")
        if version.local:
            text.append(f"  ({LOCAL_MARK} = eigene Angaben der Gemeinde)", style="dim")
    return text


def _answer_panel(article: Article, version: Version) -> Panel:
    """The short answer in the chosen version (German for one the article lacks)."""
    title, text = short_answer(article, version.answer)
    if version.answer == HOME_LANGUAGE:
        title = version.title(title, "short_answer")
    views = short_answer_views(article, "")
    more = "  ·  Strg+L: andere Sprache" if len(views) > 1 else ""
    return Panel(Text(text), title=title + more, title_align="left", border_style="green")


def article_renderable(
    article: Article, office: Office | None, now: datetime, version: Version | None = None
) -> Group:
    """The whole article for the article view (`version`: whose, and which short answer)."""
    v = version or Version()
    parts: list[RenderableType] = [_headline(article, v), _answer_panel(article, v)]
    docs = [f"{d.name} ({d.condition})" if d.condition else d.name for d in article.documents]
    parts += _section(v.title("Unterlagen (Checkliste)", "documents"), docs, "☐")
    parts += _section(v.title("Voraussetzungen", "prerequisites"), list(article.prerequisites))
    parts += _section(v.title("Gebühren", "fees"), [fee_text(f) for f in article.fees])
    if article.processing_time is not None:
        label = v.title("Bearbeitungsdauer", "processing_time")
        parts.append(Text(f"\n{label}: {duration_text(article.processing_time)}"))
    parts += _section(v.title("Ablauf", "procedure"), list(article.procedure), "#")
    parts += _section(v.title("Fristen", "deadlines"), [d.description for d in article.deadlines],
                      "!")  # fmt: skip
    parts.append(office_block(office, now, v.title("Zuständige Stelle", "office")))
    if article.online_service:
        label = v.title("Online-Dienst", "online_service")
        parts.append(Text(f"\n{label}: {article.online_service}", style="bold"))
    parts += _section(v.title("Formulare", "forms"), [f"{f.title}: {f.url}" for f in article.forms])
    notes = list(article.agent_notes) + (list(office.notes) if office else [])
    if notes:
        title = v.title("Interne Hinweise (nicht vorlesen)", "agent_notes")
        parts += [
            Panel(Text("\n".join(f"• {n}" for n in notes)), title=title, title_align="left",
                  border_style="yellow")
        ]  # fmt: skip
    return Group(*parts)


class ArticleView(VerticalScroll):
    """Scrollable article; `show` replaces the content (attributes down from the screen)."""

    article_id: str | None = None
    answer: str = HOME_LANGUAGE
    """The short answer's version on screen ("de", "leicht" or a language code)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Article, Office | None, datetime, Version] | None = None

    def compose(self) -> ComposeResult:
        """One Static holding the rendered article."""
        yield Static(_PLACEHOLDER, id="article-body")

    def show(
        self, article: Article, office: Office | None, now: datetime, version: Version | None = None
    ) -> None:
        """Render `article` (its text terminal-safe), scrolled to the top."""
        version = version or Version()
        self.article_id, self.answer = article.id, version.answer
        self._shown = (article, office, now, version)
        self._paint(article, office, now, version)
        self.scroll_home(animate=False)

    def _paint(
        self, article: Article, office: Office | None, now: datetime, version: Version
    ) -> None:
        body = article_renderable(safe_copy(article), safe_copy(office), now, version)
        self.query_one("#article-body", Static).update(body)

    @property
    def has_versions(self) -> bool:
        """The open article's short answer exists in Leichte Sprache or another language."""
        return self._shown is not None and len(short_answer_views(self._shown[0], "")) > 1

    def next_answer(self, language: str) -> str | None:
        """Show the next version of the short answer (German, Leichte Sprache, the caller's
        `language`, the others, then German again); None when the article has only German."""
        if self._shown is None:
            return None
        article, office, now, version = self._shown
        views = short_answer_views(article, language)
        if len(views) < 2:
            return None
        current = views.index(self.answer) if self.answer in views else 0
        self.answer = views[(current + 1) % len(views)]
        self._shown = (article, office, now, replace(version, answer=self.answer))
        self._paint(*self._shown)
        return self.answer

    def clear(self, message: str = _PLACEHOLDER) -> None:
        """Show the placeholder."""
        self.article_id, self.answer, self._shown = None, HOME_LANGUAGE, None
        self.query_one("#article-body", Static).update(plain(message, multiline=True))
