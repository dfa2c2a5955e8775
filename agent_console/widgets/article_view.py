"""The article as an agent reads it: short answer first, then checklist, fees, office, notes."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from agent_console.widgets.plain import plain, safe_copy
from kb.hours import OpenState, describe, open_state
from kb.models import Article, Office
from kb.text import duration_text, fee_text

_PLACEHOLDER = (
    "Suchen Sie oben nach dem Anliegen des Anrufers (F2).\n"
    "Enter öffnet den markierten Treffer, ↑/↓ wählen."
)


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


def office_block(office: Office | None, now: datetime) -> Text:
    """The responsible office: transfer target, open now, next opening, appointments."""
    text = Text()
    text.append("\nZuständige Stelle\n", style="bold underline")
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


def article_renderable(article: Article, office: Office | None, now: datetime) -> Group:
    """The whole article for the article view."""
    parts: list[RenderableType] = [
        Text(article.title, style="bold"),
        Panel(Text(article.short_answer), title="Kurzantwort – zuerst vorlesen", title_align="left",
              border_style="green"),
    ]  # fmt: skip
    docs = [f"{d.name} ({d.condition})" if d.condition else d.name for d in article.documents]
    parts += _section("Unterlagen (Checkliste)", docs, "☐")
    parts += _section("Voraussetzungen", list(article.prerequisites))
    parts += _section("Gebühren", [fee_text(f) for f in article.fees])
    if article.processing_time is not None:
        parts.append(Text(f"\nBearbeitungsdauer: {duration_text(article.processing_time)}"))
    parts += _section("Ablauf", list(article.procedure), "#")
    parts += _section("Fristen", [d.description for d in article.deadlines], "!")
    parts.append(office_block(office, now))
    if article.online_service:
        parts.append(Text(f"\nOnline-Dienst: {article.online_service}", style="bold"))
    parts += _section("Formulare", [f"{f.title}: {f.url}" for f in article.forms])
    notes = list(article.agent_notes) + (list(office.notes) if office else [])
    if notes:
        parts += [
            Panel(Text("\n".join(f"• {n}" for n in notes)), title="Interne Hinweise (nicht "
                  "vorlesen)", title_align="left", border_style="yellow")
        ]  # fmt: skip
    return Group(*parts)


class ArticleView(VerticalScroll):
    """Scrollable article; `show` replaces the content (attributes down from the screen)."""

    article_id: str | None = None

    def compose(self) -> ComposeResult:
        """One Static holding the rendered article."""
        yield Static(_PLACEHOLDER, id="article-body")

    def show(self, article: Article, office: Office | None, now: datetime) -> None:
        """Render `article` (its text terminal-safe), scrolled to the top."""
        self.article_id = article.id
        body = article_renderable(safe_copy(article), safe_copy(office), now)
        self.query_one("#article-body", Static).update(body)
        self.scroll_home(animate=False)

    def clear(self, message: str = _PLACEHOLDER) -> None:
        """Show the placeholder."""
        self.article_id = None
        self.query_one("#article-body", Static).update(plain(message, multiline=True))
